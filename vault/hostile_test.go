package vault_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vaultlint/vaultlint/vault"
)

// The tests of this file feed Load what a hostile or broken vault holds
// (issue 8). Each builds a vault in a temporary folder with one hostile
// file next to "Good.md", a plain note, and checks that Load neither
// panics nor hangs (it runs under a deadline), that it allocates within a
// generous bound (so a giant or explosive file is refused, not
// swallowed), that the hostile file is reported as a Problem naming it
// with a reason, and that Good.md is still parsed: one bad file must not
// cost the rest of the vault.

// goodNote is the neighbour of every hostile file: one link, which the
// tests look for to know the note was parsed.
const goodNote = "# Good\n\nSee [[Missing]].\n"

// loadStats is what one Load cost.
type loadStats struct {
	elapsed time.Duration
	alloc   uint64 // bytes allocated during Load (runtime.MemStats.TotalAlloc)
}

// loadBounded runs Load with a deadline and measures what it allocates.
// A Load still running at the deadline fails the test with every
// goroutine's stack, which shows where it is stuck. TotalAlloc counts
// every byte allocated while Load runs, so it bounds the peak too; tests
// that use it must not run in parallel with others.
func loadBounded(t *testing.T, root string, opts vault.Options, deadline time.Duration) (*vault.Vault, loadStats) {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	type result struct {
		v   *vault.Vault
		err error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		v, err := vault.Load(context.Background(), root, opts)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		st := loadStats{elapsed: time.Since(start)}
		runtime.ReadMemStats(&after)
		st.alloc = after.TotalAlloc - before.TotalAlloc
		if r.err != nil {
			t.Fatalf("Load: %v", r.err)
		}
		return r.v, st
	case <-time.After(deadline):
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("Load still running after %v:\n%s", deadline, buf)
		return nil, loadStats{}
	}
}

// checkGoodParsed fails unless Good.md was parsed with its one link.
func checkGoodParsed(t *testing.T, v *vault.Vault) {
	t.Helper()
	f := v.File("Good.md")
	if f == nil || f.Note == nil || len(f.Note.Links) != 1 || f.Note.Links[0].Path != "Missing" {
		t.Errorf("Good.md, next to the hostile file, was not parsed: %+v", f)
	}
}

// wantProblems checks that exactly the given paths are reported, each
// with a reason holding the given text.
func wantProblems(t *testing.T, v *vault.Vault, want map[string]string) {
	t.Helper()
	got := problems(t, v)
	for p, why := range want {
		msg, ok := got[p]
		if !ok {
			t.Errorf("%q is not reported; problems: %q", p, got)
			continue
		}
		if !strings.Contains(msg, why) {
			t.Errorf("%q: reason %q, want one saying %q", p, msg, why)
		}
		delete(got, p)
	}
	for p, msg := range got {
		t.Errorf("unexpected problem %q: %s", p, msg)
	}
}

func mb(n uint64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

// hostileVault writes Good.md and the given files into a new vault.
func hostileVault(t *testing.T, files map[string][]byte) string {
	t.Helper()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "Good.md"), []byte(goodNote), 0o644); err != nil {
		t.Fatal(err)
	}
	for rel, b := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// randomBytes returns n bytes from a fixed seed; with noNUL, none is 0,
// so that only the UTF-8 check can refuse them.
func randomBytes(n int, seed uint64, noNUL bool) []byte {
	r := rand.New(rand.NewPCG(seed, 8))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
		if noNUL && b[i] == 0 {
			b[i] = 0xff
		}
	}
	return b
}

