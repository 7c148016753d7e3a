// Package mysqlstore is a guard.Store over MySQL and MariaDB through
// go-sql-driver/mysql.
//
// MySQL reports the rows an UPDATE changed, not the rows it matched, unless
// the client sets CLIENT_FOUND_ROWS (the DSN's clientFoundRows, false by
// default): a store that reads zero as "the conditions did not hold" lies
// whenever a guarded save writes the values already stored, and whether it
// lies depends on the DSN. This store is correct either way:
//
//   - A save first runs its conditional UPDATE alone. A count of one proves
//     the conditions held when the row was written, whichever rows the count
//     counts, and the save is done at the cost of a hand-written UPDATE.
//   - A count of zero proves only that nothing was written. The store then
//     opens a transaction, locks the row with SELECT ... FOR UPDATE (a
//     locking read sees the latest committed row, even under REPEATABLE
//     READ), evaluates the conditions on the locked row and, if they hold,
//     runs the UPDATE and commits; otherwise it reports the locked row's
//     values, or that the row is gone. The count is not looked at.
//   - A fence (a Write with nothing to set) takes the locked path directly.
//
// go-sql-driver/mysql closes the connection when a context is done, and the
// server may still run and commit a statement it has received: a save
// cancelled or cut off after its UPDATE was sent outside a transaction, or
// during COMMIT, reports guard.ErrOutcomeUnknown. Inside the locked
// transaction, a save cut off before COMMIT is known not to have applied
// (the server rolls the transaction back) and reports the plain error.
package mysqlstore

import (
	"errors"

	"github.com/go-sql-driver/mysql"

	"github.com/stateguard/stateguard/guard/sqlstore"
)

// Dialect returns MySQL's and MariaDB's dialect for sqlstore, for use with
// sqlstore.New or to adjust (turn its FastPath off, say).
func Dialect() sqlstore.Dialect { return dialect }

var dialect = sqlstore.Dialect{
	Name:         "mysql",
	Quote:        sqlstore.QuoteBacktick,
	Placeholder:  sqlstore.QuestionMark,
	Strategy:     sqlstore.LockFirst,
	FastPath:     true,
	ColumnsQuery: "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?",
	FoldCase:     true,
	Classify:     classify,
}

// New returns a store over q: a *sql.DB (each save runs in a transaction of
// its own), a *sql.Conn, or a *sql.Tx (each save runs inside that
// transaction, which the caller commits). It is correct whether or not the
// DSN sets clientFoundRows.
func New(q sqlstore.Querier) *sqlstore.Store {
	return sqlstore.New(q, dialect)
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
