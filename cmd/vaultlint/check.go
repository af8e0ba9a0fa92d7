package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/internal/config"
	"github.com/vaultlint/vaultlint/internal/report"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

const checkUsage = `vaultlint [check] [flags] [PATH...]

Reports problems in the notes of an Obsidian vault. PATHs (notes or folders
inside the vault) limit which notes are reported; links still resolve
against the whole vault, and only the named notes and the notes they link
to are parsed, so checking a few changed notes of a large vault is quick.
Rules that need every note (orphan-note, unused-attachment) run only when
no PATH narrows the run.`

type checkOptions struct {
	fix      bool
	diff     bool
	unsafe   bool
	vaultDir string
	format   string
	selectR  []string
	ignoreR  []string
	failOn   string
	config   string
	maxSize  int64
	quiet    bool
	noColor  bool
	noCache  bool
}

func runCheck(args []string, e *env) int { return runCheckOrFix("check", checkUsage, false, args, e) }

func runFix(args []string, e *env) int { return runCheckOrFix("fix", fixUsage, true, args, e) }

const fixUsage = `vaultlint fix [flags] [PATH...]

Applies fixes in place, then reports what is left. Safe fixes only, unless
--unsafe-fixes. Each file is written atomically and keeps its line
endings, byte order mark and mode; a file that changed on disk since it
was read is left alone and reported. PATHs limit which notes are fixed.`

func runCheckOrFix(name, usage string, fixing bool, args []string, e *env) int {
	o := checkOptions{fix: fixing}
	fs := newFlags(name, usage, e)
	if !fixing {
		fs.BoolVar(&o.fix, "fix", false, "apply fixes, as 'vaultlint fix' does")
	}
	fs.BoolVar(&o.diff, "diff", false, "print a unified diff of what the fixes would change and write nothing; exit 1 if there is any")
	fs.BoolVar(&o.unsafe, "unsafe-fixes", false, "also apply fixes marked unsafe (they may change what a note means or links to)")
	fs.StringVar(&o.vaultDir, "vault", "", "vault root `DIR` (default: the nearest folder upward holding .obsidian/)")
	fs.StringVar(&o.format, "format", "text", "output format: text, json, sarif or github")
	fs.StringSliceVar(&o.selectR, "select", nil, "run only these `RULE`s (comma-separated ids, or all)")
	fs.StringSliceVar(&o.ignoreR, "ignore", nil, "do not run these `RULE`s (comma-separated ids, or all)")
	fs.StringVar(&o.failOn, "fail-on", "warning", "lowest severity that makes the exit status 1: error, warning, info or never")
	fs.StringVar(&o.config, "config", "", "config `FILE` (default: .vaultlint.yaml at the vault root, if present)")
	fs.Int64Var(&o.maxSize, "max-note-size", vault.DefaultMaxNoteSize, "notes larger than this many `BYTES` are reported and not parsed")
	fs.BoolVar(&o.quiet, "quiet", false, "print diagnostics only, no summary")
	fs.BoolVar(&o.noColor, "no-color", false, "plain text output (colour is used only on a terminal, and never when NO_COLOR is set)")
	if !fixing {
		fs.BoolVar(&o.noCache, "no-cache", false, "neither read nor write the cache of findings kept per vault in the user cache folder (e.g. ~/.cache/vaultlint/); the output is the same either way (--fix and --diff never use it)")
	}
	if st, ok := parseFlags(fs, args, e); !ok {
		return st
	}
	st, err := check(context.Background(), o, fs.Args(), e)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			e.errorf("%s", ue.msg)
			return exitUsage
		}
		e.errorf("%v", err)
		return exitUsage
	}
	return st
}

