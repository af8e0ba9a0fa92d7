package rules

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sort"

	"github.com/vaultlint/vaultlint/internal/par"
	"github.com/vaultlint/vaultlint/vault"
)

// Settings says how one rule runs on one note: its severity (Off to skip
// it) and its options (nil for the defaults).
type Settings func(path string, r *Rule) (Severity, map[string]any)

// Config says which rules run, on which notes, and how.
type Config struct {
	// Rules to run; nil means All().
	Rules []*Rule
	// Settings overrides the rules' default severities and options.
	Settings Settings
	// Report, when set, limits which files are reported, by vault path
	// (the PATH arguments). Excluded files are never reported.
	Report func(path string) bool
	// WholeVault enables rules that need every note (VaultWide).
	WholeVault bool
	// MaybeOn, when set, tells whether a rule can be on for any file at
	// all, so that a vault-level rule that is off everywhere is not run.
	MaybeOn func(*Rule) bool
	// Progress, when set, is called once per note after its rules ran,
	// from several goroutines at once, with the number of notes to
	// check; it must be cheap.
	Progress func(total int)
}

// Check runs the rules over the vault's notes in parallel and returns the
// diagnostics sorted by path, line, column and rule.
func Check(ctx context.Context, v *vault.Vault, cfg Config) ([]Diagnostic, error) {
	rs := cfg.Rules
	if rs == nil {
		rs = All()
	}
	var notes []*vault.Note
	for _, n := range v.Notes {
		if n.Excluded || (cfg.Report != nil && !cfg.Report(n.Path)) {
			continue
		}
		notes = append(notes, n)
	}
	results := make([][]Diagnostic, len(notes))
	// The vault-wide rules run beside the notes' rules, not after them:
	// they read the vault only, and alone they would leave a CPU idle.
	var vaultDiags []Diagnostic
	vaultDone := make(chan struct{})
	go func() {
		defer close(vaultDone)
		vaultDiags = checkVault(v, rs, cfg)
	}()
	err := par.ForEach(ctx, len(notes), runtime.GOMAXPROCS(0), func(i int) {
		results[i] = CheckNote(v, notes[i], rs, cfg)
		if cfg.Progress != nil {
			cfg.Progress(len(notes))
		}
	})
	<-vaultDone
	if err != nil {
		return nil, err
	}
	var out []Diagnostic
	for _, r := range results {
		out = append(out, r...)
	}
	out = append(out, vaultDiags...)
	out = applySuppressions(notes, out, rs, cfg)
	Sort(out)
	return out, nil
}

// applySuppressions filters the diagnostics of notes that hold
// suppression comments or the vaultlint-disable property, and reports
// the suppressions that silence nothing.
func applySuppressions(notes []*vault.Note, ds []Diagnostic, rs []*Rule, cfg Config) []Diagnostic {
	var marked []*vault.Note
	for _, n := range notes {
		if bytes.Contains(n.Src, []byte("vaultlint-")) {
			marked = append(marked, n)
		}
	}
	if len(marked) == 0 {
		return ds
	}
	byPath := map[string][]Diagnostic{}
	var rest []Diagnostic
	isMarked := map[string]bool{}
	for _, n := range marked {
		isMarked[n.Path] = true
	}
	for _, d := range ds {
		if isMarked[d.Path] {
			byPath[d.Path] = append(byPath[d.Path], d)
		} else {
			rest = append(rest, d)
		}
	}
	running := map[string]*Rule{}
	for _, r := range rs {
		if (r.Run != nil || r.RunVault != nil) && (!r.VaultWide || cfg.WholeVault) {
			running[r.ID] = r
		}
	}
	allRan := true
	for _, r := range All() {
		if r != UnusedSuppression && running[r.ID] == nil {
			allRan = false
		}
	}
	enabled := false
	for _, r := range rs {
		if r == UnusedSuppression {
			enabled = true
		}
	}
	for _, n := range marked {
		sev := func(r *Rule) Severity {
			if cfg.Settings == nil {
				return r.Severity
			}
			s, _ := cfg.Settings(n.Path, r)
			return s
		}
		ran := func(id string) bool {
			r := running[id]
			return r != nil && sev(r) != Off
		}
		usev := Off
		if enabled {
			usev = sev(UnusedSuppression)
		}
		kept := suppress(n, byPath[n.Path], usev, allRan, ran)
		setPositions(n.Src, kept)
		rest = append(rest, kept...)
	}
	return rest
}

