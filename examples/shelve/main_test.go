package main

import (
	"bytes"
	"database/sql"
	"os"
	"strings"
	"testing"
)

// requests is how many duplicate shelve requests each race sends.
const requests = 16

// dsns lists the databases to race on: SQLite always, PostgreSQL and
// MariaDB/MySQL when their variables are set.
var dsns = []struct{ name, env string }{
	{"sqlite", ""},
	{"postgres", "STATEGUARD_POSTGRES_DSN"},
	{"mysql", "STATEGUARD_MYSQL_DSN"},
}

// openTest opens the database of env (SQLite when env is empty) with the
// demo table, and closes it when t ends.
func openTest(t *testing.T, env string) *backend {
	t.Helper()
	dsn := ""
	if env != "" {
		if dsn = os.Getenv(env); dsn == "" {
			t.Skip(env + " is not set")
		}
	}
	b, err := open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	b.db.SetMaxOpenConns(requests + 2)
	b.db.SetMaxIdleConns(requests + 2)
	t.Cleanup(func() {
		if _, err := b.db.Exec("DROP TABLE " + table); err != nil {
			t.Errorf("drop table: %v", err)
		}
		if err := b.close(); err != nil {
			t.Error(err)
		}
	})
	if err := createTable(t.Context(), b.db); err != nil {
		t.Fatal(err)
	}
	return b
}

// taskState reads the server's task state ("NULL" for none).
func taskState(t *testing.T, b *backend) string {
	t.Helper()
	var ts sql.NullString
	if err := b.db.QueryRow("SELECT task_state FROM " + table + " WHERE id = 's1'").Scan(&ts); err != nil {
		t.Fatal(err)
	}
	if !ts.Valid {
		return "NULL"
	}
	return ts.String
}

func TestRace(t *testing.T) {
	for _, d := range dsns {
		t.Run(d.name, func(t *testing.T) {
			b := openTest(t, d.env)
			ctx := t.Context()

			// The naive save lets every request through: a request that
			// loaded the server already SHELVING returns early, and one
			// whose conditional UPDATE lost retries it without the
			// condition.
			naive, err := race(ctx, b, requests, naiveShelve)
			if err != nil {
				t.Fatalf("naive: %v", err)
			}
			if naive.Actions != requests || naive.Local+naive.Store != 0 {
				t.Errorf("naive: %v; want every request to run the shelve action", naive)
			}
			if got := taskState(t, b); got != string(Shelving) {
				t.Errorf("naive: task_state = %s after the race, want %s", got, Shelving)
			}

			guarded, err := race(ctx, b, requests, guardedShelve)
			if err != nil {
				t.Fatalf("guard: %v", err)
			}
			if guarded.Actions != 1 || guarded.Local+guarded.Store != requests-1 {
				t.Errorf("guard: %v; want one action and every other request refused with a conflict", guarded)
			}
			if got := taskState(t, b); got != string(Shelving) {
				t.Errorf("guard: task_state = %s after the race, want %s", got, Shelving)
			}
			t.Logf("naive: %v; guard: %v", naive, guarded)
		})
	}
}

func TestMainErr(t *testing.T) {
	var out bytes.Buffer
	if err := mainErr(t.Context(), &out, "", 8); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"naive save: 8 of 8 requests ran the shelve action",
		"guard:      1 of 8 requests ran the shelve action (",
	} {
		if !strings.Contains(out.String(), "\n"+want) {
			t.Errorf("output lacks a line starting %q:\n%s", want, out.String())
		}
	}
}

func TestMainErrBadN(t *testing.T) {
	if err := mainErr(t.Context(), new(bytes.Buffer), "", 0); err == nil {
		t.Error("mainErr with n = 0 succeeded")
	}
}
