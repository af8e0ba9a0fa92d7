package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/vaultlint/vaultlint/internal/par"
	"golang.org/x/sync/errgroup"
	"golang.org/x/text/unicode/norm"
)

// DefaultMaxNoteSize is the size above which a note is reported and not
// parsed, so that one giant file cannot stall a run.
const DefaultMaxNoteSize = 16 << 20

// Options tune Load.
type Options struct {
	// Exclude marks vault paths as not linted (they stay link targets),
	// on top of Obsidian's userIgnoreFilters. Used for config ignores.
	Exclude func(path string) bool
	// MaxNoteSize overrides DefaultMaxNoteSize when positive.
	MaxNoteSize int64
	// Only, when set, limits which notes are parsed to those it accepts
	// and the notes they link to; every file is still indexed, so links
	// resolve against the whole vault. It makes linting a few changed
	// notes of a large vault cheap.
	Only func(path string) bool
	// CollectHidden picks dot files to list in Vault.Hidden: they are not
	// part of the vault, but a caller may need them (fix cleans up the
	// temporary files a killed run left).
	CollectHidden func(name string) bool
	// BeforeParse, when set, is called once the vault is listed and
	// before any note is read, with how many notes Load parses first and
	// their size on disk: enough for a caller to size its memory.
	BeforeParse func(notes int, bytes int64)
	// Parsed, when set, is called with each note as soon as it is parsed,
	// from several goroutines at once, before Load returns. Every file of
	// the vault is indexed by then (File and ResolvePath work), but other
	// notes may not be parsed yet: it must not read them. A streaming
	// check runs each note's own rules here, keeps only the links it
	// will report on, and releases the note's source (rules.Checker):
	// with Only, the notes a note links to are found before Parsed is
	// called, so it may drop links.
	Parsed func(v *Vault, n *Note)
	// Canvases, when set, has Load read every canvas of the vault into
	// File.Canvas, so that the files a canvas shows count as used.
	Canvases bool
	// Progress, when set, is called once per note after it is read and
	// parsed (or found unreadable), from several goroutines at once, with
	// the number of notes this Load means to parse; it must be cheap.
	Progress func(total int)
}

// Problem is a file that could not be loaded as a note, and why. It is
// reported to the user; the rest of the vault is still linted.
type Problem struct {
	Path string
	Err  error
}

func (p Problem) Error() string { return p.Path + ": " + p.Err.Error() }

// AppConfig holds what vaultlint reads of .obsidian/app.json.
type AppConfig struct {
	UserIgnoreFilters    []string `json:"userIgnoreFilters"`
	NewLinkFormat        string   `json:"newLinkFormat"`
	UseMarkdownLinks     bool     `json:"useMarkdownLinks"`
	AttachmentFolderPath string   `json:"attachmentFolderPath"`
}

// Vault is a loaded vault: every file in an index, every note parsed.
type Vault struct {
	Root     string  // absolute path of the vault folder
	Files    []*File // every file, sorted by Path
	Notes    []*Note // the parsed notes, sorted by Path
	Problems []Problem
	// Hidden lists the dot files Options.CollectHidden picked, by their
	// vault-relative paths as named on disk (not NFC-normalised).
	Hidden []string
	App    AppConfig
	// Types maps property names to their type in .obsidian/types.json.
	Types map[string]string

	index   *index
	maxSize int64
	partial bool
	// root is the vault folder opened once for all reads (see readNote);
	// it stays open with the Vault.
	rootOnce sync.Once
	root     *os.Root
	// progress is Options.Progress, for parseFiles.
	progress func(total int)
	// parsed is Options.Parsed, for parseFiles.
	parsed  func(*Vault, *Note)
	rootErr error
	aliasMu sync.Mutex
	aliases map[string][]*Note // nil until first needed
}

