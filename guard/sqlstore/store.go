// Package sqlstore is the database/sql machinery shared by the SQL stores of
// package guard: it builds the conditional statements (with NULL handled as
// a state of its own), checks tables and columns before writing, classifies
// a write that did not apply from a read that is not stale, and tells a
// failed write from one whose outcome is unknown.
//
// Most programs use it through guard/sqlitestore, guard/pgstore or
// guard/mysqlstore, which supply the Dialect and open the database with the
// settings the dialect relies on. A store over a driver's own API rather
// than database/sql runs the same engine through Conn (NewConn):
// guard/pgxstore does so for pgx.
//
// Table and column names are single identifiers, quoted as they are
// spelled: "billing.invoices" names a table called billing.invoices, not
// the table invoices of schema billing. To use another schema, put it on
// the connection's search path (PostgreSQL) or select its database
// (MySQL).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/stateguard/stateguard/guard"
)

// Querier is what a Store runs its statements on. *sql.DB, *sql.Conn and
// *sql.Tx satisfy it.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// beginner is a Querier that can start transactions (*sql.DB, *sql.Conn).
type beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Store is a guard.Store over a SQL database. It is safe for concurrent use
// when its Querier is (a *sql.DB is; a *sql.Tx or *sql.Conn is not).
//
// Over a *sql.DB or *sql.Conn, each Apply is atomic on its own: it commits
// before it returns Applied. Over a *sql.Tx (see WithTx), Apply runs inside
// the caller's transaction and the caller's Commit decides; the row locks it
// takes are held until then.
type Store struct {
	q      Conn
	begin  Beginner // nil: q is the caller's transaction
	d      *Dialect
	schema *schemaCache
	idents *identCache
	stmts  *stmtCache // conditional UPDATEs, by write shape
	loads  *stmtCache // Load's SELECTs, by table, key and columns
	pool   connPool   // the *sql.DB or *sql.Conn under q, for Dialect.Changes
}

var _ guard.Store = (*Store)(nil)

// New returns a Store that runs on q with dialect d.
func New(q Querier, d Dialect) *Store {
	if q == nil || isNil(q) {
		return newStore(nil, d)
	}
	if _, isTx := q.(*sql.Tx); !isTx {
		if b, ok := q.(beginner); ok {
			s := newStore(sqlBeginner{sqlConn{q}, b}, d)
			switch q := q.(type) {
			case *sql.DB:
				s.pool = q
				if d.Prepare > 0 {
					s.q = newPreparedDB(q, s.d)
					s.begin = s.q.(Beginner)
				}
			case *sql.Conn:
				s.pool = oneConn{q}
			}
			return s
		}
	}
	return newStore(sqlConn{q}, d)
}

// newStore returns a Store that runs on q (nil: none, every call fails).
func newStore(q Conn, d Dialect) *Store {
	if d.Quote == nil {
		d.Quote = QuoteDouble
	}
	if d.Placeholder == nil {
		d.Placeholder = QuestionMark
	}
	if d.Strategy == 0 {
		d.Strategy = LockFirst
	}
	s := &Store{q: q, d: &d, schema: &schemaCache{tables: map[string]*tableCols{}}, idents: &identCache{},
		stmts: &stmtCache{m: map[string]string{}}, loads: &stmtCache{m: map[string]string{}}}
	s.begin, _ = q.(Beginner)
	return s
}

// WithTx returns a Store that runs inside tx, sharing s's dialect and the
// column sets it has read. A save through it is part of tx: it commits or
// rolls back with tx.
func (s *Store) WithTx(tx *sql.Tx) *Store {
	if tx == nil {
		return s.WithConn(nil)
	}
	return s.WithConn(sqlConn{tx})
}

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect {
	if s == nil || s.d == nil {
		return Dialect{}
	}
	return *s.d
}

// errNoQuerier is returned by a Store made over a nil Querier.
var errNoQuerier = errors.New("sqlstore: store has no database (a nil *sql.DB, *sql.Conn, *sql.Tx or Conn)")

