// Package vaultgen writes synthetic Obsidian vaults for benchmarks and
// tests: notes in nested folders with frontmatter, headings, prose, lists,
// tables, code, callouts and math, linked to each other and to
// attachments in every form Obsidian knows, with a known number of broken
// links and of every defect that rules.md describes.
//
// A vault is a pure function of its Options: the same seed gives the same
// bytes on every machine and with any number of CPUs, so a benchmark
// measured today can be rerun on the same input next year.
//
// The generator resolves its own links with a small resolver of its own
// (links.md 14–17) rather than with package vault, so that a test running
// vault and rules over a generated vault checks two independent readings
// of the spec against each other.
package vaultgen

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"
)

// Version changes whenever the same Options start giving different
// bytes, so that caches of generated vaults (the benchmarks keep one in
// the temporary folder) know when to regenerate.
const Version = 1

// Options say what vault to write. Zero values take the defaults below,
// which follow the vault issue 7 was measured on (5,000 notes: 27 MB of
// Markdown, 114,000 links).
type Options struct {
	// Notes is the number of Markdown notes (default 1000).
	Notes int
	// Seed picks the vault; the same seed gives byte-identical output.
	Seed uint64
	// Defects plants broken links (BrokenRate of the links of each kind)
	// and DefectsPerRule instances of every other defect of rules.md.
	// Without it the vault is clean: vaultlint must report nothing.
	Defects bool
	// Folders is the number of folders notes live in, nested up to four
	// levels (default: about 0.6·√Notes, between 10 and 80).
	Folders int
	// Attachments is the number of PNG and PDF files (default Notes/12).
	Attachments int
	// Sections is the mean number of "##" sections per note (default 4).
	Sections int
	// DefectsPerRule is how many instances of each defect are planted
	// when Defects is set (default max(3, Notes/250)).
	DefectsPerRule int
	// BrokenRate is the share of links of each kind that are broken when
	// Defects is set (default 0.03).
	BrokenRate float64
}

func (o Options) withDefaults() Options {
	if o.Notes <= 0 {
		o.Notes = 1000
	}
	if o.Folders <= 0 {
		o.Folders = min(max(int(0.6*math.Sqrt(float64(o.Notes))), 10), 80)
	}
	if o.Attachments <= 0 {
		o.Attachments = max(o.Notes/12, 4)
	}
	if o.Sections <= 0 {
		o.Sections = 4
	}
	if o.DefectsPerRule <= 0 {
		o.DefectsPerRule = max(3, o.Notes/250)
	}
	if o.BrokenRate <= 0 {
		o.BrokenRate = 0.03
	}
	if !o.Defects {
		o.DefectsPerRule, o.BrokenRate = 0, 0
	}
	return o
}

// Link kinds as vault.LinkKind.String names them, so that Stats can be
// compared with what vault.Load finds.
const (
	KindWiki        = "wikilink"
	KindEmbed       = "embed"
	KindMarkdown    = "markdown"
	KindImage       = "image"
	KindFrontmatter = "frontmatter"
)

var kindNames = [...]string{KindWiki, KindEmbed, KindMarkdown, KindImage, KindFrontmatter}

type linkKind uint8

const (
	kWiki linkKind = iota
	kEmbed
	kMarkdown
	kImage
	kFrontmatter
	numKinds
)

// The defects the generator plants, by rule id (rules.md).
const (
	RuleBrokenLink         = "broken-link"
	RuleBrokenHeading      = "broken-heading"
	RuleBrokenBlockRef     = "broken-block-ref"
	RuleAmbiguousLink      = "ambiguous-link"
	RuleEmptyLink          = "empty-link"
	RuleLinkSpacing        = "link-spacing"
	RuleMalformedLink      = "malformed-link"
	RuleRedundantLinkLabel = "redundant-link-label"
	RuleFrontmatterSyntax  = "frontmatter-syntax"
	RuleEmptyAlias         = "empty-alias"
	RuleDeprecatedProperty = "deprecated-property"
	RuleStrayProperty      = "stray-property"
	RulePropertyType       = "property-type"
	RuleInvalidTag         = "invalid-tag"
	RuleDuplicateBlockID   = "duplicate-block-id"
	RuleDuplicateHeading   = "duplicate-heading"
	RuleEmptySection       = "empty-section"
	RuleTrailingWhitespace = "trailing-whitespace"
	RuleMultipleBlankLines = "multiple-blank-lines"
	RuleFinalNewline       = "final-newline"
	RuleInvalidFilename    = "invalid-filename"
	RuleCaseConflict       = "case-conflict"
	RuleUnusedSuppression  = "unused-suppression"
)

