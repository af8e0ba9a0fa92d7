package rules

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

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
// diagnostics sorted by path, line, column and rule. The vault keeps its
// notes' sources: to check a vault as it loads and let the sources go,
// use a Checker.
func Check(ctx context.Context, v *vault.Vault, cfg Config) ([]Diagnostic, error) {
	c := newChecker(cfg, false)
	var notes []*vault.Note
	for _, n := range v.Notes {
		if c.reported(n) {
			notes = append(notes, n)
		}
	}
	err := par.ForEach(ctx, len(notes), runtime.GOMAXPROCS(0), func(i int) {
		c.checkOwn(v, notes[i], false)
		if cfg.Progress != nil {
			cfg.Progress(len(notes))
		}
	})
	if err != nil {
		return nil, err
	}
	return c.Finish(ctx, v)
}

// A Checker checks a vault in two steps, so that a large vault can be
// checked while it loads without keeping every note's source:
//
//   - Parsed, a vault.Options.Parsed, runs each note's own rules (those
//     that read the note alone) as soon as the note is parsed, keeps
//     only the links that a link rule may report on (Rule.MayReport)
//     and their positions, and releases its source
//     (vault.Note.ReleaseSource);
//   - Finish, once the vault is loaded, runs the rules that resolve links
//     (Rule.ReadsTargets), which need every note parsed, and the rules of
//     the vault as a whole.
//
// The link rules report on links, whose positions were kept; a rule that
// needs a note's text after all (to write a fix) reads it again through
// Pass.Source. Notes that hold suppression comments keep their source,
// which the suppressions are matched against at the end.
type Checker struct {
	cfg     Config
	rs      []*Rule
	release bool
	targets bool // some rule reads link targets: keep link positions
	// mayReport are the MayReport of the link rules that may run; nil
	// when every link is kept (a link rule without MayReport, or a rule
	// that reads every note's links, may run).
	mayReport []func(*vault.Link, *vault.Resolution) bool
	// links counts the links of every note parsed, kept or not.
	links atomic.Int64

	prepare sync.Once // starts the rules' Prepare, on the first note

	mu    sync.Mutex
	notes []*checkedNote
}

// checkedNote is what the first step leaves for Finish.
type checkedNote struct {
	note  *vault.Note
	diags []Diagnostic
	// links are the positions of the note's links' spans, taken before
	// its source was released; nil when it was not.
	links []spanPosition
}

// spanPosition is where a span starts and ends, 1-based, columns in code
// points.
type spanPosition struct{ line, col, endLine, endCol uint32 }

// NewChecker returns a Checker for cfg that releases each note's source
// once the note's own rules have run.
func NewChecker(cfg Config) *Checker { return newChecker(cfg, true) }

func newChecker(cfg Config, release bool) *Checker {
	c := &Checker{cfg: cfg, rs: cfg.Rules, release: release}
	if c.rs == nil {
		c.rs = All()
	}
	keepAll := false
	for _, r := range c.rs {
		if r.ReadsTargets && r.Run != nil {
			c.targets = true
		}
		if !cfg.MayRun(r) {
			continue
		}
		switch {
		case r.VaultWide:
			keepAll = true // it reads every note's links
		case r.ReadsTargets && r.Run != nil && r.MayReport == nil:
			keepAll = true
		case r.ReadsTargets && r.Run != nil:
			c.mayReport = append(c.mayReport, r.MayReport)
		}
	}
	if keepAll || !release {
		c.mayReport = nil
	} else if c.mayReport == nil {
		// No link rule may run: no link is kept.
		c.mayReport = []func(*vault.Link, *vault.Resolution) bool{}
	}
	return c
}

// Links returns how many links the notes parsed so far hold, counting
// those that Parsed did not keep.
func (c *Checker) Links() int { return int(c.links.Load()) }

// suppressionMarker is in every note that may suppress a finding: in a
// comment ("vaultlint-disable-line") or as the vaultlint-disable property.
var suppressionMarker = []byte("vaultlint-")

func (c *Checker) reported(n *vault.Note) bool {
	return !n.Excluded && (c.cfg.Report == nil || c.cfg.Report(n.Path))
}

