// Package cache keeps what `vaultlint check` found per file, so that a
// run over a vault that barely changed parses and checks only what did.
//
// A cache file holds, under a run key (the vaultlint build, the config
// file, the selected rules, --max-note-size, .obsidian/app.json and
// types.json, and the sorted paths of every file of the vault), one entry
// per file: for a note its size, modification time, content hash, link
// count, aliases and the notes its links resolve to; and for every file
// its final findings (after suppressions), separately for whole-vault
// runs and runs limited by PATHs, with the content hashes of those notes
// and, when they hold a broken-link finding, a hash of every note's
// aliases (broken-link names alias owners).
//
// A warm run walks the vault and hashes every note (an edit can keep a
// note's size and modification time), then reuses a file's findings only
// when all of that still matches; a different run key reuses nothing.
// Everything else is parsed and checked as a cold run would, so the
// output is the same byte for byte. With a rule on that needs every note
// (orphan-note, unused-attachment), any change at all means a cold run.
// Skipped notes (binary, too large, unreadable) are always read afresh,
// so that their reason is current.
package cache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// FileName is the cache file in a vault's cache folder.
const FileName = "check.cache"

// Path returns the cache file of the vault at root under base, the
// user's cache folder (os.UserCacheDir, which honours XDG_CACHE_HOME): in
// base/vaultlint/, a folder named by the first 16 hex digits of the
// sha256 of the vault's absolute path, so that each vault has its own.
func Path(base, root string) (string, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("cache for %s: %w", root, err)
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(base, "vaultlint", hex.EncodeToString(sum[:8]), FileName), nil
}

// Options say how to load and check the vault, and what else its
// findings depend on.
type Options struct {
	// File is the cache file (see Path); "" checks the vault without
	// reading or writing one.
	File string
	// Version identifies the build of vaultlint: findings made by another
	// build are never reused.
	Version string
	// Config is the config file's bytes, nil when there is none.
	Config []byte
	// Load says how to load the vault; its Only is not used: Check.Report
	// says which files are checked. Its BeforeParse is told of every
	// note of the vault, which a cold run parses.
	Load vault.Options
	// Check says what to run. WholeVault false with Report set is a run
	// limited by PATHs.
	Check rules.Config
	// Warn is told, at most once per run, why the cache was not read or
	// not written. The run goes on without it.
	Warn func(error)
}

// Result is what a cold run of check would give.
type Result struct {
	// Vault has every file indexed, and a Problem for every file in the
	// run that could not be read, as a cold run has; only some of its
	// notes are parsed.
	Vault       *vault.Vault
	Diagnostics []rules.Diagnostic
	// Links is the summary's link count: the links of every note a cold
	// run parses (every note; with PATHs, the named ones and the notes
	// they link to).
	Links int
	Stats Stats
}

// Stats say how much the cache served, for tests and benchmarks.
type Stats struct {
	Cold    bool // nothing stored could be used: every file was checked
	Reused  int  // files whose findings came from the cache
	Checked int  // files checked afresh
	Wrote   bool // the cache file was written
}

// Check loads the vault at root and checks it, reusing the findings the
// cache file holds for files that did not change, as the package
// documentation says.
func Check(ctx context.Context, root string, o Options) (*Result, error) {
	obsidian := readObsidian(root)
	lo := o.Load
	// Nothing is parsed up front: the walk alone gives the file set, and
	// the notes that need parsing are known only once they are hashed.
	lo.Only = func(string) bool { return false }
	// Load would tell BeforeParse of the notes it parses itself: none.
	// The notes this run may parse are all of them, told below.
	lo.BeforeParse = nil
	v, err := vault.Load(ctx, root, lo)
	if err != nil {
		return nil, err
	}
	if o.Load.BeforeParse != nil {
		notes, size := 0, int64(0)
		for _, f := range v.Files {
			if f.IsNote() {
				notes++
				size += f.Size
			}
		}
		o.Load.BeforeParse(notes, size)
	}
	c := newChecker(ctx, &o, v)
	rs := o.Check.Rules
	if rs == nil {
		rs = rules.All()
	}
	c.rules = rs
	c.key = runKey(&o, v.Root, c.maxSize, rs, obsidian, v.Files)
	if o.File != "" {
		c.old = c.readCache()
	}
	if c.old == nil {
		err = c.cold()
	} else {
		err = c.warm()
	}
	if err != nil {
		return nil, err
	}
	if o.File != "" && c.dirty {
		// What vault.Load read of .obsidian/ must be what the key says;
		// if it changed during the run, the findings may be of either.
		now := readObsidian(root)
		same := true
		for i := range now {
			same = same && bytes.Equal(now[i], obsidian[i])
		}
		if same {
			c.write()
		}
	}
	return &Result{Vault: v, Diagnostics: c.ds, Links: c.links, Stats: c.stats}, nil
}

