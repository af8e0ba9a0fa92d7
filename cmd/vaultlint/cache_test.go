package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/vaultlint/vaultlint/internal/cache"
	"github.com/vaultlint/vaultlint/internal/textdiff"
	"github.com/vaultlint/vaultlint/internal/vaultgen"
	"github.com/vaultlint/vaultlint/vault"
)

// The test binary must not write to the developer's cache folder, and the
// script commands it runs (testscript sets HOME=/no-home) should have one
// to write to. In this binary the cache goes to $XDG_CACHE_HOME when a
// test or script sets it, on every system, and else under the temporary
// folder (for script commands, the script's $WORK/.tmp).
func init() {
	userCacheDir = func() (string, error) {
		if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
			return d, nil
		}
		return filepath.Join(os.TempDir(), "vaultlint-test-cache"), nil
	}
}

// cacheRunner runs check on one vault with the cache and without it.
type cacheRunner struct {
	t     *testing.T
	dir   string
	stats cache.Stats
}

func newCacheRunner(t *testing.T, dir string) *cacheRunner {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	r := &cacheRunner{t: t, dir: dir}
	cacheStats = func(s cache.Stats) { r.stats = s }
	t.Cleanup(func() { cacheStats = nil })
	return r
}

func (r *cacheRunner) run(args ...string) (stdout, stderr string) {
	r.t.Helper()
	var out, errOut bytes.Buffer
	if st := run(append([]string{"check", "--vault", r.dir}, args...), nil, &out, &errOut); st == exitUsage {
		r.t.Fatalf("vaultlint check %s: exit 2: %s", strings.Join(args, " "), errOut.String())
	}
	return out.String(), errOut.String()
}

// same fails the test unless a run through the cache prints exactly what
// a run without it prints, on stdout and stderr; it returns what the
// cache served.
func (r *cacheRunner) same(step string, args ...string) cache.Stats {
	r.t.Helper()
	r.stats = cache.Stats{}
	got, gotErr := r.run(args...)
	stats := r.stats
	want, wantErr := r.run(append([]string{"--no-cache"}, args...)...)
	if got != want {
		r.t.Fatalf("%s: check %s through the cache differs from a cold run:\n%s", step, strings.Join(args, " "),
			textdiff.Between("cold", "warm", []byte(want), []byte(got)))
	}
	if gotErr != wantErr {
		r.t.Fatalf("%s: stderr through the cache differs from a cold run:\n%s", step, textdiff.Between("cold", "warm", []byte(wantErr), []byte(gotErr)))
	}
	r.t.Logf("%s: %+v", step, stats)
	return stats
}

// both runs same over the whole vault and over some of its notes, in
// JSON, and returns the whole run's stats.
func (r *cacheRunner) both(step string, paths ...string) cache.Stats {
	r.t.Helper()
	st := r.same(step, "--format", "json")
	if len(paths) > 0 {
		var abs []string
		for _, p := range paths {
			if _, err := os.Stat(filepath.Join(r.dir, p)); err == nil {
				abs = append(abs, filepath.Join(r.dir, p))
			}
		}
		if len(abs) > 0 {
			r.same(step+" (PATHs)", append([]string{"--format", "json"}, abs...)...)
		}
	}
	return st
}

// cold returns the JSON output of a whole-vault run without the cache.
func (r *cacheRunner) cold() string {
	r.t.Helper()
	out, _ := r.run("--no-cache", "--format", "json")
	return out
}

func (r *cacheRunner) vault() *vault.Vault {
	r.t.Helper()
	v, err := vault.Load(context.Background(), r.dir, vault.Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

func (r *cacheRunner) read(p string) []byte {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, p))
	if err != nil {
		r.t.Fatal(err)
	}
	return b
}

