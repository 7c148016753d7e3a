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

// TestCamelWords holds camelWords to the words of a table, and
// saysWrites to no allocation for an ASCII name.
func TestCamelWords(t *testing.T) {
	for _, tc := range []struct {
		name  string
		words []string
	}{
		{"", nil}, {"_", nil}, {"x", []string{"x"}}, {"Save", []string{"Save"}},
		{"saveTask", []string{"save", "Task"}},
		{"SetStatusIfMatch", []string{"Set", "Status", "If", "Match"}},
		{"DAGRunStatus", []string{"DAG", "Run", "Status"}},
		{"compare_and_swap_state", []string{"compare", "and", "swap", "state"}},
		{"CompareAndSwap", []string{"Compare", "And", "Swap"}},
		{"__a__b", []string{"a", "b"}}, {"ID2Name", []string{"ID2", "Name"}},
		{"HTTPServer", []string{"HTTP", "Server"}}, {"aB", []string{"a", "B"}},
		{"Übergang", []string{"Übergang"}}, {"CASStatus", []string{"CAS", "Status"}},
		{"a_B_c_D", []string{"a", "B", "c", "D"}}, {"ABC", []string{"ABC"}},
		{"aBC", []string{"a", "BC"}}, {"Put2", []string{"Put2"}}, {"x9Y", []string{"x9", "Y"}},
		{"setÜber", []string{"set", "Über"}}, {"ÜBERGang", []string{"ÜBER", "Gang"}},
	} {
		if got := camelWords(tc.name); !slices.Equal(got, tc.words) {
			t.Errorf("camelWords(%q) = %q, want %q", tc.name, got, tc.words)
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
