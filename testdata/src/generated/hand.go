// Package generated has a generated file, whose findings are skipped by
// default, and a hand-written one, whose findings are reported.
package generated

func mark(check string) int { return 0 }

func handWritten() {
	mark("ineffective-guard") // want `ineffective-guard: marked`
	//stateguard:nope // want `directive: malformed directive`
}
