// Package ignore exercises //stateguard:ignore with a test analyzer that
// reports every call mark(CHECK) as a finding of CHECK.
package ignore

func mark(check string) int { return 0 }

func trailing() {
	mark("ineffective-guard") //stateguard:ignore the save only fences; the write feeds the audit log
	mark("ineffective-guard") // want `ineffective-guard: marked`
}

func above() {
	//stateguard:ignore a hard reboot may restart a reboot in progress, by design
	mark("reentrant-guard")
	mark("reentrant-guard") // want `reentrant-guard: marked`
}

func aboveWithMoreComment() {
	//stateguard:ignore the store deduplicates by request id,
	// so a concurrent duplicate is refused there.
	mark("ineffective-guard")
}

func indented() {
	if true {
		for range 3 {
			//stateguard:ignore see https://example.com/runbook#fences
			mark("unguarded-transition")
		}
	}
}

func allOnOneLine() {
	_, _ = mark("shortcut-save"), mark("ineffective-guard") //stateguard:ignore both findings on this line are known
}

func blankLineBetween() {
	//stateguard:ignore a blank line separates this from the code // want `directive: this //stateguard:ignore silences nothing: stateguard reports no finding on line 39; remove the directive, or put it on the reported line or alone on the line above it`

	mark("ineffective-guard") // want `ineffective-guard: marked`
}

func twoLinesAbove() {
	//stateguard:ignore too far // want `directive: this //stateguard:ignore silences nothing: stateguard reports no finding on line 45`
	_ = 1
	mark("ineffective-guard") // want `ineffective-guard: marked`
}

func onTheWrongLine() {
	mark("ineffective-guard") // want `ineffective-guard: marked`
	_ = 2                     //stateguard:ignore meant for the line above // want `directive: this //stateguard:ignore silences nothing: stateguard reports no finding on line 51`
}

func noReason() {
	mark("ineffective-guard") //stateguard:ignore // want `ineffective-guard: marked` `directive: malformed directive: //stateguard:ignore needs a reason`
}

func duplicate() {
	//stateguard:ignore first reason
	mark("ineffective-guard") //stateguard:ignore second reason // want `directive: line 60 is already covered by the //stateguard:ignore on line 59; keep one directive`
}

func directivesCannotBeIgnored() {
	//stateguard:ignore a broken directive is fixed, not silenced // want `directive: this //stateguard:ignore silences nothing`
	//stateguard:nope // want `directive: malformed directive: unknown directive //stateguard:nope`
}

func nearMiss() {
	mark("ineffective-guard") // stateguard:ignore not a directive with the space // want `ineffective-guard: marked` `directive: malformed directive: a stateguard directive has no space after the slashes`
}

// An ignore may name the checks it silences: those alone.

func namedTrailing() {
	mark("ineffective-guard")                               //stateguard:ignore ineffective-guard the save only fences
	_, _ = mark("ineffective-guard"), mark("shortcut-save") //stateguard:ignore ineffective-guard only the guard is known // want `shortcut-save: marked`
}

func namedAbove() {
	//stateguard:ignore ineffective-guard,reentrant-guard both are known here
	_, _ = mark("reentrant-guard"), mark("ineffective-guard")
}

func namedWrongCheck() {
	mark("shortcut-save") //stateguard:ignore ineffective-guard meant for another check // want `shortcut-save: marked` `directive: this //stateguard:ignore silences nothing: stateguard reports no ineffective-guard finding on line 85; remove the directive`
}

func namedPartlyStale() {
	mark("ineffective-guard") //stateguard:ignore ineffective-guard,reentrant-guard one of two // want `directive: this //stateguard:ignore names reentrant-guard, but stateguard reports no reentrant-guard finding on line 89; remove reentrant-guard from the list`
}

func namedUnknown() {
	mark("ineffective-guard") //stateguard:ignore ineffective-gaurd a typo // want `ineffective-guard: marked` `directive: malformed directive: //stateguard:ignore names the unknown check "ineffective-gaurd"; the checks it can silence are ineffective-guard, reentrant-guard, unguarded-transition, shortcut-save`
	mark("ineffective-guard") //stateguard:ignore ineffective-guard,reentrant-gaurd a typo in the second // want `ineffective-guard: marked` `directive: malformed directive: //stateguard:ignore names the unknown check "reentrant-gaurd"`
}

func namedWithoutReason() {
	mark("reentrant-guard") //stateguard:ignore reentrant-guard // want `reentrant-guard: marked` `directive: malformed directive: //stateguard:ignore needs a reason after the checks`
}

func namedNotSilenceable() {
	//stateguard:ignore directive a broken directive is fixed // want `directive: malformed directive: //stateguard:ignore names directive, whose findings cannot be silenced`
	//stateguard:nope // want `directive: malformed directive: unknown directive //stateguard:nope`
	mark("ineffective-guard") //stateguard:ignore no-transition run time only // want `ineffective-guard: marked` `directive: malformed directive: //stateguard:ignore names no-transition, which the guard package refuses at run time`
	mark("ineffective-guard") //stateguard:ignore ineffective-guard, with a space // want `ineffective-guard: marked` `directive: malformed directive: //stateguard:ignore has an empty check name`
}

func reasonThatIsNotAList() {
	// A first word that is not shaped like a check starts the reason:
	// the bare form, which silences every check.
	mark("ineffective-guard") //stateguard:ignore ineffective, and known
	mark("reentrant-guard")   //stateguard:ignore all of these are known
}