// TestHostileContent covers files that are regular but not notes, or
// notes built to be expensive. Each is loaded alone with Good.md.
func TestHostileContent(t *testing.T) {
	bomb := "---\n" +
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" +
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n" +
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n" +
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" +
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n" +
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n" +
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n" +
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n" +
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n" +
		"tags: *i\naliases: *i\n---\n[[Good]]\n"
	for _, tc := range []struct {
		name     string
		file     []byte
		why      string // the reason reported; "" when the note loads
		maxAlloc uint64
		heavy    bool // seconds of parsing: skipped with -short
	}{
		{"binary with NUL", randomBytes(1<<20, 1, false), "holds a NUL byte: a binary file", 8 << 20, false},
		{"binary without NUL", randomBytes(1<<20, 2, true), "not valid UTF-8", 8 << 20, false},
		{"invalid UTF-8 in the body", []byte("# T\n\nok\nbad \xff here\n"), "line 4, column 5: not valid UTF-8", 1 << 20, false},
		{"invalid UTF-8 in the frontmatter", []byte("---\ntitle: caf\xe9\n---\n# T\n"), "line 2, column 11: not valid UTF-8", 1 << 20, false},
		{"truncated UTF-8 at the end", []byte("ok \xe2\x82"), "line 1, column 4: not valid UTF-8", 1 << 20, false},
		{"UTF-16 with BOM", []byte("\xff\xfe#\x00 \x00T\x00"), "NUL byte", 1 << 20, false},
		{"alias bomb", []byte(bomb), "", 16 << 20, false},
		{"50,000 nested blockquotes", []byte("# T\n\n" + strings.Repeat("> ", 50000) + "[[Good]]\n"), "line 3: quotes or lists nested to column 100000, past the limit of 256", 1 << 20, false},
		{"50,000 blockquote marks", []byte(strings.Repeat(">", 50000) + " [[Good]]\n"), "line 1: quotes or lists nested to column 50001", 1 << 20, false},
		{"50,000 nested list levels", []byte(strings.Repeat("- ", 50000) + "[[Good]]\n"), "line 1: quotes or lists nested to column 100000", 1 << 20, false},
		{"50,000 nested ordered lists", []byte(strings.Repeat("1. ", 50000) + "[[Good]]\n"), "line 1: quotes or lists nested to column 150000", 1 << 20, false},
		{"50,000 indented list levels", nestedList(50000), "line 129: quotes or lists nested to column 258", 24 << 20, false},
		{"128 nested levels", []byte(strings.Repeat("- ", 128) + "[[Good]]\n" + strings.Repeat("> ", 128) + "x\n"), "", 8 << 20, false},
		// Obsidian reads what follows an unclosed "---" as Markdown: one
		// paragraph of 200,000 lines, each with a link.
		{"unclosed frontmatter, 4 MB", append([]byte("---\n"), bytes.Repeat([]byte("key: [[Good]] value\n"), 4<<20/20)...), "", 1 << 30, true},
		{"200,000 links on one line", bytes.Repeat([]byte("[[Good|good]]  and "), 200000), "", 1 << 30, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.heavy && testing.Short() {
				t.Skip("seconds of parsing")
			}
			root := hostileVault(t, map[string][]byte{"Hostile.md": tc.file})
			v, st := loadBounded(t, root, vault.Options{}, 30*time.Second)
			t.Logf("%d bytes: loaded in %v, %s allocated", len(tc.file), st.elapsed.Round(time.Millisecond), mb(st.alloc))
			if tc.why != "" {
				wantProblems(t, v, map[string]string{"Hostile.md": tc.why})
			} else {
				wantProblems(t, v, nil)
				if f := v.File("Hostile.md"); f == nil || f.Note == nil {
					t.Errorf("Hostile.md not parsed")
				} else {
					checkInvariants(t, f.Note)
				}
			}
			checkGoodParsed(t, v)
			if st.alloc > tc.maxAlloc {
				t.Errorf("Load allocated %s, more than the bound of %s", mb(st.alloc), mb(tc.maxAlloc))
			}
		})
	}
}

// nestedList is a list nested n levels deep, each level on its own line
// indented two more spaces: n² bytes, cut at 8 MB (the nesting limit
// stops it at level 129 anyway).
func nestedList(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n && b.Len() < 8<<20; i++ {
		b.WriteString(strings.Repeat("  ", i))
		b.WriteString("- [[Good]]\n")
	}
	return b.Bytes()
}

