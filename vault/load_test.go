package vault_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/vaultlint/vaultlint/vault"
)

// writeTree writes files under root; a path ending in "/" is a folder.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, s := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if strings.HasSuffix(rel, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func load(t *testing.T, root string, opts vault.Options) *vault.Vault {
	t.Helper()
	v, err := vault.Load(context.Background(), root, opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return v
}

// problems maps each problem's path to its message, failing on a path
// reported twice.
func problems(t *testing.T, v *vault.Vault) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range v.Problems {
		if _, dup := out[p.Path]; dup {
			t.Errorf("%s reported twice: %v", p.Path, v.Problems)
		}
		if !strings.HasPrefix(p.Error(), p.Path+": ") {
			t.Errorf("Problem.Error() = %q does not start with the path", p.Error())
		}
		out[p.Path] = p.Err.Error()
	}
	return out
}

func TestLoadFilesAndExclusions(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		".obsidian/app.json":   `{"userIgnoreFilters": ["Archive", "Temp/", "/\\.excalidraw\\.md$/", "/[/"], "newLinkFormat": "shortest", "useMarkdownLinks": true, "attachmentFolderPath": "att"}`,
		".obsidian/types.json": `{"types": {"due": "date", "tags": "tags"}}`,
		".trash/Old.md":        "[[x]]",
		".git/HEAD.md":         "",
		".hidden.md":           "",
		"Sub/.cache/c.md":      "",
		"Archive/Old.md":       "# Old\n",
		"Archived.md":          "",
		"Temp/t.md":            "",
		"Temporary.md":         "",
		"Draw.excalidraw.md":   "",
		"Note.md":              "[[Old#Old]] ![[pic.png]]\n",
		"att/pic.png":          "\x89PNG\x00",
		"Sub/Deep/n.md":        "---\ntags: [a]\n---\n",
		"empty/":               "",
	})
	v := load(t, root, vault.Options{Exclude: func(p string) bool { return strings.HasPrefix(p, "Sub/") }})
	if len(v.Problems) != 0 {
		t.Fatalf("problems: %v", v.Problems)
	}
	if v.App.NewLinkFormat != "shortest" || !v.App.UseMarkdownLinks || v.App.AttachmentFolderPath != "att" || v.Types["due"] != "date" {
		t.Errorf("config read as %+v, types %v", v.App, v.Types)
	}
	var files, excluded, notes []string
	for _, f := range v.Files {
		files = append(files, f.Path)
		if f.Excluded {
			excluded = append(excluded, f.Path)
		}
		if f.Note != nil && f.Note.Excluded != f.Excluded {
			t.Errorf("%s: note Excluded %v, file %v", f.Path, f.Note.Excluded, f.Excluded)
		}
	}
	for _, n := range v.Notes {
		notes = append(notes, n.Path)
	}
	wantFiles := []string{"Archive/Old.md", "Archived.md", "Draw.excalidraw.md", "Note.md", "Sub/Deep/n.md", "Temp/t.md", "Temporary.md", "att/pic.png"}
	if !reflect.DeepEqual(files, wantFiles) {
		t.Errorf("files %q, want %q", files, wantFiles)
	}
	// "Archive" is a plain prefix, as in Obsidian: it takes "Archived.md"
	// too; "Temp/" takes only the folder.
	wantExcluded := []string{"Archive/Old.md", "Archived.md", "Draw.excalidraw.md", "Sub/Deep/n.md", "Temp/t.md"}
	if !reflect.DeepEqual(excluded, wantExcluded) {
		t.Errorf("excluded %q, want %q", excluded, wantExcluded)
	}
	wantNotes := []string{"Archive/Old.md", "Archived.md", "Draw.excalidraw.md", "Note.md", "Sub/Deep/n.md", "Temp/t.md", "Temporary.md"}
	if !reflect.DeepEqual(notes, wantNotes) {
		t.Errorf("notes %q, want %q", notes, wantNotes)
	}
	// Excluded files are still link targets, headings included.
	n := v.File("Note.md").Note
	for i := range n.Links {
		r := v.Resolve(n, &n.Links[i])
		if r.File == nil || (n.Links[i].HasSubpath && !r.SubpathFound) {
			t.Errorf("%q does not resolve: %+v", n.Links[i].Path, r)
		}
	}
	if f := v.File("Sub/Deep/n.md"); f.Note == nil || len(f.Note.Tags) != 1 {
		t.Errorf("excluded note not parsed: %+v", f)
	}
}

