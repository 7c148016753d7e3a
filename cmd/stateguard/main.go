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
// Standalone, it runs go vet with itself as the vet tool (each package in a
// process of its own, each result cached by the go command) and prints one
// line per finding:
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
// A bad value is said once, in one line, also under go vet (which runs
// the tool once per package). -fix and -diff are refused, standalone and
// under go vet and go fix: the findings carry no automatic fixes, and
// x/tools' -fix would print none of them.
//
// Standalone flags:
//
//	-json         print findings as JSON (the x/tools schema); exit 0
//	-sarif[=FILE] print SARIF 2.1.0 to stdout, or write it to FILE;
//	              -sarif FILE.sarif (with a space) writes to FILE.sarif too;
//	              paths are relative to the root of the repository that
//	              holds the module (else the module's root)
//	-test         also analyze test files (default true)
//	-c=N          print N lines of context around each finding
//	-version      print the version of stateguard and of Go
//
// stateguard help prints the usage and the checks; stateguard help CHECK
// prints the documentation of a check, with its examples.
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
	"runtime"
	"strings"

	"github.com/stateguard/stateguard/analyzer"
	"github.com/stateguard/stateguard/internal/check"
)

func main() {
	args := os.Args[1:]
	if vetMode(args) {
		if os.Getenv(driverEnv) == driverStandalone {
			// A unit of the standalone command's go vet (analyze.go),
			// whose flags the command has checked.
			drivenVetTool()
			return
		}
		os.Exit(vetTool(args, os.Stderr))
	}
	os.Exit(standalone(args, os.Stdout, os.Stderr))
}

// vetMode reports whether args ask for the vet tool protocol of the go
// command: a single *.cfg file, -V or -flags, which singlechecker
// implements.
func vetMode(args []string) bool {
	if len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg") {
		return true
	}
	for _, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "V", "flags":
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
	version   bool     // -version: print the version and exit
	fix       bool     // -fix or -diff: refused
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
	if len(args) > 0 && args[0] == "help" {
		return help(args[1:], stdout, stderr)
	}
	fs, opts := newFlagSet(stderr)
	fs.Usage = func() { usage(stderr, fs) }
	if err := fs.Parse(sarifFileArg(args)); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	switch {
	case opts.version:
		fmt.Fprintln(stdout, versionLine())
		return 0
	case opts.fix:
		fmt.Fprintln(stderr, "stateguard: "+fixRefused)
		return 2
	case fs.NArg() == 0:
		fs.Usage()
		return 2
	case opts.json && opts.sarif.toStdout():
		fmt.Fprintln(stderr, "stateguard: -json and -sarif both write to stdout; use -sarif=FILE")
		return 2
	}
	fs.Visit(func(f *flag.Flag) {
		if analyzer.Analyzer.Flags.Lookup(f.Name) != nil {
			opts.vetFlags = append(opts.vetFlags, "-"+f.Name+"="+f.Value.String())
		}
	})
	return output(analyze(fs.Args(), opts, newProgress(stderr, opts)), opts, stdout, stderr)
}

// sarifFileArg rewrites "-sarif FILE.sarif" as "-sarif=FILE.sarif": -sarif
// alone writes to stdout, so without this the file would be taken for a
// package pattern. Only a name ending in .sarif is taken; anything else
// after -sarif stays a package pattern.
func sarifFileArg(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") {
			return append(out, args[i:]...)
		}
		if (a == "-sarif" || a == "--sarif") && i+1 < len(args) && strings.HasSuffix(args[i+1], ".sarif") {
			out = append(out, a+"="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "stateguard: finds state guards that cannot catch a concurrent duplicate\n\n")
	fmt.Fprintf(w, "Usage:\n")
	fmt.Fprintf(w, "  stateguard [flags] packages...          analyze packages\n")
	fmt.Fprintf(w, "  stateguard help [CHECK]                 this help, or the documentation of a check\n")
	fmt.Fprintf(w, "  stateguard -version                     the version of stateguard and of Go\n")
	fmt.Fprintf(w, "  go vet -vettool=$(which stateguard) [flags] packages...\n\n")
	fmt.Fprintf(w, "Exit status: 0 nothing found, 3 findings printed, 1 failure (whatever was found).\n\n")
	fmt.Fprintf(w, "Checks (stateguard help CHECK describes one):\n")
	for _, c := range check.All {
		if c.Analyzer {
			fmt.Fprintf(w, "  %-22s %s\n", c.Name, c.Title)
		}
	}
	fmt.Fprintf(w, "\nFlags:\n")
	fs.PrintDefaults()
}

// help prints the usage (no argument) or the documentation of each check
// named, as staticcheck -explain does.
func help(names []string, stdout, stderr io.Writer) int {
	if len(names) == 0 {
		fs, _ := newFlagSet(stdout)
		usage(stdout, fs)
		return 0
	}
	for i, name := range names {
		c, ok := check.Lookup(name)
		if !ok {
			var known []string
			for _, c := range check.All {
				known = append(known, c.Name)
			}
			fmt.Fprintf(stderr, "stateguard: unknown check %q; the checks are %s\n", name, strings.Join(known, ", "))
			return 2
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "%s: %s\n\n%s\n\n%s\n", c.Name, c.Title, analyzer.CheckDoc(c.Name), check.DocURL(c.Name))
	}
	return 0
}

// newFlagSet returns the flags of the standalone command, bound to the
// options it returns, and the analyzer's.
func newFlagSet(w io.Writer) (*flag.FlagSet, *options) {
	fs := flag.NewFlagSet("stateguard", flag.ContinueOnError)
	fs.SetOutput(w)
	opts := new(options)
	fs.BoolVar(&opts.json, "json", false, "print findings as JSON (the x/tools schema) to stdout")
	fs.Var(&opts.sarif, "sarif", "print SARIF 2.1.0 to stdout (-sarif) or write it to a file (-sarif=FILE or -sarif FILE.sarif)")
	fs.BoolVar(&opts.tests, "test", true, "also analyze test files")
	fs.IntVar(&opts.contextLn, "c", -1, "display offending line with this many lines of context")
	fs.BoolVar(&opts.version, "version", false, "print the version of stateguard and of the Go toolchain that built it")
	fs.BoolVar(&opts.fix, "fix", false, "not supported: stateguard's findings carry no automatic fixes")
	fs.BoolVar(&opts.fix, "diff", false, "not supported: stateguard's findings carry no automatic fixes")
	analyzer.Analyzer.Flags.VisitAll(func(f *flag.Flag) {
		fs.Var(f.Value, f.Name, f.Usage)
	})
	return fs, opts
}

// versionLine is what -version prints: the module version of the binary
// ("(devel)" when built from a work tree) and the Go version that built it.
func versionLine() string {
	return fmt.Sprintf("stateguard %s %s %s/%s", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
