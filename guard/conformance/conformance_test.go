package conformance_test

import (
	"io"
	"log"
	"os"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/stateguard/stateguard/guard/conformance"
	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/pgxstore"
)

// TestConformance runs the conformance suite against every store, as
// subtests memory, sqlite, postgres, pgx and mysql, the SQL stores over
// database/sql with the SQL cases (subtests sql/fast and sql/locked).
// Memory and SQLite always run; PostgreSQL (guard/pgstore over
// database/sql, guard/pgxstore over pgxpool) and MariaDB/MySQL run when
// STATEGUARD_POSTGRES_DSN and STATEGUARD_MYSQL_DSN are set, and MySQL runs
// both with and without clientFoundRows in its DSN.
func TestConformance(t *testing.T) {
	t.Run("memory", func(t *testing.T) { guardtest.Run(t, guardtest.Memory()) })
	t.Run("sqlite", func(t *testing.T) { guardtest.Run(t, conformance.SQLite()) })
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("STATEGUARD_POSTGRES_DSN")
		if dsn == "" {
			t.Skip("STATEGUARD_POSTGRES_DSN is not set")
		}
		guardtest.Run(t, conformance.Postgres(dsn))
	})
	t.Run("pgx", func(t *testing.T) {
		dsn := os.Getenv("STATEGUARD_POSTGRES_DSN")
		if dsn == "" {
			t.Skip("STATEGUARD_POSTGRES_DSN is not set")
		}
		guardtest.Run(t, conformance.Pgx(dsn, pgxstore.Dialect()))
	})
	t.Run("mysql", func(t *testing.T) {
		dsn := os.Getenv("STATEGUARD_MYSQL_DSN")
		if dsn == "" {
			t.Skip("STATEGUARD_MYSQL_DSN is not set")
		}
		for _, found := range []bool{false, true} {
			name := "clientFoundRows=false"
			if found {
				name = "clientFoundRows=true"
			}
			t.Run(name, func(t *testing.T) { guardtest.Run(t, conformance.MySQL(dsn, found)) })
		}
	})
}

func init() {
	// The killed-connection cases make the driver log the lost connection.
	_ = mysql.SetLogger(log.New(io.Discard, "", 0))
}