const (
	numRules = 23
	// The defects planted one per note (see planDefects); the others are
	// links' or file names'.
	firstNoteDefect = dEmptyLink
	lastNoteDefect  = dUnusedSuppression
)

type defect uint8

const (
	dBrokenLink defect = iota
	dBrokenHeading
	dBrokenBlockRef
	dAmbiguousLink
	dEmptyLink
	dLinkSpacing
	dMalformedLink
	dRedundantLinkLabel
	dFrontmatterSyntax
	dEmptyAlias
	dDeprecatedProperty
	dStrayProperty
	dPropertyType
	dInvalidTag
	dDuplicateBlockID
	dDuplicateHeading
	dEmptySection
	dTrailingWhitespace
	dMultipleBlankLines
	dFinalNewline
	dUnusedSuppression
	dInvalidFilename
	dCaseConflict
)

var ruleIDs = [numRules]string{
	RuleBrokenLink, RuleBrokenHeading, RuleBrokenBlockRef, RuleAmbiguousLink, RuleEmptyLink,
	RuleLinkSpacing, RuleMalformedLink, RuleRedundantLinkLabel, RuleFrontmatterSyntax,
	RuleEmptyAlias, RuleDeprecatedProperty, RuleStrayProperty, RulePropertyType, RuleInvalidTag,
	RuleDuplicateBlockID, RuleDuplicateHeading, RuleEmptySection, RuleTrailingWhitespace,
	RuleMultipleBlankLines, RuleFinalNewline, RuleUnusedSuppression, RuleInvalidFilename,
	RuleCaseConflict,
}

// Stats describe a generated vault.
type Stats struct {
	Notes       int
	Attachments int
	Folders     int // folders holding notes or attachments, nested ones included
	// MarkdownBytes is the size of all notes; AttachmentBytes of the rest.
	MarkdownBytes   int64
	AttachmentBytes int64
	// Links counts every link vault.Parse should find: wikilinks, embeds,
	// Markdown links and images (URLs included) and frontmatter links,
	// not the look-alikes in code. LinksByKind splits it by
	// vault.LinkKind name.
	Links       int
	LinksByKind map[string]int
	// BrokenByKind counts the planted broken-link links of each kind.
	BrokenByKind map[string]int
	// Defects counts what was planted, by rule id: each instance is meant
	// to give exactly one diagnostic of that rule.
	Defects map[string]int
}

// Generate writes a vault into dir, which must be empty or not exist.
func Generate(dir string, opts Options) (Stats, error) {
	o := opts.withDefaults()
	if err := emptyDir(dir); err != nil {
		return Stats{}, err
	}
	g := plan(o)
	st := Stats{
		Notes:        len(g.notes),
		Attachments:  len(g.atts),
		Folders:      len(g.folders),
		LinksByKind:  map[string]int{},
		BrokenByKind: map[string]int{},
		Defects:      map[string]int{},
	}
	for _, f := range g.folders {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(f)), 0o755); err != nil {
			return Stats{}, err
		}
	}
	if err := writeObsidianConfig(dir); err != nil {
		return Stats{}, err
	}
	for _, a := range g.atts {
		b := attachmentBytes(o.Seed, a)
		st.AttachmentBytes += int64(len(b))
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(a.path)), b, 0o644); err != nil {
			return Stats{}, err
		}
	}

	// Each note is rendered from its own random stream, so the notes can
	// be written in parallel and still come out the same every time. More
	// workers than CPUs, so that file creation overlaps rendering.
	results := make([]noteStats, len(g.notes))
	var eg errgroup.Group
	eg.SetLimit(4 * runtime.GOMAXPROCS(0))
	for i, n := range g.notes {
		eg.Go(func() error {
			w := newNoteWriter(g, n)
			w.render()
			results[i] = w.st
			results[i].bytes = len(w.b)
			return os.WriteFile(filepath.Join(dir, filepath.FromSlash(n.path)), w.b, 0o644)
		})
	}
	if err := eg.Wait(); err != nil {
		return Stats{}, err
	}
	var defects [numRules]int
	for _, r := range results {
		st.MarkdownBytes += int64(r.bytes)
		for k := range numKinds {
			st.Links += r.links[k]
			if r.links[k] > 0 {
				st.LinksByKind[kindNames[k]] += r.links[k]
			}
			if r.broken[k] > 0 {
				st.BrokenByKind[kindNames[k]] += r.broken[k]
			}
		}
		for d := range defects {
			defects[d] += r.defects[d]
		}
	}
	defects[dInvalidFilename] += g.invalidNames
	defects[dCaseConflict] += g.caseConflicts
	for d, c := range defects {
		if c > 0 {
			st.Defects[ruleIDs[d]] = c
		}
	}
	return st, nil
}

