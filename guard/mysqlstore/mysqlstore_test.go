package mysqlstore_test

import (
	"database/sql"
	"io"
	"log"
	"os"
	"strconv"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/stateguard/stateguard/guard/internal/sqltest"
	"github.com/stateguard/stateguard/guard/mysqlstore"
)

// openDB opens the test database with clientFoundRows forced to found,
// whatever STATEGUARD_MYSQL_DSN says.
func openDB(t testing.TB, found bool) *sql.DB {
	t.Helper()
	dsn := os.Getenv("STATEGUARD_MYSQL_DSN")
	if dsn == "" {
		t.Skip("STATEGUARD_MYSQL_DSN is not set")
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("STATEGUARD_MYSQL_DSN: %v", err)
	}
	cfg.ClientFoundRows = found
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxIdleConns(40)
	t.Cleanup(func() { db.Close() })
	return db
}

func config(db *sql.DB) sqltest.Config {
	return sqltest.Config{
		DB:        db,
		New:       mysqlstore.New,
		ForUpdate: true,
		ConnID:    "SELECT CONNECTION_ID()",
		Kill:      func(id int64) string { return "KILL " + strconv.FormatInt(id, 10) },
		// The conditional UPDATE is sent before it waits on the lock.
		KillIsUnknown: true,
	}
}

// The same tests pass with and without CLIENT_FOUND_ROWS.
func TestStore(t *testing.T) {
	for _, found := range []bool{false, true} {
		t.Run("clientFoundRows="+strconv.FormatBool(found), func(t *testing.T) {
			sqltest.RunBoth(t, config(openDB(t, found)))
		})
	}
}

func init() {
	// The killed-connection tests make the driver log the lost connection.
	_ = mysql.SetLogger(log.New(io.Discard, "", 0))
}
