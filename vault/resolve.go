package vault

import (
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"
)

// ResolvedBy says which of Obsidian's rules picked a link's file
// (links.md 16–17).
type ResolvedBy uint8

// The ways a link can resolve.
const (
	Unresolved   ResolvedBy = iota
	BySelf                  // empty path: the linking note itself ("[[#Heading]]")
	ByRelative              // "./" or "../" from the linking note's folder, or "/" from the root
	ByExact                 // the whole vault path equals the link path
	BySameFolder            // the path taken from the linking note's folder
	ByUnique                // the only file whose path ends with the link path
	ByShortest              // several candidates: Obsidian falls back to the shortest path
)

func (b ResolvedBy) String() string {
	return [...]string{"unresolved", "self", "relative path", "exact path", "same folder", "unique name", "shortest path"}[b]
}

// Resolution is what a link points at, and why.
type Resolution struct {
	File *File // nil when the link resolves to no file
	By   ResolvedBy
	// Candidates are every file the path could name, in the order
	// Obsidian ranks them (the picked file first).
	Candidates []*File
	// Subpath results, when the link has a subpath and File is a parsed
	// note. SubpathChecked is false when there was nothing to check.
	SubpathChecked bool
	Heading        *Heading // the heading found
	Block          *Block   // the block found
	// HeadingLine is where in the target the heading or block is.
	SubpathFound bool
}

// index makes lookups by path and by name case-insensitive and
// NFC-normalised (links.md 4, 15).
type index struct {
	byPath map[string]*File // lower(path) → file
	// byName maps the lower-cased name of each file, without ".md" for a
	// note, to the files: "note" lists Note.md and a file named Note,
	// which are what a link written "Note" can name, in one lookup (the
	// lookups are cache misses in a large vault, and resolving links is
	// the hottest path of a check).
	byName map[string]nameEntry
	// byTail maps the lower-cased folder name and file name of each file
	// not at the root, keyed as byName ("b/note" for "a/b/Note.md"), to
	// the files: a link written "b/Note" need not look at every "Note.md"
	// of a vault that has one in each of hundreds of folders.
	byTail map[string]nameEntry
	files  []*File // the index's own copy, sorted by path
	// short holds the files of short name keys, for bare link paths
	// (shortNames).
	short *shortNames
	// dirs numbers the lower-cased folders of the files, the root 0
	// (File.dir), so that "is the file in the linking note's folder"
	// compares two numbers.
	dirs map[string]int32
}

// nameEntry is the files of one name (or tail), sorted by path. The first
// is held in the entry itself, with what resolving reads of it: in a
// vault of 100,000 notes, resolving a link was mostly cache misses, and
// following a slice, then a File, then its path cost three more.
type nameEntry struct {
	lower string // first.lower
	first int32  // index in index.files
	n     int32  // how many files
	rest  []*File
}

func newIndex(files []*File) *index {
	ix := &index{byPath: make(map[string]*File, len(files)), byName: make(map[string]nameEntry, len(files)),
		byTail: make(map[string]nameEntry, len(files)), files: slices.Clone(files),
		short: newShortNames(len(files)), dirs: map[string]int32{"": 0}}
	// Built before any note is parsed, the index is a pause with a CPU
	// idle: in a vault of 100,000 notes, 130 ms on one. So the paths
	// are lower-cased in parallel, then the tables, each by one
	// goroutine, built side by side; each reads the files in order, as
	// one loop did.
	lowerPaths(files)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i, f := range files {
			if _, dup := ix.byPath[f.lower]; !dup {
				ix.byPath[f.lower] = f
			}
			d := dir(f.lower)
			id, ok := ix.dirs[d]
			if !ok {
				id = int32(len(ix.dirs))
				ix.dirs[d] = id
			}
			f.dir, f.idx = id, int32(i)
			// An empty key would mark its slot empty.
			if key := nameKey(path.Base(f.lower)); key != "" && len(key) <= shortKeyLen {
				ix.short.add(key, f, int32(i), id)
			}
		}
	})
	wg.Go(func() {
		for i, f := range files {
			ix.add(ix.byName, nameKey(path.Base(f.lower)), i)
		}
	})
	for i, f := range files {
		if t := tail(f.lower); t != "" {
			ix.add(ix.byTail, nameKey(t), i)
		}
	}
	wg.Wait()
	return ix
}

