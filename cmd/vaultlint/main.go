// Command vaultlint lints Obsidian vaults and resolves their links exactly
// as Obsidian does. See README.md and docs/ for the commands.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/pflag"
)

// version is set at build time with -ldflags "-X main.version=…"; a
// module build reports its module version instead.
var version = "devel"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses (cli.md).
const (
	exitOK       = 0
	exitProblems = 1
	exitUsage    = 2
)

// usageError is a mistake in the command line or config: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

type command struct {
	name    string
	summary string
	run     func(args []string, env *env) int
}

// env is what a command writes to.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func (e *env) errorf(format string, args ...any) {
	fmt.Fprintf(e.stderr, "vaultlint: "+format+"\n", args...)
}

var commands []command

func init() {
	commands = []command{
		{"check", "report problems (the default command)", runCheck},
		{"fix", "apply fixes in place, then report what is left", runFix},
		{"resolve", "show what a link resolves to, and why", runResolve},
		{"links", "outgoing links of a note, each with its resolution", runLinks},
		{"backlinks", "notes and lines that link to a note", runBacklinks},
		{"mv", "move or rename a note, attachment or folder and rewrite every link to it", runMv},
		{"rules", "list the rules, or show one rule's documentation", runRules},
		{"version", "print vaultlint's version", runVersion},
	}
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin, stdout, stderr}
	if len(args) > 0 {
		switch args[0] {
		case "-h", "--help", "help":
			printUsage(stdout)
			return exitOK
		case "-V", "--version":
			return runVersion(nil, e)
		}
		for _, c := range commands {
			if args[0] == c.name {
				return c.run(args[1:], e)
			}
		}
		if !strings.HasPrefix(args[0], "-") && !looksLikePath(args[0]) {
			e.errorf("unknown command %q; run 'vaultlint --help' for the list", args[0])
			return exitUsage
		}
	}
	return runCheck(args, e)
}

// looksLikePath tells a PATH given to the default command from a mistyped
// command name.
func looksLikePath(s string) bool {
	if strings.ContainsAny(s, "/\\.") {
		return true
	}
	_, err := os.Stat(s)
	return err == nil
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, `vaultlint lints Obsidian vaults and resolves links as Obsidian does.

Usage:
  vaultlint [check] [flags] [PATH...]
  vaultlint COMMAND [flags]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, `
Run 'vaultlint COMMAND --help' for a command's flags.
Exit status: 0 nothing at or above --fail-on, 1 problems found, 2 usage error,
bad config, or the vault could not be read.
`)
}

// newFlags makes a command's flag set; errors are returned, not printed
// and exited on, so that run can map them to exit status 2.
func newFlags(name, usage string, e *env) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage:\n  %s\n\nFlags:\n%s", usage, fs.FlagUsages())
	}
	fs.SortFlags = false
	return fs
}

// parseFlags parses args and reports how the command should end: ok is
// false when it has already ended, with the returned status.
func parseFlags(fs *pflag.FlagSet, args []string, e *env) (status int, ok bool) {
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		return exitOK, false // pflag has printed the usage
	}
	if err != nil {
		e.errorf("%v; run 'vaultlint %s --help' for usage", err, fs.Name())
		return exitUsage, false
	}
	return 0, true
}

func runVersion(args []string, e *env) int {
	fs := newFlags("version", "vaultlint version", e)
	if st, ok := parseFlags(fs, args, e); !ok {
		return st
	}
	fmt.Fprintf(e.stdout, "vaultlint %s (%s)\n", fullVersion(), runtime.Version())
	return exitOK
}

func fullVersion() string {
	if version != "devel" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}
