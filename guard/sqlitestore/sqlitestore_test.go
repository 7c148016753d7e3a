package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/stateguard/stateguard/guard/sqlitestore"
)

func TestOpenErrors(t *testing.T) {
	if _, err := sqlitestore.Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	if _, err := sqlitestore.Open(filepath.Join(t.TempDir(), "missing-dir", "x.db")); err == nil {
		t.Error("Open in a missing directory succeeded")
	}
}
