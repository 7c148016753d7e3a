// Package unknown holds values that are not known at compile time: two
// different computations, even of the same expression, are not known to be
// equal.
package unknown

import "context"

var (
	nextStatus = Running
	allowed    = []Status{Idle, Running}
)

func pick(n int) Status {
	if n > 0 {
		return Running
	}
	return Idle
}

// FromCalls writes one call's result and expects another's.
func FromCalls(ctx context.Context, j *Job, n int) error {
	j.Status = pick(n)
	return j.Save(ctx, pick(n-1))
}

// FromGlobals writes and expects package variables, which any code may
// change in between.
func FromGlobals(ctx context.Context, j *Job) error {
	j.Status = nextStatus
	return j.Save(ctx, allowed...)
}

// FromMap looks the expectation up in a table keyed by the new state, the
// shape of Harbor's blob states: the table's contents are not known here.
func FromMap(ctx context.Context, j *Job, sources map[Status][]Status, next Status) error { // want FromMap:`helper\(Status of #1 = #3 then saved guarded\)`
	j.Status = next
	return j.Save(ctx, sources[next]...)
}

// FromParams writes one parameter and expects another.
func FromParams(ctx context.Context, j *Job, from, to Status) error { // want FromParams:`transition\(from=#2 to=#3\) by convention` FromParams:`helper\(Status of #1 = #3 then saved guarded\)`
	j.Status = to
	return j.Save(ctx, from)
}

// FromChannel receives both values.
func FromChannel(ctx context.Context, j *Job, c <-chan Status) error {
	j.Status = <-c
	return j.Save(ctx, <-c)
}

// ExpectedsFromAppend builds the expectations at run time.
func ExpectedsFromAppend(ctx context.Context, j *Job, extra []Status) error { // want ExpectedsFromAppend:`helper\(Status of #1 = "running" then saved guarded\)`
	j.Status = Running
	return j.Save(ctx, append([]Status{Idle}, extra...)...)
}
