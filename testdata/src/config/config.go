// Package config is analyzed with -checks=-reentrant-guard by a test
// analyzer that reports every call mark(CHECK) as a finding of CHECK.
package config

func mark(check string) int { return 0 }

func f() {
	mark("reentrant-guard")
	mark("ineffective-guard") // want `ineffective-guard: marked`
	mark("directive")         // want `directive: marked`

	//stateguard:ignore a disabled check's finding still uses the directive
	mark("reentrant-guard")

	// With a check disabled, an ignore directive that silences nothing may
	// be meant for that check, so it is not reported.
	//stateguard:ignore meant for reentrant-guard
	_ = 1

	//stateguard:bogus // want `directive: malformed directive: unknown directive //stateguard:bogus`
}
