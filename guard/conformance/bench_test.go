package conformance_test

import (
	"os"
	"testing"

	"github.com/stateguard/stateguard/guard/conformance"
	"github.com/stateguard/stateguard/guard/guardtest"
)

// BenchmarkStore runs the store benchmarks (guardtest.Bench) on every SQL
// store over database/sql, as sub-benchmarks sqlite, postgres and mysql,
// and the same benchmarks over pgx (sub-benchmark pgx, benchPgx);
// PostgreSQL and MariaDB/MySQL run when their DSN is set. The memory store's benchmarks
// are package guard's.
func BenchmarkStore(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { guardtest.Bench(b, conformance.SQLite()) })
	b.Run("postgres", func(b *testing.B) {
		dsn := os.Getenv("STATEGUARD_POSTGRES_DSN")
		if dsn == "" {
			b.Skip("STATEGUARD_POSTGRES_DSN is not set")
		}
		guardtest.Bench(b, conformance.Postgres(dsn))
	})
	b.Run("pgx", benchPgx)
	b.Run("mysql", func(b *testing.B) {
		dsn := os.Getenv("STATEGUARD_MYSQL_DSN")
		if dsn == "" {
			b.Skip("STATEGUARD_MYSQL_DSN is not set")
		}
		guardtest.Bench(b, conformance.MySQL(dsn, false))
	})
}
