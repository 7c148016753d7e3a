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

	// An ignore that names a disabled check is not reported when it
	// silences nothing; one that names an enabled check is.
	//stateguard:ignore reentrant-guard meant for the disabled check
	_ = 2
	//stateguard:ignore ineffective-guard,reentrant-guard stale for the enabled one // want `directive: this //stateguard:ignore names ineffective-guard, but stateguard reports no ineffective-guard finding on line 25; remove ineffective-guard from the list`
	_ = 3

	//stateguard:bogus // want `directive: malformed directive: unknown directive //stateguard:bogus`
}