func (s *Store) usable() error {
	if s == nil || s.q == nil || isNil(s.q) {
		return errNoQuerier
	}
	if s.d == nil {
		return errors.New("sqlstore: Store not made by New")
	}
	return nil
}

// Apply implements guard.Store.
func (s *Store) Apply(ctx context.Context, w *guard.Write) (guard.Result, error) {
	if err := s.usable(); err != nil {
		return guard.Result{}, err
	}
	if w == nil {
		return guard.Result{}, errors.New("sqlstore: Apply: nil Write")
	}
	if err := ctx.Err(); err != nil {
		return guard.Result{}, s.notSent(ctx, "apply to", w.Table, err)
	}
	if err := s.validate(w); err != nil {
		return guard.Result{}, err
	}
	var keyBuf [256]byte
	text, known := s.stmts.get(shapeKey(keyBuf[:0], w, s.exactCols(w.Table), s.d.FoldCase))
	if !known {
		if err := s.checkColumns(ctx, w.Table, writeColumns(w)); err != nil {
			return guard.Result{}, err
		}
	}
	if s.d.FastPath && len(w.Set) > 0 && s.d.Changes != "" && ctx.Done() != nil && s.pool != nil {
		if res, done, err := s.applyProbed(ctx, w, text, known); done || err != nil {
			return res, err
		}
	} else if s.d.FastPath && len(w.Set) > 0 && (!s.d.WaitInTx || ctx.Done() == nil || s.begin == nil) {
		var args []any
		if known {
			args = updateArgs(s.d, w)
		} else {
			text, args = s.updateStatement(w)
		}
		n, err := s.exec(ctx, s.q, text, args)
		switch {
		case err != nil:
			return guard.Result{}, s.sent(ctx, "apply to", w.Table, err)
		case n == 1:
			return guard.Result{Outcome: guard.Applied}, nil
		case n > 1:
			return guard.Result{}, fmt.Errorf("sqlstore: apply to %s: key %s is not unique: %d rows written", w.Table, keyString(w.Key), n)
		}
		// Nothing was written. A loser of a race learns it from a fresh
		// read; only when the row read satisfies the conditions is the
		// UPDATE sent again (Dialect.Resend), and then the write goes to
		// the locked path.
		for resend := s.d.resends(); ; resend-- {
			res, done, stored, err := s.freshRead(ctx, s.q, w)
			if done || err != nil {
				return res, err
			}
			if resend == 0 || stored || s.begin == nil || !s.d.LatestRead {
				break
			}
			// The row read satisfies the conditions: it changed back
			// since the UPDATE (or MySQL counted changed rows and the
			// values set were already stored). Send the UPDATE again.
			n, err := s.exec(ctx, s.q, text, updateArgs(s.d, w))
			switch {
			case err != nil:
				return guard.Result{}, s.sent(ctx, "apply to", w.Table, err)
			case n == 1:
				return guard.Result{Outcome: guard.Applied}, nil
			case n > 1:
				return guard.Result{}, fmt.Errorf("sqlstore: apply to %s: key %s is not unique: %d rows written", w.Table, keyString(w.Key), n)
			}
		}
	}
	if s.d.Strategy == SingleStatement {
		return s.applyStatement(ctx, w)
	}
	return s.applyTx(ctx, w)
}

// Load implements guard.Store.
func (s *Store) Load(ctx context.Context, table string, key []guard.Value, cols []guard.Column) ([]any, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, s.notSent(ctx, "load from", table, err)
	}
	if table == "" || len(key) == 0 {
		return nil, fmt.Errorf("sqlstore: load: %s", missing(table))
	}
	text, args, err := s.loadStatement(ctx, table, key, cols)
	if err != nil {
		return nil, err
	}
	dest, vals := scanTargets(cols)
	if len(cols) == 0 {
		dest = []any{new(int64)}
	}
	err = queryRow(ctx, s.q, dest, text, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlstore: load from %s %s: %w", table, keyString(key), guard.ErrNotFound)
	}
	if err != nil {
		return nil, s.failed(ctx, "load from", table, err)
	}
	return vals(), nil
}

