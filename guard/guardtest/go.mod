module github.com/stateguard/stateguard/guard/guardtest

go 1.26.0

require (
	github.com/anishathalye/porcupine v1.3.1
	github.com/stateguard/stateguard/guard v0.0.0-00010101000000-000000000000
)