// FindRoot finds the vault root for a start path, as cli.md says: the
// nearest folder upward holding ".obsidian/"; failing that, start itself
// if it is a folder, else the working directory (so that pre-commit,
// which runs at the repository root and passes file names, lints a vault
// whose .obsidian/ is not committed as one vault).
func FindRoot(start string) (string, error) {
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("vault root for %s: %w", start, err)
	}
	for d := abs; ; {
		if st, err := os.Stat(filepath.Join(d, ".obsidian")); err == nil && st.IsDir() {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("vault root: %w", err)
	}
	if st.IsDir() {
		return abs, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("vault root: %w", err)
	}
	return wd, nil
}

// Load reads the vault at root: it walks every folder, indexes every
// file, and parses every note, in parallel.
func Load(ctx context.Context, root string, opts Options) (*Vault, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("vault %s: %w", root, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("vault %s: %w", root, err)
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("vault %s: %w", root, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("vault %s: not a folder", root)
	}
	v := &Vault{Root: real, progress: opts.Progress, parsed: opts.Parsed}
	if err := v.readObsidianConfig(); err != nil {
		return nil, err
	}
	w := &walker{root: real, collect: opts.CollectHidden}
	w.walk(ctx)
	v.Hidden = w.collected
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v.Problems = w.problems
	files := w.files
	slices.SortFunc(files, func(a, b *File) int { return strings.Compare(a.Path, b.Path) })
	ignore := compileIgnoreFilters(v.App.UserIgnoreFilters)
	for _, f := range files {
		f.Excluded = ignore(f.Path) || (opts.Exclude != nil && opts.Exclude(f.Path))
	}
	v.Files = files
	v.index = newIndex(files)

	maxSize := opts.MaxNoteSize
	if maxSize <= 0 {
		maxSize = DefaultMaxNoteSize
	}
	v.maxSize = maxSize
	var first []*File
	for _, f := range files {
		if f.IsNote() && (opts.Only == nil || opts.Only(f.Path)) {
			first = append(first, f)
		}
	}
	if opts.BeforeParse != nil {
		var size int64
		for _, f := range first {
			size += f.Size
		}
		opts.BeforeParse(len(first), size)
	}
	var linked *linkedNotes
	if opts.Only != nil {
		linked = &linkedNotes{files: map[*File]bool{}}
	}
	if err := v.parseFiles(ctx, first, linked); err != nil {
		return nil, err
	}
	if opts.Only != nil {
		// Rules read the headings and blocks of the notes that the
		// given notes link to, so those are parsed too; nothing further.
		v.partial = true
		if err := v.parseFiles(ctx, linked.unparsed(v), nil); err != nil {
			return nil, err
		}
	}
	if opts.Canvases {
		v.readCanvases()
	}
	for _, f := range files {
		if f.Note != nil {
			v.Notes = append(v.Notes, f.Note)
		}
	}
	sort.Slice(v.Problems, func(i, j int) bool { return v.Problems[i].Path < v.Problems[j].Path })
	return v, nil
}

// parseFiles reads and parses notes in parallel; a note that cannot be
// read becomes a Problem. When linked is set, it collects the notes each
// note links to, before Options.Parsed may drop links it has no more
// use for.
func (v *Vault) parseFiles(ctx context.Context, files []*File, linked *linkedNotes) error {
	var mu sync.Mutex
	folders := newFolderRoots(files)
	// Twice the CPUs: some workers wait on the disk while others parse.
	return par.ForEach(ctx, len(files), runtime.GOMAXPROCS(0)*2, func(i int) {
		f := files[i]
		if v.progress != nil {
			defer v.progress(len(files))
		}
		src, st, err := folders.read(v, f.DiskPath())
		if err != nil {
			mu.Lock()
			v.Problems = append(v.Problems, Problem{f.Path, err})
			mu.Unlock()
			return // reported as a Problem; the rest of the vault goes on
		}
		f.ModTime, f.Mode, f.Size = st.ModTime(), st.Mode(), st.Size()
		n := Parse(f.Path, src)
		n.Excluded = f.Excluded
		n.file = f
		f.Note = n
		if linked != nil {
			linked.add(v, n)
		}
		if v.parsed != nil {
			v.parsed(v, n)
		}
	})
}

// folderRoots opens each folder of a set of notes once, as an os.Root
// below the vault's, and closes it after its last note is read.
//
// Opening "a/b/c/Note.md" through the vault's os.Root opens and closes
// each folder on the way (os.Root resolves one name at a time, never
// following a symlink out): three times the system calls of the note's
// own open and close. A folder's own Root opens the note with one call
// and keeps the same guarantee.
type folderRoots map[string]*folderRoot

type folderRoot struct {
	once sync.Once
	root *os.Root // nil when the folder could not be opened
	left atomic.Int64
}

func newFolderRoots(files []*File) folderRoots {
	roots := folderRoots{}
	for _, f := range files {
		d := dir(f.DiskPath())
		if roots[d] == nil {
			roots[d] = &folderRoot{}
		}
		roots[d].left.Add(1)
	}
	return roots
}

// read reads the note at vault path rel, through its folder's Root when
// that could be opened, else (to report why) through the vault's.
func (roots folderRoots) read(v *Vault, rel string) ([]byte, fs.FileInfo, error) {
	d := dir(rel)
	fr := roots[d]
	if fr == nil || d == "" {
		return v.readNote(rel)
	}
	fr.once.Do(func() {
		if v.openRoot() == nil {
			fr.root, _ = v.root.OpenRoot(filepath.FromSlash(d))
		}
	})
	defer func() {
		if fr.left.Add(-1) == 0 && fr.root != nil {
			fr.root.Close()
		}
	}()
	if fr.root == nil {
		return v.readNote(rel)
	}
	return readNote(fr.root, rel[len(d)+1:], v.maxSize)
}

// linkTargets returns the unparsed notes that the parsed notes among
// files link to.
func (v *Vault) linkTargets(files []*File) []*File {
	linked := &linkedNotes{files: map[*File]bool{}}
	for _, f := range files {
		if f.Note != nil {
			linked.add(v, f.Note)
		}
	}
	return linked.unparsed(v)
}

// linkedNotes is a set of the notes that some notes link to.
type linkedNotes struct {
	mu    sync.Mutex
	files map[*File]bool
}

// add adds the notes that n links to; it is safe to call from several
// goroutines at once.
func (s *linkedNotes) add(v *Vault, n *Note) {
	var found []*File
	for i := range n.Links {
		l := &n.Links[i]
		if l.External {
			continue
		}
		if t, _, _ := v.ResolvePath(n.Path, l.Path); t != nil && t.IsNote() {
			found = append(found, t)
		}
	}
	s.mu.Lock()
	for _, t := range found {
		s.files[t] = true
	}
	s.mu.Unlock()
}

// unparsed returns the notes of the set not parsed yet, sorted by path,
// leaving out those already reported as Problems: reading one again
// would report it twice.
func (s *linkedNotes) unparsed(v *Vault) []*File {
	tried := make(map[string]bool, len(v.Problems))
	for _, p := range v.Problems {
		tried[p.Path] = true
	}
	var out []*File
	for t := range s.files {
		if t.Note == nil && !tried[t.Path] {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// ParseMore parses, in a vault loaded with Options.Only, the notes at the
// given vault paths and the notes they link to, as Load does for the
// notes Only accepts. Notes already parsed, or already reported as
// Problems, are not read again; paths that name no note are ignored. A
// caller that learns which notes it needs only as it goes (the warm
// cache: the notes that changed, then those their changes affect) loads
// the vault with an Only that accepts none, then parses in steps.
func (v *Vault) ParseMore(ctx context.Context, paths []string) error {
	tried := make(map[string]bool, len(v.Problems))
	for _, p := range v.Problems {
		tried[p.Path] = true
	}
	var given, first []*File
	for _, p := range paths {
		f := v.File(p)
		if f == nil || !f.IsNote() || tried[f.Path] {
			continue
		}
		tried[f.Path] = true // a path given twice is read once
		given = append(given, f)
		if f.Note == nil {
			first = append(first, f)
		}
	}
	if err := v.parseFiles(ctx, first, nil); err != nil {
		return err
	}
	var targets []*File
	rest := false // whether any note is left to parse: else resolving every link to find targets is wasted
	for _, f := range v.Files {
		if f.IsNote() && f.Note == nil && !tried[f.Path] {
			rest = true
			break
		}
	}
	if rest {
		for _, f := range v.linkTargets(given) {
			if !tried[f.Path] {
				targets = append(targets, f)
			}
		}
	}
	if err := v.parseFiles(ctx, targets, nil); err != nil {
		return err
	}
	notes := make([]*Note, 0, len(v.Notes)+len(first)+len(targets))
	for _, f := range v.Files {
		if f.Note != nil {
			notes = append(notes, f.Note)
		}
	}
	v.Notes = notes
	sort.Slice(v.Problems, func(i, j int) bool { return v.Problems[i].Path < v.Problems[j].Path })
	// The alias table, if built, was built without the new notes.
	v.aliasMu.Lock()
	v.aliases = nil
	v.aliasMu.Unlock()
	return nil
}

// Partial reports whether only some notes were parsed (Options.Only):
// rules that need every note must not run.
func (v *Vault) Partial() bool { return v.partial }

// New builds a vault from notes and attachment paths already in memory,
// for tests and for tools that hold a vault elsewhere.
func New(notes []*Note, attachments ...string) *Vault {
	v := &Vault{}
	var files []*File
	for _, n := range notes {
		f := &File{Path: n.Path, Size: int64(len(n.Src)), Note: n}
		n.file = f
		files = append(files, f)
	}
	for _, a := range attachments {
		files = append(files, &File{Path: a})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	v.Files = files
	v.index = newIndex(files)
	for _, f := range files {
		if f.Note != nil {
			v.Notes = append(v.Notes, f.Note)
		}
	}
	return v
}

// File returns the file at a vault path (exact, case-sensitive after NFC),
// or nil.
func (v *Vault) File(p string) *File {
	p = norm.NFC.String(p)
	i := sort.Search(len(v.Files), func(i int) bool { return v.Files[i].Path >= p })
	if i < len(v.Files) && v.Files[i].Path == p {
		return v.Files[i]
	}
	return nil
}

// NotesWithAlias returns the notes whose aliases include a (compared
// case-insensitively). Aliases never resolve links (links.md 19); they
// only help fixes suggest a target.
func (v *Vault) NotesWithAlias(a string) []*Note {
	v.aliasMu.Lock()
	defer v.aliasMu.Unlock()
	if v.aliases == nil {
		v.buildAliases()
	}
	return v.aliases[strings.ToLower(a)]
}

func (v *Vault) buildAliases() {
	v.aliases = map[string][]*Note{}
	add := func(n *Note) {
		for _, a := range n.Aliases() {
			k := strings.ToLower(a)
			v.aliases[k] = append(v.aliases[k], n)
		}
	}
	for _, n := range v.Notes {
		add(n)
	}
	if !v.partial {
		return
	}
	// A partial load did not parse every note, but aliases live in the
	// frontmatter of any of them: read just that, once, when asked.
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0) * 2)
	for _, f := range v.Files {
		if !f.IsNote() || f.Note != nil {
			continue
		}
		g.Go(func() error {
			src, _, err := v.readNote(f.DiskPath())
			if err != nil {
				return nil //nolint:nilerr // reported if the note itself is linted
			}
			n := &Note{Path: f.Path, Src: src, file: f}
			if bytes.HasPrefix(src, []byte("\xEF\xBB\xBF")) {
				n.BOM = 3
			}
			if fm := splitFrontmatter(src, n.BOM); fm != nil {
				parseFrontmatter(src, fm)
				n.Frontmatter = fm
			}
			mu.Lock()
			add(n)
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()
	for k, ns := range v.aliases {
		sort.Slice(ns, func(i, j int) bool { return ns[i].Path < ns[j].Path })
		v.aliases[k] = ns
	}
}

func (v *Vault) readObsidianConfig() error {
	dir := filepath.Join(v.Root, ".obsidian")
	if b, err := os.ReadFile(filepath.Join(dir, "app.json")); err == nil {
		if err := json.Unmarshal(b, &v.App); err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(".obsidian", "app.json"), err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read .obsidian/app.json: %w", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "types.json")); err == nil {
		var t struct {
			Types map[string]string `json:"types"`
		}
		if err := json.Unmarshal(b, &t); err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(".obsidian", "types.json"), err)
		}
		v.Types = t.Types
	}
	return nil
}

// compileIgnoreFilters turns userIgnoreFilters into a matcher: "/re/"
// entries are regular expressions, the others path prefixes ("Archive"
// matches "Archive/x.md" and "Archive.md"-less "Archive" folder only by
// prefix, as Obsidian does).
func compileIgnoreFilters(filters []string) func(string) bool {
	var prefixes []string
	var res []*regexp.Regexp
	for _, f := range filters {
		if len(f) > 2 && strings.HasPrefix(f, "/") && strings.HasSuffix(f, "/") {
			if re, err := regexp.Compile(f[1 : len(f)-1]); err == nil {
				res = append(res, re)
			}
			continue
		}
		if f != "" {
			prefixes = append(prefixes, norm.NFC.String(f))
		}
	}
	return func(p string) bool {
		for _, pre := range prefixes {
			if strings.HasPrefix(p, pre) {
				return true
			}
		}
		for _, re := range res {
			if re.MatchString(p) {
				return true
			}
		}
		return false
	}
}

// readNote reads the note at vault path rel, refusing what is not a
// regular UTF-8 text file. It returns the file's state as it was when
// read, for fixes to check against before they write.
//
// The note is opened through an os.Root: the walk follows no symlink, but
// a file or folder can be swapped for a symlink out of the vault between
// the walk and the read, and a plain open would then read outside it.
func (v *Vault) readNote(rel string) ([]byte, fs.FileInfo, error) {
	if err := v.openRoot(); err != nil {
		return nil, nil, fmt.Errorf("cannot read: %w", unwrapPathError(err))
	}
	return readNote(v.root, rel, v.maxSize)
}

// openRoot opens the vault folder as v.root, once.
func (v *Vault) openRoot() error {
	v.rootOnce.Do(func() { v.root, v.rootErr = os.OpenRoot(v.Root) })
	return v.rootErr
}

// readNote reads rel under r, which keeps a note swapped for a symlink
// after the walk from being read outside the vault.
func readNote(r *os.Root, rel string, maxSize int64) ([]byte, fs.FileInfo, error) {
	f, err := r.OpenFile(filepath.FromSlash(rel), os.O_RDONLY|syscallNonblock, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read: %w", unwrapPathError(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("cannot stat: %w", unwrapPathError(err))
	}
	if !st.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("not a regular file (%s)", fileType(st.Mode()))
	}
	if st.Size() > maxSize {
		return nil, nil, fmt.Errorf("%d bytes is more than the limit of %d: not parsed", st.Size(), maxSize)
	}
	// Read into a buffer of the size Stat gave (one byte more, to see a
	// file that grew meanwhile), not one grown from 512 bytes.
	src := make([]byte, st.Size()+1)
	n, err := io.ReadFull(f, src)
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		src, err = src[:n], nil
	case err == nil: // it grew since Stat: read on, up to the limit
		var rest []byte
		rest, err = io.ReadAll(io.LimitReader(f, maxSize+1-int64(n)))
		src = append(src, rest...)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read: %w", unwrapPathError(err))
	}
	if int64(len(src)) > maxSize {
		return nil, nil, fmt.Errorf("more than the limit of %d bytes: not parsed", maxSize)
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line, _ := Position(src, i)
		return nil, nil, fmt.Errorf("line %d: holds a NUL byte: a binary file, not a note", line)
	}
	if !utf8.Valid(src) {
		off := invalidUTF8(src)
		line, col := Position(src, off)
		return nil, nil, fmt.Errorf("line %d, column %d: not valid UTF-8 text", line, col)
	}
	if line, col := deepNesting(src); line > 0 {
		return nil, nil, fmt.Errorf("line %d: quotes or lists nested to column %d, past the limit of %d: not parsed", line, col, MaxNestingColumn)
	}
	return src, st, nil
}

func invalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, w := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && w <= 1 {
			return i
		}
		i += w
	}
	return len(src)
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a folder"
	}
	return m.Type().String()
}
