package analyzer

import (
	"golang.org/x/tools/go/analysis"
)

// Analyzer is the stateguard analyzer with the settings of its own flags.
// The command, go vet and nogo use it; the golangci-lint plugin builds its
// own with New.
var Analyzer = New(defaultConfig)

var defaultConfig = DefaultConfig()

func init() {
	defaultConfig.RegisterFlags(&Analyzer.Flags)
}

// New returns an analyzer that reads cfg each time it runs, so flags parsed
// after New still take effect. cfg must not be nil. A panic inside the
// analyzer is returned as an *InternalError.
func New(cfg *Config) *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name:      "stateguard",
		Doc:       doc,
		URL:       "https://pkg.go.dev/github.com/stateguard/stateguard/analyzer",
		FactTypes: factTypes,
		Run: recovering(func(pass *analysis.Pass) (any, error) {
			return run(pass, cfg)
		}),
	}
	return a
}

func run(pass *analysis.Pass, cfg *Config) (any, error) {
	r, err := newReporter(pass, cfg)
	if err != nil {
		return nil, err
	}
	checkPackage(pass, r)
	r.finish()
	return nil, nil
}

// The contract between the parts of this package:
//
//   - config.go: Config, DefaultConfig, RegisterFlags, Validate.
//   - report.go: newReporter, (*reporter).report, (*reporter).finish.
//     Every diagnostic goes through report, which applies -checks,
//     generated-file skipping and //stateguard:ignore, and attaches
//     Category and URL, and prefixes the message with the check name
//     (messages are written without it). finish reports unused ignore
//     directives.
//   - directive.go: parsing of //stateguard: directives.
//   - checkPackage and everything below it: recognition of saves and
//     transitions (conventions, directives, facts), the call-site checks and
//     shortcut-save.
//   - internal/place: which object a value designates (place.Key), the
//     writes to its fields and the saves of it, and which writes reach a
//     use; the call-site checks ask it, and a new source of writes or
//     saves (helpers, callbacks, the guard API) adds place.Write values
//     or place.Saves entries rather than rules of its own.
//   - guard_table.go, guard_options.go, guard_check.go, guard_wrap.go:
//     the guard package's API, known by its import path (no import of
//     guard): mapTable reads a struct as guard.NewTable does, optEval the
//     Options a call builds, checkGuardAPI judges Table.Save, Table.Update
//     and same-package wrappers of Save against the writes place finds.
//   - conflict.go: save-after-conflict over the saves of every kind that
//     checkFunc found in a function.
//   - plainsave.go: plain saves (a save with no expectation) by name and
//     by directive, and the prefilter that builds SSA for them only where
//     a state field is compared or a declared state written;
//     plaincopy.go: a function named for saving that hands a copy of its
//     object to a function writing the copy's state is no plain save.
//   - checkthensave.go: check-then-save (unguarded-transition) over the
//     saves checkFunc found; extraWrites and extraSaves give it the writes
//     and saves made through helpers (helperfacts.go).
//   - helperfacts.go, helperident.go: helpers (functions that write a
//     state field of a parameter, perhaps save it, or return it), their
//     facts, and at a call the place.Write values (helperWrites) and the
//     saves (helperSaves) they stand for.
//   - refusal.go: which result of a save or transition refuses besides
//     its error (guardSpec.refusal, set by recognizer.guardOf for every
//     source); ignored.go: ignored-conflict over checkFunc's call sites.
//   - iface_directive.go: save and transition directives on the methods
//     of interface type declarations, by funcDirective's rules.
