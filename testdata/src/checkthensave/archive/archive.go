// Package archive declares the statuses of generated archives.
package archive

// Status is where an archive is.
type Status int

// The archive statuses.
const (
	Generating Status = iota
	Ready
)

// Archive is a generated archive of a build.
type Archive struct {
	ID     int64
	Status Status
}