// lowerPaths sets every file's lower-cased path, on all CPUs for many.
func lowerPaths(files []*File) {
	const chunk = 4096
	if len(files) <= chunk {
		for _, f := range files {
			f.lower = strings.ToLower(f.Path)
		}
		return
	}
	var wg sync.WaitGroup
	for start := 0; start < len(files); start += chunk {
		part := files[start:min(start+chunk, len(files))]
		wg.Go(func() {
			for _, f := range part {
				f.lower = strings.ToLower(f.Path)
			}
		})
	}
	wg.Wait()
}

// dirID returns the number of a lower-cased folder, or -1 when no file
// is in it.
func (ix *index) dirID(lowerDir string) int32 {
	if id, ok := ix.dirs[lowerDir]; ok {
		return id
	}
	return -1
}

// bareName resolves p, a normalised link path that is a bare name (no
// '/', no ".md", not "." or ".."), written in folder fromDir, numbered
// fromDirID, by short alone; ok is false when short cannot tell.
func (ix *index) bareName(p string, fromDir string, fromDirID int32) (f *File, by ResolvedBy, cands []*File, ok bool) {
	if len(p) > shortKeyLen || ix.short == nil {
		return nil, Unresolved, nil, false
	}
	e, found := ix.short.get(p)
	switch {
	case !found:
		return nil, Unresolved, nil, true // no file has this name
	case e.file == nil:
		return nil, Unresolved, nil, false
	}
	// The one file named p; why, as resolvePath would tell it.
	cands = ix.files[e.first : e.first+1 : e.first+1]
	switch {
	case e.dir == 0:
		return e.file, ByExact, cands, true
	case fromDir != "" && e.dir == fromDirID:
		return e.file, BySameFolder, cands, true
	}
	return e.file, ByUnique, cands, true
}

// shortPath resolves p, a normalised link path that is not relative, by
// short alone: what candidates would find, when its keys name at most
// one file each and that leaves one candidate or none; ok is false when
// short cannot tell. It serves the paths bareName does not, those with a
// folder or ".md" (Markdown links, mostly), without the map lookups of
// candidates.
func (ix *index) shortPath(p, fromDir string) (f *File, by ResolvedBy, cands []*File, ok bool) {
	if ix.short == nil {
		return nil, Unresolved, nil, false
	}
	name := path.Base(p)
	bare := strings.IndexByte(p, '/') < 0
	var first int32 = -1
	// As candidates: written with ".md", the notes named name (keyed by
	// its stem) whose path is p...
	if stem, withMD := strings.CutSuffix(name, ".md"); withMD && IsNotePath(name) {
		s, ok := ix.shortOne(stem)
		if !ok {
			return nil, Unresolved, nil, false
		}
		if s != nil && s.note && (bare || pathIs(s.file.lower, p, "")) {
			f, first = s.file, s.first
		}
	}
	// ...and the files keyed name: a note named name+".md", any other
	// file named name.
	s, ok := ix.shortOne(name)
	if !ok {
		return nil, Unresolved, nil, false
	}
	if s != nil {
		ext := ""
		if s.note {
			ext = ".md"
		}
		if bare || pathIs(s.file.lower, p, ext) {
			if f != nil {
				return nil, Unresolved, nil, false // two candidates
			}
			f, first = s.file, s.first
		}
	}
	if f == nil {
		return nil, Unresolved, nil, true
	}
	// Why, as resolvePath tells it of the one candidate.
	cands = ix.files[first : first+1 : first+1]
	lower := f.lower
	switch {
	case isPath(lower, p):
		return f, ByExact, cands, true
	case fromDir != "" && strings.HasPrefix(lower, fromDir) && len(lower) > len(fromDir) &&
		lower[len(fromDir)] == '/' && isPath(lower[len(fromDir)+1:], p):
		return f, BySameFolder, cands, true
	}
	return f, ByUnique, cands, true
}

