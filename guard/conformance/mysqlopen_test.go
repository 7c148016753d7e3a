package conformance_test

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/stateguard/stateguard/guard/mysqlstore"
)

// mysqlstore.Open sets parseTime, whatever the DSN says, and leaves
// clientFoundRows as the DSN gives it: a DATETIME scans into a time.Time
// either way.
func TestMySQLOpen(t *testing.T) {
	if _, err := mysqlstore.Open("root@tcp(127.0.0.1:3306/test"); err == nil {
		t.Error("Open of a malformed DSN succeeded")
	}
	dsn := os.Getenv("STATEGUARD_MYSQL_DSN")
	if dsn == "" {
		t.Skip("STATEGUARD_MYSQL_DSN is not set")
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, found := range []bool{false, true} {
		cfg.ClientFoundRows = found
		cfg.ParseTime = false
		db, err := mysqlstore.Open(cfg.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		if n := sameValueUpdate(t, db); n != boolInt(found) {
			t.Errorf("clientFoundRows=%v: an UPDATE writing the stored value counts %d rows: Open changed the flag", found, n)
		}
		var got time.Time
		err = db.QueryRow("SELECT CAST('2026-12-01 20:15:30.123456' AS DATETIME(6))").Scan(&got)
		db.Close()
		if err != nil {
			t.Fatalf("clientFoundRows=%v: scan a DATETIME into time.Time: %v", found, err)
		}
		if want := time.Date(2026, 12, 1, 20, 15, 30, 123456000, time.UTC); !got.Equal(want) {
			t.Errorf("clientFoundRows=%v: read %v, want %v", found, got, want)
		}
	}
}

// sameValueUpdate returns the rows-affected count of an UPDATE that writes
// the value a row already holds: 1 with CLIENT_FOUND_ROWS, 0 without.
func sameValueUpdate(t *testing.T, db *sql.DB) int64 {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		"CREATE TEMPORARY TABLE sg_open_probe (id INT PRIMARY KEY, v INT)",
		"INSERT INTO sg_open_probe VALUES (1, 1)",
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	res, err := conn.ExecContext(ctx, "UPDATE sg_open_probe SET v = 1 WHERE id = 1")
	if err != nil {
		t.Fatal(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
