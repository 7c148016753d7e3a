// Package modgraph holds the tests of the repository's module layout: the
// runtime library (module github.com/stateguard/stateguard/guard) requires
// nothing, and a service that imports guard and one store gets guard, that
// store and its driver's modules, nothing of the tool module. It has no
// code; its tests run the go command over the modules' directories, so
// that this module does not require any of them.
package modgraph
