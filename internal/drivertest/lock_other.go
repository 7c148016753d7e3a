//go:build !unix

package drivertest

import "errors"

// lock does nothing where flock is not available: run one test binary at a
// time there.
func lock(path string) (unlock func(), err error) { return func() {}, nil }

// tryLock reports failure where flock is not available, so that nothing is
// removed that another test binary may use.
func tryLock(path string) (unlock func(), err error) {
	return nil, errors.ErrUnsupported
}