type checker struct {
	ctx     context.Context
	o       *Options
	v       *vault.Vault
	rules   []*rules.Rule
	maxSize int64
	mode    int
	key     hash
	old     *data // the cache file, when its key is this run's
	new     *data // what will be written
	index   map[*vault.File]int32
	// states are the notes on disk, read when needed; sums the hashes of
	// the notes parsed in this run (summed says which).
	states   []noteState
	sums     []hash
	summed   []bool
	problems map[string]bool // paths of vault.Problems
	deps     [][]int32       // deps of the notes parsed in this run, when computed

	ds     []rules.Diagnostic
	links  int
	stats  Stats
	dirty  bool
	warned bool
}

func newChecker(ctx context.Context, o *Options, v *vault.Vault) *checker {
	n := len(v.Files)
	c := &checker{ctx: ctx, o: o, v: v, maxSize: o.Load.MaxNoteSize,
		index: make(map[*vault.File]int32, n), states: make([]noteState, n),
		sums: make([]hash, n), summed: make([]bool, n), deps: make([][]int32, n)}
	if c.maxSize <= 0 {
		c.maxSize = vault.DefaultMaxNoteSize
	}
	if !o.Check.WholeVault {
		c.mode = modePartial
	}
	for i, f := range v.Files {
		c.index[f] = int32(i)
	}
	return c
}

func (c *checker) inScope(i int) bool {
	return c.o.Check.Report == nil || c.o.Check.Report(c.v.Files[i].Path)
}

// indexOf returns the index of the file at vault path p, or -1.
func (c *checker) indexOf(p string) int {
	fs := c.v.Files
	i := sort.Search(len(fs), func(i int) bool { return fs[i].Path >= p })
	if i < len(fs) && fs[i].Path == p {
		return i
	}
	return -1
}

func (c *checker) warn(err error) {
	if !c.warned && c.o.Warn != nil {
		c.warned = true
		c.o.Warn(err)
	}
}

// parse parses notes (and the notes they link to) and hashes what it
// parsed.
func (c *checker) parse(paths []string) error {
	if len(paths) > 0 {
		if err := c.v.ParseMore(c.ctx, paths); err != nil {
			return err
		}
	}
	hashNotes(c.v.Files, c.summed, c.sums)
	c.problems = make(map[string]bool, len(c.v.Problems))
	for _, p := range c.v.Problems {
		c.problems[p.Path] = true
	}
	return nil
}

// cur returns the content hash of note i that this run goes by: of the
// bytes parsed, if it was parsed, else of the bytes on disk.
func (c *checker) cur(i int32) hash {
	if c.summed[i] {
		return c.sums[i]
	}
	if !c.states[i].done {
		readStates(c.v.Root, c.v.Files, c.states, []int32{i}, c.maxSize)
	}
	return c.states[i].hash
}

// unchanged reports whether note i's content is what the cache file
// recorded (a note that was skipped and still would be counts).
func (c *checker) unchanged(i int32) bool {
	e := &c.old.files[i]
	return (e.kind == kindNote || e.kind == kindSkipped) && e.hash == c.cur(i)
}

