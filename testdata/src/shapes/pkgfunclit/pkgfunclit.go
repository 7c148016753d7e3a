// Package pkgfunclit checks function literals at package level, which
// go/ssa does not list among a package's source functions
// (golang/go#61699): they are analyzed like any function.
package pkgfunclit

import "context"

// Start is a package-level function literal.
var Start = func(ctx context.Context, j *Job) error {
	j.Status = Running
	return j.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// handlers holds function literals in a composite literal at package
// level.
var handlers = map[string]func(context.Context, *Job) error{
	"finish": func(ctx context.Context, j *Job) error {
		j.Status = Done
		return j.Save(ctx, Done) // want `ineffective-guard: .*Status`
	},
	"start": func(ctx context.Context, j *Job) error {
		j.Status = Running
		return j.Save(ctx, Idle)
	},
}

// Finish is correct.
var Finish = func(ctx context.Context, j *Job) error {
	j.Status = Done
	return j.Save(ctx, Running)
}

// Handle runs a named handler.
func Handle(ctx context.Context, name string, j *Job) error {
	return handlers[name](ctx, j)
}
