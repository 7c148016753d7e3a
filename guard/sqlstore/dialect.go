package sqlstore

import (
	"strconv"
	"strings"
)

// Strategy is how a Store applies a guarded write so that it can tell a
// conflict from a missing row with a read that is not stale.
type Strategy int

const (
	// UpdateFirst runs the conditional UPDATE in a transaction that holds the
	// write lock from its first statement (SQLite's BEGIN IMMEDIATE, or an
	// UPDATE as the first statement of a deferred transaction) and trusts
	// its rows-affected count, which must count matched rows. On zero rows
	// it reads the row in the same transaction, still under the lock.
	UpdateFirst Strategy = iota + 1

	// LockFirst reads the row with SELECT ... FOR UPDATE, evaluates the
	// conditions on the locked row, and only then runs the UPDATE, in one
	// transaction. It never looks at rows-affected, so it is correct on
	// MySQL and MariaDB whatever the client's CLIENT_FOUND_ROWS flag says.
	LockFirst

	// SingleStatement locks the row in a common table expression
	// (SELECT ... FOR UPDATE) and updates it from the same statement, so a
	// save costs one round trip and the reported values are those of the
	// locked row (PostgreSQL).
	SingleStatement
)

// ErrorKind classifies a driver error for the Store.
type ErrorKind int

const (
	// ErrOther is any error not listed below. Outside a transaction, after a
	// statement was sent, it is treated as "the outcome is unknown".
	ErrOther ErrorKind = iota
	// ErrDefinite is an error the server returned for a statement it
	// rejected as a whole, on a connection that is still sound: nothing the
	// statement wrote can commit.
	ErrDefinite
	// ErrDuplicate is a unique or primary key violation (also definite).
	ErrDuplicate
	// ErrUndefined is an unknown table or column (also definite).
	ErrUndefined
)