// depsOf returns the other notes the note's links resolve to, by index:
// their headings and blocks decide broken-heading and broken-block-ref.
// Attachments are not listed: only whether they exist matters, and the
// run key covers that.
func (c *checker) depsOf(i int32) []int32 {
	if c.deps[i] != nil {
		return c.deps[i]
	}
	n := c.v.Files[i].Note
	out := []int32{}
	seen := make(map[string]bool, len(n.Links))
	for j := range n.Links {
		l := &n.Links[j]
		if l.External || seen[l.Path] {
			continue // a path resolves the same way each time it is written
		}
		seen[l.Path] = true
		if t, _, _ := c.v.ResolvePath(n.Path, l.Path); t != nil && t.Note != n && t.IsNote() {
			out = append(out, c.index[t])
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	c.deps[i] = out
	return out
}

// resolveDeps computes depsOf for the notes at idx in parallel: after a
// cold run, that is every link of the vault resolved once more.
func (c *checker) resolveDeps(idx []int32) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(idx)) {
		wg.Go(func() {
			for {
				k := next.Add(1) - 1
				if k >= int64(len(idx)) {
					return
				}
				c.depsOf(idx[k]) // each index is written by one goroutine
			}
		})
	}
	wg.Wait()
}

// depDigest hashes the current content hashes of deps.
func (c *checker) depDigest(deps []int32) hash {
	h := sha256.New()
	for _, j := range deps {
		s := c.cur(j)
		h.Write(s[:])
	}
	var out hash
	h.Sum(out[:0])
	return out
}

// aliasDigest hashes every note's aliases, as vault.NotesWithAlias sees
// them, or reports that some are not known: a note changed and was not
// parsed, or (on a PATH run) was not even read.
func (c *checker) aliasDigest() (hash, bool) {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	num := func(v uint64) { h.Write(n[:binary.PutUvarint(n[:], v)]) }
	for i, f := range c.v.Files {
		if !f.IsNote() {
			continue
		}
		var as []string
		switch {
		case f.Note != nil:
			as = f.Note.Aliases()
		case c.problems[f.Path]:
			// Skipped: it has no aliases for anyone.
		case !c.states[i].done && !c.summed[i]:
			return hash{}, false
		default:
			cur := c.cur(int32(i))
			var e *entry
			if c.old != nil {
				e = &c.old.files[i]
			}
			switch {
			case cur == hash{}:
				// Unreadable or too large: vault.NotesWithAlias cannot
				// read it either.
			case e != nil && e.kind == kindNote && e.hash == cur:
				as = e.aliases
			case e != nil && e.kind == kindSkipped && e.hash == cur:
			default:
				return hash{}, false
			}
		}
		if len(as) == 0 {
			continue
		}
		num(uint64(i))
		num(uint64(len(as)))
		for _, a := range as {
			num(uint64(len(a)))
			h.Write([]byte(a))
		}
	}
	var out hash
	h.Sum(out[:0])
	return out, true
}

// vaultWideOn reports whether a rule that needs every note runs: its
// findings on one note depend on all the others, so a warm run that
// missed anything cannot reuse them and runs cold.
func (c *checker) vaultWideOn() bool {
	cfg := &c.o.Check
	if !cfg.WholeVault {
		return false
	}
	for _, r := range c.rules {
		if !r.VaultWide || (r.Run == nil && r.RunVault == nil) {
			continue
		}
		sev := r.Severity
		if cfg.Settings != nil {
			sev, _ = cfg.Settings("", r)
		}
		if sev != rules.Off || (cfg.MaybeOn != nil && cfg.MaybeOn(r)) {
			return true
		}
	}
	return false
}