func TestLoadBadFiles(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"Good.md":       "[[Binary]] [[Bad]]\n",
		"Binary.md":     "text\nmore\x00\x01\x02",
		"Bad.md":        "ok\nbad \xff\xfe here\n",
		"Sub/Fine.md":   "# Fine\n",
		"Big.md":        strings.Repeat("x", 200),
		"pic.png":       "\x00\x01",
		"Sub/Other.txt": "\xff",
	})
	if err := syscall.Mkfifo(filepath.Join(root, "Pipe.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "pipe.bin"), 0o644); err != nil {
		t.Fatal(err)
	}
	v := load(t, root, vault.Options{MaxNoteSize: 100})
	got := problems(t, v)
	for path, why := range map[string]string{
		"Binary.md": "line 2: holds a NUL byte",
		"Bad.md":    "line 2, column 5: not valid UTF-8",
		"Pipe.md":   "not a regular file (a named pipe)",
		"Big.md":    "200 bytes is more than the limit of 100",
	} {
		if !strings.Contains(got[path], why) {
			t.Errorf("%s: problem %q, want one saying %q", path, got[path], why)
		}
		delete(got, path)
	}
	if len(got) != 0 {
		t.Errorf("unexpected problems: %v", got)
	}
	var notes []string
	for _, n := range v.Notes {
		notes = append(notes, n.Path)
	}
	if want := []string{"Good.md", "Sub/Fine.md"}; !reflect.DeepEqual(notes, want) {
		t.Errorf("notes %q, want %q", notes, want)
	}
	// Files that could not be read as notes are still files of the vault:
	// a link to them is not broken.
	n := v.File("Good.md").Note
	for i := range n.Links {
		if r := v.Resolve(n, &n.Links[i]); r.File == nil {
			t.Errorf("[[%s]] does not resolve", n.Links[i].Path)
		}
	}
	if v.File("Pipe.md") != nil || v.File("pipe.bin") != nil {
		t.Errorf("a named pipe is listed as a file")
	}
}

func TestLoadUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, which can read a file with mode 000")
	}
	root := t.TempDir()
	writeTree(t, root, map[string]string{"Good.md": "x\n", "Locked.md": "secret\n", "Shut/In.md": ""})
	for _, p := range []string{"Locked.md", "Shut"} {
		if err := os.Chmod(filepath.Join(root, p), 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(filepath.Join(root, p), 0o755) })
	}
	v := load(t, root, vault.Options{})
	got := problems(t, v)
	if !strings.Contains(got["Locked.md"], "permission denied") || !strings.Contains(got["Shut"], "permission denied") || len(got) != 2 {
		t.Errorf("problems %v, want Locked.md and Shut, permission denied", got)
	}
	if len(v.Notes) != 1 || v.Notes[0].Path != "Good.md" {
		t.Errorf("notes %v", v.Notes)
	}
}

