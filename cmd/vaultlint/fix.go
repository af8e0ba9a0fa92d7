package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sort"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/internal/textdiff"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

type fixOutcome struct {
	res       *rules.FixResult
	remaining []rules.Diagnostic
	written   map[string]int // path → fixes applied
	failed    int
}

// applyFixes runs the fix loop in memory, then prints the diff (--diff)
// or writes each changed note atomically. A note that cannot be written
// keeps its original diagnostics in what remains.
func applyFixes(ctx context.Context, v *vault.Vault, cfg rules.Config, o checkOptions, e *env) (*fixOutcome, error) {
	originals := map[string]*vault.Note{}
	for _, n := range v.Notes {
		originals[n.Path] = n
	}
	res, err := rules.FixAll(ctx, v, cfg, o.unsafe)
	if err != nil {
		return nil, err
	}
	out := &fixOutcome{res: res, remaining: res.Remaining, written: map[string]int{}}
	for _, d := range res.Rejected {
		e.errorf("%s:%d:%d: %s: %s (please report it)", d.Path, d.Line, d.Column, d.Rule, d.Message)
	}
	for _, p := range res.Unconverged {
		e.errorf("%s: fixes did not settle after %d rounds; what remains is reported", p, rules.MaxFixRounds)
	}
	paths := make([]string, 0, len(res.Fixed))
	for p := range res.Fixed {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if o.diff {
		for _, p := range paths {
			fmt.Fprint(e.stdout, textdiff.Unified(p, res.Original[p], res.Fixed[p]))
		}
		return out, nil
	}
	for _, err := range fix.CleanTemp(v.Root, v.Hidden) {
		e.errorf("cannot remove a temporary file left by an earlier run: %v", err)
	}
	var failed []string
	for _, p := range paths {
		f := v.File(p)
		snap := fix.Snapshot{Size: f.Size, ModTime: f.ModTime, Mode: f.Mode, Hash: sha256.Sum256(res.Original[p])}
		// Write by the name on disk: an NFD name (as macOS stores it)
		// is the same note as its NFC vault path, but not the same file
		// name on Linux.
		if err := fix.Write(v.Root, f.DiskPath(), snap, res.Fixed[p]); err != nil {
			e.errorf("%v", err)
			failed = append(failed, p)
			continue
		}
		out.written[p] = res.Applied[p]
	}
	if len(failed) > 0 {
		out.failed = len(failed)
		out.remaining = recheckUnwritten(v, cfg, originals, failed, res.Remaining)
	}
	return out, nil
}

// recheckUnwritten puts back the notes that could not be written and
// reports their diagnostics as they stand on disk.
func recheckUnwritten(v *vault.Vault, cfg rules.Config, originals map[string]*vault.Note, failed []string, ds []rules.Diagnostic) []rules.Diagnostic {
	isFailed := map[string]bool{}
	for _, p := range failed {
		isFailed[p] = true
		v.ReplaceNote(vault.Parse(p, originals[p].Src))
	}
	var out []rules.Diagnostic
	for _, d := range ds {
		if !isFailed[d.Path] {
			out = append(out, d)
		}
	}
	rs := cfg.Rules
	if rs == nil {
		rs = rules.All()
	}
	for _, p := range failed {
		out = append(out, rules.CheckNote(v, v.File(p).Note, rs, cfg)...)
	}
	rules.Sort(out)
	return out
}

func (f *fixOutcome) printSummary(e *env) {
	n, files := 0, 0
	for _, c := range f.written {
		n += c
		files++
	}
	fmt.Fprintf(e.stderr, "Fixed %d %s in %d %s.\n", n, plural(n, "problem"), files, plural(files, "file"))
	if f.failed > 0 {
		fmt.Fprintf(e.stderr, "%d %s could not be written (see above).\n", f.failed, plural(f.failed, "file"))
	}
}