// emptyDir makes sure dir exists and holds nothing: a vault is the whole
// folder, and stray files would make it differ from its seed.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("vaultgen: %s is not empty", dir)
	}
	return nil
}

// writeObsidianConfig writes .obsidian/: it makes the folder a vault for
// vault.FindRoot, and types.json gives the property types the
// frontmatter follows (and property-type defects break).
func writeObsidianConfig(dir string) error {
	d := filepath.Join(dir, ".obsidian")
	if err := os.MkdirAll(d, 0o755); err != nil {
		return err
	}
	app := `{
  "newLinkFormat": "shortest",
  "useMarkdownLinks": false,
  "attachmentFolderPath": "Attachments"
}
`
	types := `{
  "types": {
    "aliases": "aliases",
    "tags": "tags",
    "created": "date",
    "updated": "datetime",
    "priority": "number",
    "done": "checkbox",
    "status": "text",
    "related": "multitext",
    "up": "text"
  }
}
`
	if err := os.WriteFile(filepath.Join(d, "app.json"), []byte(app), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(d, "types.json"), []byte(types), 0o644)
}

// The plan: everything about the vault that links need to know before any
// note is written (names, folders, headings, block ids), decided from one
// random stream in a fixed order.

type gen struct {
	o        Options
	notes    []*notePlan
	atts     []*attachment
	folders  []string
	linkable []*notePlan // notes links may point at, hubs first
	blocky   []*notePlan // linkable notes with block ids, hubs first
	byName   map[string][]*notePlan
	groups   [][]*notePlan   // notes sharing a name in several folders
	special  map[string]bool // lower-cased names of the notes nothing links to

	invalidNames, caseConflicts int
}

type notePlan struct {
	i       int
	dir     string // "" at the root
	name    string // file name without ".md"
	path    string
	special bool // an invalid or case-conflicting name: nothing links here
	title   bool // heads[0] is an H1 holding the name
	heads   []heading
	blocks  []blockPlan
	fm      bool
	aliases []string
	defect  defect // a planted defect other than a link's, when hasDef
	hasDef  bool
	variant int // which form of the defect: instances take turns
	ambig   int // ambiguous links to plant here
}

type heading struct {
	level  int
	text   string // as written after the '#' marks
	link   string // as a link names it: Obsidian's stripHeading of text
	parent int    // index of the heading this one is under, or -1
}

type blockPlan struct {
	id      string
	section int // index of the heading whose section holds it; -1 before the first
}

type attachment struct {
	i    int
	path string
	name string
	pdf  bool
}