// hugeSection is one section of the 50 MB note: mostly prose, as in a
// long clipped book or a log, with a heading, a list, a quote and links
// of each kind every few lines.
var hugeSection = "## Section %d\n\n" +
	strings.Repeat("The quick brown fox jumps over the lazy dog, again and again, for the record. ", 12) + "See [[Good]].\n\n" +
	strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ", 12) + "[A link](Good.md) and ![[pic.png]].\n\n" +
	"- an item with [[Good#Good|a label]]\n- and #tag with `code`\n\n> a quote of [[Missing]]\n\n"

// TestHostileHugeNote: a 50 MB note, above the default limit, is
// reported without being read; with the limit raised it is parsed within
// a deadline and a memory bound.
func TestHostileHugeNote(t *testing.T) {
	var b bytes.Buffer
	for i := 0; b.Len() < 50<<20; i++ {
		fmt.Fprintf(&b, hugeSection, i)
	}
	size := b.Len()
	root := hostileVault(t, map[string][]byte{"Huge.md": b.Bytes()})
	b = bytes.Buffer{}

	v, st := loadBounded(t, root, vault.Options{}, 30*time.Second)
	t.Logf("default limit: %v, %s allocated", st.elapsed, mb(st.alloc))
	wantProblems(t, v, map[string]string{"Huge.md": fmt.Sprintf("%d bytes is more than the limit of %d: not parsed", size, vault.DefaultMaxNoteSize)})
	checkGoodParsed(t, v)
	if st.alloc > 4<<20 {
		t.Errorf("Load allocated %s for a note it should not read", mb(st.alloc))
	}

	if testing.Short() {
		t.Skip("parsing 50 MB takes seconds")
	}
	v, st = loadBounded(t, root, vault.Options{MaxNoteSize: 64 << 20}, 60*time.Second)
	t.Logf("limit raised: %v, %s allocated", st.elapsed, mb(st.alloc))
	wantProblems(t, v, nil)
	checkGoodParsed(t, v)
	n := v.File("Huge.md").Note
	if n == nil || len(n.Links) < 50<<20/(len(hugeSection)+8)*5 {
		t.Fatalf("Huge.md not parsed, or links missing")
	}
	if st.alloc > 20*uint64(size) {
		t.Errorf("Load allocated %s for a %s note", mb(st.alloc), mb(uint64(size)))
	}
}