// Parsed runs the rules that read note n alone and releases its source;
// it is meant for vault.Options.Parsed, and is safe to call from several
// goroutines at once.
func (c *Checker) Parsed(v *vault.Vault, n *vault.Note) {
	c.prepare.Do(func() {
		for _, r := range c.rs {
			if r.Prepare != nil && r.Run != nil && c.cfg.mayBeOn(r) {
				go r.Prepare(v)
			}
		}
	})
	c.links.Add(int64(len(n.Links)))
	release := c.release && !bytes.Contains(n.Src, suppressionMarker)
	if c.reported(n) {
		c.checkOwn(v, n, release)
	} else if release && c.mayReport != nil {
		n.Links = nil // not checked: no link rule reads them
	}
	if release {
		n.ReleaseSource()
	}
}

// MayRun reports whether a run with this config can run rule r on some
// file: r is among its rules, and on for at least one file.
func (cfg Config) MayRun(r *Rule) bool {
	if cfg.Rules != nil && !slices.Contains(cfg.Rules, r) || r.VaultWide && !cfg.WholeVault {
		return false
	}
	return cfg.mayBeOn(r)
}

// mayBeOn reports whether rule r is on for some file, whether or not
// the run selects it.
func (cfg Config) mayBeOn(r *Rule) bool {
	if cfg.Settings == nil {
		return r.Severity != Off
	}
	sev, _ := cfg.Settings("", r)
	return sev != Off || (cfg.MaybeOn != nil && cfg.MaybeOn(r))
}

// checkOwn runs the note's own rules and keeps what Finish needs; a
// note whose source is to be released keeps only the links that a link
// rule may report on, and their positions.
func (c *Checker) checkOwn(v *vault.Vault, n *vault.Note, release bool) {
	cn := &checkedNote{note: n, diags: runRules(v, n, c.rs, c.cfg, false)}
	if release && c.mayReport != nil {
		n.Links = c.reportable(v, n)
	}
	if release && c.targets && len(n.Links) > 0 {
		cn.links = linkPositions(n)
	}
	if len(cn.diags) > 0 {
		setPositions(n.Src, cn.diags)
	}
	c.mu.Lock()
	c.notes = append(c.notes, cn)
	c.mu.Unlock()
}

// Finish runs the rules that resolve links over the notes checked so far
// and the rules of the vault as a whole, applies suppressions, and returns
// every diagnostic, sorted.
func (c *Checker) Finish(ctx context.Context, v *vault.Vault) ([]Diagnostic, error) {
	notes := c.notes
	// The vault-wide rules run beside the notes' rules, not after them:
	// they read the vault only, and alone they would leave a CPU idle.
	var vaultDiags []Diagnostic
	vaultDone := make(chan struct{})
	go func() {
		defer close(vaultDone)
		vaultDiags = checkVault(v, c.rs, c.cfg)
	}()
	var err error
	if c.targets {
		err = par.ForEach(ctx, len(notes), runtime.GOMAXPROCS(0), func(i int) {
			c.checkTargets(v, notes[i])
			if c.release && c.cfg.Progress != nil {
				c.cfg.Progress(len(notes))
			}
		})
	}
	if err == nil && c.targets {
		err = par.ForEach(ctx, len(notes), runtime.GOMAXPROCS(0), func(i int) { completeMessages(notes[i].diags) })
	}
	<-vaultDone
	if err != nil {
		return nil, err
	}
	size := len(vaultDiags)
	for _, cn := range notes {
		size += len(cn.diags)
	}
	out := make([]Diagnostic, 0, size)
	checked := make([]*vault.Note, len(notes))
	for i, cn := range notes {
		out = append(out, cn.diags...)
		checked[i] = cn.note
	}
	out = append(out, vaultDiags...)
	out = applySuppressions(checked, out, c.rs, c.cfg)
	Sort(out)
	return out, nil
}

