// Package review holds the review actions of the CI server: approving or
// refusing a gated pipeline, and stopping one. Each loads the pipeline,
// checks its status in Go and saves it through the store's interface
// with no condition, so two reviewers acting at once both succeed.
package review

import (
	"errors"

	"checkthensave/ciserver/model"
)

var errState = errors.New("review: the pipeline is not in a state that allows this")

// Approve lets a gated pipeline run.
func Approve(st model.Store, id int64, who string) (*model.Pipeline, error) {
	p, err := st.Pipeline(id)
	if err != nil {
		return nil, err
	}
	if p.Status != model.Gated {
		return nil, errState
	}
	p.Status = model.Waiting
	p.Approver = who
	if err := st.UpdatePipeline(p); err != nil { // want `unguarded-transition: Status is checked in Go, not in the store: it is compared with model.Gated`
		return nil, err
	}
	return p, nil
}

// Refuse declines a gated pipeline and every job of it.
func Refuse(st model.Store, p *model.Pipeline, who string) error {
	if p.Status != model.Gated {
		return errState
	}
	p.Status = model.Refused
	p.Approver = who
	if err := st.UpdatePipeline(p); err != nil { // want `unguarded-transition: Status is checked in Go`
		return err
	}
	for _, j := range p.Jobs {
		j.State = model.Refused // no check of the job's state: a blind write
		if err := st.UpdateJob(j); err != nil {
			return err
		}
	}
	return nil
}

// Stop stops a started or waiting pipeline, and its waiting jobs.
func Stop(st model.Store, p *model.Pipeline) error {
	if p.Status != model.Started && p.Status != model.Waiting {
		return errState
	}
	for _, j := range p.Jobs {
		if j.State == model.Waiting {
			j.State = model.Stopped
			_ = st.UpdateJob(j) // want `unguarded-transition: State is checked in Go`
		}
	}
	p.Status = model.Stopped
	return st.UpdatePipeline(p) // want `unguarded-transition: Status is checked in Go`
}

// ApproveIf is Approve done right: the store checks the status.
func ApproveIf(st model.Store, p *model.Pipeline, who string) error {
	if p.Status != model.Gated {
		return errState
	}
	p.Status = model.Waiting
	p.Approver = who
	return st.UpdatePipelineIf(p, model.Gated)
}