// TestHostileChangeDuringLoad changes files between the walk that lists
// them and the read that parses them, the window in which another
// program (a sync client, an editor saving) can change a vault under a
// run. Load calls Options.Exclude once per listed file, after the walk
// and before any note is read, which makes the race deterministic: the
// hook below removes a note, swaps one for a symlink out of the vault,
// swaps a folder for one, and turns notes into a named pipe, a folder, a
// note too large and a binary file. Each must be reported by its path,
// nothing outside the vault may be read, and the run must go on.
func TestHostileChangeDuringLoad(t *testing.T) {
	top := t.TempDir()
	root := filepath.Join(top, "vault")
	outside := filepath.Join(top, "outside")
	writeTree(t, top, map[string]string{
		"vault/Good.md":         goodNote,
		"vault/Vanish.md":       "# Vanish\n",
		"vault/Swap.md":         "# Swap\n",
		"vault/SwapDir/In.md":   "# In\n",
		"vault/Fifo.md":         "# Fifo\n",
		"vault/Folder.md":       "# Folder\n",
		"vault/Grow.md":         "# Grow\n",
		"vault/Binary.md":       "# Binary\n",
		"vault/Edited.md":       "# Edited\n",
		"outside/Secret.md":     "# Secret [[Leak]]\n",
		"outside/In.md":         "# Outside In [[Leak]]\n",
		"outside/Untouched.txt": "",
	})
	mutate := map[string]func(p string) error{
		"Vanish.md": os.Remove,
		"Swap.md": func(p string) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Symlink(filepath.Join(outside, "Secret.md"), p)
		},
		"SwapDir/In.md": func(p string) error {
			dir := filepath.Dir(p)
			if err := os.RemoveAll(dir); err != nil {
				return err
			}
			return os.Symlink(outside, dir)
		},
		"Fifo.md": func(p string) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return syscall.Mkfifo(p, 0o644)
		},
		"Folder.md": func(p string) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Mkdir(p, 0o755)
		},
		"Grow.md":   func(p string) error { return os.WriteFile(p, bytes.Repeat([]byte("x"), 2048), 0o644) },
		"Binary.md": func(p string) error { return os.WriteFile(p, []byte("# B\x00"), 0o644) },
		"Edited.md": func(p string) error { return os.WriteFile(p, []byte("# Edited meanwhile [[Good]]\n"), 0o644) },
	}
	hook := func(rel string) bool {
		if m := mutate[rel]; m != nil {
			if err := m(filepath.Join(root, filepath.FromSlash(rel))); err != nil {
				t.Errorf("changing %s: %v", rel, err)
			}
			delete(mutate, rel)
		}
		return false
	}
	v, _ := loadBounded(t, root, vault.Options{Exclude: hook, MaxNoteSize: 1024}, 30*time.Second)
	if len(mutate) != 0 {
		t.Fatalf("Exclude was not called for %v: the hook no longer runs between walk and read", mutate)
	}
	wantProblems(t, v, map[string]string{
		"Vanish.md":     "cannot read: no such file or directory",
		"Swap.md":       "cannot read: path escapes from parent",
		"SwapDir/In.md": "cannot read: path escapes from parent",
		"Fifo.md":       "not a regular file (a named pipe)",
		"Folder.md":     "not a regular file (a folder)",
		"Grow.md":       "2048 bytes is more than the limit of 1024",
		"Binary.md":     "holds a NUL byte",
	})
	checkGoodParsed(t, v)
	for _, n := range v.Notes {
		for _, l := range n.Links {
			if l.Path == "Leak" {
				t.Errorf("%s: read from outside the vault: %q", n.Path, n.Src)
			}
		}
	}
	// A note edited before its read is read as edited, and its recorded
	// size is that of the bytes read, so fix's snapshot matches them.
	if f := v.File("Edited.md"); f == nil || f.Note == nil || len(f.Note.Links) != 1 || f.Size != int64(len(f.Note.Src)) {
		t.Errorf("Edited.md: %+v", f)
	}
}

