package pgstore_test

import (
	"testing"

	"github.com/stateguard/stateguard/guard/pgstore"
)

func TestOpenBadDSN(t *testing.T) {
	if _, err := pgstore.Open("postgres://%zz"); err == nil {
		t.Error("Open of a malformed DSN succeeded")
	}
}