func plan(o Options) *gen {
	r := rand.New(rand.NewPCG(o.Seed, 0x5eed0f7a017ba115))
	g := &gen{o: o, byName: map[string][]*notePlan{}, special: map[string]bool{}}
	used := map[string]bool{} // lower-cased file names taken
	for _, n := range dupNames {
		used[strings.ToLower(n)] = true
	}

	folders := planFolders(r, o.Folders)
	g.folders = append(g.folders, folders...)
	g.folders = append(g.folders, "Attachments")
	slices.Sort(g.folders)

	for i := range o.Notes {
		n := &notePlan{i: i}
		if r.IntN(50) != 0 {
			// A skew towards the first folders: real vaults have a few
			// big folders and many small ones.
			n.dir = folders[int(float64(len(folders))*math.Pow(r.Float64(), 1.5))]
		}
		n.name = uniqueTitle(r, used)
		g.notes = append(g.notes, n)
	}

	// Names held by several notes in different folders (never at the
	// root, where a bare link would find one by its exact path).
	nGroups := min(max(o.Notes/300, 2), len(dupNames), o.Notes/4)
	next := 0
	for k := 0; k < nGroups && next < len(g.notes); k++ {
		size := 2 + r.IntN(3)
		var grp []*notePlan
		dirs := map[string]bool{}
		for ; len(grp) < size && next < len(g.notes); next++ {
			n := g.notes[next]
			if n.dir == "" || dirs[strings.ToLower(n.dir)] {
				continue
			}
			dirs[strings.ToLower(n.dir)] = true
			n.name = dupNames[k]
			grp = append(grp, n)
		}
		if len(grp) > 1 {
			g.groups = append(g.groups, grp)
		}
	}

	// Defective file names: invalid characters, and pairs that differ
	// only in case. Nothing links to them: their names are the defect.
	if o.Defects {
		bad := []string{"Q&A: %s", "What is %s?", "Issue #%s", "%s *draft*", `"%s" quotes`, "%s <old>"}
		for k := 0; k < o.DefectsPerRule && next < len(g.notes); k++ {
			n := g.notes[next]
			next++
			n.name = fmt.Sprintf(bad[k%len(bad)], n.name)
			n.special = true
			g.invalidNames++
		}
		for k := 0; k < o.DefectsPerRule && next+1 < len(g.notes); k++ {
			a, b := g.notes[next], g.notes[next+1]
			next += 2
			for flipCase(a.name) == a.name {
				// A daily note's name has no letter to change the case of.
				a.name = uniqueTitle(r, used)
			}
			b.dir = a.dir
			b.name = flipCase(a.name)
			a.special, b.special = true, true
			g.caseConflicts++
		}
	}
	for _, n := range g.notes {
		n.path = joinPath(n.dir, n.name+".md")
		k := strings.ToLower(n.name)
		if n.special {
			g.special[k] = true
		} else {
			g.byName[k] = append(g.byName[k], n)
		}
	}

	for i := range o.Attachments {
		a := &attachment{i: i}
		for {
			switch k := r.IntN(10); {
			case k < 6:
				a.name = fmt.Sprintf("Pasted image %d%02d%02d%02d%02d%02d.png", 2019+r.IntN(7), 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60))
			case k < 8:
				a.name = fmt.Sprintf("%s %s.png", pick(r, []string{"Diagram", "Figure", "Sketch", "Photo", "Chart"}), pick(r, nouns))
			default:
				a.name = fmt.Sprintf("%s %s.pdf", pick(r, nouns), pick(r, []string{"Paper", "Slides", "Scan", "Invoice", "Report", "Handout"}))
				a.pdf = true
			}
			if !used[strings.ToLower(a.name)] {
				used[strings.ToLower(a.name)] = true
				break
			}
		}
		dir := "Attachments"
		if r.IntN(10) < 3 {
			dir = folders[r.IntN(len(folders))]
		}
		a.path = joinPath(dir, a.name)
		g.atts = append(g.atts, a)
	}

	for _, n := range g.notes {
		planOutline(r, o, n)
		n.fm = r.IntN(5) != 0
		if n.fm && r.IntN(10) < 3 {
			for range 1 + r.IntN(2) {
				n.aliases = append(n.aliases, pick(r, adjectives)+" "+pick(r, nouns))
			}
		}
	}

	// Hubs: links favour a few notes, as real vaults do (a person, a
	// project, a map of content).
	order := r.Perm(len(g.notes))
	for _, i := range order {
		if n := g.notes[i]; !n.special {
			g.linkable = append(g.linkable, n)
			if len(n.blocks) > 0 {
				g.blocky = append(g.blocky, n)
			}
		}
	}

	if o.Defects {
		planDefects(r, g)
	}
	return g
}

// planDefects gives each planted defect its own note, so that one cannot
// hide another (a frontmatter YAML error would silence the other
// frontmatter rules of its note).
func planDefects(r *rand.Rand, g *gen) {
	var pool []*notePlan
	for _, i := range r.Perm(len(g.notes)) {
		if n := g.notes[i]; !n.special {
			pool = append(pool, n)
		}
	}
	for d := firstNoteDefect; d <= lastNoteDefect; d++ {
		for k := range g.o.DefectsPerRule {
			if len(pool) == 0 {
				return
			}
			n := pool[0]
			pool = pool[1:]
			n.defect, n.hasDef, n.variant = d, true, k
			switch d {
			case dFrontmatterSyntax, dEmptyAlias, dDeprecatedProperty, dStrayProperty, dPropertyType, dInvalidTag:
				n.fm = true
			}
		}
	}
	// Ambiguous links need a note in a folder that holds none of the
	// group's notes; any note will do for most groups.
	if len(g.groups) == 0 {
		return
	}
	for k := 0; k < g.o.DefectsPerRule; k++ {
		n := g.linkable[r.IntN(len(g.linkable))]
		if n.dir == "" {
			k--
			continue
		}
		n.ambig++
	}
}

