package main

// The vet tool side of the standalone command. The command runs
//
//	go vet -vettool=<itself> -json -standalone [-test=false] [analyzer flags] -- patterns
//
// with driverEnv set, so that the go command analyzes one package per
// process from export data and facts, and caches each result under the
// binary's -V=full hash and the flags. Each unit (a package analyzed for
// its diagnostics, or a dependency analyzed for its facts) writes one
// unitRecord to its stdout, which the go command passes through and caches
// with the unit's result: an unchanged package is not analyzed again, its
// record is replayed. The record carries what go vet's JSON loses: byte
// offsets, the error of a dependency analyzed only for its facts (an
// internal error there means facts are missing), and the files that tell a
// package from its test variant.

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/stateguard/stateguard/analyzer"
)

const (
	// driverEnv, set to driverStandalone in the environment of go vet,
	// makes the vet tool accept -standalone (it is listed by -flags only
	// then, so a plain go vet neither shows nor accepts it).
	driverEnv        = "STATEGUARD_DRIVER"
	driverStandalone = "standalone"

	// recordKey is the only key of a unitRecord's JSON object on stdout.
	// go vet's own JSON objects are keyed by package paths, which never
	// contain a space.
	recordKey = "stateguard unit"
)

// A unitRecord is what one vet tool process tells the standalone command.
type unitRecord struct {
	ID        string        `json:"id"`   // the go command's ID of the unit: the import path
	Path      string        `json:"path"` // the package path
	Dir       string        `json:"dir"`
	VetxOnly  bool          `json:"vetxOnly,omitempty"`  // a dependency, analyzed for facts only
	ModuleDir string        `json:"moduleDir,omitempty"` // directory of the go.mod of the package's module
	TestFiles bool          `json:"testFiles,omitempty"` // some files are _test.go files
	XTest     bool          `json:"xtest,omitempty"`     // the external test package p_test
	Skipped   bool          `json:"skipped,omitempty"`   // only test files, and -test=false
	Err       string        `json:"error,omitempty"`     // the analysis failed
	Internal  bool          `json:"internal,omitempty"`  // ... with an internal error
	Findings  []unitFinding `json:"findings,omitempty"`  // of a root unit
}

type unitFinding struct {
	Category string         `json:"category"`
	Message  string         `json:"message"`
	URL      string         `json:"url,omitempty"`
	Posn     token.Position `json:"posn"`
	End      token.Position `json:"end"`
	Related  []unitRelated  `json:"related,omitempty"`
}

type unitRelated struct {
	Posn    token.Position `json:"posn"`
	End     token.Position `json:"end"`
	Message string         `json:"message"`
}

// unitConfig is the part of the go command's vet.cfg the tool reads itself;
// the file is passed on to unitchecker, which reads all of it.
type unitConfig struct {
	ID         string
	ImportPath string
	Dir        string
	ModulePath string
	GoFiles    []string
	VetxOnly   bool
	VetxOutput string
	Stdout     string
}

// drivenVetTool runs one unit of work for the standalone command (see the
// top of this file) and exits.
func drivenVetTool() {
	flag.Bool("standalone", false, "write a record of each unit for the standalone command (set by it)")
	args := os.Args[1:]
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		// -V=full, -flags: the protocol, as singlechecker speaks it.
		singlechecker.Main(analyzer.Analyzer)
		return
	}
	cfgFile := args[len(args)-1]
	cfg, raw, err := readUnitConfig(cfgFile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "stateguard: %v\n", err)
		os.Exit(1)
	}
	rec := &unitRecord{ID: cfg.ID, Path: cfg.ImportPath, Dir: cfg.Dir, VetxOnly: cfg.VetxOnly}
	if !boolFlag(args[:len(args)-1], "test", true) {
		// -test=false: analyze the package without its test files.
		var keep []any
		var names []string
		for _, f := range raw["GoFiles"].([]any) {
			if name, _ := f.(string); !strings.HasSuffix(name, "_test.go") {
				keep = append(keep, f)
				names = append(names, name)
			}
		}
		if len(keep) == 0 {
			// The external test package, or a package of tests alone:
			// nothing to analyze. The empty facts file lets the go
			// command cache that too.
			rec.Skipped = true
			if err := writeSkipped(cfg, rec); err != nil {
				fmt.Fprintf(os.Stderr, "stateguard: %v\n", err)
				os.Exit(1)
			}
			os.Exit(0)
		}
		if len(keep) < len(cfg.GoFiles) {
			raw["GoFiles"] = keep
			cfg.GoFiles = names
			data, err := json.Marshal(raw)
			if err == nil {
				cfgFile = strings.TrimSuffix(cfgFile, ".cfg") + "-notest.cfg"
				err = os.WriteFile(cfgFile, data, 0o666)
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "stateguard: %v\n", err)
				os.Exit(1)
			}
			os.Args[len(os.Args)-1] = cfgFile
		}
	}
	for _, name := range cfg.GoFiles {
		if strings.HasSuffix(name, "_test.go") {
			rec.TestFiles = true
		}
	}
	rec.XTest = rec.TestFiles && strings.HasSuffix(cfg.ImportPath, "_test") && allTests(cfg.GoFiles)
	if !cfg.VetxOnly && cfg.ModulePath != "" {
		rec.ModuleDir = moduleDir(cfg.Dir)
	}
	singlechecker.Main(recording(analyzer.Analyzer, rec))
}

