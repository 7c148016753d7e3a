// Command treerss runs a command and reports the peak of the summed
// resident set size of the command and all its descendants, sampled every
// 100ms from /proc (Linux only). GNU time's maximum resident set size is
// that of the largest single process; a driver that runs one process per
// package (go vet) needs the sum of the processes alive at once.
//
// Usage: treerss -o FILE command [args...]
//
// FILE receives the peak in KiB. The exit status is the command's.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "", "write the peak tree RSS in KiB to this file")
	flag.Parse()
	if flag.NArg() == 0 || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: treerss -o FILE command [args...]")
		os.Exit(2)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "treerss:", err)
		os.Exit(2)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	page := int64(os.Getpagesize())
	var peak int64
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var err error
loop:
	for {
		if rss := treeRSS(cmd.Process.Pid, page); rss > peak {
			peak = rss
		}
		select {
		case err = <-done:
			break loop
		case <-tick.C:
		}
	}
	if werr := os.WriteFile(*out, []byte(strconv.FormatInt(peak/1024, 10)+"\n"), 0o644); werr != nil {
		fmt.Fprintln(os.Stderr, "treerss:", werr)
		os.Exit(2)
	}
	if ee, ok := err.(*exec.ExitError); ok {
		os.Exit(ee.ExitCode())
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "treerss:", err)
		os.Exit(2)
	}
}

// treeRSS returns the summed RSS in bytes of root and its descendants.
func treeRSS(root int, page int64) int64 {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	parent := map[int]int{}
	for _, s := range stats {
		data, err := os.ReadFile(s)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		str := string(data)
		i := strings.LastIndexByte(str, ')')
		if i < 0 {
			continue
		}
		pid, err1 := strconv.Atoi(strings.TrimSpace(str[:strings.IndexByte(str, '(')]))
		f := strings.Fields(str[i+1:])
		if err1 != nil || len(f) < 2 {
			continue
		}
		ppid, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		parent[pid] = ppid
	}
	var sum int64
	for pid := range parent {
		if !descends(pid, root, parent) {
			continue
		}
		data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
		if err != nil {
			continue
		}
		f := strings.Fields(string(data))
		if len(f) < 2 {
			continue
		}
		if n, err := strconv.ParseInt(f[1], 10, 64); err == nil {
			sum += n * page
		}
	}
	return sum
}

func descends(pid, root int, parent map[int]int) bool {
	for i := 0; i < 64 && pid > 1; i++ {
		if pid == root {
			return true
		}
		pid = parent[pid]
	}
	return pid == root
}
