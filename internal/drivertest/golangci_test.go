package drivertest

import (
	"strings"
	"testing"
)

// The golangci-lint built by Golangci is the requested release and knows
// the stateguard plugin.
func TestGolangciBuild(t *testing.T) {
	bin := Golangci(t)
	res := Run(t, t.TempDir(), nil, bin, "version")
	if res.Exit != 0 || !strings.Contains(res.Stdout+res.Stderr, strings.TrimPrefix(GolangciVersion, "v")) {
		t.Fatalf("%s version: exit %d\n%s%s", bin, res.Exit, res.Stdout, res.Stderr)
	}
}
