// Package mysqlstore is a guard.Store over MySQL and MariaDB through
// go-sql-driver/mysql.
//
// MySQL reports the rows an UPDATE changed, not the rows it matched, unless
// the client sets CLIENT_FOUND_ROWS (the DSN's clientFoundRows, false by
// default): a guarded save that writes the values already stored would look
// like a conflict, and a store that trusts the count lies one way or the
// other depending on the DSN. This store never reads the count. Each save is
// one transaction that locks the row with SELECT ... FOR UPDATE (a locking
// read sees the latest committed row even under REPEATABLE READ), evaluates
// the expected states on the locked row, and only then runs the UPDATE. A
// conflict therefore reports the row's true current state, and a deleted row
// is told apart from a conflict.
//
// go-sql-driver/mysql closes the connection when a context is done; the
// server then rolls back the open transaction. Since the UPDATE is sent only
// once the row is locked and the transaction commits only after it, a save
// cancelled or cut off before its COMMIT is known not to have applied; a
// failed COMMIT reports guard.ErrOutcomeUnknown.
package mysqlstore

import (
	"errors"

	"github.com/go-sql-driver/mysql"

	"github.com/stateguard/stateguard/guard/sqlstore"
)

// Dialect is MySQL's and MariaDB's dialect for sqlstore.
var Dialect = sqlstore.Dialect{
	Name:         "mysql",
	Quote:        sqlstore.QuoteBacktick,
	Placeholder:  sqlstore.QuestionMark,
	Strategy:     sqlstore.LockFirst,
	ColumnsQuery: "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?",
	FoldCase:     true,
	Classify:     classify,
}

// New returns a store over q: a *sql.DB (each save runs in a transaction of
// its own), a *sql.Conn, or a *sql.Tx (each save runs inside that
// transaction, which the caller commits). It is correct whether or not the
// DSN sets clientFoundRows.
func New(q sqlstore.Querier) *sqlstore.Store {
	return sqlstore.New(q, Dialect)
}

// Server error numbers the store tells apart.
const (
	errDupEntry         = 1062
	errNoSuchTable      = 1146
	errBadField         = 1054
	errServerShutdown   = 1053
	errConnectionKilled = 1927 // MariaDB
)

func classify(err error) sqlstore.ErrorKind {
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		return sqlstore.ErrOther
	}
	switch me.Number {
	case errDupEntry:
		return sqlstore.ErrDuplicate
	case errNoSuchTable, errBadField:
		return sqlstore.ErrUndefined
	case errServerShutdown, errConnectionKilled:
		return sqlstore.ErrOther
	}
	// The server rejected the statement and answered on a live connection.
	return sqlstore.ErrDefinite
}
