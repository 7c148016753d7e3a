module github.com/stateguard/stateguard/guard

go 1.26.0
