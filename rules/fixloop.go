package rules

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// MaxFixRounds bounds the fix loop: fixes that keep changing a note after
// this many rounds do not converge and are reported.
const MaxFixRounds = 10

// FixResult is what FixAll did, in memory: nothing is written.
type FixResult struct {
	// Fixed maps a note's path to its new bytes, for the notes changed.
	Fixed map[string][]byte
	// Original maps the same paths to the bytes they had.
	Original map[string][]byte
	// Applied counts the fixes applied per note.
	Applied map[string]int
	// Rejected are fixes that were dropped because applying them broke
	// the note (invalid frontmatter, or Markdown changed outside the
	// fix): bugs in a rule, reported, never written.
	Rejected []Diagnostic
	// Unconverged lists notes still changing after MaxFixRounds.
	Unconverged []string
	// Remaining are the diagnostics left after fixing, positioned in the
	// fixed text.
	Remaining []Diagnostic
}

// FixAll runs the rules, applies every fix allowed (safe ones, and unsafe
// ones when unsafe is true) that does not overlap a fix already taken in
// the same note, re-parses the changed notes, and repeats until nothing
// changes or MaxFixRounds is reached. The vault's notes are replaced by
// their fixed versions as it goes.
func FixAll(ctx context.Context, v *vault.Vault, cfg Config, unsafe bool) (*FixResult, error) {
	res := &FixResult{Fixed: map[string][]byte{}, Original: map[string][]byte{}, Applied: map[string]int{}}
	rejected := map[string]bool{} // fixes known to break a note, by key
	var changed map[string]bool
	for round := 0; round < MaxFixRounds; round++ {
		ds, err := Check(ctx, v, cfg)
		if err != nil {
			return nil, err
		}
		byPath := map[string][]Diagnostic{}
		for _, d := range ds {
			if d.Fixable(unsafe) && !rejected[fixKey(d)] {
				byPath[d.Path] = append(byPath[d.Path], d)
			}
		}
		changed = map[string]bool{}
		for _, p := range sortedPaths(byPath) {
			n := v.File(p).Note
			taken := takeFixes(n, byPath[p])
			src, good, bad := applyChecked(n, taken)
			for _, d := range bad {
				rejected[fixKey(d)] = true
				res.Rejected = append(res.Rejected, d)
			}
			if len(good) == 0 || string(src) == string(n.Src) {
				continue
			}
			if _, seen := res.Original[p]; !seen {
				res.Original[p] = n.Src
			}
			res.Applied[p] += len(good)
			res.Fixed[p] = src
			v.ReplaceNote(vault.Parse(p, src))
			changed[p] = true
		}
		if len(changed) == 0 {
			res.Remaining = ds
			return res, nil
		}
	}
	res.Unconverged = sortedPaths(changed)
	ds, err := Check(ctx, v, cfg)
	if err != nil {
		return nil, err
	}
	res.Remaining = ds
	return res, nil
}

// takeFixes picks, in diagnostic order, the fixes whose edits are valid
// and overlap no fix taken before; the others wait for the next round.
func takeFixes(n *vault.Note, ds []Diagnostic) []Diagnostic {
	var taken []Diagnostic
	var edits takenEdits
	for _, d := range ds {
		if fix.Validate(len(n.Src), d.Fix.Edits) != nil {
			continue
		}
		if edits.overlaps(d.Fix.Edits) {
			continue
		}
		edits.add(d.Fix.Edits)
		taken = append(taken, d)
	}
	return taken
}

// takenEdits holds the edits taken so far in a note, sorted by Start.
// No two overlap, so they are also sorted by End, and the ones an edit
// can overlap are found by binary search: comparing each new fix with
// every fix taken before was quadratic, and a note with 200,000 fixable
// links took minutes.
type takenEdits []fix.Edit

// overlaps reports whether any of es overlaps an edit taken.
func (t takenEdits) overlaps(es []fix.Edit) bool {
	for _, e := range es {
		// Every edit that overlaps e ends at or after e.Start (see
		// fix.Edit.Overlaps), and as the taken edits follow one another,
		// only the first few of those can start early enough to overlap.
		for i := sort.Search(len(t), func(i int) bool { return t[i].End >= e.Start }); i < len(t) && (t[i].Start < e.End || t[i].Start == e.Start); i++ {
			if t[i].Overlaps(e) {
				return true
			}
		}
	}
	return false
}