func planFolders(r *rand.Rand, count int) []string {
	type folder struct {
		path     string
		depth    int
		children map[string]bool
	}
	var fs []*folder
	top := r.Perm(len(topFolders))
	for _, i := range top[:min(max(count/4, 4), len(topFolders), count)] {
		fs = append(fs, &folder{path: topFolders[i], depth: 1, children: map[string]bool{}})
	}
	for tries := 0; len(fs) < count && tries < 100*count; tries++ {
		p := fs[r.IntN(len(fs))]
		if p.depth >= 4 {
			continue
		}
		name := pick(r, subFolders)
		if p.children[strings.ToLower(name)] {
			continue
		}
		p.children[strings.ToLower(name)] = true
		fs = append(fs, &folder{path: p.path + "/" + name, depth: p.depth + 1, children: map[string]bool{}})
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.path
	}
	return out
}

// uniqueTitle makes a note name no other file has, compared as Obsidian
// compares names: case-insensitively.
func uniqueTitle(r *rand.Rand, used map[string]bool) string {
	for try := 0; ; try++ {
		var t string
		switch k := r.IntN(20); {
		case k < 7:
			t = pick(r, adjectives) + " " + pick(r, nouns)
		case k < 11:
			t = pick(r, nouns) + " " + pick(r, nouns)
		case k < 14:
			t = pick(r, adjectives) + " " + pick(r, nouns) + " " + pick(r, nouns)
		case k < 15:
			t = pick(r, nouns) + " of " + pick(r, nouns)
		case k < 16:
			t = pick(r, titleWords) + "'s " + pick(r, nouns)
		case k < 18:
			t = pick(r, titleWords) + " " + pick(r, nouns)
		default:
			t = fmt.Sprintf("%d-%02d-%02d", 2019+r.IntN(7), 1+r.IntN(12), 1+r.IntN(28))
		}
		if try > 20 {
			t += fmt.Sprintf(" %d", r.IntN(100000))
		}
		if !used[strings.ToLower(t)] {
			used[strings.ToLower(t)] = true
			return t
		}
	}
}

// planOutline decides a note's headings and block ids: other notes link
// to them, so they are known before any note is written.
func planOutline(r *rand.Rand, o Options, n *notePlan) {
	seen := map[string]bool{}
	add := func(level int, text string, parent int) int {
		n.heads = append(n.heads, heading{level: level, text: text, link: stripHeading(text), parent: parent})
		seen[strings.ToLower(stripHeading(text))] = true
		return len(n.heads) - 1
	}
	phrase := func() string {
		for try := 0; ; try++ {
			p := pick(r, headingPhrases)
			if try > 4 {
				p += " " + pick(r, nouns)
			}
			if !seen[strings.ToLower(stripHeading(p))] {
				return p
			}
		}
	}
	top := -1
	if r.IntN(10) < 4 {
		top = add(1, n.name, -1)
		n.title = true
	}
	sections := max(1, o.Sections-2+r.IntN(5))
	for range sections {
		h2 := add(2, phrase(), top)
		if r.IntN(2) == 0 {
			for range 1 + r.IntN(3) {
				h3 := add(3, phrase(), h2)
				if r.IntN(7) == 0 {
					for range 1 + r.IntN(2) {
						add(4, phrase(), h3)
					}
				}
			}
		}
	}
	nBlocks := 0
	switch k := r.IntN(10); {
	case k < 4:
	case k < 7:
		nBlocks = 1
	case k < 9:
		nBlocks = 2
	default:
		nBlocks = 3 + r.IntN(2)
	}
	ids := map[string]bool{}
	for len(n.blocks) < nBlocks {
		var id string
		if r.IntN(2) == 0 {
			id = randomID(r, 6)
		} else {
			id = fmt.Sprintf("%s-%d", pick(r, []string{"quote", "key", "def", "claim", "todo", "fig", "point"}), 1+r.IntN(9))
		}
		if ids[id] {
			continue
		}
		ids[id] = true
		n.blocks = append(n.blocks, blockPlan{id: id, section: r.IntN(len(n.heads)+1) - 1})
	}
	if n.title {
		// The title's own section is the intro: a block placed "under the
		// H1" is written there.
		for i := range n.blocks {
			if n.blocks[i].section == 0 {
				n.blocks[i].section = -1
			}
		}
	}
}