// cold checks every file in scope, as check does without a cache, and
// records everything.
func (c *checker) cold() error {
	c.stats = Stats{Cold: true}
	c.dirty = false
	var paths []string
	for i, f := range c.v.Files {
		if f.IsNote() && c.inScope(i) {
			paths = append(paths, f.Path)
		}
	}
	// Load with Only would parse these and the notes they link to; so
	// does ParseMore, on the vault already walked.
	if err := c.parse(paths); err != nil {
		return err
	}
	ds, err := rules.Check(c.ctx, c.v, c.o.Check)
	if err != nil {
		return err
	}
	c.ds = ds
	for i := range c.v.Files {
		if c.inScope(i) {
			c.stats.Checked++
		}
	}
	c.links = 0
	for _, n := range c.v.Notes {
		c.links += len(n.Links)
	}
	if c.o.File == "" {
		return nil // nothing to record it in
	}
	if c.old != nil {
		c.new = c.old // same key: what the other mode found may still hold
	} else {
		c.new = &data{key: c.key, files: make([]entry, len(c.v.Files))}
	}
	c.dirty = true
	computed := make([]bool, len(c.v.Files))
	for i := range computed {
		computed[i] = c.inScope(i)
	}
	c.record(computed, ds)
	return nil
}

// warm reuses the findings of the files that did not change and checks
// the rest.
func (c *checker) warm() error {
	v, old, m := c.v, c.old, c.mode
	whole := m == modeWhole
	var idx []int32
	for i, f := range v.Files {
		if f.IsNote() && (whole || c.inScope(i)) {
			idx = append(idx, int32(i))
			if e := &old.files[i]; !whole && e.kind == kindNote {
				idx = append(idx, e.deps...)
			}
		}
	}
	readStates(v.Root, v.Files, c.states, idx, c.maxSize)
	if !whole {
		// The alias table matters only to broken-link findings; read the
		// whole vault for it only when one may be reused or written.
		for i := range v.Files {
			if !v.Files[i].IsNote() || !c.inScope(i) {
				continue
			}
			if s := old.files[i].sets[m]; !c.unchanged(int32(i)) || s == nil || s.hasBrokenLink() {
				var all []int32
				for j, f := range v.Files {
					if f.IsNote() {
						all = append(all, int32(j))
					}
				}
				readStates(v.Root, v.Files, c.states, all, c.maxSize)
				break
			}
		}
	}

	vaultWide := c.vaultWideOn()
	var changed []string
	for _, i := range idx {
		if !c.inScope(int(i)) && !whole {
			continue // a dependency, read to compare
		}
		e := &old.files[i]
		skipped := c.cur(i) == hash{} || e.kind == kindSkipped
		if !c.unchanged(i) || skipped {
			// Skipped notes are read again for their reason: skipped
			// files are never served from the cache.
			changed = append(changed, v.Files[i].Path)
		}
		if vaultWide && (!c.unchanged(i) || e.size != c.states[i].size || e.mtime != c.states[i].mtime) {
			return c.cold()
		}
	}
	if err := c.parse(changed); err != nil {
		return err
	}
	ad, adKnown := c.aliasDigest()

	miss := make([]bool, len(v.Files))
	var more []string
	for i, f := range v.Files {
		if !c.inScope(i) || c.hit(int32(i), ad, adKnown) {
			continue
		}
		miss[i] = true
		c.stats.Checked++
		if f.IsNote() && !c.problems[f.Path] {
			// Even if parsed already (as a link target of a changed
			// note), the notes it links to may not be: ParseMore
			// parses them.
			more = append(more, f.Path)
		}
	}
	if vaultWide && c.stats.Checked > 0 {
		return c.cold()
	}
	if err := c.parse(more); err != nil {
		return err
	}
	cfg := c.o.Check
	cfg.Report = func(p string) bool {
		i := c.indexOf(p)
		return i >= 0 && miss[i]
	}
	fresh, err := rules.Check(c.ctx, v, cfg)
	if err != nil {
		return err
	}
	out := make([]rules.Diagnostic, 0, len(fresh)+len(v.Files))
	out = append(out, fresh...)
	for i := range v.Files {
		if c.inScope(i) && !miss[i] {
			c.stats.Reused++
			out = append(out, old.files[i].sets[m].diags...)
		}
	}
	// Each file's findings keep their order, and files are apart: the
	// stable sort gives the cold run's order.
	rules.Sort(out)
	c.ds = out
	if err := c.countLinks(); err != nil {
		return err
	}
	c.new = old
	c.record(miss, fresh)
	return nil
}

