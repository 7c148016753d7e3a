package analyzer

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/stateguard/stateguard/internal/check"
)

// Config holds every setting of the analyzer. The command-line flags
// (RegisterFlags), go vet and the golangci-lint plugin all set this one
// struct; the plugin decodes its settings onto it with encoding/json, so the
// json tags are the names of the settings in .golangci.yml.
type Config struct {
	// Checks selects the checks to report, by name (see the package
	// documentation). Entries apply in order: "all" enables every check,
	// "NAME" enables one, "-NAME" disables one. A list that is empty or
	// starts with a "-NAME" entry starts from the default set (every
	// check); a list that starts with "all" or "NAME" starts from none, so
	// ["ineffective-guard"] reports that check alone.
	Checks []string `json:"checks,omitempty"`

	// Generated also reports findings in generated files (those with a
	// "// Code generated ... DO NOT EDIT." comment). By default they are
	// skipped: their authors fix the generator, not the file.
	Generated bool `json:"generated,omitempty"`
}

// DefaultConfig returns the configuration used when nothing is set: every
// analyzer check on, generated files skipped.
func DefaultConfig() *Config {
	return &Config{}
}

// RegisterFlags defines the flags -checks and -generated on fs, bound to c.
// The command registers them on Analyzer.Flags, so they work standalone and
// under go vet -vettool.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.Var(checksFlag{c}, "checks", "comma-separated checks to report: all, NAME, -NAME (e.g. all,-reentrant-guard); checks: "+strings.Join(analyzerCheckNames(), ", "))
	fs.BoolVar(&c.Generated, "generated", c.Generated, "also report findings in generated files (// Code generated ... DO NOT EDIT.)")
}

// Validate reports an error for every unknown or malformed entry of
// c.Checks, naming the valid checks.
func (c *Config) Validate() error {
	_, err := c.enabledChecks()
	return err
}

// enabledChecks returns the set of analyzer checks c enables.
func (c *Config) enabledChecks() (map[string]bool, error) {
	var errs []error
	enabled := make(map[string]bool)
	entries := make([]string, 0, len(c.Checks))
	for _, e := range c.Checks {
		if e = strings.TrimSpace(e); e != "" {
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 || strings.HasPrefix(entries[0], "-") {
		for _, info := range check.All {
			if info.Analyzer && info.Default {
				enabled[info.Name] = true
			}
		}
	}
	for _, e := range entries {
		name, off := strings.CutPrefix(e, "-")
		if name == "all" {
			for _, info := range check.All {
				if info.Analyzer {
					enabled[info.Name] = !off
				}
			}
			continue
		}
		info, ok := check.Lookup(name)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("unknown check %q in checks; the checks are all, %s", name, strings.Join(analyzerCheckNames(), ", ")))
			continue
		case !info.Analyzer:
			errs = append(errs, fmt.Errorf("check %q is enforced at run time by the guard package, not reported by the analyzer; remove it from checks", name))
			continue
		}
		enabled[name] = !off
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return enabled, nil
}

// analyzerCheckNames returns the names of the checks the analyzer reports,
// in documentation order.
func analyzerCheckNames() []string {
	var names []string
	for _, info := range check.All {
		if info.Analyzer {
			names = append(names, info.Name)
		}
	}
	return names
}

// checksFlag is the flag.Value of -checks: a comma-separated list that
// replaces Config.Checks and is validated when set.
type checksFlag struct{ c *Config }

func (f checksFlag) String() string {
	if f.c == nil {
		return ""
	}
	return strings.Join(f.c.Checks, ",")
}

func (f checksFlag) Set(s string) error {
	var list []string
	for e := range strings.SplitSeq(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			list = append(list, e)
		}
	}
	if err := (&Config{Checks: list}).Validate(); err != nil {
		return err
	}
	f.c.Checks = list
	return nil
}

// Get implements flag.Getter.
func (f checksFlag) Get() any { return f.c.Checks }
