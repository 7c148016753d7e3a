// Package model declares the records of a CI server and the store that
// persists them, as an interface: its saves are plain saves, known to the
// packages that call them through facts.
package model

// State is the state of a pipeline or of a job.
type State string

// The states.
const (
	Gated    State = "gated"
	Waiting  State = "waiting"
	Refused  State = "refused"
	Started  State = "started"
	Stopped  State = "stopped"
	Finished State = "finished"
)

// Pipeline is one run of a repository's pipeline.
type Pipeline struct {
	ID       int64
	Status   State
	Approver string
	Jobs     []*Job
}

// Job is one job of a pipeline.
type Job struct {
	ID    int64
	State State
}

// Store persists pipelines and jobs.
type Store interface {
	Pipeline(id int64) (*Pipeline, error)
	UpdatePipeline(p *Pipeline) error // want UpdatePipeline:`save\(#0\) by plain save`
	UpdateJob(j *Job) error           // want UpdateJob:`save\(#0\) by plain save`
	// UpdatePipelineIf saves p if its stored status is expectedStatus.
	UpdatePipelineIf(p *Pipeline, expectedStatus State) error // want UpdatePipelineIf:`save\(Status of #0, expect=#1\) by convention`
}
