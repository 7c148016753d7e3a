package ignore

//stateguard:file-ignore shortcut-save,unguarded-transition the stubs in this file return early by design

func stubs() {
	mark("shortcut-save")
	mark("unguarded-transition")
	mark("ineffective-guard") // want `ineffective-guard: marked`
	mark("shortcut-save")     //stateguard:ignore shortcut-save a line ignore is used before the file's
}
