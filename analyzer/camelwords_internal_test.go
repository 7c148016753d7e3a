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

// TestLeadingWords holds leadingWords to the first three words of
// camelWords, and saysWrites to no allocation for an ASCII name.
func TestLeadingWords(t *testing.T) {
	names := []string{"", "_", "x", "Save", "saveTask", "SetStatusIfMatch", "DAGRunStatus", "compare_and_swap_state", "CompareAndSwap", "__a__b", "ID2Name", "HTTPServer", "aB", "Übergang", "CASStatus", "a_B_c_D", "ABC", "aBC", "Put2", "x9Y", "setÜber"}
	for _, name := range names {
		var w [3]string
		n := leadingWords(name, &w)
		if want := camelWordsN(name, 3); !slices.Equal(w[:n], want) {
			t.Errorf("leadingWords(%q) = %q, want %q", name, w[:n], want)
		}
	}
	for name, want := range map[string]bool{
		"UpdatePipeline": true, "saveJob": true, "CASStatus": true, "CompareAndSwapState": true,
		"compare_and_swap": true, "PERSIST": true, "Persistence": false, "Updater": false,
		"Settle": false, "Compare": false, "CompareAnd": false, "": false, "Überschreiben": false,
	} {
		if got := saysWrites(name); got != want {
			t.Errorf("saysWrites(%q) = %v, want %v", name, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { saysWrites("CompareAndSwapPipelineStatus") }); n != 0 {
		t.Errorf("saysWrites allocates %v times per call", n)
	}
}

// The words that name an expected state name a former one: rules 1 and 3
// share hasExpectParam's prefilter.
func TestExpectPrefixesAreFromPrefixes(t *testing.T) {
	if !slices.Equal(slices.Sorted(slices.Values(savePrefixes)), slices.Sorted(slices.Values(fromPrefixes))) {
		t.Errorf("savePrefixes %q and fromPrefixes %q differ: hasExpectParam filters for both", savePrefixes, fromPrefixes)
	}
}
