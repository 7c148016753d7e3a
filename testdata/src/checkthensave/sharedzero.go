package checkthensave

import "checkthensave/archive"

// ArchiveStore saves archives.
type ArchiveStore interface {
	UpdateArchiveStatus(a *archive.Archive) error // want UpdateArchiveStatus:`save\(#0\) by plain save`
}

// MarkReady sets a generating archive ready. The status it compares with
// is a constant of another package, named as the source spells it.
func MarkReady(st ArchiveStore, a *archive.Archive) error {
	if a.Status == archive.Generating {
		a.Status = archive.Ready
		return st.UpdateArchiveStatus(a) // want `unguarded-transition: Status is checked in Go, not in the store: it is compared with archive.Generating at line 13, then set to archive.Ready`
	}
	return nil
}
