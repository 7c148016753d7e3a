//go:build race

package guardtest

// Under the race detector SQLite (modernc.org/sqlite, C translated to Go)
// runs about ten times slower, so the racing cases run fewer rounds by
// default; the detector looks for data races, which a few rounds expose.
const defaultRounds = 20