// recording returns a copy of a whose Run also writes rec, with the
// diagnostics and the error of the run, to stdout (which unitchecker has
// redirected to the file the go command caches).
func recording(a *analysis.Analyzer, rec *unitRecord) *analysis.Analyzer {
	w := *a
	w.Run = func(pass *analysis.Pass) (any, error) {
		p := *pass
		p.Report = func(d analysis.Diagnostic) {
			if !rec.VetxOnly {
				rec.Findings = append(rec.Findings, newUnitFinding(pass.Fset, d))
			}
			pass.Report(d)
		}
		res, err := a.Run(&p)
		if err != nil {
			rec.Err = err.Error()
			rec.Internal = isInternal(err)
			rec.Findings = nil
		}
		if werr := writeRecord(os.Stdout, rec); werr != nil && err == nil {
			err = werr
		}
		return res, err
	}
	return &w
}

func newUnitFinding(fset *token.FileSet, d analysis.Diagnostic) unitFinding {
	end := d.End
	if !end.IsValid() {
		end = d.Pos
	}
	f := unitFinding{
		Category: d.Category,
		Message:  d.Message,
		URL:      d.URL,
		Posn:     fset.Position(d.Pos),
		End:      fset.Position(end),
	}
	for _, r := range d.Related {
		rend := r.End
		if !rend.IsValid() {
			rend = r.Pos
		}
		f.Related = append(f.Related, unitRelated{Posn: fset.Position(r.Pos), End: fset.Position(rend), Message: r.Message})
	}
	return f
}

func writeRecord(f *os.File, rec *unitRecord) error {
	data, err := json.Marshal(map[string]*unitRecord{recordKey: rec})
	if err != nil {
		return err
	}
	_, err = f.Write(append(data, '\n'))
	return err
}

// writeSkipped writes the record of a unit that has nothing to analyze,
// and an empty facts file (no package imports a unit of tests alone).
func writeSkipped(cfg *unitConfig, rec *unitRecord) error {
	if cfg.VetxOutput != "" {
		if err := os.WriteFile(cfg.VetxOutput, nil, 0o666); err != nil {
			return err
		}
	}
	if cfg.Stdout == "" {
		return writeRecord(os.Stdout, rec)
	}
	f, err := os.Create(cfg.Stdout)
	if err != nil {
		return err
	}
	if err := writeRecord(f, rec); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readUnitConfig(name string) (*unitConfig, map[string]any, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	cfg := new(unitConfig)
	var raw map[string]any
	if err := json.Unmarshal(data, cfg); err != nil {
		return nil, nil, fmt.Errorf("cannot decode %s: %v", name, err)
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, nil, fmt.Errorf("cannot decode %s: %v", name, err)
	}
	if _, ok := raw["GoFiles"].([]any); !ok {
		return nil, nil, fmt.Errorf("%s lists no GoFiles", name)
	}
	return cfg, raw, nil
}

// boolFlag returns the value of the boolean flag name in args (-name,
// -name=v, --name...), or def when it is not set or cannot be parsed.
func boolFlag(args []string, name string, def bool) bool {
	v := def
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		n, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if n != name {
			continue
		}
		if !hasVal {
			v = true
			continue
		}
		if b, err := strconv.ParseBool(val); err == nil {
			v = b
		}
	}
	return v
}

func allTests(files []string) bool {
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			return false
		}
	}
	return len(files) > 0
}

// moduleDir returns the directory of the nearest go.mod above dir, or "".
func moduleDir(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		} else if !errors.Is(err, os.ErrNotExist) {
			return ""
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}
