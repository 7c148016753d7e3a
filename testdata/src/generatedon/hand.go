// Package generatedon is analyzed with -generated: findings in its
// generated file are reported too.
package generatedon

func mark(check string) int { return 0 }

func handWritten() {
	mark("ineffective-guard") // want `ineffective-guard: marked`
}