// one returns the one-file slice of f, which shares the index's memory.
func (ix *index) one(f *File) []*File { return ix.files[f.idx : f.idx+1 : f.idx+1] }

// shortOne returns the slot of key's one file in short, nil when no file
// has that key; ok is false when short cannot tell (a key too long or
// empty) or several files have it.
func (ix *index) shortOne(key string) (s *shortSlot, ok bool) {
	if key == "" || len(key) > shortKeyLen {
		return nil, false
	}
	s, found := ix.short.get(key)
	switch {
	case !found:
		return nil, true
	case s.file == nil:
		return nil, false
	}
	return s, true
}

func (ix *index) add(m map[string]nameEntry, key string, i int) {
	e, ok := m[key]
	if !ok {
		m[key] = nameEntry{lower: ix.files[i].lower, first: int32(i), n: 1}
		return
	}
	e.n++
	e.rest = append(e.rest, ix.files[i])
	m[key] = e
}

// nameKey is how byName and byTail key a lower-cased file name or tail:
// without ".md" for a note.
func nameKey(lower string) string {
	if IsNotePath(lower) {
		return lower[:len(lower)-len(".md")]
	}
	return lower
}

// each calls fn with each file of e and its lower-cased path, and the
// one-file slice of the first, which shares the index's memory.
func (ix *index) each(e nameEntry, fn func(f *File, lower string, one []*File)) {
	if e.n == 0 {
		return
	}
	fn(ix.files[e.first], e.lower, ix.files[e.first:e.first+1:e.first+1])
	for i, f := range e.rest {
		fn(f, f.lower, e.rest[i:i+1:i+1])
	}
}

// tail returns the last two elements of a path ("b/c.md" of "a/b/c.md"),
// or "" when it has only one.
func tail(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[strings.LastIndexByte(p[:i], '/')+1:]
}

func (ix *index) exact(p string) *File {
	if f := ix.byPath[p]; f != nil {
		return f
	}
	var buf [256]byte
	return ix.byPath[string(concat(buf[:0], p, ".md"))]
}

// joinRelative is path.Join(fromDir, p) for a relative link path p
// ("./…", "../…") whose rest is clean, as most are, written into buf
// rather than a new string; above reports a path that climbs above the
// root. ok is false for any other p: path.Join must tell.
func joinRelative(buf []byte, fromDir, p string) (j string, above, ok bool) {
	at := fromDir
	for {
		if rest, found := strings.CutPrefix(p, "./"); found {
			p = rest
			continue
		}
		if rest, found := strings.CutPrefix(p, "../"); found {
			if at == "" {
				return "", true, true
			}
			at, p = dir(at), rest
			continue
		}
		break
	}
	if p == "" || p == "." || p == ".." || p[0] == '/' || path.Clean(p) != p {
		return "", false, false
	}
	if at == "" {
		return p, false, true
	}
	return bytesString(concat(buf, at, "/", p)), false, true
}

// concat appends strings to buf, which callers keep on their stack: a
// map lookup by string(concat(…)) does not allocate, and resolving links
// is the hottest path of a check.
func concat(buf []byte, ss ...string) []byte {
	for _, s := range ss {
		buf = append(buf, s...)
	}
	return buf
}

// NormalizeLinkPath prepares a link path for lookup: NFC, lower case.
func NormalizeLinkPath(p string) string {
	if !norm.NFC.IsNormalString(p) {
		p = norm.NFC.String(p)
	}
	return strings.ToLower(p)
}

// normalizeInto is NormalizeLinkPath that lower-cases an ASCII path into
// buf, which the caller keeps on its stack, instead of a new string. The
// result may share buf's memory: it must not outlive the call.
func normalizeInto(buf []byte, p string) string {
	if lower, ok := asciiLower(buf, p); ok {
		return lower
	}
	return NormalizeLinkPath(p) // NFC and Unicode case rules
}