func randomID(r *rand.Rand, n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func joinPath(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// flipCase swaps the case of the name's first letter: two names that
// differ only in case (case-conflict).
func flipCase(s string) string {
	rs := []rune(s)
	for i, c := range rs {
		if u := []rune(strings.ToUpper(string(c))); len(u) == 1 && u[0] != c {
			rs[i] = u[0]
			return string(rs)
		}
		if l := []rune(strings.ToLower(string(c))); len(l) == 1 && l[0] != c {
			rs[i] = l[0]
			return string(rs)
		}
	}
	return s
}

// stripHeading is Obsidian's heading normalisation (links.md 20): the
// punctuation below becomes space, runs of whitespace collapse, the ends
// are trimmed. Links name headings this way.
func stripHeading(s string) string {
	var b strings.Builder
	space := false
	for _, c := range s {
		if strings.ContainsRune("!\"#$%&()*+,.:;<=>?@^`{|}~/[]\\", c) || c == ' ' || c == '\t' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(c)
	}
	return b.String()
}

// linkPath is the path a link from note from writes to reach note to, as
// Obsidian's "shortest" link format writes it: the bare name when that
// alone finds the note, else the shortest trailing part of its path that
// does. It never relies on the shortest-path fallback (links.md 17c).
func (g *gen) linkPath(from, to *notePlan) string {
	full := strings.TrimSuffix(to.path, ".md")
	for end := len(full); ; {
		slash := strings.LastIndexByte(full[:end], '/')
		try := full[slash+1:]
		if g.resolvesTo(from, try) == to || slash < 0 {
			return try
		}
		end = slash
	}
}

// resolvesTo resolves a note link path (no ".md", no "./") from note
// from, by links.md 17 a–b and uniqueness; nil when only the shortest
// path fallback, or nothing, would pick a note.
func (g *gen) resolvesTo(from *notePlan, p string) *notePlan {
	lp := strings.ToLower(p)
	var cands []*notePlan
	for _, n := range g.byName[strings.ToLower(path.Base(p))] {
		q := strings.ToLower(strings.TrimSuffix(n.path, ".md"))
		if q == lp {
			return n // exact vault path
		}
		if strings.HasSuffix(q, "/"+lp) {
			cands = append(cands, n)
		}
	}
	if from.dir != "" {
		for _, n := range cands {
			if strings.ToLower(strings.TrimSuffix(n.path, ".md")) == strings.ToLower(from.dir)+"/"+lp {
				return n
			}
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	return nil
}

// relPath is the "./" or "../" path from folder fromDir to vault path to.
func relPath(fromDir, to string) string {
	var from []string
	if fromDir != "" {
		from = strings.Split(fromDir, "/")
	}
	parts := strings.Split(to, "/")
	common := 0
	for common < len(from) && common < len(parts)-1 && from[common] == parts[common] {
		common++
	}
	up := len(from) - common
	if up == 0 {
		return "./" + strings.Join(parts[common:], "/")
	}
	return strings.Repeat("../", up) + strings.Join(parts[common:], "/")
}

// attachmentBytes is the content of an attachment: a small valid PNG or
// PDF, drawn from the attachment's own random stream.
func attachmentBytes(seed uint64, a *attachment) []byte {
	r := rand.New(rand.NewPCG(seed, 0xa77ac4+uint64(a.i)))
	if a.pdf {
		text := fmt.Sprintf("%s %s", pick(r, nouns), pick(r, nouns))
		stream := fmt.Sprintf("BT /F1 18 Tf 40 100 Td (%s) Tj ET", text)
		var b bytes.Buffer
		b.WriteString("%PDF-1.4\n")
		offs := []int{}
		obj := func(s string) {
			offs = append(offs, b.Len())
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
		}
		obj("<< /Type /Catalog /Pages 2 0 R >>")
		obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
		obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
		obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
		xref := b.Len()
		fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
		for _, o := range offs {
			fmt.Fprintf(&b, "%010d 00000 n \n", o)
		}
		fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
		return b.Bytes()
	}
	w, h := 8+r.IntN(24), 8+r.IntN(24)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	c1 := color.NRGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
	c2 := color.NRGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
	for y := range h {
		for x := range w {
			if (x/4+y/4)%2 == 0 {
				img.SetNRGBA(x, y, c1)
			} else {
				img.SetNRGBA(x, y, c2)
			}
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // writing to memory cannot fail
	return b.Bytes()
}

// Titles returns n distinct note titles (distinct case-insensitively),
// made from seed as Generate makes its notes' titles: many share words,
// as a real vault's do. It is for tests and benchmarks that need such
// names without writing a vault.
func Titles(seed uint64, n int) []string {
	r := rand.New(rand.NewPCG(seed, 0))
	used := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		out = append(out, uniqueTitle(r, used))
	}
	return out
}