// Insert implements guard.Store.
func (s *Store) Insert(ctx context.Context, table string, values []guard.Value) error {
	if err := s.usable(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return s.notSent(ctx, "insert into", table, err)
	}
	if table == "" || len(values) == 0 {
		return fmt.Errorf("sqlstore: insert: %s", missing(table))
	}
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = v.Column
	}
	if err := s.checkColumns(ctx, table, names); err != nil {
		return err
	}
	b := s.newBuilder()
	b.str("INSERT INTO ").ident(table).str(" (")
	for i, v := range values {
		if i > 0 {
			b.str(", ")
		}
		b.ident(v.Column)
	}
	b.str(") VALUES (")
	for i, v := range values {
		if i > 0 {
			b.str(", ")
		}
		b.arg(v.Value)
	}
	b.str(")")
	_, err := s.q.ExecContext(ctx, b.sb.String(), b.args...)
	if err == nil {
		return nil
	}
	if s.d.classify(err) == ErrDuplicate {
		return fmt.Errorf("sqlstore: insert into %s: %w: %w", table, guard.ErrExists, err)
	}
	return s.sent(ctx, "insert into", table, err)
}

// applyTx applies w with the UpdateFirst or LockFirst strategy, in a
// transaction of its own or in the caller's.
func (s *Store) applyTx(ctx context.Context, w *guard.Write) (guard.Result, error) {
	if s.begin == nil { // the caller's transaction: the caller commits
		res, _, err := s.steps(ctx, s.q, w)
		if err != nil {
			return guard.Result{}, s.failed(ctx, "apply to", w.Table, err)
		}
		return res, nil
	}
	tx, err := s.begin.BeginTx(ctx)
	if err != nil {
		return guard.Result{}, s.notSent(ctx, "apply to", w.Table, err)
	}
	res, wrote, err := s.steps(ctx, tx, w)
	if err != nil || !wrote {
		// Nothing of this transaction can commit: whatever was sent is
		// rolled back (by us, or by the server when the connection is gone),
		// so the outcome is known.
		_ = tx.Rollback()
		if err != nil {
			return guard.Result{}, s.failed(ctx, "apply to", w.Table, err)
		}
		return res, nil
	}
	if err := tx.Commit(); err != nil {
		return guard.Result{}, s.unknown(ctx, "commit of", w.Table, err)
	}
	return res, nil
}

// steps runs the statements of the UpdateFirst or LockFirst strategy on q
// and reports whether it wrote anything.
func (s *Store) steps(ctx context.Context, q Conn, w *guard.Write) (res guard.Result, wrote bool, err error) {
	if s.d.Strategy == UpdateFirst && len(w.Set) > 0 {
		n, err := s.update(ctx, q, w)
		if err != nil {
			return res, false, err
		}
		switch {
		case n == 1:
			return guard.Result{Outcome: guard.Applied}, true, nil
		case n > 1:
			return res, false, fmt.Errorf("key %s matches %d rows", keyString(w.Key), n)
		}
	}
	found, ok, actual, err := s.read(ctx, q, w, s.d.Strategy == LockFirst)
	switch {
	case err != nil:
		return res, false, err
	case !found:
		return guard.Result{Outcome: guard.NotFound}, false, nil
	case !ok:
		return guard.Result{Outcome: guard.Mismatch, Actual: actual}, false, nil
	case len(w.Set) == 0:
		// A fence: the conditions held on the locked row.
		return guard.Result{Outcome: guard.Applied}, false, nil
	case s.d.Strategy == UpdateFirst:
		// The update matched nothing yet the locked row satisfies the
		// conditions: report it, the caller may retry the same Write.
		return guard.Result{Outcome: guard.Mismatch, Actual: actual}, false, nil
	}
	// LockFirst: the row is locked and satisfies the conditions. The UPDATE
	// repeats them; its rows-affected count is not looked at, since MySQL
	// counts changed rows unless the client set CLIENT_FOUND_ROWS.
	if _, err := s.update(ctx, q, w); err != nil {
		return res, false, err
	}
	return guard.Result{Outcome: guard.Applied}, true, nil
}