// hit reports whether file i's stored findings hold in this run.
func (c *checker) hit(i int32, ad hash, adKnown bool) bool {
	f := c.v.Files[i]
	e := &c.old.files[i]
	s := e.sets[c.mode]
	switch {
	case s == nil:
		return false
	case !f.IsNote():
		// An attachment's findings (file names, case conflicts) depend
		// only on the file set and the config: the run key.
		return e.kind == kindAttachment
	case f.Note == nil && c.problems[f.Path]:
		return e.kind == kindSkipped && e.hash == c.cur(i)
	case e.kind != kindNote || e.hash != c.cur(i):
		return false
	case e.size != c.states[i].size || e.mtime != c.states[i].mtime:
		return false
	case c.depDigest(e.deps) != s.depDigest:
		return false
	case s.hasBrokenLink() && (!adKnown || s.aliasDigest != ad):
		return false
	}
	return true
}

// countLinks counts the links of the notes a cold run parses: every
// note, or with PATHs the named notes and the notes they link to.
func (c *checker) countLinks() error {
	v := c.v
	var count []int32
	if c.mode == modeWhole {
		for i, f := range v.Files {
			if f.IsNote() {
				count = append(count, int32(i))
			}
		}
	} else {
		seen := map[int32]bool{}
		add := func(i int32) {
			if !seen[i] {
				seen[i] = true
				count = append(count, i)
			}
		}
		for i, f := range v.Files {
			if !f.IsNote() || !c.inScope(i) {
				continue
			}
			switch e := &c.old.files[i]; {
			case f.Note != nil:
				add(int32(i))
				for _, d := range c.depsOf(int32(i)) {
					add(d)
				}
			case e.kind == kindNote && e.hash == c.cur(int32(i)):
				add(int32(i))
				for _, d := range e.deps {
					add(d)
				}
			}
		}
	}
	links := func(i int32) (int, bool) {
		f := v.Files[i]
		e := &c.old.files[i]
		switch {
		case f.Note != nil:
			return len(f.Note.Links), true
		case c.problems[f.Path]:
			return 0, true
		case e.kind == kindNote && e.hash == c.cur(i):
			return e.links, true
		case e.kind == kindSkipped && e.hash == c.cur(i), c.cur(i) == hash{}:
			return 0, true
		}
		return 0, false
	}
	var unknown []string
	for _, i := range count {
		if _, ok := links(i); !ok {
			unknown = append(unknown, v.Files[i].Path)
		}
	}
	// A note whose count is not stored is one that changed since: parse
	// it just to count (only a race with an editor gets here).
	if err := c.parse(unknown); err != nil {
		return err
	}
	c.links = 0
	for _, i := range count {
		n, _ := links(i)
		c.links += n
	}
	return nil
}

// record stores what this run learned: the content facts of every note
// it parsed or skipped, and the findings ds of the files computed says
// were checked.
func (c *checker) record(computed []bool, ds []rules.Diagnostic) {
	v, d := c.v, c.new
	var fresh []int32
	for i, f := range v.Files {
		if e := &d.files[i]; f.Note != nil && (e.kind != kindNote || e.hash != c.sums[i]) && c.deps[i] == nil {
			fresh = append(fresh, int32(i))
		}
	}
	c.resolveDeps(fresh)
	for i, f := range v.Files {
		if !f.IsNote() {
			continue
		}
		e := &d.files[i]
		switch {
		case f.Note != nil:
			h := c.sums[i]
			mtime := f.ModTime.UnixNano()
			if e.kind == kindNote && e.hash == h {
				if e.size != f.Size || e.mtime != mtime {
					e.size, e.mtime = f.Size, mtime
					c.dirty = true
				}
				continue
			}
			*e = entry{kind: kindNote, size: f.Size, mtime: mtime, hash: h,
				links: len(f.Note.Links), aliases: f.Note.Aliases(), deps: c.depsOf(int32(i))}
			c.dirty = true
		case c.problems[f.Path]:
			h := c.cur(int32(i))
			st := c.states[i]
			if e.kind != kindSkipped || e.hash != h || e.size != st.size || e.mtime != st.mtime {
				*e = entry{kind: kindSkipped, size: st.size, mtime: st.mtime, hash: h}
				c.dirty = true
			}
		}
	}
	var ad hash
	adKnown := false
	adDone := false
	// ds is sorted by path: each file's findings are one run of it.
	for k := 0; k < len(ds); {
		j := k + 1
		for j < len(ds) && ds[j].Path == ds[k].Path {
			j++
		}
		if i := c.indexOf(ds[k].Path); i >= 0 && computed[i] {
			c.setFindings(i, ds[k:j:j], &ad, &adKnown, &adDone)
			computed[i] = false
		}
		k = j
	}
	for i, todo := range computed {
		if todo {
			c.setFindings(i, nil, &ad, &adKnown, &adDone)
		}
	}
}