func (r *cacheRunner) write(p string, b []byte) {
	r.t.Helper()
	full := filepath.Join(r.dir, p)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(full, b, 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// writeKeepStat writes a note with content of the same size and puts its
// modification time back, so that only the content hash can tell.
func (r *cacheRunner) writeKeepStat(p string, b []byte) {
	r.t.Helper()
	full := filepath.Join(r.dir, p)
	st, err := os.Stat(full)
	if err != nil {
		r.t.Fatal(err)
	}
	if st.Size() != int64(len(b)) {
		r.t.Fatalf("%s: the edit changes the size", p)
	}
	r.write(p, b)
	if err := os.Chtimes(full, st.ModTime(), st.ModTime()); err != nil {
		r.t.Fatal(err)
	}
	if st2, err := os.Stat(full); err != nil || !st2.ModTime().Equal(st.ModTime()) || st2.Size() != st.Size() {
		r.t.Fatalf("%s: could not restore size and mtime", p)
	}
}

// sameSizeEdit turns the last character of a prose line of a note
// into a tab: the size stays, and trailing-whitespace now has a finding.
func sameSizeEdit(src []byte) ([]byte, bool) {
	lines := bytes.SplitAfter(src, []byte("\n"))
	inFrontmatter := len(lines) > 0 && string(bytes.TrimRight(lines[0], "\r\n")) == "---"
	for i, l := range lines {
		body := bytes.TrimRight(l, "\r\n")
		if i > 0 && inFrontmatter && string(body) == "---" {
			inFrontmatter = false
			continue
		}
		if inFrontmatter || i == 0 || len(body) < 20 || len(body) == len(l) || bytes.ContainsAny(body, "[]()#^%`|<>*_=$~:!\t\\{}") {
			continue
		}
		if c := body[len(body)-1]; c == '.' || (c >= 'a' && c <= 'z') {
			out := bytes.Clone(src)
			off := 0
			for _, pl := range lines[:i] {
				off += len(pl)
			}
			out[off+len(body)-1] = '\t'
			return out, true
		}
	}
	return nil, false
}

// cacheScenario changes the vault in every way issue 7 names and checks
// after each change that a run through the cache equals a cold one.
func cacheScenario(t *testing.T, dir string) {
	r := newCacheRunner(t, dir)
	v := r.vault()
	var notes []string
	for _, n := range v.Notes {
		notes = append(notes, n.Path)
	}
	some := func() []string { // three notes for PATH runs, the same each time
		var out []string
		for i := 0; i < len(notes) && len(out) < 3; i += max(1, len(notes)/3) {
			out = append(out, notes[i])
		}
		return out
	}

	st := r.both("cold", some()...)
	if !st.Cold || !st.Wrote {
		t.Fatalf("first run: %+v, want a cold run that writes the cache", st)
	}
	st = r.both("nothing changed", some()...)
	if st.Cold || st.Checked != 0 || st.Reused != len(v.Files) || st.Wrote {
		t.Fatalf("second run: %+v, want every one of %d files from the cache and nothing written", st, len(v.Files))
	}
	warmOut, _ := r.run("--no-color")
	coldOut, _ := r.run("--no-color", "--no-cache")
	if warmOut != coldOut {
		t.Fatalf("text output through the cache differs:\n%s", textdiff.Between("cold", "warm", []byte(coldOut), []byte(warmOut)))
	}

	// An edit that keeps the size and the modification time.
	edited := ""
	for _, p := range notes {
		if b, ok := sameSizeEdit(r.read(p)); ok {
			before := r.cold()
			r.writeKeepStat(p, b)
			if r.cold() == before {
				t.Fatalf("the edit of %s changes no finding: it tests nothing", p)
			}
			edited = p
			break
		}
	}
	if edited == "" {
		t.Fatal("no note to edit in place")
	}
	st = r.both("same-size edit of "+edited, append(some(), edited)...)
	if st.Cold || st.Checked == 0 || st.Reused == 0 {
		t.Fatalf("after editing one note: %+v, want it checked and the rest reused", st)
	}

	// A heading that another note links to.
	from, target, h := headingLink(r.vault())
	if target == nil {
		t.Fatal("no link to a heading of another note")
	}
	src := r.read(target.Path)
	line := src[h.Span.Start:h.Span.End]
	renamed := bytes.Replace(line, []byte(strings.TrimSpace(h.Text)), []byte("Renamed Away"), 1)
	r.write(target.Path, append(append(bytes.Clone(src[:h.Span.Start]), renamed...), src[h.Span.End:]...))
	if !regexp.MustCompile(`"path": "` + regexp.QuoteMeta(from.Path) + `",(\s+"[a-z_]+": [0-9]+,)+\s+"rule": "broken-heading"`).MatchString(r.cold()) {
		t.Fatalf("renaming heading %q of %s breaks no link of %s", h.Text, target.Path, from.Path)
	}
	st = r.both("heading renamed in "+target.Path, from.Path, target.Path)
	if st.Cold {
		t.Fatalf("after renaming a heading: %+v, want a warm run", st)
	}

	// A new note, linking to others and to a missing one.
	r.write("Fresh/New note.md", []byte("# New\n\nSee [["+strings.TrimSuffix(path0(notes), ".md")+"]] and [[Nowhere at all]].\n"))
	r.both("note added", "Fresh/New note.md")
	r.both("again")

	// A note deleted: links to it break.
	victim := linkedNote(r.vault())
	if err := os.Remove(filepath.Join(dir, victim)); err != nil {
		t.Fatal(err)
	}
	r.both("note deleted: "+victim, some()...)

	// A note renamed.
	moved := linkedNote(r.vault())
	if err := os.Rename(filepath.Join(dir, moved), filepath.Join(dir, "Moved here.md")); err != nil {
		t.Fatal(err)
	}
	r.both("note renamed: "+moved, "Moved here.md")

	// An alias that names a broken link's path: the link becomes fixable.
	if p, owner := aliasTarget(r); p != "" {
		before := r.cold()
		b := r.read(owner)
		b = append([]byte("---\naliases: ["+p+"]\n---\n"), b...)
		r.write(owner, b)
		after := r.cold()
		if after == before {
			t.Fatalf("alias %q on %s changes nothing", p, owner)
		}
		r.both("alias added to "+owner, some()...)
	} else {
		t.Fatal("no broken link to fix with an alias")
	}

	// Only the modification time changes.
	notes = notes[:0]
	for _, n := range r.vault().Notes {
		notes = append(notes, n.Path)
	}
	now := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, notes[len(notes)/2]), now, now); err != nil {
		t.Fatal(err)
	}
	r.both("touched")

	// The config: other severities, an ignore glob, an override.
	r.write(".vaultlint.yaml", []byte("ignore: [\"Fresh/**\"]\nrules:\n  trailing-whitespace: error\n  duplicate-heading: off\n"))
	st = r.both("config added", some()...)
	if !st.Cold {
		t.Fatalf("after a config change: %+v, want a cold run", st)
	}
	r.both("config unchanged", some()...)
	r.write(".vaultlint.yaml", []byte("rules:\n  trailing-whitespace: warning\n"))
	r.both("config changed", some()...)

	// Rules selected on the command line are part of the key too.
	r.same("--ignore", "--format", "json", "--ignore", "trailing-whitespace")
	r.same("--select", "--format", "json", "--select", "broken-link,broken-heading")
	r.same("back to all", "--format", "json")

	// Another version of vaultlint.
	old := cacheVersion
	t.Cleanup(func() { cacheVersion = old })
	cacheVersion = func() string { return "v9.9.9-test" }
	st = r.both("version changed")
	if !st.Cold {
		t.Fatalf("after a version change: %+v, want a cold run", st)
	}

	// A rule that needs every note: any change runs cold, and right.
	r.write(".vaultlint.yaml", []byte("rules:\n  orphan-note: warning\n  unused-attachment: info\n"))
	r.both("vault-wide rules on")
	r.both("vault-wide rules, nothing changed")
	if b, ok := sameSizeEdit(r.read(notes[len(notes)-1])); ok {
		r.writeKeepStat(notes[len(notes)-1], b)
	}
	r.write(notes[0], append(r.read(notes[0]), "\nNow links to [[Moved here]].\n"...))
	st = r.both("vault-wide rules, edits", notes[0])
	if !st.Cold {
		t.Fatalf("vault-wide rules on and notes changed: %+v, want a cold run", st)
	}

	// What a canvas shows is used: a canvas edited in place (the file
	// set unchanged) runs cold too.
	r.write("Shown.png", []byte("png"))
	r.write("Board.canvas", []byte(`{"nodes": []}`))
	r.both("a canvas that shows nothing")
	r.write("Board.canvas", []byte(`{"nodes": [{"id": "a", "type": "file", "file": "Shown.png"}]}`))
	if st = r.both("the canvas shows an attachment"); !st.Cold {
		t.Fatalf("vault-wide rules on and a canvas changed: %+v, want a cold run", st)
	}

	// Skipped notes: binary, too large, and one that becomes readable.
	r.write("Binary.md", []byte("PK\x00\x03 not text"))
	r.write("Bad.md", []byte("caf\xe9\n"))
	r.both("skipped notes", "Binary.md", "Bad.md")
	r.both("skipped notes, nothing changed", "Binary.md", "Bad.md")
	r.write("Bad.md", []byte("café [[Binary]]\n"))
	r.both("a skipped note became a note", "Bad.md")
	r.same("max note size", "--format", "json", "--max-note-size", "2000")
	r.same("max note size, again", "--format", "json", "--max-note-size", "2000")
}

