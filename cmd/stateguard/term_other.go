//go:build !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

package main

// isTerminal reports false: progress is shown on the terminals of Linux
// and the BSDs only.
func isTerminal(fd uintptr) bool { return false }