// asciiLower lower-cases p into buf when p is ASCII, where NFC changes
// nothing; false for any other p. The result may share buf's memory.
func asciiLower(buf []byte, p string) (string, bool) {
	for i := 0; i < len(p); i++ {
		if p[i] >= 0x80 {
			return "", false
		}
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return bytesString(buf), true
}

// ResolvePath resolves a link path written in the note at fromPath. It is
// the heart of links.md 14–17 and the one place to change if Obsidian is
// found to differ.
func (v *Vault) ResolvePath(fromPath, linkPath string) (*File, ResolvedBy, []*File) {
	if linkPath == "" {
		// The note itself, by its exact path: of two notes whose names
		// differ only in case, each links to itself.
		if f := v.File(fromPath); f != nil {
			return f, BySelf, []*File{f}
		}
		return nil, Unresolved, nil
	}
	d := lowerDir(fromPath)
	return v.resolvePath(d, v.index.dirID(d), linkPath)
}

// lowerDir is the lower-cased folder of a vault path, as the index keys
// paths.
func lowerDir(p string) string { return strings.ToLower(dir(p)) }

// resolvePath is ResolvePath from a folder already lower-cased, and
// numbered as index.dirID numbers it, for a non-empty link path.
func (v *Vault) resolvePath(fromDir string, fromDirID int32, linkPath string) (*File, ResolvedBy, []*File) {
	ix := v.index
	// Obsidian trims the spaces a link's path is written with
	// ("[[Links | label]]" finds "Links.md"); link-spacing reports them.
	var buf [256]byte
	p := normalizeInto(buf[:0], strings.TrimSpace(linkPath))
	if p == "" {
		return nil, Unresolved, nil
	}
	switch {
	case strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || p == "." || p == "..":
		var jbuf [256]byte // not buf: p may be in it
		j, above, ok := joinRelative(jbuf[:0], fromDir, p)
		if !ok {
			j = path.Join(fromDir, p)
			above = j == ".." || strings.HasPrefix(j, "../") || j == "."
		}
		if above {
			return nil, Unresolved, nil // never above the vault root
		}
		if f := ix.exact(j); f != nil {
			return f, ByRelative, ix.one(f)
		}
		return nil, Unresolved, nil
	case strings.HasPrefix(p, "/"):
		j := path.Clean(p)[1:]
		if f := ix.exact(j); f != nil {
			return f, ByRelative, ix.one(f)
		}
		return nil, Unresolved, nil
	}
	if p != "." && p != ".." && strings.IndexByte(p, '/') < 0 && !IsNotePath(p) {
		if f, by, cands, ok := ix.bareName(p, fromDir, fromDirID); ok {
			return f, by, cands
		}
	}
	if f, by, cands, ok := ix.shortPath(p, fromDir); ok {
		return f, by, cands
	}
	cands, lower := ix.candidates(p)
	if len(cands) == 0 {
		return nil, Unresolved, nil
	}
	if len(cands) == 1 {
		// The one file it can be; only why is left to tell, and string
		// comparisons tell it without the lookups below.
		c := cands[0]
		switch {
		case isPath(lower, p):
			return c, ByExact, cands
		case fromDir != "" && strings.HasPrefix(lower, fromDir) && len(lower) > len(fromDir) &&
			lower[len(fromDir)] == '/' && isPath(lower[len(fromDir)+1:], p):
			return c, BySameFolder, cands
		}
		return c, ByUnique, cands
	}
	if f := ix.exact(p); f != nil {
		return f, ByExact, moveFirst(cands, f)
	}
	if fromDir != "" {
		var buf [256]byte
		if f := ix.exact(string(concat(buf[:0], fromDir, "/", p))); f != nil {
			return f, BySameFolder, moveFirst(cands, f)
		}
	}
	if len(cands) == 1 {
		return cands[0], ByUnique, cands
	}
	return cands[0], ByShortest, cands
}

// candidates returns the files whose path is p or ends with "/"+p (with
// ".md" added for notes), shortest path first, then in byte order, and
// the lower-cased path of the first. The common answer, one file, shares
// the index's memory: callers must not modify what it returns.
func (ix *index) candidates(p string) ([]*File, string) {
	// p names a note by its path with or without ".md", and any other
	// file by its whole path. Written without ".md", it names the files
	// keyed p; written with it, the notes named p (keyed p without
	// ".md") and the notes named p+".md" (keyed p).
	name := path.Base(p)
	stem, withMD := "", IsNotePath(name)
	if withMD {
		stem = name[:len(name)-len(".md")]
	}
	lookup := func(m map[string]nameEntry, key, stem string) (exact, more nameEntry) {
		if withMD {
			return m[stem], m[key]
		}
		return nameEntry{}, m[key]
	}
	exact, more := lookup(ix.byName, name, stem)
	if t := tail(p); t != "" && exact.n+more.n > 8 {
		// p names a folder too: only files in a folder of that name can
		// match, and byTail lists just those.
		tstem := ""
		if withMD {
			tstem = t[:len(t)-len(".md")]
		}
		exact, more = lookup(ix.byTail, t, tstem)
	}
	// A bare name is the whole file name of every file listed under it.
	bare := strings.IndexByte(p, '/') < 0
	var one []*File // the single match so far
	var oneLower string
	var out []*File // set once a second match is found
	add := func(f *File, lower string, view []*File) {
		switch {
		case one == nil:
			one, oneLower = view, lower
		case out == nil:
			out = append(out, one[0], f)
		default:
			out = append(out, f)
		}
	}
	// The notes whose whole name is p: written with ".md", it is their
	// own.
	ix.each(exact, func(f *File, lower string, view []*File) {
		if IsNotePath(lower) && (bare || pathIs(lower, p, "")) {
			add(f, lower, view)
		}
	})
	ix.each(more, func(f *File, lower string, view []*File) {
		ext := ""
		if IsNotePath(lower) {
			ext = ".md" // a note is named p+".md"
		}
		if bare || pathIs(lower, p, ext) {
			add(f, lower, view)
		}
	})
	if out == nil {
		return one, oneLower
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i].Path) != len(out[j].Path) {
			return len(out[i].Path) < len(out[j].Path)
		}
		return out[i].Path < out[j].Path
	})
	return out, out[0].lower
}