// checkTargets runs the rules that resolve the note's links and adds what
// they find to cn.diags, with positions.
func (c *Checker) checkTargets(v *vault.Vault, cn *checkedNote) {
	n := cn.note
	shared := &noteState{}
	defer shared.release()
	ds := runRulesShared(v, n, c.rs, c.cfg, true, shared)
	if len(ds) == 0 {
		return
	}
	if !n.Released() {
		setPositions(n.Src, ds)
		cn.diags = append(cn.diags, ds...)
		return
	}
	// A released note: the link rules report on links, whose positions
	// were kept. Anything else needs the source again.
	var rest []Diagnostic
	for _, d := range ds {
		if linkPosition(n, cn.links, &d) {
			cn.diags = append(cn.diags, d)
		} else {
			rest = append(rest, d)
		}
	}
	if len(rest) > 0 {
		src := shared.source(v, n)
		if src != nil {
			setPositions(src, rest)
		} else {
			for i := range rest {
				rest[i].Line, rest[i].Column, rest[i].EndLine, rest[i].EndColumn = 1, 1, 1, 1
			}
		}
		cn.diags = append(cn.diags, rest...)
	}
	if shared.srcErr != nil {
		cn.diags = append(cn.diags, Diagnostic{Rule: ds[0].Rule, Path: n.Path, Severity: Error,
			Line: 1, Column: 1, EndLine: 1, EndColumn: 1,
			Message: fmt.Sprintf("cannot finish checking this note: %v; run vaultlint again", shared.srcErr)})
	}
}

// reportable returns the links of n that some link rule may report on,
// in a slice of their own: the note's own would keep every link alive.
func (c *Checker) reportable(v *vault.Vault, n *vault.Note) []vault.Link {
	kept := make([]bool, len(n.Links))
	count := 0
	v.WarmLinks(n, n.Links)
	// One for all the links: the rules' MayReport take its address, so
	// it lives on the heap, and declared in the loop it was allocated
	// once per link.
	var r vault.Resolution
	for i := range n.Links {
		l := &n.Links[i]
		kept[i] = c.mayReportOn(l, nil)
		if !kept[i] {
			r = v.ResolveFile(n, l)
			kept[i] = c.mayReportOn(l, &r)
		}
		if kept[i] {
			count++
		}
	}
	if count == 0 {
		return nil
	}
	keep := make([]vault.Link, 0, count)
	for i, k := range kept {
		if k {
			keep = append(keep, n.Links[i])
		}
	}
	return keep
}

// mayReportOn says whether some link rule may report on l, given r, or
// before it is resolved when r is nil (Rule.MayReport).
func (c *Checker) mayReportOn(l *vault.Link, r *vault.Resolution) bool {
	for _, may := range c.mayReport {
		if may(l, r) {
			return true
		}
	}
	return false
}

// linkPosition sets d's position from the kept position of the link it
// reports on, and says whether there was one.
func linkPosition(n *vault.Note, links []spanPosition, d *Diagnostic) bool {
	for i := range links {
		if n.Links[i].Span == d.Span {
			p := links[i]
			d.Line, d.Column, d.EndLine, d.EndColumn = int(p.line), int(p.col), int(p.endLine), int(p.endCol)
			return true
		}
	}
	return false
}

// linkPositions returns the positions of the note's links' spans, or nil
// when the note is too large for them to be kept.
func linkPositions(n *vault.Note) []spanPosition {
	if len(n.Src) >= math.MaxUint32 {
		return nil
	}
	refs := make([]posRef, 0, 2*len(n.Links))
	for i := range n.Links {
		refs = append(refs, posRef{n.Links[i].Span.Start, i, false}, posRef{n.Links[i].Span.End, i, true})
	}
	out := make([]spanPosition, len(n.Links))
	walkPositions(n.Src, refs, func(r posRef, line, col int) {
		if r.end {
			out[r.i].endLine, out[r.i].endCol = uint32(line), uint32(col)
		} else {
			out[r.i].line, out[r.i].col = uint32(line), uint32(col)
		}
	})
	return out
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
				src := f.Note.Src
				if f.Note.Released() && d.Span != (vault.Span{}) {
					// What these rules report on a note is the note as a
					// whole; a span would need the text again.
					src, _ = v.Source(f.Note)
				}
				setPositions(src, one)
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
	shared := &noteState{}
	defer shared.release()
	out := runRulesShared(v, n, rs, cfg, false, shared)
	out = append(out, runRulesShared(v, n, rs, cfg, true, shared)...)
	completeMessages(out)
	if len(out) > 0 {
		setPositions(n.Src, out)
	}
	return out
}

