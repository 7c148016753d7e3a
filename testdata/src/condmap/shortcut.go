package condmap

import (
	"context"

	"xbuilder"
)

// Stage is where a step of a run is; Phase, where the run is.
type (
	Stage string
	Phase string
)

// Step has two state fields: a condition carries the expectation of both.
type Step struct {
	Stage Stage
	Phase Phase
}

// UpdateStep returns early for a step with no stage, without looking at
// cond: the save that should have been refused reports success. The
// message names the condition once, though it guards both fields.
func UpdateStep(ctx context.Context, s *Step, cond xbuilder.Cond) error { // want UpdateStep:`save\(Stage of #1, expect=#2; Phase of #1, expect=#2\) by convention`
	if s.Stage == "" {
		return nil // want `shortcut-save: UpdateStep is a guarded save but returns success here without ever reading cond \(its expectation\)`
	}
	if cond == nil {
		return ctx.Err()
	}
	return ctx.Err()
}

// SaveStep reads cond on every path to success.
func SaveStep(ctx context.Context, s *Step, cond xbuilder.Cond) error { // want SaveStep:`save\(Stage of #1, expect=#2; Phase of #1, expect=#2\) by convention`
	if cond == nil || s.Stage == "" {
		return nil
	}
	return ctx.Err()
}
