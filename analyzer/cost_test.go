package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/stateguard/stateguard/analyzer"
)

// costJob declares a job with a guarded save by convention.
const costJob = `package costgen

import (
	"context"
	"errors"
)

type Status string

const (
	Idle    Status = "idle"
	Running Status = "running"
)

type Job struct {
	Status Status
	stored Status
}

type Holder struct{ J *Job }

func (j *Job) Save(ctx context.Context, expectedStatus Status) error { // want Save:` + "`save`" + `
	if j.stored != expectedStatus {
		return errors.New("conflict")
	}
	j.stored = j.Status
	return nil
}
`

// costFunc returns one function of n repetitions of a rebinding of the
// holder's job and a write to it, each followed by a save when saves is
// true, else with one save at the end.
func costFunc(n int, saves bool) string {
	var b strings.Builder
	b.WriteString("\nfunc Many(ctx context.Context, h *Holder, others []*Job) {\n")
	for k := range n {
		fmt.Fprintf(&b, "\th.J = others[%d]\n\th.J.Status = Running\n", k)
		if saves {
			b.WriteString("\t_ = h.J.Save(ctx, Idle)\n")
		}
	}
	if !saves {
		b.WriteString("\t_ = h.J.Save(ctx, Idle)\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// BenchmarkRebindCost runs the analyzer over one large generated function
// whose every write follows a rebinding of the place the job is held in:
// the cost of the rebinding rule grows with the size of the function.
func BenchmarkRebindCost(b *testing.B) {
	for _, saves := range []bool{true, false} {
		for _, n := range []int{100, 400} {
			name := fmt.Sprintf("saves=%v/n=%d", saves, n)
			b.Run(name, func(b *testing.B) {
				dir := b.TempDir()
				pkg := filepath.Join(dir, "src", "costgen")
				if err := os.MkdirAll(pkg, 0o755); err != nil {
					b.Fatal(err)
				}
				src := costJob + costFunc(n, saves)
				if err := os.WriteFile(filepath.Join(pkg, "costgen.go"), []byte(src), 0o644); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for range b.N {
					analysistest.Run(b, dir, analyzer.Analyzer, "costgen")
				}
			})
		}
	}
}
