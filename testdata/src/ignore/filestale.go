package ignore

//stateguard:file-ignore reentrant-guard nothing here re-enters // want `directive: this //stateguard:file-ignore silences nothing: stateguard reports no reentrant-guard finding in this file; remove the directive`

//stateguard:file-ignore ineffective-guard,shortcut-save only one is used // want `directive: this //stateguard:file-ignore names shortcut-save, but stateguard reports no shortcut-save finding in this file; remove shortcut-save from the list`

//stateguard:file-ignore every finding here is known // want `directive: malformed directive: //stateguard:file-ignore needs the checks it silences before its reason: write //stateguard:file-ignore CHECK\[,CHECK...\] REASON`

//stateguard:file-ignore ineffective-gaurd a typo // want `directive: malformed directive: //stateguard:file-ignore names the unknown check "ineffective-gaurd"`

func other() {
	mark("ineffective-guard")
}
