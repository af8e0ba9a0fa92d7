// Package move moves or renames a note, an attachment or a folder of an
// Obsidian vault and rewrites every link so that it keeps pointing where
// it did, as Obsidian does when a file is renamed inside the app.
//
// The work is split in two. New plans the move in memory: it resolves
// every link of the vault before the move, works out the vault after it,
// rewrites the path part of each link that would otherwise point
// elsewhere (or nowhere), and checks the result by resolving every link
// again. Nothing touches the disk until Execute, which writes the edited
// notes atomically, renames, and undoes both if any step fails. A plan
// that found links it cannot keep (Conflicts) is never executed: the
// promise is that a move breaks no link, not that it usually does not.
package move

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// Rename is one file moved by a plan, by vault paths.
type Rename struct {
	Old, New string
}

// Change is a note whose text the move rewrites.
type Change struct {
	Path    string // the note's vault path before the move
	NewPath string // after the move; Path when the note stays where it is
	Before  []byte // the note as read
	After   []byte // the note with its links rewritten
	Edits   []fix.Edit
	Links   int // how many links are rewritten

	file *vault.File // for the snapshot a safe write needs
}

// LinkRef names a link of the vault before the move.
type LinkRef struct {
	Note         string // vault path of the note holding the link, before the move
	Line, Column int    // 1-based; column in code points
	Text         string // the link as written
}

func (r LinkRef) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", r.Note, r.Line, r.Column, r.Text)
}

// Conflict is a link the move cannot keep pointing where it did.
type Conflict struct {
	LinkRef
	Reason string
}

func (c Conflict) String() string { return c.LinkRef.String() + ": " + c.Reason }

// Revived is a link that resolved to nothing before the move and resolves
// to File (a vault path after the move) once it is done. Obsidian lets
// such links resolve, and so does the plan: a rename is often made to
// give a dangling link its note.
type Revived struct {
	LinkRef
	File string
}

// Plan is a move worked out in memory.
type Plan struct {
	Root     string // the vault folder
	From, To string // vault paths of what is moved and where
	Folder   bool   // a whole folder moves
	Renames  []Rename
	Changes  []*Change // sorted by Path
	// Conflicts lists links the move would break or retarget; Execute
	// refuses a plan that has any.
	Conflicts []Conflict
	Revived   []Revived
	// Unread lists notes that could not be read (too large, not UTF-8):
	// their links are neither checked nor rewritten.
	Unread []string

	fromDisk string // From as named on disk
	caseOnly bool   // From and To differ only in letter case
}

// Format is a value of Obsidian's newLinkFormat setting.
const (
	FormatShortest = "shortest"
	FormatRelative = "relative"
	FormatAbsolute = "absolute"
)

