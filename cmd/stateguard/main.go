// Command stateguard finds state guards that cannot catch a concurrent
// duplicate: compare-and-swap saves that expect the state they write, saves
// that return success without looking at the expectation, and declared state
// fields saved with no expectation at all.
//
// It is one binary with two faces.
//
// As a vet tool, it runs under the go command, which passes it one unit of
// work at a time (a *.cfg file) and caches the results:
//
//	go vet -vettool=$(which stateguard) ./...
//	go vet -vettool=$(which stateguard) -checks=all,-reentrant-guard ./...
//	go vet -vettool=$(which stateguard) -json ./...
//
// Standalone, it loads the packages itself and prints one line per finding:
//
//	stateguard ./...
//	stateguard -json ./...            # the JSON of every go/analysis tool
//	stateguard -sarif ./... > out.sarif
//	stateguard -sarif=out.sarif ./... # SARIF to a file, text to stderr
//
// Flags of the analyzer work in both faces:
//
//	-checks=LIST  checks to run, by name: "all", "name" enables, "-name"
//	              disables (for example -checks=all,-reentrant-guard)
//	-generated    also report findings in generated files
//
// Standalone flags:
//
//	-json         print findings as JSON (the x/tools schema); exit 0
//	-sarif[=FILE] print SARIF 2.1.0 to stdout, or write it to FILE
//	-test         also analyze test files (default true)
//	-c=N          print N lines of context around each finding
//
// Exit status, as for every go/analysis command: 1 when anything failed (a
// package that does not load or type-check, an error or internal error of
// the analysis, an output that cannot be written), whatever was found;
// otherwise 3 when findings were printed as text, 0 when there is nothing
// to report. An internal error is printed with its stack, never
// swallowed. With -json or -sarif on stdout the findings are data, not a
// failure: the exit status is 0 unless something failed. With -sarif=FILE
// the findings are also printed as text, and the exit status is 3 when
// there are any.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/stateguard/stateguard/analyzer"
)

func main() {
	if vetMode(os.Args[1:]) {
		if os.Getenv(driverEnv) == driverStandalone {
			// A unit of the standalone command's go vet (analyze.go).
			drivenVetTool()
			return
		}
		// The go command's protocol (-V=full, -flags, unit.cfg) and -fix
		// are x/tools' business; singlechecker speaks them exactly.
		singlechecker.Main(analyzer.Analyzer)
		return
	}
	os.Exit(standalone(os.Args[1:], os.Stdout, os.Stderr))
}

// vetMode reports whether args ask for the vet tool protocol of the go
// command (a single *.cfg file, -V, -flags) or for x/tools' -fix and -diff
// (stateguard's findings carry no fixes today), all of which singlechecker
// implements.
func vetMode(args []string) bool {
	if len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg") {
		return true
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		switch name {
		case "V", "flags", "fix", "diff":
			return true
		}
	}
	return false
}

// options are the standalone driver's own flags.
type options struct {
	json      bool
	sarif     sarifFlag
	tests     bool
	contextLn int
	vetFlags  []string // the analyzer's flags set on the command line, for go vet
}

// sarifFlag is -sarif (to stdout) or -sarif=FILE.
type sarifFlag struct {
	set  bool
	path string // "" or "-": stdout
}

func (f *sarifFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.path
}

func (f *sarifFlag) Set(s string) error {
	f.set = true
	switch s {
	case "true", "-", "":
		f.path = ""
	case "false":
		f.set = false
	default:
		f.path = s
	}
	return nil
}

// IsBoolFlag lets -sarif stand alone on the command line.
func (f *sarifFlag) IsBoolFlag() bool { return true }

func (f *sarifFlag) toStdout() bool { return f.set && f.path == "" }

// standalone runs the command outside go vet and returns its exit status.
func standalone(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stateguard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts options
	fs.BoolVar(&opts.json, "json", false, "print findings as JSON (the x/tools schema) to stdout")
	fs.Var(&opts.sarif, "sarif", "print SARIF 2.1.0 to stdout (-sarif) or write it to a file (-sarif=FILE)")
	fs.BoolVar(&opts.tests, "test", true, "also analyze test files")
	fs.IntVar(&opts.contextLn, "c", -1, "display offending line with this many lines of context")
	analyzer.Analyzer.Flags.VisitAll(func(f *flag.Flag) {
		fs.Var(f.Value, f.Name, f.Usage)
	})
	fs.Usage = func() {
		fmt.Fprintf(stderr, "stateguard: finds state guards that cannot catch a concurrent duplicate\n\n")
		fmt.Fprintf(stderr, "Usage:\n")
		fmt.Fprintf(stderr, "  stateguard [flags] packages...          analyze packages\n")
		fmt.Fprintf(stderr, "  go vet -vettool=$(which stateguard) [flags] packages...\n\n")
		fmt.Fprintf(stderr, "Exit status: 0 nothing found, 3 findings printed, 1 failure.\n")
		fmt.Fprintf(stderr, "Checks are documented at %s\n\nFlags:\n", analyzer.Analyzer.URL)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	if opts.json && opts.sarif.toStdout() {
		fmt.Fprintln(stderr, "stateguard: -json and -sarif both write to stdout; use -sarif=FILE")
		return 2
	}
	fs.Visit(func(f *flag.Flag) {
		if analyzer.Analyzer.Flags.Lookup(f.Name) != nil {
			opts.vetFlags = append(opts.vetFlags, "-"+f.Name+"="+f.Value.String())
		}
	})
	return output(analyze(fs.Args(), &opts, newProgress(stderr, &opts)), &opts, stdout, stderr)
}