// add inserts es, which overlap no edit taken nor one another. Fixes
// come in diagnostic order, so an edit usually goes at the end.
func (t *takenEdits) add(es []fix.Edit) {
	for _, e := range es {
		i := sort.Search(len(*t), func(i int) bool { return (*t)[i].Start > e.Start })
		*t = slices.Insert(*t, i, e)
	}
}

// applyChecked applies the fixes together; when the result breaks the
// note, it tries them one at a time to find the culprits and applies only
// the fixes that are harmless on their own.
func applyChecked(n *vault.Note, ds []Diagnostic) (out []byte, good, bad []Diagnostic) {
	all := collectEdits(ds)
	src, err := fix.Apply(n.Src, all)
	if err == nil && harmless(n, all, src) {
		return src, ds, nil
	}
	for _, d := range ds {
		one, err := fix.Apply(n.Src, d.Fix.Edits)
		if err != nil || !harmless(n, d.Fix.Edits, one) {
			d.Message = fmt.Sprintf("fix dropped: it would break the note (%s)", d.Message)
			bad = append(bad, d)
			continue
		}
		good = append(good, d)
	}
	src, err = fix.Apply(n.Src, collectEdits(good))
	if err != nil || !harmless(n, collectEdits(good), src) {
		return n.Src, nil, append(bad, good...)
	}
	return src, good, bad
}

func collectEdits(ds []Diagnostic) []fix.Edit {
	var edits []fix.Edit
	for _, d := range ds {
		edits = append(edits, d.Fix.Edits...)
	}
	return edits
}

// harmless reports whether fixed (n.Src with edits applied) still parses
// as the same note outside the edits: frontmatter that was valid stays
// valid, and every link, heading, block id and code, math, comment or
// HTML range that no edit touches is still there, in the same order.
func harmless(n *vault.Note, edits []fix.Edit, fixed []byte) bool {
	m := vault.Parse(n.Path, fixed)
	if n.Frontmatter != nil && n.Frontmatter.Err == nil && m.Frontmatter != nil && m.Frontmatter.Err != nil {
		return false
	}
	if (n.Frontmatter == nil || n.Frontmatter.Err == nil) && m.Frontmatter != nil && m.Frontmatter.Err != nil {
		return false
	}
	sorted := fix.Sorted(edits)
	newSpans := make([]vault.Span, len(sorted))
	shift := 0
	for i, e := range sorted {
		start := e.Start + shift
		newSpans[i] = vault.Span{Start: start, End: start + len(e.New)}
		shift += len(e.New) - (e.End - e.Start)
	}
	oldSpans := make([]vault.Span, len(sorted))
	for i, e := range sorted {
		oldSpans[i] = vault.Span{Start: e.Start, End: e.End}
	}
	return slices.Equal(structure(n, oldSpans), structure(m, newSpans))
}

// structure lists what a note is made of, leaving out anything the given
// spans touch.
func structure(n *vault.Note, touched []vault.Span) []string {
	var out []string
	keep := func(s vault.Span) bool { return !touchesAny(touched, s) }
	for _, l := range n.Links {
		if keep(l.Span) {
			out = append(out, "link "+string(n.Src[l.Span.Start:l.Span.End]))
		}
	}
	for _, h := range n.Headings {
		if keep(h.Span) {
			out = append(out, fmt.Sprintf("h%d %s", h.Level, h.Text))
		}
	}
	for _, b := range n.Blocks {
		if keep(b.Span) {
			out = append(out, "block "+b.ID)
		}
	}
	for _, r := range n.Ranges {
		if keep(r.Span) {
			out = append(out, fmt.Sprintf("range%d %s", r.Kind, n.Src[r.Span.Start:r.Span.End]))
		}
	}
	sort.Strings(out)
	return out
}

// touchesAny reports whether any of the spans touches s (see touches).
// The spans are those of valid edits in file order: they follow one
// another without overlapping, so their ends are in order too, and only
// the first that ends at or after s.Start can touch s. Testing every
// span against every link made a note with 200,000 fixes quadratic.
func touchesAny(spans []vault.Span, s vault.Span) bool {
	i := sort.Search(len(spans), func(i int) bool { return spans[i].End >= s.Start })
	return i < len(spans) && touches(s, spans[i])
}

// touches reports whether an edit span t (possibly empty: an insertion)
// changes anything inside s, or sits right at its edge, where it could
// join s with its neighbour.
func touches(s, t vault.Span) bool {
	if t.Start == t.End {
		return t.Start >= s.Start && t.Start <= s.End
	}
	return t.Start <= s.End && s.Start <= t.End
}

func fixKey(d Diagnostic) string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%s", d.Path, d.Rule, d.Span.Start, d.Message)
}

func sortedPaths[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