// New plans moving from (a file or a folder of v, by vault path) to to
// (the vault path it will have). The link text it writes follows
// v.App.NewLinkFormat. An error means the move cannot be planned at all
// (from is not in the vault, to is taken or leaves the vault); links
// that cannot be kept are reported in the plan's Conflicts instead.
func New(v *vault.Vault, from, to string) (*Plan, error) {
	from, to = norm.NFC.String(from), norm.NFC.String(to)
	if err := checkDest(to); err != nil {
		return nil, err
	}
	p := &Plan{Root: v.Root, From: from, To: to}
	if from == to {
		return nil, fmt.Errorf("%s: already there; nothing to move", from)
	}
	if f := v.File(from); f != nil {
		if f.IsNote() != vault.IsNotePath(to) {
			if f.IsNote() {
				return nil, fmt.Errorf("%s is a note: %s must end in .md, or the note would become an attachment", from, to)
			}
			return nil, fmt.Errorf("%s is an attachment: %s must not end in .md, or it would become a note", from, to)
		}
		p.Renames = []Rename{{from, to}}
		p.fromDisk = f.DiskPath()
		p.caseOnly = strings.EqualFold(from, to)
	} else {
		for _, f := range v.Files {
			if rest, ok := strings.CutPrefix(f.Path, from+"/"); ok {
				p.Renames = append(p.Renames, Rename{f.Path, to + "/" + rest})
				if p.fromDisk == "" {
					p.fromDisk = trimSegments(f.DiskPath(), strings.Count(rest, "/")+1)
				}
			}
		}
		if len(p.Renames) == 0 {
			return nil, fmt.Errorf("%s: no such file or folder in the vault", from)
		}
		if strings.HasPrefix(to, from+"/") {
			return nil, fmt.Errorf("cannot move the folder %s into itself (%s)", from, to)
		}
		p.Folder = true
		p.caseOnly = strings.EqualFold(from, to)
	}
	moving := map[string]string{}
	for _, r := range p.Renames {
		moving[r.Old] = r.New
	}
	// A file already at the new path, in any letter case (which is the
	// same file on macOS and Windows), would be overwritten or shadowed.
	taken := map[string]string{}
	for _, f := range v.Files {
		if _, ok := moving[f.Path]; !ok {
			taken[strings.ToLower(f.Path)] = f.Path
			for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
				taken[strings.ToLower(d)] = d + "/"
			}
		}
	}
	if got, ok := taken[strings.ToLower(to)]; ok {
		return nil, fmt.Errorf("%s already exists; not moved", strings.TrimSuffix(got, "/"))
	}
	for _, r := range p.Renames {
		if got, ok := taken[strings.ToLower(r.New)]; ok {
			return nil, fmt.Errorf("%s already exists; not moved", strings.TrimSuffix(got, "/"))
		}
		for d := path.Dir(r.New); d != "."; d = path.Dir(d) {
			if got, ok := taken[strings.ToLower(d)]; ok && !strings.HasSuffix(got, "/") {
				return nil, fmt.Errorf("%s is a file, not a folder; not moved", got)
			}
		}
	}
	for _, f := range v.Files {
		if f.IsNote() && f.Note == nil {
			p.Unread = append(p.Unread, f.Path)
		}
	}
	pl := newPlanner(v, p, moving)
	pl.plan()
	pl.verify()
	return p, nil
}

// checkDest refuses a destination that is not a plain path inside the
// vault: absolute, climbing out, or inside a folder (or named with a
// leading dot) that Obsidian leaves out of the vault.
func checkDest(to string) error {
	if to == "" || to == "." {
		return errors.New("the new path is empty")
	}
	if strings.HasPrefix(to, "/") || path.Clean(to) != to || strings.HasPrefix(to, "../") || to == ".." {
		return fmt.Errorf("%s: not a clean path inside the vault", to)
	}
	for _, seg := range strings.Split(to, "/") {
		if strings.HasPrefix(seg, ".") {
			return fmt.Errorf("%s: %q starts with a dot, so Obsidian would leave it out of the vault", to, seg)
		}
	}
	return nil
}

// trimSegments drops the last n '/'-separated segments of p.
func trimSegments(p string, n int) string {
	for ; n > 0; n-- {
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return ""
		}
		p = p[:i]
	}
	return p
}

// planner holds what planning needs: the vault before and after.
type planner struct {
	v, after *vault.Vault
	p        *Plan
	moving   map[string]string // old path → new path, for every moved file
	format   string
	before   map[*vault.Note][]vault.Resolution
	edits    map[*vault.Note][]fix.Edit
	count    map[*vault.Note]int
}

func newPlanner(v *vault.Vault, p *Plan, moving map[string]string) *planner {
	// Resolving a path needs only the vault's paths, so the vault after
	// the move is built from paths alone; notes are parsed again only to
	// verify the plan.
	var paths []string
	for _, f := range v.Files {
		paths = append(paths, movedPath(moving, f.Path))
	}
	after := vault.New(nil, paths...)
	after.App = v.App
	format := v.App.NewLinkFormat
	if format != FormatRelative && format != FormatAbsolute {
		format = FormatShortest
	}
	return &planner{
		v: v, after: after, p: p, moving: moving, format: format,
		before: map[*vault.Note][]vault.Resolution{},
		edits:  map[*vault.Note][]fix.Edit{},
		count:  map[*vault.Note]int{},
	}
}

func movedPath(moving map[string]string, p string) string {
	if np, ok := moving[p]; ok {
		return np
	}
	return p
}

func (pl *planner) newPath(p string) string { return movedPath(pl.moving, p) }

