package fix

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, dir, rel, content string, mode os.FileMode) (string, Snapshot) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	snap, err := Take(p, []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	return p, snap
}

func readString(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && IsTemp(d.Name()) {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

func TestWriteReplacesAndKeepsMode(t *testing.T) {
	root := t.TempDir()
	p, snap := writeFile(t, root, "Notes/a.md", "old\r\n", 0o640)
	if err := Write(root, "Notes/a.md", snap, []byte("new\r\n")); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, p); got != "new\r\n" {
		t.Errorf("content = %q", got)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640", st.Mode().Perm())
	}
	noTempFiles(t, root)
}

func TestWriteRefusesChangedFile(t *testing.T) {
	cases := map[string]func(p string){
		"content and size": func(p string) { _ = os.WriteFile(p, []byte("someone else's edit"), 0o644) },
		"same size, new mtime": func(p string) {
			_ = os.WriteFile(p, []byte("OLD"), 0o644)
			_ = os.Chtimes(p, time.Now().Add(time.Hour), time.Now().Add(time.Hour))
		},
		"same size and mtime, new content": func(p string) {
			st, _ := os.Stat(p)
			_ = os.WriteFile(p, []byte("OLD"), 0o644)
			_ = os.Chtimes(p, st.ModTime(), st.ModTime())
		},
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			p, snap := writeFile(t, root, "a.md", "old", 0o644)
			change(p)
			before := readString(t, p)
			err := Write(root, "a.md", snap, []byte("fixed"))
			if !errors.Is(err, ErrChanged) {
				t.Fatalf("err = %v, want ErrChanged", err)
			}
			if !strings.Contains(err.Error(), "a.md") {
				t.Errorf("error does not name the file: %v", err)
			}
			if got := readString(t, p); got != before {
				t.Errorf("file was overwritten: %q", got)
			}
			noTempFiles(t, root)
		})
	}
}

// TestWriteRefusesEditDuringWrite makes another program edit the note
// after the first checks, just before the rename.
func TestWriteRefusesEditDuringWrite(t *testing.T) {
	root := t.TempDir()
	p, snap := writeFile(t, root, "a.md", "old", 0o644)
	beforeRename = func(path string) { _ = os.WriteFile(path, []byte("edited meanwhile"), 0o644) }
	defer func() { beforeRename = nil }()
	err := Write(root, "a.md", snap, []byte("fixed"))
	if !errors.Is(err, ErrChanged) {
		t.Fatalf("err = %v, want ErrChanged", err)
	}
	if got := readString(t, p); got != "edited meanwhile" {
		t.Errorf("the other program's edit was lost: %q", got)
	}
	noTempFiles(t, root)
}

func TestWriteConfined(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	target, snap := writeFile(t, outside, "secret.md", "outside", 0o644)
	if err := os.Symlink(target, filepath.Join(root, "link.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "dir")); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"link.md", "dir/secret.md", "../" + filepath.Base(outside) + "/secret.md", "/etc/passwd", ""} {
		if err := Write(root, rel, snap, []byte("pwned")); err == nil {
			t.Errorf("Write(%q) succeeded", rel)
		}
	}
	if got := readString(t, target); got != "outside" {
		t.Errorf("file outside the vault was written: %q", got)
	}
}

func TestWriteFailureKeepsOriginal(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write into a read-only folder; the failure cannot be provoked")
	}
	root := t.TempDir()
	p, snap := writeFile(t, root, "ro/a.md", "old", 0o644)
	dir := filepath.Dir(p)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chmod(dir, 0o755) }()
	if err := Write(root, "ro/a.md", snap, []byte("new")); err == nil {
		t.Fatal("write into a read-only folder succeeded")
	}
	if got := readString(t, p); got != "old" {
		t.Errorf("original changed: %q", got)
	}
}

func TestCleanTemp(t *testing.T) {
	root := t.TempDir()
	stale, _ := writeFile(t, root, "Notes/"+TempPrefix+"123"+TempSuffix, "half", 0o600)
	keep, _ := writeFile(t, root, "Notes/.vaultlint-notes.md", "not ours", 0o644)
	if errs := CleanTemp(root, []string{"Notes/" + filepath.Base(stale), "Notes/.vaultlint-notes.md"}); len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temp file still there")
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a file that is not ours was removed")
	}
}

// TestWriteFailureAtRename makes the last step fail (the temporary file
// vanishes, as on a full or yanked disk) and checks that the original is
// intact; it runs as root too, where read-only folders do not stop writes.
func TestWriteFailureAtRename(t *testing.T) {
	root := t.TempDir()
	p, snap := writeFile(t, root, "a.md", "old", 0o644)
	beforeRename = func(path string) {
		matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), TempPrefix+"*"+TempSuffix))
		for _, m := range matches {
			_ = os.Remove(m)
		}
	}
	defer func() { beforeRename = nil }()
	if err := Write(root, "a.md", snap, []byte("new")); err == nil {
		t.Fatal("write succeeded without its temporary file")
	}
	if got := readString(t, p); got != "old" {
		t.Errorf("original changed: %q", got)
	}
}

// TestWriteFolderSwappedForSymlink swaps the note's folder for a symlink
// to a folder outside the vault just before the rename: the write must
// not land outside (it goes through a handle on the original folder).
func TestWriteFolderSwappedForSymlink(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "vault")
	outside := filepath.Join(base, "outside")
	if err := os.MkdirAll(filepath.Join(root, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(outside, "a.md")
	if err := os.WriteFile(secret, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, snap := writeFile(t, root, "sub/a.md", "old", 0o644)
	// The outside file looks exactly like the note, so that no check of
	// size, time or content can be what stops the write.
	if err := os.Chtimes(secret, snap.ModTime, snap.ModTime); err != nil {
		t.Fatal(err)
	}
	beforeRename = func(string) {
		if err := os.Rename(filepath.Join(root, "sub"), filepath.Join(root, "moved")); err != nil {
			t.Error(err)
		}
		if err := os.Symlink(outside, filepath.Join(root, "sub")); err != nil {
			t.Error(err)
		}
	}
	defer func() { beforeRename = nil }()
	err := Write(root, "sub/a.md", snap, []byte("new"))
	if got := readString(t, secret); got != "old" {
		t.Fatalf("wrote through the symlink out of the vault: %q (Write: %v)", got, err)
	}
	noTempFiles(t, outside)
	// The folder handle still names the original folder, now "moved".
	if err == nil {
		if got := readString(t, filepath.Join(root, "moved", "a.md")); got != "new" {
			t.Errorf("moved/a.md = %q, want the new content", got)
		}
	}
}