// isPath reports whether lower is p or p+".md", as exact looks up.
func isPath(lower, p string) bool {
	rest, _ := strings.CutSuffix(lower, ".md")
	return lower == p || rest == p && len(rest) < len(lower)
}

// pathIs reports whether lower is p+ext or ends with "/"+p+ext.
func pathIs(lower, p, ext string) bool {
	rest, ok := strings.CutSuffix(lower, ext)
	if !ok || !strings.HasSuffix(rest, p) {
		return false
	}
	return len(rest) == len(p) || rest[len(rest)-len(p)-1] == '/'
}

func moveFirst(fs []*File, f *File) []*File {
	if len(fs) == 1 && fs[0] == f {
		return fs
	}
	out := make([]*File, 0, len(fs))
	out = append(out, f)
	for _, g := range fs {
		if g != f {
			out = append(out, g)
		}
	}
	return out
}

// Resolve resolves a link of note from: its file and, for a subpath, the
// heading or block it names.
func (v *Vault) Resolve(from *Note, l *Link) Resolution {
	r := v.ResolveFile(from, l)
	if l.External || !l.HasSubpath || (r.File == nil && l.Path != "") {
		return r
	}
	target := from
	if r.File != nil {
		target = r.File.Note
	}
	if target == nil || (r.File != nil && !r.File.IsNote()) {
		return r
	}
	id, isBlock := strings.CutPrefix(l.Subpath, "^")
	if isBlock && id == "" || !isBlock && StripHeading(l.Subpath) == "" {
		// "[[Note#]]", "[[Note#^]]": Obsidian opens the note; no heading
		// or block is named, so none can be missing.
		return r
	}
	r.SubpathChecked = true
	if isBlock {
		r.Block = target.FindBlock(id)
		r.SubpathFound = r.Block != nil
		return r
	}
	r.Heading = target.FindHeading(l.Subpath)
	r.SubpathFound = r.Heading != nil
	return r
}

