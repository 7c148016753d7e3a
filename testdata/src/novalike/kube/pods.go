// Package kube ports a pod phase update declared with a transition
// directive, and a GuaranteedUpdate-style save that checks its
// preconditions before anything else.
package kube

import (
	"context"
	"errors"
)

// PodPhase is the phase of a pod.
type PodPhase string

// The phases.
const (
	PodPending   PodPhase = "Pending"
	PodRunning   PodPhase = "Running"
	PodSucceeded PodPhase = "Succeeded"
	PodFailed    PodPhase = "Failed"
)

// Pod is one pod.
type Pod struct {
	Name  string
	Phase PodPhase
}

// setPhase moves pod name from src to dst. Its parameters follow no
// naming convention, so a directive declares the transition.
//
//stateguard:transition from=src to=dst
func setPhase(ctx context.Context, name string, src, dst PodPhase) error {
	if src == dst {
		return errors.New("kube: no phase change")
	}
	_ = name
	return ctx.Err()
}

// Run moves a pod from pending to running: correct.
func Run(ctx context.Context, p *Pod) error {
	return setPhase(ctx, p.Name, PodPending, PodRunning)
}

// Rerun is a seeded mistake: both ends are the same phase.
func Rerun(ctx context.Context, p *Pod) error {
	return setPhase(ctx, p.Name, PodRunning, PodRunning) // want `ineffective-guard: `
}

// Preconditions is what a guarded update checks.
type Preconditions struct{ Phase PodPhase }

// GuaranteedUpdate writes pod if its stored phase is expectedPhase,
// checking the precondition before anything else, as Kubernetes does.
func GuaranteedUpdate(ctx context.Context, pod *Pod, expectedPhase PodPhase, tryUpdate func(*Pod) (*Pod, error)) error { // want GuaranteedUpdate:`save\(Phase of #1, expect=#2\) by convention`
	if pod.Phase != expectedPhase {
		return errors.New("kube: precondition failed")
	}
	next, err := tryUpdate(pod)
	if err != nil {
		return err
	}
	if next == pod {
		return nil
	}
	*pod = *next
	return ctx.Err()
}
