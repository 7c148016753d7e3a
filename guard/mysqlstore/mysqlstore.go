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
//     reads the row with a plain SELECT of its own, which takes no lock and,
//     as a statement of its own, sees every commit before it, the one the
//     UPDATE looked at included. If the row is gone, or its values break a
//     condition, that is the answer, at the cost of one more round trip.
//   - If the row read satisfies the conditions (it came back to the
//     expected state since the UPDATE, or MySQL counted changed rows and
//     the values set were already stored), the UPDATE is sent again, and
//     read again after, up to three times (Dialect.Resend). Then the store
//     opens a transaction, locks the row with SELECT ... FOR UPDATE (a
//     locking read sees the latest committed row, even under REPEATABLE
//     READ), evaluates the conditions on the locked row and, if they hold,
//     runs the UPDATE and commits; otherwise it reports the locked row's
//     values, or that the row is gone. The count is not looked at.
//   - A fence (a Write with nothing to set) takes the locked path directly.
//
// The store's statements run prepared (Dialect.Prepare: up to 16 texts,
// one per write shape and table, each prepared on a connection as it is
// used, in the locked path's transactions too), one round trip each where
// the driver otherwise prepares, runs and closes every statement. They count against the server's
// max_prepared_stmt_count; should it be reached, the statement runs
// unprepared.
//
// A condition on a column with a collation (CHAR, VARCHAR, TEXT, ENUM, SET)
// compares the values' bytes, not by the collation: with the default
// utf8mb4_general_ci, "SHELVING", "shelving " and "shelving" would be equal,
// and a compare-and-swap must tell them apart, as guard and the other stores
// do. Conditions on other columns, and the key, compare as MySQL does.
//
// Open a database with Open, which sets parseTime; a *sql.DB opened
// otherwise needs parseTime=true in its DSN for time.Time fields.
//
// go-sql-driver/mysql closes the connection when a context is done, and the
// server may still run and commit a statement it has received: a save
// cancelled or cut off after its UPDATE was sent outside a transaction, or
// during COMMIT, reports guard.ErrOutcomeUnknown. Inside the locked
// transaction, a save cut off before COMMIT is known not to have applied
// (the server rolls the transaction back) and reports the plain error.
package mysqlstore

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/go-sql-driver/mysql"

	"github.com/stateguard/stateguard/guard/sqlstore"
)

// Dialect returns MySQL's and MariaDB's dialect for sqlstore, for use with
// sqlstore.New or to adjust (turn its FastPath off, say).
func Dialect() sqlstore.Dialect { return dialect }

var dialect = sqlstore.Dialect{
	Name:        "mysql",
	Quote:       sqlstore.QuoteBacktick,
	Placeholder: sqlstore.QuestionMark,
	Strategy:    sqlstore.LockFirst,
	FastPath:    true,
	// InnoDB's UPDATE reads the row under its lock, as last committed: a
	// save that lost learns why from a plain read of its own (a statement
	// of its own sees every commit before it), which takes no lock. When
	// the row read satisfies the conditions, the UPDATE is sent again, up
	// to three times, before the locked path (see Resend).
	LatestRead: true,
	Resend:     3,
	// The store's statements run prepared: one round trip each, where the
	// driver otherwise prepares, runs and closes every statement.
	Prepare:    16,
	Unprepared: unprepared,
	// A column with a collation (CHAR, VARCHAR, TEXT, ENUM, SET) compares
	// by it: case-insensitively, with trailing spaces ignored, Unicode forms
	// folded, as the collation says. A compare-and-swap compares exactly.
	ColumnsQuery: "SELECT column_name, collation_name IS NOT NULL FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?",
	FoldCase:     true,
	Exact:        exact,
	Classify:     classify,
}

// exact compares the bytes of e's value in utf8mb4, into which every
// character set converts: a binary string compares byte for byte, and
// without padding.
func exact(e string) string { return "CAST(CONVERT(" + e + " USING utf8mb4) AS BINARY)" }

// Open parses dsn, go-sql-driver/mysql's data source name
//
//	[user[:password]@][protocol[(address)]]/dbname[?param1=value1&...]
//
// (for example "app:secret@tcp(127.0.0.1:3306)/inventory"), sets what the
// store relies on and returns a *sql.DB: parseTime=true, so that DATETIME,
// DATE and TIMESTAMP columns scan into time.Time (times are sent and read
// in the DSN's loc, UTC unless it names another). The store is correct
// whether or not the DSN sets clientFoundRows, and Open leaves it as given.
func Open(dsn string) (*sql.DB, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("mysqlstore: %w", err)
	}
	cfg.ParseTime = true
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("mysqlstore: %w", err)
	}
	return sql.OpenDB(conn), nil
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

// errMaxPreparedStmts is the server refusing to prepare one more
// statement (max_prepared_stmt_count reached).
const errMaxPreparedStmts = 1461

func unprepared(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == errMaxPreparedStmts
}

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
