package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/stateguard/stateguard/guard/internal/sqltest"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

func BenchmarkStore(b *testing.B) {
	db, err := sqlitestore.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	sqltest.Bench(b, sqltest.Config{DB: db, New: sqlitestore.New})
}