// update runs the conditional UPDATE and returns its rows-affected count.
func (s *Store) update(ctx context.Context, q Conn, w *guard.Write) (int64, error) {
	text, args := s.updateStatement(w)
	return s.exec(ctx, q, text, args)
}

// exec runs a statement and returns its rows-affected count.
func (s *Store) exec(ctx context.Context, q Conn, text string, args []any) (int64, error) {
	r, err := q.ExecContext(ctx, text, args...)
	if err != nil {
		return 0, err
	}
	return r.RowsAffected()
}

// read reads w.Read of the row and whether w.Where holds on it, locking the
// row when lock is set.
func (s *Store) read(ctx context.Context, q Conn, w *guard.Write, lock bool) (found, ok bool, actual []any, err error) {
	b := s.writeBuilder(w.Table)
	b.str("SELECT ").check("", w.Where)
	if len(w.Read) > 0 {
		b.str(", ").cols("", w.Read)
	}
	b.str(" FROM ").ident(w.Table).str(" WHERE ").key("", w.Key)
	if lock {
		b.str(" FOR UPDATE")
	}
	rows, err := q.QueryContext(ctx, b.sb.String(), b.args...)
	if err != nil {
		return false, false, nil, err
	}
	defer rows.Close()
	dest, vals := scanTargets(w.Read)
	var check int64
	dest = append([]any{&check}, dest...)
	n := 0
	for rows.Next() {
		if n++; n > 1 {
			return false, false, nil, fmt.Errorf("key %s matches more than one row", keyString(w.Key))
		}
		if err := rows.Scan(dest...); err != nil {
			return false, false, nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return false, false, nil, err
	}
	if n == 0 {
		return false, false, nil, nil
	}
	return true, check == 1, vals(), nil
}

// applyStatement applies w with one statement: a CTE locks the row and
// evaluates the conditions on it, an UPDATE in a second CTE writes it when
// they hold, and the outer SELECT reports both.
func (s *Store) applyStatement(ctx context.Context, w *guard.Write) (guard.Result, error) {
	const cur = "sg_cur"
	b := s.writeBuilder(w.Table)
	b.str("WITH ").ident(cur).str(" AS (SELECT ").check("", w.Where).str(" AS sg_ok")
	for i, c := range w.Read {
		b.str(", ").ident(c.Name).str(fmt.Sprintf(" AS sg_%d", i))
	}
	b.str(" FROM ").ident(w.Table).str(" WHERE ").key("", w.Key).str(" FOR UPDATE)")
	if len(w.Set) > 0 {
		// The UPDATE does not repeat the conditions: they were evaluated on
		// the locked row, the newest version, which stays as it is until
		// this statement's transaction ends. Repeated here they would be
		// evaluated on the statement's snapshot, which may predate the
		// version the lock was granted on, and filter out a row whose
		// locked version satisfies them.
		b.str(", sg_upd AS (UPDATE ").ident(w.Table).str(" SET ").set(w.Set).
			str(" FROM ").ident(cur).str(" WHERE ").ident(cur).str(".sg_ok = 1 AND ").
			key(w.Table, w.Key).str(" RETURNING 1)")
		b.str(" SELECT sg_ok, (SELECT count(*) FROM sg_upd)")
	} else {
		b.str(" SELECT sg_ok, sg_ok")
	}
	for i := range w.Read {
		b.str(fmt.Sprintf(", sg_%d", i))
	}
	// Over a statement of its own, one that wrote nothing but the row
	// lock commits without waiting for the log (Dialect.NoWriteCommit).
	relax := s.d.NoWriteCommit != "" && s.begin != nil
	if relax && len(w.Set) > 0 {
		b.str(", CASE WHEN (SELECT count(*) FROM sg_upd) = 0 THEN ").str(s.d.NoWriteCommit).str(" END")
	} else if relax {
		b.str(", ").str(s.d.NoWriteCommit)
	}
	b.str(" FROM ").ident(cur)

	fail := func(err error) (guard.Result, error) {
		return guard.Result{}, s.sent(ctx, "apply to", w.Table, err)
	}
	rows, err := s.q.QueryContext(ctx, b.sb.String(), b.args...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	dest, vals := scanTargets(w.Read)
	var ok, updated int64
	dest = append([]any{&ok, &updated}, dest...)
	if relax {
		dest = append(dest, new(any))
	}
	n := 0
	for rows.Next() {
		n++
		if err := rows.Scan(dest...); err != nil {
			return fail(err)
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	switch {
	case n == 0:
		return guard.Result{Outcome: guard.NotFound}, nil
	case n > 1:
		err := fmt.Errorf("sqlstore: apply to %s: key %s matches %d rows", w.Table, keyString(w.Key), n)
		if updated > 0 {
			err = fmt.Errorf("%w: %w", guard.ErrOutcomeUnknown, err)
		}
		return guard.Result{}, err
	case updated >= 1:
		return guard.Result{Outcome: guard.Applied}, nil
	}
	return guard.Result{Outcome: guard.Mismatch, Actual: vals()}, nil
}

// sent wraps err, from a statement that was sent on its own (outside a
// transaction of the store's): unless the caller's transaction decides, or
// the server rejected the statement on a sound connection, the statement
// may have committed.
func (s *Store) sent(ctx context.Context, op, table string, err error) error {
	if s.begin == nil || s.d.classify(err) != ErrOther {
		return s.failed(ctx, op, table, err)
	}
	return s.unknown(ctx, op, table, err)
}

// notSent wraps err, which happened before any statement of the operation
// reached the server.
func (s *Store) notSent(ctx context.Context, op, table string, err error) error {
	return s.failed(ctx, op, table, err)
}

// failed wraps err, after which nothing the operation sent can commit.
func (s *Store) failed(ctx context.Context, op, table string, err error) error {
	if s.d.classify(err) == ErrUndefined {
		s.schema.forget(table)
		return fmt.Errorf("sqlstore: %s %s: %w: %w", op, table, guard.ErrUnknownColumn, err)
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("sqlstore: %s %s: %w: %w", op, table, cerr, err)
	}
	return fmt.Errorf("sqlstore: %s %s: %w", op, table, err)
}

// unknown wraps err, after which the write may or may not have committed.
func (s *Store) unknown(ctx context.Context, op, table string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("sqlstore: %s %s: %w: %w: %w", op, table, guard.ErrOutcomeUnknown, cerr, err)
	}
	return fmt.Errorf("sqlstore: %s %s: %w: %w", op, table, guard.ErrOutcomeUnknown, err)
}

// validate refuses a malformed Write before any I/O.
func (s *Store) validate(w *guard.Write) error {
	if w.Table == "" || len(w.Key) == 0 {
		return fmt.Errorf("sqlstore: apply: %s", missing(w.Table))
	}
	for _, c := range w.Where {
		if c.Column == "" {
			return fmt.Errorf("sqlstore: apply to %s: condition without a column", w.Table)
		}
		if !c.Null && len(c.Values) == 0 {
			return fmt.Errorf("sqlstore: apply to %s: condition on %s expects no value and not NULL, so it can never hold", w.Table, c.Column)
		}
	}
	return nil
}

func missing(table string) string {
	if table == "" {
		return "no table"
	}
	return "no key or values for table " + table
}

// writeColumns lists every column w names.
func writeColumns(w *guard.Write) []string {
	names := make([]string, 0, len(w.Key)+len(w.Set)+len(w.Where)+len(w.Read))
	for _, v := range w.Key {
		names = append(names, v.Column)
	}
	for _, v := range w.Set {
		names = append(names, v.Column)
	}
	for _, c := range w.Where {
		names = append(names, c.Column)
	}
	for _, c := range w.Read {
		names = append(names, c.Name)
	}
	return names
}

// scanTargets returns scan destinations of the columns' types and a function
// that returns the scanned values.
func scanTargets(cols []guard.Column) (dest []any, values func() []any) {
	dest = make([]any, len(cols), len(cols)+2)
	for i, c := range cols {
		if c.Type == nil {
			dest[i] = new(any)
		} else {
			dest[i] = reflect.New(c.Type).Interface()
		}
	}
	return dest, func() []any {
		out := make([]any, len(dest))
		for i, d := range dest {
			out[i] = reflect.ValueOf(d).Elem().Interface()
		}
		return out
	}
}

func keyString(key []guard.Value) string {
	var sb strings.Builder
	sb.WriteString("(")
	for i, k := range key {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%s=%v", k.Column, k.Value)
	}
	sb.WriteString(")")
	return sb.String()
}

// schemaCache remembers the column sets of the tables a Store has checked.
type schemaCache struct {
	mu     sync.RWMutex
	tables map[string]*tableCols
}

// tableCols is what a Store knows of a table's columns.
type tableCols struct {
	cols  map[string]bool // every column (folded to lower case with FoldCase)
	exact map[string]bool // those compared through Dialect.Exact
}

func (c *schemaCache) get(table string) *tableCols {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.tables[table]
}

func (c *schemaCache) put(table string, cols *tableCols) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tables[table] = cols
}

func (c *schemaCache) forget(table string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.tables, table)
}

// checkColumns makes sure table exists and has every column in names. It
// reads the table's column set once and caches it; a name the cached set
// lacks makes it read the set again (a column may have been added since)
// before it refuses. A missing table is not cached, so that a table created
// later is found.
func (s *Store) checkColumns(ctx context.Context, table string, names []string) error {
	cols, cached := s.schema.get(table), true
	for {
		if cols == nil {
			var err error
			cols, err = s.readColumns(ctx, table)
			if err != nil {
				return err
			}
			if len(cols.cols) == 0 {
				return fmt.Errorf("sqlstore: %s: no table %q: %w", s.d.Name, table, guard.ErrUnknownColumn)
			}
			s.schema.put(table, cols)
			cached = false
		}
		missing, ok := s.missingColumn(cols.cols, names)
		switch {
		case !ok:
			return nil
		case cached:
			cols = nil // read again
			continue
		case missing == "":
			return fmt.Errorf("sqlstore: %s: empty column name for table %q: %w", s.d.Name, table, guard.ErrUnknownColumn)
		}
		return fmt.Errorf("sqlstore: %s: table %q has no column %q: %w", s.d.Name, table, missing, guard.ErrUnknownColumn)
	}
}

// missingColumn returns the first of names not in cols, and whether there
// is one.
func (s *Store) missingColumn(cols map[string]bool, names []string) (string, bool) {
	for _, n := range names {
		if cols[n] {
			continue // spelled as the table spells it (folded or not)
		}
		if !s.d.FoldCase || !cols[strings.ToLower(n)] {
			return n, true
		}
	}
	return "", false
}

func (s *Store) readColumns(ctx context.Context, table string) (*tableCols, error) {
	if s.d.ColumnsQuery == "" {
		return nil, fmt.Errorf("sqlstore: dialect %s has no ColumnsQuery", s.d.Name)
	}
	rows, err := s.q.QueryContext(ctx, s.d.ColumnsQuery, table)
	if err != nil {
		return nil, s.failed(ctx, "read columns of", table, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, s.failed(ctx, "read columns of", table, err)
	}
	cols := &tableCols{cols: map[string]bool{}}
	for rows.Next() {
		var name string
		var exact bool
		dest := []any{&name}
		if len(names) > 1 {
			dest = append(dest, &exact)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, s.failed(ctx, "read columns of", table, err)
		}
		if s.d.FoldCase {
			name = strings.ToLower(name)
		}
		cols.cols[name] = true
		if exact && s.d.Exact != nil {
			if cols.exact == nil {
				cols.exact = map[string]bool{}
			}
			cols.exact[name] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.failed(ctx, "read columns of", table, err)
	}
	return cols, nil
}