func path0(notes []string) string {
	for _, p := range notes {
		if !strings.ContainsAny(p, "#^[]|") {
			return p
		}
	}
	return notes[0]
}

// headingLink finds a link from one note to a heading of another that
// exists.
func headingLink(v *vault.Vault) (from, target *vault.Note, h vault.Heading) {
	for _, n := range v.Notes {
		for i := range n.Links {
			l := &n.Links[i]
			if !l.HasSubpath || strings.HasPrefix(l.Subpath, "^") || strings.Contains(l.Subpath, "#") || l.InComment {
				continue
			}
			res := v.Resolve(n, l)
			if res.File == nil || res.File.Note == nil || res.File.Note == n || res.Heading == nil {
				continue
			}
			if strings.Contains(res.Heading.Text, "Renamed") {
				continue
			}
			return n, res.File.Note, *res.Heading
		}
	}
	return nil, nil, vault.Heading{}
}

// linkedNote returns a note that another note links to.
func linkedNote(v *vault.Vault) string {
	for _, n := range v.Notes {
		for i := range n.Links {
			l := &n.Links[i]
			if l.External {
				continue
			}
			if f, _, _ := v.ResolvePath(n.Path, l.Path); f != nil && f.Note != nil && f.Note != n && !strings.HasPrefix(f.Path, "Fresh/") {
				return f.Path
			}
		}
	}
	return ""
}