func (pl *planner) ref(n *vault.Note, l *vault.Link) LinkRef {
	line, col := n.Position(l.Span.Start)
	return LinkRef{Note: n.Path, Line: line, Column: col, Text: string(n.Src[l.Span.Start:l.Span.End])}
}

func (pl *planner) conflict(n *vault.Note, l *vault.Link, format string, args ...any) {
	pl.p.Conflicts = append(pl.p.Conflicts, Conflict{pl.ref(n, l), fmt.Sprintf(format, args...)})
}

// plan decides, link by link, what each must say after the move.
func (pl *planner) plan() {
	for _, n := range pl.v.Notes {
		rs := make([]vault.Resolution, len(n.Links))
		for i := range n.Links {
			rs[i] = pl.v.Resolve(n, &n.Links[i])
		}
		pl.before[n] = rs
		for i := range n.Links {
			pl.planLink(n, &n.Links[i], rs[i])
		}
	}
	for _, n := range pl.v.Notes {
		edits := pl.edits[n]
		if len(edits) == 0 {
			continue
		}
		out, err := fix.Apply(n.Src, edits)
		if err != nil {
			// Links never overlap, so neither do their path edits; if they
			// did, no link of this note can be trusted to be rewritten.
			pl.p.Conflicts = append(pl.p.Conflicts, Conflict{LinkRef{Note: n.Path, Line: 1, Column: 1}, fmt.Sprintf("cannot rewrite its links: %v", err)})
			continue
		}
		pl.p.Changes = append(pl.p.Changes, &Change{
			Path: n.Path, NewPath: pl.newPath(n.Path), Before: n.Src, After: out,
			Edits: fix.Sorted(edits), Links: pl.count[n], file: n.File(),
		})
	}
	sort.Slice(pl.p.Changes, func(i, j int) bool { return pl.p.Changes[i].Path < pl.p.Changes[j].Path })
}

func (pl *planner) planLink(n *vault.Note, l *vault.Link, r vault.Resolution) {
	if l.External {
		return
	}
	fromNew := pl.newPath(n.Path)
	orig := strings.TrimSpace(l.Path)
	if r.File == nil {
		// A dangling relative link of a moved note names a place, not a
		// file: keep naming the same place from the new folder. Any other
		// dangling link reads the same from anywhere.
		if fromNew != n.Path && isRelative(orig) {
			loc := path.Join(path.Dir(n.Path), orig)
			pl.rewrite(n, l, relPath(path.Dir(fromNew), loc), nil)
		}
		return
	}
	if r.By == vault.BySelf {
		return // "[[#Heading]]" follows its note wherever it goes
	}
	target := pl.after.File(pl.newPath(r.File.Path))
	if target == nil {
		pl.conflict(n, l, "the file it names, %s, is missing after the move", r.File.Path)
		return
	}
	_, moved := pl.moving[r.File.Path]
	if !moved {
		if g, _, _ := pl.after.ResolvePath(fromNew, l.Path); g == target {
			return // still points where it did: left byte for byte
		}
	}
	text, ok := pl.pathText(l, fromNew, target)
	if !ok {
		pl.conflict(n, l, "no link from %s can name %s", fromNew, target.Path)
		return
	}
	if pl.keepsText(orig, text, r.File.Path, target.Path) {
		return
	}
	pl.rewrite(n, l, text, target)
}

// keepsText reports whether a link to a moved file may keep its path as
// written because the new text says the same thing: only the letter case
// differs, as "[[note]]" for "Note.md" moved to another folder. A rename
// that changes only letter case is what the user asked for, so there the
// new text is written.
func (pl *planner) keepsText(orig, text, oldPath, newPath string) bool {
	if strings.EqualFold(oldPath, newPath) && oldPath != newPath {
		return false
	}
	return vault.NormalizeLinkPath(orig) == vault.NormalizeLinkPath(text)
}