// checkVault runs the rules that look at the vault as a whole, then keeps
// what they report on files that are reported, at each file's severity.
func checkVault(v *vault.Vault, rs []*Rule, cfg Config) []Diagnostic {
	var out []Diagnostic
	for _, r := range rs {
		if r.RunVault == nil || (r.VaultWide && !cfg.WholeVault) {
			continue
		}
		on := r.Severity != Off
		var opts map[string]any
		if cfg.Settings != nil {
			var sev Severity
			sev, opts = cfg.Settings("", r)
			on = sev != Off || (cfg.MaybeOn != nil && cfg.MaybeOn(r))
		}
		if !on {
			continue
		}
		p := &VaultPass{Vault: v, Rule: r, opts: opts}
		runVault(p)
		for _, d := range p.diags {
			if d.Path == internalErrorPath {
				d.Severity, d.Line, d.Column, d.EndLine, d.EndColumn = Error, 1, 1, 1, 1
				out = append(out, d)
				continue
			}
			f := v.File(d.Path)
			if f == nil || f.Excluded || (cfg.Report != nil && !cfg.Report(d.Path)) {
				continue
			}
			d.Severity = r.Severity
			if cfg.Settings != nil {
				d.Severity, _ = cfg.Settings(d.Path, r)
			}
			if d.Severity == Off {
				continue
			}
			if f.Note != nil {
				one := []Diagnostic{d}
				setPositions(f.Note.Src, one)
				d = one[0]
			} else {
				d.Line, d.Column, d.EndLine, d.EndColumn = 1, 1, 1, 1
			}
			out = append(out, d)
		}
	}
	return out
}

// internalErrorPath names the vault itself in a diagnostic about a
// vault-level rule's own failure.
const internalErrorPath = "."

func runVault(p *VaultPass) {
	defer func() {
		if r := recover(); r != nil {
			p.diags = []Diagnostic{{Rule: p.Rule.ID, Path: internalErrorPath,
				Message: fmt.Sprintf("internal error in rule %s: %v (please report it)", p.Rule.ID, r)}}
		}
	}()
	p.Rule.RunVault(p)
}

// CheckNote runs rules on one note and returns its diagnostics with
// positions set, unsorted.
func CheckNote(v *vault.Vault, n *vault.Note, rs []*Rule, cfg Config) []Diagnostic {
	var out []Diagnostic
	shared := &noteState{}
	// One Pass serves every rule in turn (its diags are copied out after
	// each): a Pass per rule per note was a tenth of a check's objects.
	p := &Pass{}
	for _, r := range rs {
		if r.Run == nil || (r.VaultWide && !cfg.WholeVault) {
			continue
		}
		sev, opts := r.Severity, map[string]any(nil)
		if cfg.Settings != nil {
			sev, opts = cfg.Settings(n.Path, r)
		}
		if sev == Off {
			continue
		}
		*p = Pass{Vault: v, Note: n, Rule: r, opts: opts, shared: shared, diags: p.diags[:0]}
		run(p)
		for i := range p.diags {
			p.diags[i].Severity = sev
		}
		out = append(out, p.diags...)
	}
	shared.release()
	if len(out) > 0 {
		setPositions(n.Src, out)
	}
	return out
}

// run calls the rule and turns a panic into a diagnostic: one rule's bug
// must not cost the user the rest of the run.
func run(p *Pass) {
	defer func() {
		if r := recover(); r != nil {
			p.diags = append(p.diags[:0], Diagnostic{
				Rule: p.Rule.ID, Path: p.Note.Path,
				Message: fmt.Sprintf("internal error in rule %s: %v (please report it)", p.Rule.ID, r),
			})
		}
	}()
	p.Rule.Run(p)
}

// Sort orders diagnostics by path, line, column, rule and message.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := &ds[i], &ds[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// setPositions fills in the lines and columns (in code points) of
// diagnostics of one note in a single pass over it, so that thousands of
// findings on one long line do not each rescan the line.
func setPositions(src []byte, ds []Diagnostic) {
	type ref struct {
		off int
		i   int
		end bool
	}
	refs := make([]ref, 0, 2*len(ds))
	for i := range ds {
		refs = append(refs, ref{max(0, min(ds[i].Span.Start, len(src))), i, false}, ref{max(0, min(ds[i].Span.End, len(src))), i, true})
	}
	sort.Slice(refs, func(a, b int) bool { return refs[a].off < refs[b].off })
	bom := 0
	if len(src) >= 3 && string(src[:3]) == "\xEF\xBB\xBF" {
		bom = 3
	}
	pos, line, col := 0, 1, 1
	for _, r := range refs {
		for ; pos < r.off; pos++ {
			c := src[pos]
			switch {
			case c == '\n':
				line, col = line+1, 1
			case pos < bom:
				// The byte order mark is not a character of the line.
			case c&0xC0 != 0x80:
				col++
			}
		}
		c := col
		if r.off < bom {
			c = 1
		}
		if r.end {
			ds[r.i].EndLine, ds[r.i].EndColumn = line, c
		} else {
			ds[r.i].Line, ds[r.i].Column = line, c
		}
	}
}