// aliasTarget finds a broken link whose path, made an alias, makes the
// link fixable, and a note without frontmatter to give that alias.
func aliasTarget(r *cacheRunner) (linkPath, owner string) {
	v := r.vault()
	plain := regexp.MustCompile(`^[A-Za-z][A-Za-z ]*[a-z]$`)
	for _, n := range v.Notes {
		for i := range n.Links {
			l := &n.Links[i]
			if l.External || l.InComment || !plain.MatchString(l.Path) {
				continue
			}
			if f, _, _ := v.ResolvePath(n.Path, l.Path); f != nil {
				continue
			}
			for _, o := range v.Notes {
				if o.Frontmatter == nil && o != n && !o.Excluded {
					return l.Path, o.Path
				}
			}
		}
	}
	return "", ""
}

// TestCacheHandwritten runs the scenario on the vault of
// testdata/script/cache.txtar.
func TestCacheHandwritten(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "script", "cache.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if p, ok := strings.CutPrefix(f.Name, "vault/"); ok {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	cacheScenario(t, dir)
}

// TestCacheGenerated runs the scenario on a generated vault with every
// kind of defect.
func TestCacheGenerated(t *testing.T) {
	dir := t.TempDir()
	if _, err := vaultgen.Generate(dir, vaultgen.Options{Notes: 200, Seed: 11, Defects: true}); err != nil {
		t.Fatal(err)
	}
	cacheScenario(t, dir)
}

