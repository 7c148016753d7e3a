package ignoredconflict

import "testing"

// A test's setup saves with no concurrent contender: not judged.
func TestSetup(t *testing.T) {
	var s JobStore
	if s == nil {
		return
	}
	j := &Job{Status: Running}
	if _, err := s.UpdateOptimistically(j, Queued); err != nil {
		t.Fatal(err)
	}
}
