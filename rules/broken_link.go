package rules

import (
	"fmt"
	"math/bits"
	"net/url"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"weak"

	"golang.org/x/text/unicode/norm"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// BrokenLink flags links to vault paths that resolve to no file.
var BrokenLink = Register(&Rule{
	ID:      "broken-link",
	Summary: "a link or embed that resolves to no file in the vault",
	Doc: `A wikilink, embed, Markdown link or frontmatter link whose path names no
file of the vault, resolved exactly as Obsidian does: case-insensitively,
".md" optional for notes but extensions required for attachments, "../"
never leaving the vault. Aliases do not resolve links. Links inside %%
comments count, as they do for Obsidian; URLs are not vault links.

The message names up to three existing notes or files with a close name.
The fix is offered only when one target is certain: exactly one note has
the link's path as an alias ([[envoy]] becomes [[Special Envoy|envoy]],
keeping what the reader sees), or exactly one file matches once differences
Obsidian does not forgive are ignored (%20 for a space in a wikilink, a
stray ".md", doubled spaces, Unicode compatibility forms). The fix changes
where the link points, so it is unsafe.`,
	Before:   "The [[envoy]] met the [[Prime%20Minister]]. (Special Envoy.md has the alias envoy)",
	After:    "The [[Special Envoy|envoy]] met the [[Prime Minister]].",
	Severity: Error,
	Fix:      UnsafeFix,
	Options: []Option{{
		Name:    "allow-unwritten",
		Default: false,
		Doc: "links to notes that do not exist yet are fine (Obsidian's way of noting a page to write); " +
			"links to missing attachments, and missing headings and blocks, are still reported",
	}},
	Run: runBrokenLink,
})

func runBrokenLink(p *Pass) {
	n := p.Note
	for i := range n.Links {
		l := &n.Links[i]
		if !isVaultLink(l) || strings.TrimSpace(l.Path) == "" {
			continue
		}
		if f, _, _ := p.Vault.ResolvePath(n.Path, l.Path); f != nil {
			continue
		}
		if p.Bool("allow-unwritten") && namesNote(l.Path) {
			continue
		}
		likely, edits := brokenLinkFix(p, l)
		msg := fmt.Sprintf("%q does not resolve to any file in the vault", l.Path)
		if names := suggestNames(p.Vault, l, likely); len(names) > 0 {
			msg += "; did you mean " + quoteList(names, 0) + "?"
		}
		p.Report(l.Span, msg, edits...)
	}
}

// brokenLinkFix returns the files a broken link may mean, most certain
// first, and the edits that point the link at the one it certainly means
// when there is one and they can be written.
func brokenLinkFix(p *Pass, l *vault.Link) ([]*vault.File, []fix.Edit) {
	if owners := aliasOwners(p.Vault, l); len(owners) > 0 {
		if len(owners) > 1 {
			return owners, nil
		}
		edits := retarget(p, l, owners[0], l.Path)
		return owners, edits
	}
	if f := normalizedTarget(p.Vault, l); f != nil {
		edits := retarget(p, l, f, "")
		return []*vault.File{f}, edits
	}
	return nil, nil
}

// aliasOwners returns the notes that have the link's path as an alias.
func aliasOwners(v *vault.Vault, l *vault.Link) []*vault.File {
	name := l.Path
	if l.Markdown && vault.IsNotePath(name) {
		name = name[:len(name)-len(".md")]
	}
	var out []*vault.File
	for _, n := range v.NotesWithAlias(name) {
		if f := n.File(); f != nil && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// normalizedTarget returns the one file whose path equals the link's path
// once both are normalised with nameKey. A relative link ("./", "../",
// "/") is left alone: the rewrite would also change how its path is
// written.
func normalizedTarget(v *vault.Vault, l *vault.Link) *vault.File {
	if p := l.Path; p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
		return nil
	}
	key := linkKey(l)
	var found *vault.File
	for _, e := range namesOf(v).byName[path.Base(key)] {
		if e.key == key || strings.HasSuffix(e.key, "/"+key) {
			if found != nil {
				return nil
			}
			found = e.f
		}
	}
	return found
}

// suggestNames returns up to three names of existing files: those of the
// likely files first, then those close to the link's file name.
func suggestNames(v *vault.Vault, l *vault.Link, likely []*vault.File) []string {
	const limit = 3
	var out []string
	for _, f := range likely {
		if name := f.Basename(); !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	for _, name := range namesOf(v).near(path.Base(linkKey(l))) {
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out[:min(len(out), limit)]
}

// near returns the names of files whose name key is base, or is base
// without an attachment's extension, or is a few edits from base, nearest
// first. The same unresolved name tends to recur in many notes, so the
// answer is kept.
func (t *nameTable) near(base string) []string {
	if names, ok := t.nearCache.Load(base); ok {
		return names.([]string)
	}
	type near struct {
		name string
		dist int
	}
	best := map[string]int{}
	add := func(f *vault.File, d int) {
		name := f.Basename()
		if old, ok := best[name]; !ok || d < old {
			best[name] = d
		}
	}
	for _, e := range t.byName[base] {
		add(e.f, 0)
	}
	for _, f := range t.byStem[base] {
		add(f, 0) // [[image]] for image.png
	}
	for _, key := range t.closeKeys(base) {
		for _, e := range t.byName[key.key] {
			add(e.f, key.dist)
		}
	}
	ns := make([]near, 0, len(best))
	for name, d := range best {
		ns = append(ns, near{name, d})
	}
	sort.Slice(ns, func(i, j int) bool {
		if ns[i].dist != ns[j].dist {
			return ns[i].dist < ns[j].dist
		}
		return ns[i].name < ns[j].name
	})
	names := make([]string, len(ns))
	for i, x := range ns {
		names[i] = x.name
	}
	t.nearCache.Store(base, names)
	return names
}

// nameKey normalises a path for matching what Obsidian does not forgive:
// Unicode compatibility forms (NFKC, which also turns a no-break space
// into a space), case, runs of whitespace, spaces around '/' and a
// trailing ".md".
func nameKey(p string) string {
	p = strings.ToLower(norm.NFKC.String(p))
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = strings.Join(strings.Fields(s), " ")
	}
	p = strings.Join(parts, "/")
	return strings.TrimSuffix(p, ".md")
}

// linkKey is the nameKey of a link's path. Wikilinks are not
// percent-decoded by Obsidian, so "%20" written in one is decoded here.
func linkKey(l *vault.Link) string {
	p := l.Path
	if !l.Markdown && strings.Contains(p, "%") {
		if d, err := url.PathUnescape(p); err == nil {
			p = d
		}
	}
	return nameKey(p)
}

// nameTable indexes a vault's file names for broken-link's fixes and
// suggestions. It is built once per vault, the first time a broken link
// needs it.
type nameTable struct {
	byName   map[string][]keyedFile   // nameKey of the file name → files
	byStem   map[string][]*vault.File // attachments by name without extension
	keys     []nameRunes              // distinct name keys
	postings map[[3]rune][]int32      // trigram → indexes in keys holding it

	nearCache sync.Map // name key → near's answer
}

type keyedFile struct {
	f   *vault.File
	key string // nameKey of the whole path
}

type nameRunes struct {
	key   string
	runes []rune
	mask  uint64 // runeMask(runes)
}

// lazyNames builds a vault's name table once, however many notes ask.
type lazyNames struct {
	once sync.Once
	t    *nameTable
}

// nameTables maps each vault (weakly, so a vault can still be freed) to
// its name table. Rules get a vault, not a place to keep state in it.
var nameTables sync.Map // weak.Pointer[vault.Vault] → *lazyNames

func namesOf(v *vault.Vault) *nameTable {
	k := weak.Make(v)
	e, ok := nameTables.Load(k)
	if !ok {
		var loaded bool
		e, loaded = nameTables.LoadOrStore(k, &lazyNames{})
		if !loaded {
			runtime.AddCleanup(v, func(k weak.Pointer[vault.Vault]) { nameTables.Delete(k) }, k)
		}
	}
	ln := e.(*lazyNames)
	ln.once.Do(func() { ln.t = buildNameTable(v) })
	return ln.t
}

func buildNameTable(v *vault.Vault) *nameTable {
	t := &nameTable{byName: map[string][]keyedFile{}, byStem: map[string][]*vault.File{}, postings: map[[3]rune][]int32{}}
	for _, f := range v.Files {
		key := nameKey(f.Path)
		name := path.Base(key)
		if _, seen := t.byName[name]; !seen {
			rs := []rune(name)
			id := int32(len(t.keys))
			t.keys = append(t.keys, nameRunes{name, rs, runeMask(rs)})
			grams := trigrams(rs)
			for i, g := range grams {
				if !slices.Contains(grams[:i], g) {
					t.postings[g] = append(t.postings[g], id)
				}
			}
		}
		t.byName[name] = append(t.byName[name], keyedFile{f, key})
		if !f.IsNote() {
			if dot := strings.LastIndexByte(name, '.'); dot > 0 {
				t.byStem[name[:dot]] = append(t.byStem[name[:dot]], f)
			}
		}
	}
	return t
}

type keyDist struct {
	key  string
	dist int
}

// closeKeys returns the name keys within a few edits (Levenshtein) of
// base: none under five runes, where too much is near, then one edit per
// four runes, at most three.
//
// An edit changes at most three of base's trigrams (padded at both ends),
// so a key within limit edits shares at least one of any 3*limit+1 of
// them: only the keys holding one of the rarest few are compared at all.
func (t *nameTable) closeKeys(base string) []keyDist {
	a := []rune(base)
	limit := min((len(a)-1)/4, 3)
	if limit <= 0 {
		return nil
	}
	grams := trigrams(a)
	sort.Slice(grams, func(i, j int) bool { return len(t.postings[grams[i]]) < len(t.postings[grams[j]]) })
	var ids []int32
	for _, g := range grams[:3*limit+1] {
		ids = append(ids, t.postings[g]...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	mask := runeMask(a)
	rows := make([]int, 2*(len(a)+limit+1))
	var out []keyDist
	for _, id := range ids {
		c := &t.keys[id]
		// Each rune class one key has and the other lacks costs at least
		// one edit.
		if bits.OnesCount64(mask&^c.mask) > limit || bits.OnesCount64(c.mask&^mask) > limit {
			continue
		}
		if d := editDistance(a, c.runes, limit, rows); d <= limit {
			out = append(out, keyDist{c.key, d})
		}
	}
	return out
}

// trigrams returns the runs of three runes of s padded with two NULs at
// each end, one per occurrence: len(s)+2 of them.
func trigrams(s []rune) [][3]rune {
	p := make([]rune, 0, len(s)+4)
	p = append(append(append(p, 0, 0), s...), 0, 0)
	out := make([][3]rune, 0, len(s)+2)
	for i := 2; i < len(p); i++ {
		out = append(out, [3]rune{p[i-2], p[i-1], p[i]})
	}
	return out
}

// runeMask sets one of 64 bits for each rune of s (runes sharing a bit
// count as one class, which only weakens the bound it gives).
func runeMask(s []rune) uint64 {
	var m uint64
	for _, r := range s {
		m |= 1 << (uint32(r) % 64)
	}
	return m
}

// editDistance returns the Levenshtein distance of a and b, or limit+1 as
// soon as it is known to exceed limit. Only cells within limit of the
// diagonal can stay within limit, so only those are computed; rows is
// scratch space for two rows of len(b)+1.
func editDistance(a, b []rune, limit int, rows []int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	over := limit + 1
	prev, cur := rows[:len(b)+1], rows[len(b)+1:2*len(b)+2]
	for j := range prev {
		prev[j] = min(j, over)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		cur[lo-1] = over
		if lo == 1 {
			cur[0] = min(i, over)
		}
		low := cur[lo-1]
		for j := lo; j <= hi; j++ {
			d := prev[j-1]
			if a[i-1] != b[j-1] {
				d++
			}
			cur[j] = min(d, prev[j]+1, cur[j-1]+1, over)
			low = min(low, cur[j])
		}
		if hi < len(b) {
			cur[hi+1] = over // outside this row's band, read by the next
		}
		if low > limit {
			return over
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// namesNote reports whether a link path names a note rather than an
// attachment: no extension, or ".md". A dot inside a name ("v1.2 plan")
// is taken for an extension only when what follows looks like one.
func namesNote(p string) bool {
	ext := path.Ext(strings.TrimSpace(p))
	if ext == "" || strings.EqualFold(ext, ".md") {
		return true
	}
	for _, r := range ext[1:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return true
		}
	}
	return len(ext) > 6 || strings.ContainsAny(ext[1:2], "0123456789")
}