func check(ctx context.Context, o checkOptions, paths []string, e *env) (int, error) {
	switch o.format {
	case "text", "json", "sarif", "github":
	default:
		return 0, usagef("unknown --format %q (want text, json, sarif or github)", o.format)
	}
	failOn, err := parseFailOn(o.failOn)
	if err != nil {
		return 0, err
	}
	selected, err := selectRules(o.selectR, o.ignoreR)
	if err != nil {
		return 0, err
	}
	root, err := vaultRoot(o.vaultDir, paths)
	if err != nil {
		return 0, err
	}
	filter, err := pathFilter(root, paths)
	if err != nil {
		return 0, err
	}
	conf, err := loadConfig(root, o.config)
	if err != nil {
		return 0, err
	}
	// With PATHs, only the notes they name (and the notes those link to)
	// are parsed: every file is still indexed, so links resolve against
	// the whole vault.
	opts := vault.Options{CollectHidden: fix.IsTemp, Exclude: conf.Ignored, Only: filter, MaxNoteSize: o.maxSize, BeforeParse: limitMemory(false)}
	cfg := rules.Config{Rules: selected, WholeVault: filter == nil, Settings: conf.Settings(), MaybeOn: conf.MaybeOn}
	if filter != nil {
		cfg.Report = filter
	}
	opts.Canvases = cfg.MayRun(rules.UnusedAttachment) // what canvases show is used
	prog := startProgressFor(e, o.quiet)
	defer prog.Stop()
	if prog != nil {
		opts.Progress = prog.parse.note
		cfg.Progress = prog.check.note
	}
	pe := prog.env(e) // for what is printed while the line may be up
	var v *vault.Vault
	var ds []rules.Diagnostic
	var fixed *fixOutcome
	var checker *rules.Checker
	links := -1 // set when the cache served the run: most notes are not parsed
	if !o.fix && !o.diff && !o.noCache {
		if v, ds, links, err = checkCached(ctx, root, conf, opts, cfg, pe); err != nil {
			return 0, err
		}
	} else {
		if !o.fix && !o.diff {
			// Each note is checked as it is parsed, and only what the
			// link rules need of it is kept (rules.Checker).
			checker = rules.NewChecker(cfg)
			opts.Parsed = checker.Parsed
			opts.BeforeParse = limitMemory(true)
		}
		if v, err = vault.Load(ctx, root, opts); err != nil {
			return 0, fmt.Errorf("cannot read the vault: %w", err)
		}
	}
	if o.fix || o.diff {
		fixed, err = applyFixes(ctx, v, cfg, o, pe)
		if err != nil {
			return 0, err
		}
		if o.diff {
			if len(fixed.res.Fixed) > 0 {
				return exitProblems, nil
			}
			return exitOK, nil
		}
		ds = fixed.remaining
	} else if links < 0 { // --no-cache
		if ds, err = checker.Finish(ctx, v); err != nil {
			return 0, err
		}
		links = checker.Links() // the checker kept only some of them
	}
	prog.Stop() // before the report, which must not share a line with it

	var skipped []report.Skipped
	for _, p := range v.Problems {
		if filter == nil || filter(p.Path) {
			skipped = append(skipped, report.Skipped{Path: p.Path, Reason: p.Err.Error()})
		}
	}
	sum := summarize(v, ds)
	if links >= 0 {
		sum.Links = links
	}
	switch o.format {
	case "json":
		err = report.JSON(e.stdout, ds, sum, skipped)
	case "sarif":
		err = report.SARIF(e.stdout, ds, rules.All(), fullVersion())
	case "github":
		err = report.GitHub(e.stdout, ds)
	default:
		err = report.Text(e.stdout, ds, false, useColor(o.noColor, e))
	}
	if err != nil {
		return 0, err
	}
	for _, s := range skipped {
		fmt.Fprintf(e.stderr, "vaultlint: %s: skipped: %s\n", s.Path, s.Reason)
	}
	if !o.quiet && o.format == "text" {
		if fixed != nil {
			fixed.printSummary(e)
		}
		printSummary(e, sum, ds, o.fix)
	}
	if fixed != nil && fixed.failed > 0 {
		return exitProblems, nil
	}
	for _, d := range ds {
		if failOn != rules.Off && d.Severity >= failOn {
			return exitProblems, nil
		}
	}
	return exitOK, nil
}

// loadConfig reads --config, or .vaultlint.yaml at the vault root when
// there is one; a bad config is a usage error (exit 2).
func loadConfig(root, flag string) (*config.Config, error) {
	path := flag
	if path == "" {
		path = filepath.Join(root, config.FileName)
		if !fileExists(path) {
			return &config.Config{}, nil
		}
	}
	c, err := config.Load(path)
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	return c, nil
}

// parseFailOn maps --fail-on to the lowest failing severity; Off means
// never fail.
func parseFailOn(s string) (rules.Severity, error) {
	if s == "never" {
		return rules.Off, nil
	}
	sev, err := rules.ParseSeverity(s)
	if err != nil || sev == rules.Off {
		return 0, usagef("unknown --fail-on %q (want error, warning, info or never)", s)
	}
	return sev, nil
}