// TestCacheRandomEdits makes random edits of every kind, several at a
// time, and checks each warm run, whole and with PATHs, against a cold
// one.
func TestCacheRandomEdits(t *testing.T) {
	dir := t.TempDir()
	if _, err := vaultgen.Generate(dir, vaultgen.Options{Notes: 120, Seed: 5, Defects: true}); err != nil {
		t.Fatal(err)
	}
	r := newCacheRunner(t, dir)
	rng := rand.New(rand.NewPCG(7, 9))
	r.both("cold")
	rounds := 12
	if testing.Short() {
		rounds = 4
	}
	for round := range rounds {
		v := r.vault()
		var did []string
		var touched []string
		for range 1 + rng.IntN(3) {
			n := v.Notes[rng.IntN(len(v.Notes))]
			p := n.Path
			src := r.read(p)
			touched = append(touched, p)
			switch k := rng.IntN(8); k {
			case 0: // same size and mtime
				if b, ok := sameSizeEdit(src); ok {
					r.writeKeepStat(p, b)
					did = append(did, "same-size "+p)
				}
			case 1: // a heading renamed
				if len(n.Headings) > 0 {
					h := n.Headings[rng.IntN(len(n.Headings))]
					b := append(bytes.Clone(src[:h.Span.Start]), []byte(fmt.Sprintf("## Heading %d\n", round))...)
					r.write(p, append(b, src[h.Span.End:]...))
					did = append(did, "heading "+p)
				}
			case 2: // an alias
				other := v.Notes[rng.IntN(len(v.Notes))]
				name := strings.TrimSuffix(other.File().Name(), ".md") + " alias"
				if n.Frontmatter == nil {
					r.write(p, append([]byte("---\naliases: [\""+name+"\"]\n---\n"), src...))
					did = append(did, "alias "+p)
				}
			case 3: // deleted
				if err := os.Remove(filepath.Join(dir, p)); err != nil {
					t.Fatal(err)
				}
				did = append(did, "deleted "+p)
			case 4: // renamed
				to := fmt.Sprintf("Renamed %d %s", round, n.File().Name())
				if err := os.Rename(filepath.Join(dir, p), filepath.Join(dir, to)); err != nil {
					t.Fatal(err)
				}
				touched = append(touched, to)
				did = append(did, "renamed "+p)
			case 5: // a link appended, to a note, a heading or nowhere
				other := v.Notes[rng.IntN(len(v.Notes))]
				link := strings.TrimSuffix(other.Path, ".md")
				if len(other.Headings) > 0 {
					link += "#" + other.Headings[0].Text
				}
				r.write(p, append(src, []byte("\nMore: [["+link+"]] [[Broken "+fmt.Sprint(round)+"]]\n")...))
				did = append(did, "link "+p)
			case 6: // a note added
				np := fmt.Sprintf("Added/Note %d.md", round)
				r.write(np, []byte("# Added\n\n[["+strings.TrimSuffix(p, ".md")+"]]\n"))
				touched = append(touched, np)
				did = append(did, "added "+np)
			case 7: // only the mtime
				ts := time.Now().Add(time.Duration(round) * time.Minute)
				if err := os.Chtimes(filepath.Join(dir, p), ts, ts); err != nil {
					t.Fatal(err)
				}
				did = append(did, "touched "+p)
			}
		}
		r.both(fmt.Sprintf("round %d (%s)", round, strings.Join(did, ", ")), touched...)
	}
}

