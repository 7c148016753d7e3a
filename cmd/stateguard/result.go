package main

import (
	"go/token"
)

// A result is what one run of the analysis produced. Loading and analysis
// (analyze.go) fill it; the output formats and the exit status (output.go,
// sarif.go) read nothing else.
type result struct {
	findings []finding // of the root packages, sorted by position, without duplicates
	failures []failure // load, type and analysis errors; any one makes the exit status 1

	// moduleDir is the directory of the main module of the root packages,
	// or "" when they have none (GOPATH mode, the standard library). SARIF
	// paths start from the repository that holds it.
	moduleDir string
}

// A finding is one diagnostic of a root package, with resolved positions.
type finding struct {
	pkg       string // ID of the package it was reported in
	category  string // the check's name
	message   string
	url       string
	posn, end token.Position
	related   []relatedPosn
}

type relatedPosn struct {
	posn, end token.Position
	message   string
}

// A failure is something that went wrong: a package that does not load or
// type-check, an analysis that returned an error or panicked.
type failure struct {
	pkg string // ID of the package concerned, or "" when it is not one package's
	msg string // printed as is, on lines of its own
}

// failed reports whether anything went wrong.
func (r *result) failed() bool { return len(r.failures) > 0 }
