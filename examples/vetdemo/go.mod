module github.com/stateguard/stateguard/examples/vetdemo

go 1.26.0

require github.com/stateguard/stateguard/guard v0.0.0-00010101000000-000000000000
