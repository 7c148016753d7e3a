package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/stateguard/stateguard/analyzer"
)

// vetTool runs the command as a vet tool (the go command's protocol:
// -V=full, -flags, unit.cfg), which singlechecker speaks exactly, after
// checking the analyzer's flags itself: singlechecker would answer a bad
// value with the whole analyzer documentation, once per package.
func vetTool(args []string, stderr io.Writer) int {
	err := checkAnalyzerFlags(args)
	if err == nil && fixRequested(args) {
		// x/tools' -fix applies the fixes and prints no diagnostic, so a
		// run over findings would pass in silence.
		err = errors.New(fixRefused)
	}
	if err != nil {
		msg := fmt.Sprintf("stateguard: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
		if !firstToSay(msg) {
			// Another run under the same go command has said it and
			// failed. Exit quietly and write no facts: the go command
			// caches nothing, and its exit status is already 1.
			return 0
		}
		fmt.Fprintln(stderr, msg)
		return 1
	}
	singlechecker.Main(analyzer.Analyzer)
	return 0
}

// fixRefused says why -fix and -diff are refused, standalone and under the
// go command (go vet -fix, go fix -fixtool).
const fixRefused = "-fix and -diff are not supported: stateguard's findings carry no automatic fixes, " +
	"as each needs a decision about which state the action leaves; run without them to see the findings"

// fixRequested reports whether args (flags before a unit.cfg) switch -fix
// or -diff on.
func fixRequested(args []string) bool {
	for _, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "fix" && name != "diff" {
			continue
		}
		if on, err := strconv.ParseBool(value); !hasValue || (err == nil && on) {
			return true
		}
	}
	return false
}

// checkAnalyzerFlags sets the analyzer's flags found in args on a
// configuration of its own and returns the first error, naming the flag.
func checkAnalyzerFlags(args []string) error {
	var cfg analyzer.Config
	fs := flag.NewFlagSet("stateguard", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if f == nil {
			continue // not the analyzer's: singlechecker's business
		}
		if !hasValue {
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				value = "true"
			} else if i+1 < len(args) {
				i++
				value = args[i]
			}
		}
		if err := f.Value.Set(value); err != nil {
			return fmt.Errorf("-%s=%s: %w", name, value, err)
		}
	}
	return nil
}

// firstToSay reports whether this process is the first of the vet tool
// runs of one go command to report msg. The go command runs the tool once
// per package, in parallel, and prints what each prints: a mistyped flag
// would be reported once per package. The runs share their parent
// process, so the first to create a marker file named after the parent
// (its process id and start time) and msg says it. When the parent cannot
// be identified, every run says it.
func firstToSay(msg string) bool {
	parent, ok := parentID()
	if !ok {
		return true
	}
	sum := sha256.Sum256([]byte(parent + "\x00" + msg))
	name := filepath.Join(os.TempDir(), "stateguard-vet-"+hex.EncodeToString(sum[:8]))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return !os.IsExist(err)
	}
	f.Close()
	removeOldMarkers(name)
	return true
}

// removeOldMarkers removes the markers of firstToSay older than a day,
// but keep.
func removeOldMarkers(keep string) {
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), "stateguard-vet-*"))
	for _, m := range old {
		if fi, err := os.Stat(m); err == nil && m != keep && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(m)
		}
	}
}

// parentID identifies the parent process uniquely over time: its process
// id and its start time, from /proc (Linux). ok is false elsewhere.
func parentID() (id string, ok bool) {
	ppid := os.Getppid()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", ppid))
	if err != nil {
		return "", false
	}
	// The second field, the command, is in parentheses and may hold
	// spaces; the start time is the 22nd field, the 20th after it.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return "", false
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 20 {
		return "", false
	}
	return fmt.Sprintf("%d-%s", ppid, fields[19]), true
}