// ResolveFile resolves a link's path only, not its subpath: all of
// Resolve that reads the file index and no note. It is safe while the
// vault is still being parsed (in Options.Parsed), and for a link
// without a subpath it is all of Resolve.
func (v *Vault) ResolveFile(from *Note, l *Link) Resolution {
	var r Resolution
	if l.External {
		return r
	}
	if l.Path == "" {
		r.File, r.By, r.Candidates = v.ResolvePath(from.Path, "")
	} else {
		var fromDir string
		var fromDirID int32
		if from.file != nil {
			fromDir, fromDirID = dir(from.file.lower), from.file.dir
		} else {
			fromDir = lowerDir(from.Path)
			fromDirID = v.index.dirID(fromDir)
		}
		r.File, r.By, r.Candidates = v.resolvePath(fromDir, fromDirID, l.Path)
	}
	if r.File == nil && l.Path == "" {
		// A note parsed outside the vault can still link to itself.
		r.By = BySelf
	}
	return r
}

// FindBlock returns the block with this id (case-insensitive), or nil.
func (n *Note) FindBlock(id string) *Block {
	for i := range n.Blocks {
		if strings.EqualFold(n.Blocks[i].ID, id) {
			return &n.Blocks[i]
		}
	}
	return nil
}

// FindHeading returns the heading a subpath names: "H" or nested "H1#H2"
// (H2 under an earlier H1 of lower level), compared after StripHeading
// and case-insensitively (links.md 20–21).
func (n *Note) FindHeading(subpath string) *Heading {
	keys, folds := n.strippedHeadings()
	if strings.IndexByte(subpath, '#') < 0 {
		// One heading, no nesting: the common case, without the split.
		if s := StripHeading(subpath); s != "" {
			return n.findHeadingFrom(0, 0, []string{s}, []uint64{foldHash(s)}, keys, folds)
		}
		return nil
	}
	var parts []string
	var partFolds []uint64
	for _, p := range strings.Split(subpath, "#") {
		if s := StripHeading(p); s != "" {
			parts = append(parts, s)
			partFolds = append(partFolds, foldHash(s))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return n.findHeadingFrom(0, 0, parts, partFolds, keys, folds)
}

func (n *Note) findHeadingFrom(i, parentLevel int, parts []string, partFolds []uint64, keys []string, folds []uint64) *Heading {
	for ; i < len(n.Headings); i++ {
		if parentLevel > 0 && n.Headings[i].Level <= parentLevel {
			return nil // left the parent's section
		}
		if f := folds[i]; f != 0 && partFolds[0] != 0 && f != partFolds[0] || !strings.EqualFold(keys[i], parts[0]) {
			continue
		}
		h := &n.Headings[i]
		if len(parts) == 1 {
			return h
		}
		if found := n.findHeadingFrom(i+1, h.Level, parts[1:], partFolds[1:], keys, folds); found != nil {
			return found
		}
	}
	return nil
}

// StripHeading normalises heading text as Obsidian's stripHeading does:
// the characters !"#$%&()*+,.:;<=>?@^`{|}~/[]\ become spaces, runs of
// whitespace collapse to one space, and the ends are trimmed.
func StripHeading(s string) string {
	if strippedAlready(s) {
		return s // most headings: nothing to strip, nothing to allocate
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if strings.ContainsRune(headingPunct, r) || r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// headingPunct holds the characters StripHeading turns into spaces.
const headingPunct = "!\"#$%&()*+,.:;<=>?@^`{|}~/[]\\"

// strippedAlready reports whether StripHeading would return s unchanged:
// ASCII letters, digits and other bytes StripHeading keeps, single
// spaces between words, none at either end.
func strippedAlready(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return false // runes such as U+00A0 need decoding: take the slow way
		case c == ' ':
			if s[i+1] == ' ' {
				return false
			}
		case c < ' ' || strings.IndexByte(headingPunct, c) >= 0:
			return false
		}
	}
	return true
}