// TestHostileSpecialFiles puts a named pipe, a socket and devices where
// notes are expected. Opening a pipe blocks until a writer comes, and
// reading /dev/zero never ends: Load must refuse them without opening
// them for a read, and name each. Devices need root (mknod); they are
// skipped otherwise.
func TestHostileSpecialFiles(t *testing.T) {
	root := hostileVault(t, nil)
	if err := syscall.Mkfifo(filepath.Join(root, "Pipe.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Pipe.md": "not a regular file (a named pipe): skipped"}
	// A socket's path must fit in 108 bytes: bind it from inside root.
	t.Chdir(root)
	l, err := net.Listen("unix", "Socket.md")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	want["Socket.md"] = "not a regular file (a socket): skipped"
	// /dev/zero (1, 5) and /dev/null (1, 3), as character devices.
	for name, dev := range map[string]int{"Zero.md": 1<<8 | 5, "Null.md": 1<<8 | 3} {
		err := syscall.Mknod(filepath.Join(root, name), syscall.S_IFCHR|0o644, dev)
		if err != nil {
			t.Logf("no device %s (mknod needs root): %v", name, err)
			continue
		}
		want[name] = "not a regular file (a device): skipped"
	}
	v, st := loadBounded(t, root, vault.Options{}, 10*time.Second)
	wantProblems(t, v, want)
	checkGoodParsed(t, v)
	if st.alloc > 1<<20 {
		t.Errorf("Load allocated %s", mb(st.alloc))
	}
	if len(v.Files) != 1 {
		t.Errorf("special files listed as files of the vault: %q", paths(v.Files))
	}
}

// TestHostileSymlinks: a symlink loop, a chain, symlinks to a note and a
// folder outside the vault, and one to a folder above the vault. None is
// followed, each is named, no file outside the vault is listed, and no
// link resolves to one.
func TestHostileSymlinks(t *testing.T) {
	top := t.TempDir()
	root := filepath.Join(top, "vault")
	writeTree(t, top, map[string]string{
		"vault/Good.md":       goodNote,
		"vault/Links.md":      "[[Secret]] [[Outside/Secret]] [x](../outside/Secret.md) [y](/outside/Secret.md) [[../outside/Secret]] [[Up/vault/Good]]\n",
		"outside/Secret.md":   "# Secret\n",
		"outside/Deep/Two.md": "",
	})
	for link, target := range map[string]string{
		"vault/Loop.md":     "Loop.md",
		"vault/ChainA.md":   "ChainB.md",
		"vault/ChainB.md":   "ChainA.md",
		"vault/LoopDir":     ".",
		"vault/Secret.md":   filepath.Join(top, "outside", "Secret.md"),
		"vault/Outside":     filepath.Join(top, "outside"),
		"vault/Up":          "..",
		"vault/Relative.md": "../outside/Secret.md",
	} {
		if err := os.Symlink(target, filepath.Join(top, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	v, _ := loadBounded(t, root, vault.Options{}, 10*time.Second)
	wantProblems(t, v, map[string]string{
		"Loop.md":     "symlink not followed",
		"ChainA.md":   "symlink not followed",
		"ChainB.md":   "symlink not followed",
		"LoopDir":     "inside the vault: not followed",
		"Secret.md":   "outside the vault: not followed",
		"Outside":     "outside the vault: not followed",
		"Up":          "outside the vault: not followed",
		"Relative.md": "outside the vault: not followed",
	})
	checkGoodParsed(t, v)
	if got := paths(v.Files); !reflect.DeepEqual(got, []string{"Good.md", "Links.md"}) {
		t.Errorf("files %q: only Good.md and Links.md are in the vault", got)
	}
	n := v.File("Links.md").Note
	if len(n.Links) != 6 {
		t.Fatalf("Links.md has %d links, want 6", len(n.Links))
	}
	for i := range n.Links {
		if r := v.Resolve(n, &n.Links[i]); r.File != nil {
			t.Errorf("%q resolves to %s, through a symlink or out of the vault", n.Src[n.Links[i].Span.Start:n.Links[i].Span.End], r.File.Path)
		}
	}
}

// TestHostileNames: names with a line break, '%', '#', '|', '^', '['
// and bytes that are not UTF-8 are still notes: read by their name on
// disk, and a problem in one names it.
func TestHostileNames(t *testing.T) {
	names := []string{"new\nline.md", "100%.md", "%41.md", "C# notes.md", "a|b.md", "x^y.md", "[[z]].md", "bad\xff\xfe.md", "Dir\xff/In.md", "tab\t.md", " space .md"}
	files := map[string][]byte{}
	for _, n := range names {
		files[n] = []byte("# Title\n\n[[Good]]\n")
	}
	files["Broken\n\xff.md"] = []byte("bad \xff\n")
	root := hostileVault(t, files)
	v, _ := loadBounded(t, root, vault.Options{}, 10*time.Second)
	// The name is kept as it is on disk, invalid bytes and all: it is
	// what the user must find the file by.
	wantProblems(t, v, map[string]string{"Broken\n\xff.md": "line 1, column 5: not valid UTF-8"})
	checkGoodParsed(t, v)
	for _, name := range names {
		f := v.File(name)
		if f == nil || f.Note == nil || len(f.Note.Links) != 1 {
			t.Errorf("%q: not loaded as a note: %+v", name, f)
			continue
		}
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(f.DiskPath()))); err != nil {
			t.Errorf("%q: DiskPath %q names no file: %v", name, f.DiskPath(), err)
		}
	}
}
