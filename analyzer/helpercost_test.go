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

// helperChain returns n unexported helpers, each calling the one before
// it after a write of its own (mark0 writes Running), and a function that
// calls each of them and saves the job after each call.
func helperChain(n int) string {
	var b strings.Builder
	b.WriteString("\nfunc mark0(j *Job) { j.Status = Running }\n")
	for k := 1; k < n; k++ {
		prev := fmt.Sprintf("mark%d(j, ok)", k-1)
		if k == 1 {
			prev = "mark0(j)"
		}
		fmt.Fprintf(&b, "\nfunc mark%d(j *Job, ok bool) {\n\tif ok {\n\t\tj.Status = Idle\n\t}\n\t%s\n}\n", k, prev)
	}
	b.WriteString("\nfunc calls(ctx context.Context, j *Job) {\n")
	for k := range n {
		if k == 0 {
			b.WriteString("\tmark0(j)\n")
		} else {
			fmt.Fprintf(&b, "\tmark%d(j, true)\n", k)
		}
		b.WriteString("\t_ = j.Save(ctx, Idle)\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// BenchmarkHelperCost runs the analyzer over a package of n helpers that
// call one another in a chain, each call followed by a save: the cost of
// computing the helpers' writes, each once, and of the writes at the calls.
func BenchmarkHelperCost(b *testing.B) {
	for _, n := range []int{50, 200} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			pkg := filepath.Join(dir, "src", "costgen")
			if err := os.MkdirAll(pkg, 0o755); err != nil {
				b.Fatal(err)
			}
			src := costJob + helperChain(n)
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