// runRules runs the note's own rules, or with targets the rules that
// resolve its links, and returns their diagnostics without positions.
func runRules(v *vault.Vault, n *vault.Note, rs []*Rule, cfg Config, targets bool) []Diagnostic {
	shared := &noteState{}
	defer shared.release()
	return runRulesShared(v, n, rs, cfg, targets, shared)
}

func runRulesShared(v *vault.Vault, n *vault.Note, rs []*Rule, cfg Config, targets bool, shared *noteState) []Diagnostic {
	var out []Diagnostic
	// One Pass serves every rule in turn (its diags are copied out after
	// each): a Pass per rule per note was a tenth of a check's objects.
	p := &Pass{}
	for _, r := range rs {
		if r.Run == nil || r.ReadsTargets != targets || (r.VaultWide && !cfg.WholeVault) {
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
	// Indexes are sorted, not the diagnostics themselves (150 bytes
	// each, moved many times over by a sort); ties keep their order.
	order := make([]int32, len(ds))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		if c := compareDiagnostics(&ds[i], &ds[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	sorted := make([]Diagnostic, len(ds))
	for i, k := range order {
		sorted[i] = ds[k]
	}
	copy(ds, sorted)
}

// compareDiagnostics orders by path, line, column, rule and message.
func compareDiagnostics(a, b *Diagnostic) int {
	if c := strings.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Column, b.Column); c != 0 {
		return c
	}
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

// setPositions fills in the lines and columns (in code points) of
// diagnostics of one note in a single pass over it, so that thousands of
// findings on one long line do not each rescan the line.
func setPositions(src []byte, ds []Diagnostic) {
	refs := make([]posRef, 0, 2*len(ds))
	for i := range ds {
		refs = append(refs, posRef{ds[i].Span.Start, i, false}, posRef{ds[i].Span.End, i, true})
	}
	walkPositions(src, refs, func(r posRef, line, col int) {
		if r.end {
			ds[r.i].EndLine, ds[r.i].EndColumn = line, col
		} else {
			ds[r.i].Line, ds[r.i].Column = line, col
		}
	})
}

// posRef is an offset whose position is wanted: the start or end of the
// i-th span.
type posRef struct {
	off int
	i   int
	end bool
}

// walkPositions calls set with the line and column of each ref's offset
// (clamped to src), in order of offset. It finds line breaks with
// bytes.Count and counts code points with runeCount, both much faster
// than a loop over bytes: every note's links get positions.
func walkPositions(src []byte, refs []posRef, set func(r posRef, line, col int)) {
	for i := range refs {
		refs[i].off = max(0, min(refs[i].off, len(src)))
	}
	slices.SortFunc(refs, func(a, b posRef) int { return a.off - b.off })
	bom := 0
	if len(src) >= 3 && string(src[:3]) == "\xEF\xBB\xBF" {
		bom = 3
	}
	pos, line, col := 0, 1, 1
	for _, r := range refs {
		if r.off > pos {
			seg := src[pos:r.off]
			if nl := bytes.Count(seg, lineBreak); nl > 0 {
				line += nl
				pos += bytes.LastIndexByte(seg, '\n') + 1
				col = 1
			}
			// The byte order mark is not a character of the line.
			start := pos
			if start < bom {
				start = min(bom, r.off)
			}
			col += runeCount(src[start:r.off])
			pos = r.off
		}
		c := col
		if r.off < bom {
			c = 1
		}
		set(r, line, c)
	}
}

var lineBreak = []byte{'\n'}

// runeCount is utf8.RuneCount, which counts a byte at a time up to the
// first byte beyond ASCII and decodes every rune after it: it takes
// eight bytes at a time while they are ASCII, anywhere.
func runeCount(b []byte) int {
	const high = 0x8080808080808080
	n, i := 0, 0
	for i < len(b) {
		if i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&high == 0 {
			n, i = n+8, i+8
			continue
		}
		if b[i] < utf8.RuneSelf {
			n, i = n+1, i+1
			continue
		}
		_, size := utf8.DecodeRune(b[i:])
		n, i = n+1, i+size
	}
	return n
}
