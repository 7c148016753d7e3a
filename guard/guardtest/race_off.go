//go:build !race

package guardtest

const defaultRounds = 100
