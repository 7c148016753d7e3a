package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/stateguard/stateguard/guard/internal/sqltest"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

func TestStore(t *testing.T) {
	db, err := sqlitestore.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sqltest.RunBoth(t, sqltest.Config{DB: db, New: sqlitestore.New})
}

func TestOpenErrors(t *testing.T) {
	if _, err := sqlitestore.Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	if _, err := sqlitestore.Open(filepath.Join(t.TempDir(), "missing-dir", "x.db")); err == nil {
		t.Error("Open in a missing directory succeeded")
	}
}
