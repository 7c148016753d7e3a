// Package goroutines checks go statements: the body of a goroutine's
// function literal is analyzed like any function, and a save started with
// go is a call like any other.
package goroutines

import (
	"context"
	"sync"
)

// InGoroutine writes and saves inside the goroutine.
func InGoroutine(ctx context.Context, j *Job) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		j.Status = Running
		_ = j.Save(ctx, Running) // want `ineffective-guard: .*Status`
	}()
	wg.Wait()
}

// GoSave starts the save itself as a goroutine after the write.
func GoSave(ctx context.Context, j *Job) { // want GoSave:`helper\(Status of #1 = "done"\)`
	j.Status = Done
	go j.Save(ctx, Done) // want `ineffective-guard: .*Status`
}

// PerItem starts one correct goroutine per job: each writes its own job
// and expects the state it leaves.
func PerItem(ctx context.Context, jobs []*Job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func(j *Job) {
			defer wg.Done()
			j.Status = Running
			_ = j.Save(ctx, Idle)
		}(j)
	}
	wg.Wait()
}

// GoSaveCorrect starts a correct save as a goroutine.
func GoSaveCorrect(ctx context.Context, j *Job) { // want GoSaveCorrect:`helper\(Status of #1 = "done"\)`
	j.Status = Done
	go j.Save(ctx, Running)
}

// GoSaveCapturedPrev expects the status read before the write.
func GoSaveCapturedPrev(ctx context.Context, j *Job, done chan<- error) {
	prev := j.Status
	j.Status = Running
	go func() { done <- j.Save(ctx, prev) }()
}