// pathText is the path (decoded, as Link.Path holds it) that l, in the
// note at fromNew after the move, should hold to reach f: relative when it
// was relative, from the root when it began with "/", else as the vault's
// newLinkFormat writes links; with ".md" when it had one. It falls back
// to longer forms when the preferred one would find another file.
func (pl *planner) pathText(l *vault.Link, fromNew string, f *vault.File) (string, bool) {
	orig := strings.TrimSpace(l.Path)
	withMD := f.IsNote() && vault.IsNotePath(orig)
	bare := f.Path
	if f.IsNote() {
		bare = bare[:len(bare)-len(".md")]
	}
	suffix := func(p string) string {
		if withMD && !vault.IsNotePath(p) {
			return p + orig[len(orig)-3:] // ".md" in the case it was written
		}
		return p
	}
	// Each form is tried as written, then with ".md" spelled out: a note
	// "Readme.md" beside an attachment "Readme" needs it.
	var tries []string
	relative := relPath(path.Dir(fromNew), bare)
	switch {
	case isRelative(orig):
		tries = []string{suffix(relative), relPath(path.Dir(fromNew), f.Path)}
	case strings.HasPrefix(orig, "/"):
		tries = []string{suffix("/" + bare), "/" + f.Path}
	default:
		switch pl.format {
		case FormatRelative:
			tries = []string{suffix(relative), relPath(path.Dir(fromNew), f.Path)}
		case FormatAbsolute:
			tries = []string{suffix(bare)}
		default:
			tries = []string{suffix(pl.after.LinkText(fromNew, f))}
		}
		tries = append(tries, f.Path)
	}
	for _, t := range tries {
		if g, by, _ := pl.after.ResolvePath(fromNew, t); g == f && by != vault.ByShortest {
			return t, true
		}
	}
	return "", false
}

// rewrite replaces the path part of l with text, encoded for the link's
// syntax. target is the file it names after the move (nil for a dangling
// link), for messages.
func (pl *planner) rewrite(n *vault.Note, l *vault.Link, text string, target *vault.File) {
	if text == strings.TrimSpace(l.Path) {
		return // says the same, however it is encoded
	}
	if l.Reference {
		pl.conflict(n, l, "a reference-style link: its destination is written elsewhere in the note; write it as an inline link to move it")
		return
	}
	if l.Target.Len() == 0 {
		pl.conflict(n, l, "its text cannot be mapped to the note's bytes (a YAML string with escapes); rewrite it plainly first")
		return
	}
	span := pathSpan(n.Src, l)
	raw := string(n.Src[span.Start:span.End])
	// Spaces around the path ("[[ Note | x]]") are Obsidian-tolerated
	// style; keep them as written.
	lead := len(raw) - len(strings.TrimLeft(raw, " \t"))
	trail := len(raw) - len(strings.TrimRight(raw, " \t"))
	if lead == len(raw) {
		trail = 0
	}
	written, err := encode(n, l, text)
	if err != nil {
		name := text
		if target != nil {
			name = target.Path
		}
		pl.conflict(n, l, "cannot write a link to %s here: %v", name, err)
		return
	}
	e := fix.Edit{Start: span.Start + lead, End: span.End - trail, New: written}
	if string(n.Src[e.Start:e.End]) == written {
		return
	}
	pl.edits[n] = append(pl.edits[n], e)
	pl.count[n]++
}

// pathSpan is where l's path is written: its target up to the first '#'.
func pathSpan(src []byte, l *vault.Link) vault.Span {
	t := src[l.Target.Start:l.Target.End]
	if i := strings.IndexByte(string(t), '#'); i >= 0 {
		return vault.Span{Start: l.Target.Start, End: l.Target.Start + i}
	}
	return l.Target
}

// isRelative reports whether a link path is read from the linking note's
// folder (links.md 16).
func isRelative(p string) bool {
	return p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../")
}

// relPath writes the path of target (a clean vault path, which may climb
// above the root with leading "../" for a dangling link) relative to the
// folder dir ("." for the root), always starting with "./" or "../" so
// that it is read as relative and not looked up across the vault.
func relPath(dir, target string) string {
	var from []string
	if dir != "." && dir != "" {
		from = strings.Split(dir, "/")
	}
	to := strings.Split(target, "/")
	common := 0
	for common < len(from) && common < len(to)-1 && from[common] == to[common] {
		common++
	}
	var b strings.Builder
	for range len(from) - common {
		b.WriteString("../")
	}
	rest := strings.Join(to[common:], "/")
	if b.Len() == 0 && rest != ".." && !strings.HasPrefix(rest, "../") {
		b.WriteString("./")
	}
	b.WriteString(rest)
	return b.String()
}
