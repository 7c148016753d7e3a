package drivertest

import (
	"fmt"
	"runtime"
	"testing"
)

// recorder is a testing.TB whose Fatalf records the failure and ends the
// goroutine, as the real one does.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Errorf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

// failure runs f with a recorder and returns what failed it, or "".
func failure(t *testing.T, f func(tb testing.TB)) string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.failed
}

// A comparison against nothing parsed, or against nothing expected, passes
// whatever the driver did: both fail the test instead.
func TestNothingParsedFails(t *testing.T) {
	corpus := Corpus(t)
	if msg := failure(t, func(tb testing.TB) { ParseJSON(tb, corpus, "") }); msg == "" {
		t.Error("ParseJSON of an empty output does not fail")
	}
	if msg := failure(t, func(tb testing.TB) { ParseJSON(tb, corpus, "# pkg\n") }); msg == "" {
		t.Error("ParseJSON of an output with no JSON document does not fail")
	}
	if msg := failure(t, func(tb testing.TB) { ParseJSON(tb, corpus, "{}\n") }); msg != "" {
		t.Errorf("ParseJSON of an empty JSON document fails: %s", msg)
	}
	if msg := failure(t, func(tb testing.TB) { Want(tb, corpus, "no-such-dir") }); msg == "" {
		t.Error("Want of a directory with no Go files does not fail")
	}
	if msg := failure(t, func(tb testing.TB) { Want(tb, corpus, "orders") }); msg != "" {
		t.Errorf("Want of orders fails: %s", msg)
	}
}