// selectRules applies --select and --ignore to the catalogue.
func selectRules(sel, ign []string) ([]*rules.Rule, error) {
	expand := func(flag string, ids []string) (map[string]bool, error) {
		set := map[string]bool{}
		for _, id := range ids {
			id = strings.TrimSpace(id)
			switch {
			case id == "":
			case id == "all":
				for _, r := range rules.All() {
					set[r.ID] = true
				}
			case rules.ByID(id) == nil:
				return nil, usagef("unknown rule %q in %s; run 'vaultlint rules' for the list", id, flag)
			default:
				set[id] = true
			}
		}
		return set, nil
	}
	s, err := expand("--select", sel)
	if err != nil {
		return nil, err
	}
	ig, err := expand("--ignore", ign)
	if err != nil {
		return nil, err
	}
	var out []*rules.Rule
	for _, r := range rules.All() {
		if (len(sel) == 0 || s[r.ID]) && !ig[r.ID] {
			out = append(out, r)
		}
	}
	return out, nil
}

// vaultRoot finds the vault as cli.md says: --vault, else the nearest
// folder holding .obsidian/ upward from the first PATH (or the working
// directory), else the first PATH if it is a folder, else the working
// directory.
func vaultRoot(flag string, paths []string) (string, error) {
	if flag != "" {
		st, err := os.Stat(flag)
		if err != nil {
			return "", usagef("--vault %s: %v", flag, errors.Unwrap(err))
		}
		if !st.IsDir() {
			return "", usagef("--vault %s: not a folder", flag)
		}
		return filepath.Abs(flag)
	}
	start := "."
	if len(paths) > 0 {
		start = paths[0]
		if _, err := os.Stat(start); err != nil {
			return "", usagef("%s: no such file or folder", start)
		}
	}
	return vault.FindRoot(start)
}

// pathFilter turns PATH arguments into a test on vault paths; nil means
// the whole vault. A PATH may be given relative to the working directory
// or to the vault root.
func pathFilter(root string, paths []string) (func(string) bool, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	var prefixes []string
	whole := false
	for _, p := range paths {
		rel, err := vaultRel(realRoot, p)
		if err != nil {
			return nil, err
		}
		if rel == "" {
			whole = true
		}
		prefixes = append(prefixes, rel)
	}
	if whole {
		return nil, nil
	}
	return func(vp string) bool {
		for _, pre := range prefixes {
			if vp == pre || strings.HasPrefix(vp, pre+"/") {
				return true
			}
		}
		return false
	}, nil
}

// vaultRel converts a PATH to a vault path ("" for the root itself).
func vaultRel(root, p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err == nil {
		if _, statErr := os.Stat(abs); statErr != nil {
			if alt := filepath.Join(root, p); fileExists(alt) {
				abs = alt
			} else {
				return "", usagef("%s: no such file or folder", p)
			}
		}
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return "", usagef("%s: %v", p, err)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", usagef("%s is not inside the vault %s", p, root)
	}
	if rel == "." {
		return "", nil
	}
	return filepath.ToSlash(rel), nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func summarize(v *vault.Vault, ds []rules.Diagnostic) report.Summary {
	var s report.Summary
	s.Files = len(v.Files)
	for _, f := range v.Files {
		if f.IsNote() {
			s.Notes++
		}
	}
	for _, n := range v.Notes {
		s.Links += len(n.Links)
	}
	s.Count(ds, false)
	return s
}

func printSummary(e *env, s report.Summary, ds []rules.Diagnostic, fixing bool) {
	if len(ds) == 0 {
		fmt.Fprintf(e.stderr, "No problems in %d notes.\n", s.Notes)
		return
	}
	files := map[string]bool{}
	for _, d := range ds {
		files[d.Path] = true
	}
	verb := "Found"
	if fixing {
		verb = "Remaining:"
	}
	n := len(ds)
	fmt.Fprintf(e.stderr, "%s %d %s (%d %s, %d %s, %d %s) in %d of %d notes.",
		verb, n, plural(n, "problem"), s.Errors, plural(s.Errors, "error"), s.Warnings, plural(s.Warnings, "warning"),
		s.Infos, plural(s.Infos, "info"), len(files), s.Notes)
	if s.Fixable > 0 && !fixing {
		fmt.Fprintf(e.stderr, " %d fixable with 'vaultlint fix'.", s.Fixable)
	}
	fmt.Fprintln(e.stderr)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// useColor: colour only on a terminal, unless NO_COLOR is set or
// --no-color given.
func useColor(noColor bool, e *env) bool {
	if noColor || os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := e.stdout.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