func TestLoadSymlinks(t *testing.T) {
	top := t.TempDir()
	root := filepath.Join(top, "vault")
	writeTree(t, top, map[string]string{
		"vault/Note.md":     "[[Secret]] [[Inside]]\n",
		"vault/Sub/a.md":    "",
		"outside/Secret.md": "",
		"Lone.md":           "",
	})
	for link, target := range map[string]string{
		"vault/Loop":        "Loop",
		"vault/Sub/Up":      "..",
		"vault/OutDir":      filepath.Join(top, "outside"),
		"vault/OutFile.md":  filepath.Join(top, "Lone.md"),
		"vault/Inside.md":   "Note.md",
		"vault/Dangling.md": "nowhere.md",
	} {
		if err := os.Symlink(target, filepath.Join(top, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	v := load(t, root, vault.Options{})
	got := problems(t, v)
	for path, why := range map[string]string{
		"Loop":        "symlink not followed",
		"Sub/Up":      "inside the vault: not followed",
		"OutDir":      "outside the vault: not followed",
		"OutFile.md":  "outside the vault: not followed",
		"Inside.md":   "inside the vault: not followed",
		"Dangling.md": "symlink not followed",
	} {
		if !strings.Contains(got[path], why) {
			t.Errorf("%s: problem %q, want one saying %q", path, got[path], why)
		}
		delete(got, path)
	}
	if len(got) != 0 {
		t.Errorf("unexpected problems: %v", got)
	}
	var files []string
	for _, f := range v.Files {
		files = append(files, f.Path)
	}
	if want := []string{"Note.md", "Sub/a.md"}; !reflect.DeepEqual(files, want) {
		t.Errorf("files %q, want %q", files, want)
	}
	n := v.File("Note.md").Note
	for i := range n.Links {
		if r := v.Resolve(n, &n.Links[i]); r.File != nil {
			t.Errorf("[[%s]] resolves to %s through a symlink", n.Links[i].Path, r.File.Path)
		}
	}
}

func TestLoadRootErrors(t *testing.T) {
	top := t.TempDir()
	writeTree(t, top, map[string]string{
		"file.md":                       "",
		"badcfg/.obsidian/app.json":     "{not json",
		"badtypes/.obsidian/types.json": `{"types": 5}`,
	})
	for _, tc := range []struct{ root, want string }{
		{filepath.Join(top, "missing"), "no such file"},
		{filepath.Join(top, "file.md"), "not a folder"},
		{filepath.Join(top, "badcfg"), "app.json"},
		{filepath.Join(top, "badtypes"), "types.json"},
	} {
		if _, err := vault.Load(context.Background(), tc.root, vault.Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%s) error %v, want one about %q", tc.root, err, tc.want)
		}
	}
	// A vault reached through a symlink loads from its real place.
	writeTree(t, top, map[string]string{"real/n.md": ""})
	if err := os.Symlink(filepath.Join(top, "real"), filepath.Join(top, "toreal")); err != nil {
		t.Fatal(err)
	}
	v := load(t, filepath.Join(top, "toreal"), vault.Options{})
	if want, _ := filepath.EvalSymlinks(filepath.Join(top, "real")); v.Root != want || len(v.Notes) != 1 {
		t.Errorf("Root %s with %d notes, want %s with 1", v.Root, len(v.Notes), want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := vault.Load(ctx, filepath.Join(top, "real"), vault.Options{}); err == nil {
		t.Errorf("Load with a cancelled context succeeded")
	}
}

func TestFindRoot(t *testing.T) {
	top, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for d := filepath.Dir(top); ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, ".obsidian")); err == nil && st.IsDir() {
			t.Skipf("%s holds .obsidian/: every temporary folder is inside that vault", d)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	writeTree(t, top, map[string]string{
		"v/.obsidian/":       "",
		"v/a/b/n.md":         "",
		"v/inner/.obsidian/": "",
		"v/inner/x/y.md":     "",
		"plain/sub/n.md":     "",
		"plain/.obsidian":    "a file, not a folder",
		"cwd/":               "",
	})
	j := func(p string) string { return filepath.Join(top, filepath.FromSlash(p)) }
	t.Chdir(j("cwd"))
	for _, tc := range []struct{ start, want string }{
		{j("v"), j("v")},
		{j("v/a/b/n.md"), j("v")},
		{j("v/a"), j("v")},
		{j("v/.obsidian"), j("v")},
		{j("v/inner/x/y.md"), j("v/inner")},
		{j("plain/sub"), j("plain/sub")},
		{j("plain"), j("plain")},
		// No .obsidian/ above a file: the working directory.
		{j("plain/sub/n.md"), j("cwd")},
		{"../v/a/b/n.md", j("v")},
		{"../plain/sub", j("plain/sub")},
		{".", j("cwd")},
	} {
		got, err := vault.FindRoot(tc.start)
		if err != nil || got != tc.want {
			t.Errorf("FindRoot(%s) = %s, %v; want %s", tc.start, got, err, tc.want)
		}
	}
	if _, err := vault.FindRoot(j("plain/missing.md")); err == nil {
		t.Errorf("FindRoot of a missing path succeeded")
	}
}

// TestLoadNFDNames: names on disk in NFD (as macOS writes them) are NFC
// in the vault, and the notes under them are still read.
func TestLoadNFDNames(t *testing.T) {
	root := t.TempDir()
	const folder, note = "Re\u0301sume\u0301", "Cafe\u0301.md"
	writeTree(t, root, map[string]string{
		folder + "/" + note:  "[[Other]]\n",
		folder + "/.tmp-x":   "",
		folder + "/Other.md": "",
		"Top.md":             "",
	})
	v := load(t, root, vault.Options{CollectHidden: func(name string) bool { return strings.HasPrefix(name, ".tmp-") }})
	if len(v.Problems) != 0 {
		t.Fatalf("problems: %v", v.Problems)
	}
	nfc := "R\u00e9sum\u00e9/Caf\u00e9.md"
	f := v.File(nfc)
	if f == nil || f.Note == nil || len(f.Note.Links) != 1 {
		t.Fatalf("File(%q) = %+v", nfc, f)
	}
	if f.DiskPath() != folder+"/"+note {
		t.Errorf("DiskPath() = %q, want the NFD name", f.DiskPath())
	}
	if got := v.File("Top.md").DiskPath(); got != "Top.md" {
		t.Errorf("DiskPath() of an NFC name = %q", got)
	}
	if r := v.Resolve(f.Note, &f.Note.Links[0]); r.File == nil || r.By != vault.BySameFolder {
		t.Errorf("[[Other]] resolves to %+v", r)
	}
	if want := []string{folder + "/.tmp-x"}; !reflect.DeepEqual(v.Hidden, want) {
		t.Errorf("Hidden = %q, want %q", v.Hidden, want)
	}
	if _, err := os.Stat(filepath.Join(root, v.Hidden[0])); err != nil {
		t.Errorf("Hidden path does not name the file: %v", err)
	}
}

// TestLoadOnlyParsedDropsLinks: the notes a named note links to are
// parsed even when Options.Parsed drops the note's links, as a streaming
// check does with the links no rule will report on.
func TestLoadOnlyParsedDropsLinks(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"a.md": "[[b]] and ![[c#Part]]\n",
		"b.md": "[[d]]\n",
		"c.md": "# Part\n",
		"d.md": "not linked from a\n",
	})
	v, err := vault.Load(context.Background(), dir, vault.Options{
		Only:   func(p string) bool { return p == "a.md" },
		Parsed: func(_ *vault.Vault, n *vault.Note) { n.Links = nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	var parsed []string
	for _, n := range v.Notes {
		parsed = append(parsed, n.Path)
	}
	if got, want := fmt.Sprint(parsed), "[a.md b.md c.md]"; got != want {
		t.Errorf("parsed %s, want %s", got, want)
	}
}
