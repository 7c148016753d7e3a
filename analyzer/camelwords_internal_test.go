package analyzer

import (
	"slices"
	"testing"
)

// TestCamelWordsN holds camelWordsN to the first words of camelWords.
func TestCamelWordsN(t *testing.T) {
	names := []string{"", "_", "x", "Save", "saveTask", "SetStatusIfMatch", "DAGRunStatus", "compare_and_swap_state", "CompareAndSwap", "__a__b", "ID2Name", "HTTPServer", "aB", "Übergang"}
	for _, name := range names {
		all := camelWords(name)
		for n := 0; n <= len(all)+1; n++ {
			want := all[:min(n, len(all))]
			if got := camelWordsN(name, n); !slices.Equal(got, want) {
				t.Errorf("camelWordsN(%q, %d) = %q, want %q", name, n, got, want)
			}
		}
	}
}