// TestCacheDamaged: a damaged cache file is ignored with one warning and
// replaced; the output is that of a cold run.
func TestCacheDamaged(t *testing.T) {
	dir := t.TempDir()
	if _, err := vaultgen.Generate(dir, vaultgen.Options{Notes: 60, Seed: 2, Defects: true}); err != nil {
		t.Fatal(err)
	}
	r := newCacheRunner(t, dir)
	want := r.cold()
	base, err := userCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	file, err := cache.Path(base, dir)
	if err != nil {
		t.Fatal(err)
	}
	r.run("--format", "json")
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the cache was not written: %v", err)
	}
	damaged := map[string][]byte{
		"garbage":   []byte("not a cache at all"),
		"empty":     {},
		"truncated": good[:len(good)/2],
		"bit flip":  append(append(bytes.Clone(good[:len(good)/3]), good[len(good)/3]^0x40), good[len(good)/3+1:]...),
	}
	for name, b := range damaged {
		if err := os.WriteFile(file, b, 0o600); err != nil {
			t.Fatal(err)
		}
		// --no-cache does not even read it.
		if _, stderr := r.run("--format", "json", "--no-cache"); strings.Contains(stderr, "warning") {
			t.Errorf("%s: --no-cache read the cache: %s", name, stderr)
		}
		if now, _ := os.ReadFile(file); !bytes.Equal(now, b) {
			t.Errorf("%s: --no-cache wrote the cache", name)
		}
		got, stderr := r.run("--format", "json")
		if got != want {
			t.Errorf("%s: output differs from a cold run:\n%s", name, textdiff.Between("cold", "warm", []byte(want), []byte(got)))
		}
		if strings.Count(stderr, "warning") != 1 || !strings.Contains(stderr, "vaultlint: warning: cache not used: ") {
			t.Errorf("%s: want one warning, got:\n%s", name, stderr)
		}
		if !r.stats.Wrote {
			t.Errorf("%s: the damaged cache was not replaced", name)
		}
		got, stderr = r.run("--format", "json")
		if got != want || stderr != "" || r.stats.Cold {
			t.Errorf("%s: the replaced cache does not serve: %+v, stderr %q", name, r.stats, stderr)
		}
	}
}

// TestCacheUnwritable: a cache folder that cannot be made is one warning
// line, and the same output.
func TestCacheUnwritable(t *testing.T) {
	dir := t.TempDir()
	if _, err := vaultgen.Generate(dir, vaultgen.Options{Notes: 40, Seed: 4, Defects: true}); err != nil {
		t.Fatal(err)
	}
	r := newCacheRunner(t, dir)
	want := r.cold()
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", blocker)
	got, stderr := r.run("--format", "json")
	if got != want {
		t.Fatalf("output differs from a cold run:\n%s", textdiff.Between("cold", "warm", []byte(want), []byte(got)))
	}
	if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "vaultlint: warning: cache not ") {
		t.Fatalf("want one warning line, got:\n%s", stderr)
	}

	// No home folder at all: nowhere to keep a cache, and no warning.
	missing := filepath.Join(t.TempDir(), "no-such-home")
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", missing)
	t.Setenv("LocalAppData", filepath.Join(missing, "AppData", "Local"))
	testDir := userCacheDir
	userCacheDir = os.UserCacheDir
	defer func() { userCacheDir = testDir }()
	got, stderr = r.run("--format", "json")
	if got != want || stderr != "" {
		t.Fatalf("with no home folder: stderr %q, output equal: %v", stderr, got == want)
	}

	userCacheDir = testDir

	// --no-cache writes nothing.
	fresh := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", fresh)
	r.run("--format", "json", "--no-cache")
	if entries, _ := os.ReadDir(fresh); len(entries) != 0 {
		t.Fatalf("--no-cache wrote %v", entries)
	}
}