// A Dialect describes one SQL database to the Store: how it quotes names and
// numbers parameters, how it applies a guarded write, how it lists a table's
// columns and how its driver's errors read. The dialects in use live in
// guard/sqlitestore, guard/pgstore and guard/mysqlstore.
type Dialect struct {
	// Name names the dialect in error messages ("sqlite", "postgres", ...).
	Name string

	// Quote returns name quoted as an identifier.
	Quote func(name string) string

	// Placeholder returns the n-th (1-based) parameter marker.
	Placeholder func(n int) string

	// Strategy is how Apply makes its conditional write and classifies one
	// that does not apply.
	Strategy Strategy

	// FastPath makes Apply try the bare conditional UPDATE first, on its
	// own, whenever the Write has something to set. A positive
	// rows-affected count proves the conditions held when the row was
	// written, whatever the count means (matched rows, or MySQL's changed
	// rows), so the save is done at the cost of a hand-written UPDATE. Zero
	// proves only that nothing was written, so Apply then runs Strategy,
	// which applies the same Write or classifies it from a locked read.
	FastPath bool

	// WaitInTx makes Apply skip the fast path when its context can end
	// (ctx.Done() is not nil) and take the write lock in a transaction of
	// its own instead. It is for a driver that answers a statement during
	// which the context ended with the context's error, whether or not the
	// statement ran and committed (modernc.org/sqlite): a fast-path UPDATE
	// interrupted while it waits for the lock could only be reported as of
	// unknown outcome, whereas a wait at BEGIN, or a statement inside the
	// transaction, that is interrupted is known not to have committed.
	WaitInTx bool

	// LatestRead is set when the fast-path UPDATE finds the row it
	// examines as last committed, waiting for another writer's lock
	// first: SQLite's UPDATE holds the database's write lock (InnoDB's
	// UPDATE, a current read, does too). When such an
	// UPDATE writes nothing, Apply explains it from a plain read of the
	// row, taking no lock, and goes to the locked path only when that read
	// finds the conditions holding. PostgreSQL's UPDATE skips a row whose
	// snapshot version breaks the conditions without waiting for the
	// transaction that holds its lock, which may be about to commit a
	// version that holds them: there the locked path waits for it.
	LatestRead bool

	// WaitRead, with LatestRead, makes that plain read a locking one
	// (FOR UPDATE) run as a statement of its own: it waits for a
	// transaction that holds the row, reads what it committed, and
	// releases the lock as the statement ends. When the conditions hold
	// on it, Apply sends the UPDATE once more before it takes the locked
	// path. Under contention the row is mostly held by the next winner,
	// which often moves it back to the state a loser expects: waiting
	// for it turns such a loser into a winner without holding the lock
	// across round trips, as the locked path's transaction does. On
	// MariaDB a plain read and Resend did better: each locking read
	// queues for the row's lock with the winners' UPDATEs.
	WaitRead bool

	// Resend, with LatestRead, is how many times Apply sends a fast-path
	// UPDATE that wrote nothing once more, each time the fresh read that
	// follows it finds the conditions holding, before it takes the locked
	// path (WaitRead alone sends it once). Under contention a row that
	// flips between states is often back in the one a loser expects: one
	// more UPDATE, a round trip that holds the row's lock only while it
	// runs, wins it more cheaply than the locked path's transaction,
	// which holds the lock across round trips. Each such read proves the
	// row changed since the UPDATE (or that MySQL counted changed rows and
	// the values set were already stored, which the locked path settles).
	Resend int

	// Prepare is how many statement texts a Store over a *sql.DB keeps
	// prepared (*sql.Stmt, prepared on each connection as it is used);
	// 0 prepares none. A Store's statements are few texts sent many
	// times, and a prepared one is not parsed again: SQLite parses on the
	// caller's CPU, and go-sql-driver/mysql otherwise prepares, runs and
	// closes a statement for every call (two round trips). Each text
	// prepared holds a statement on each connection of the pool until it
	// closes (MySQL limits them all with max_prepared_stmt_count).
	Prepare int

	// Unprepared, when set, reports whether an error of a prepared
	// statement is the database refusing to prepare it on a connection,
	// before anything ran (MySQL's max_prepared_stmt_count reached): the
	// Store then runs the statement unprepared.
	Unprepared func(err error) bool

	// NoWriteCommit, for the SingleStatement strategy, is an expression
	// that the statement evaluates when it wrote nothing (a conflict, a
	// fence) and runs on its own, outside the caller's transaction, so
	// that its commit does not wait for the log to be flushed: all it
	// wrote is the row lock, which no crash needs to keep
	// (PostgreSQL: set_config('synchronous_commit', 'off', true), local
	// to the statement's own transaction). Under contention the saves
	// that lose wait for the row lock in turn, and each would otherwise
	// hold it across a flush of the log.
	NoWriteCommit string

	// Changes, when set, is a query that returns the number of rows the
	// connection's last completed INSERT, UPDATE or DELETE wrote, and 0
	// after one that failed or was interrupted, even while it waited for a
	// lock (SQLite's SELECT changes()). It is for a driver that answers a
	// statement during which the context ended with the context's error,
	// whether or not the statement ran and committed (modernc.org/sqlite).
	// With it, a save over a *sql.DB or *sql.Conn whose context can end
	// runs its fast-path UPDATE on a connection of its own and, when the
	// driver answers with the context's error, asks that connection: 0
	// means the UPDATE wrote nothing and the error is definite; anything
	// else is of unknown outcome. It costs a connection checked out of the
	// pool for the save, where WaitInTx costs a transaction.
	Changes string

	// ColumnsQuery lists the column names of the table named by its only
	// parameter, in the current schema; no row means no such table. It may
	// return a second column, a boolean: whether the column's values are
	// compared through Exact.
	ColumnsQuery string

	// FoldCase is set when the database matches column names without
	// regard to case.
	FoldCase bool

	// Arg, when set, converts every argument before it is sent (SQLite
	// sends times as text of one fixed form, so that equal instants are
	// equal text).
	Arg func(v any) any

	// Exact, when set, wraps an expression (a column, or a parameter
	// marker) so that comparing two wrapped expressions with = or IN is
	// exact: byte for byte, whatever the column's collation says of case,
	// trailing spaces or Unicode forms. It is applied to the conditions on
	// the columns that ColumnsQuery marks (its second result column, when
	// it has one, true for a column compared by a collation); other
	// columns, and the key, are compared as they are, so that numbers,
	// times and indexes behave as the database makes them.
	Exact func(expr string) string

	// Classify tells what a driver error means; nil means ErrOther always.
	Classify func(err error) ErrorKind
}

// QuoteDouble quotes an identifier with double quotes, as standard SQL,
// PostgreSQL and SQLite do.
func QuoteDouble(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteBacktick quotes an identifier with backticks, as MySQL and MariaDB do.
func QuoteBacktick(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// QuestionMark returns "?" whatever n is.
func QuestionMark(int) string { return "?" }

// DollarN returns "$n".
func DollarN(n int) string { return "$" + strconv.Itoa(n) }

// resends is how many times a lost fast-path UPDATE is sent again.
func (d *Dialect) resends() int {
	if d.WaitRead && d.Resend < 1 {
		return 1
	}
	return max(d.Resend, 0)
}

func (d *Dialect) classify(err error) ErrorKind {
	if d.Classify == nil || err == nil {
		return ErrOther
	}
	return d.Classify(err)
}