func (c *checker) setFindings(i int, ds []rules.Diagnostic, ad *hash, adKnown, adDone *bool) {
	f := c.v.Files[i]
	e := &c.new.files[i]
	s := &set{diags: ds}
	switch {
	case !f.IsNote():
		if e.kind != kindAttachment {
			*e = entry{kind: kindAttachment}
		}
	case e.kind == kindNote && f.Note != nil && e.hash == c.sums[i]:
		s.depDigest = c.depDigest(e.deps)
		if s.hasBrokenLink() {
			if !*adDone {
				*ad, *adKnown = c.aliasDigest()
				*adDone = true
			}
			if *adKnown {
				s.aliasDigest = *ad
			}
		}
	case e.kind == kindSkipped && f.Note == nil:
	default:
		// A note neither parsed nor skipped in this run was not checked
		// either: there is nothing to store.
		return
	}
	e.sets[c.mode] = s
	c.dirty = true
}

// readCache reads the cache file; it returns nil, and warns unless there
// is simply none or it was written for another run, when it cannot be
// used.
func (c *checker) readCache() *data {
	b, err := os.ReadFile(c.o.File)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		c.warn(fmt.Errorf("cache not used: %w", err))
		return nil
	}
	d, err := decode(b, c.key, c.v.Files)
	if errors.Is(err, errBadKey) {
		return nil
	}
	if err != nil {
		c.warn(fmt.Errorf("cache not used: %s: %w", c.o.File, err))
		return nil
	}
	return d
}

// write replaces the cache file atomically: a temporary file in the same
// folder, renamed over it, so that a reader sees the old file or the new
// one, never half of one.
func (c *checker) write() {
	b := c.new.encode()
	dir := filepath.Dir(c.o.File)
	if err := mkdirCache(dir); errors.Is(err, errNoHome) {
		return
	} else if err != nil {
		c.warn(fmt.Errorf("cache not written: %w", err))
		return
	}
	tmp, err := os.CreateTemp(dir, FileName+".*.tmp")
	if err != nil {
		c.warn(fmt.Errorf("cache not written: %w", err))
		return
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), c.o.File)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		c.warn(fmt.Errorf("cache not written: %w", err))
		return
	}
	c.stats.Wrote = true
}

// mkdirCache makes the vault's cache folder, the vaultlint folder above
// it and the user's cache folder (~/.cache), but not the folder that
// holds that: with no home folder (HOME=/nonexistent, as sandboxes and
// test harnesses set it) there is no cache, and a linter does not create
// one. That is errNoHome, and no warning: nothing is wrong with the
// cache, there is just nowhere to keep it.
func mkdirCache(dir string) error {
	base := filepath.Dir(filepath.Dir(dir))
	if _, err := os.Stat(base); errors.Is(err, fs.ErrNotExist) {
		if err := os.Mkdir(base, 0o700); errors.Is(err, fs.ErrNotExist) {
			return errNoHome
		} else if err != nil {
			return err
		}
	}
	// Findings quote the notes: keep them to their owner.
	return os.MkdirAll(dir, 0o700)
}

var errNoHome = errors.New("no home folder")
