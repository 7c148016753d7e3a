// Package labeled checks labeled break, continue and goto: a write reaches
// a save along any control-flow path, loop back edges included.
package labeled

import "context"

// ContinueOuter writes in the inner loop, continues the outer loop, and
// reaches the save at the top of the next outer iteration.
func ContinueOuter(ctx context.Context, j *Job, batches [][]int) error {
outer:
	for _, batch := range batches {
		if err := j.Save(ctx, Running); err != nil { // want `ineffective-guard: .*Status`
			return err
		}
		for _, n := range batch {
			if n < 0 {
				j.Status = Running
				continue outer
			}
		}
	}
	return nil
}

// GotoSave jumps from the write to the save.
func GotoSave(ctx context.Context, j *Job, fast bool) error {
	if fast {
		j.Status = Done
		goto save
	}
	j.Owner = ""
save:
	return j.Save(ctx, Done) // want `ineffective-guard: .*Status`
}

// BreakOuterSkipsSave writes only on the path that leaves both loops and
// returns: the write never reaches the save.
func BreakOuterSkipsSave(ctx context.Context, j *Job, batches [][]int) error {
outer:
	for _, batch := range batches {
		for _, n := range batch {
			if n < 0 {
				j.Status = Running
				break outer
			}
		}
		if err := j.Save(ctx, Running); err != nil {
			return err
		}
	}
	return nil
}

// ContinueOuterCorrect expects the state the loop leaves.
func ContinueOuterCorrect(ctx context.Context, j *Job, batches [][]int) error {
outer:
	for _, batch := range batches {
		if err := j.Save(ctx, Idle); err != nil {
			return err
		}
		for _, n := range batch {
			if n < 0 {
				j.Status = Running
				continue outer
			}
		}
	}
	return nil
}
