package move

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// diskVault writes files into a new folder and loads it as a vault.
func diskVault(t *testing.T, files map[string]string) (string, *vault.Vault) {
	t.Helper()
	root := t.TempDir()
	for p, s := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	v, err := vault.Load(context.Background(), root, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v.Root, v
}

// snapshotDisk reads every file and folder under root.
func snapshotDisk(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var executeVault = map[string]string{
	"Notes/N.md": "# H\n[[x]] [[../top]]\n",
	"Notes/x.md": "[[N#H]] [[Notes/N]]\n",
	"top.md":     "[t](Notes/N.md) ![[N|label]]\n",
	"img.png":    "PNG",
}

func TestExecute(t *testing.T) {
	root, v := diskVault(t, executeVault)
	p, err := New(v, "Notes/N.md", "Archive/2025/M.md")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Execute(); err != nil {
		t.Fatal(err)
	}
	got := snapshotDisk(t, root)
	want := map[string]string{
		"./": "", "Notes/": "", "Archive/": "", "Archive/2025/": "",
		"Archive/2025/M.md": "# H\n[[x]] [[../../top]]\n",
		"Notes/x.md":        "[[M#H]] [[M]]\n",
		"top.md":            "[t](M.md) ![[M|label]]\n",
		"img.png":           "PNG",
	}
	compareDisk(t, got, want)
}

func TestExecuteFolder(t *testing.T) {
	root, v := diskVault(t, executeVault)
	p, err := New(v, "Notes", "Old Notes")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Execute(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"./": "", "Old Notes/": "",
		"Old Notes/N.md": executeVault["Notes/N.md"],
		"Old Notes/x.md": "[[N#H]] [[N]]\n",
		"top.md":         "[t](N.md) ![[N|label]]\n",
		"img.png":        "PNG",
	}
	compareDisk(t, snapshotDisk(t, root), want)
}

func compareDisk(t *testing.T, got, want map[string]string) {
	t.Helper()
	for p, w := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: missing", p)
		} else if g != w {
			t.Errorf("%s:\ngot  %q\nwant %q", p, g, w)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: should not be there", p)
		}
	}
}

// TestExecuteRollback makes each step fail in turn and checks that the
// vault is left exactly as it was.
func TestExecuteRollback(t *testing.T) {
	for _, step := range []string{"write Notes/N.md", "write Notes/x.md", "write top.md", "rename"} {
		t.Run(step, func(t *testing.T) {
			root, v := diskVault(t, executeVault)
			before := snapshotDisk(t, root)
			p, err := New(v, "Notes/N.md", "Archive/2025/M.md")
			if err != nil {
				t.Fatal(err)
			}
			failAt = func(s string) error {
				if s == step {
					return errors.New("disk on fire")
				}
				return nil
			}
			defer func() { failAt = nil }()
			err = p.Execute()
			if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "nothing was moved") {
				t.Fatalf("err = %v", err)
			}
			compareDisk(t, snapshotDisk(t, root), before)
		})
	}
}

func TestExecuteRefusesChangedNote(t *testing.T) {
	root, v := diskVault(t, executeVault)
	p, err := New(v, "Notes/N.md", "M.md")
	if err != nil {
		t.Fatal(err)
	}
	// Someone edits a note the move rewrites, after it was read.
	edited := filepath.Join(root, "top.md")
	if err := os.WriteFile(edited, []byte("[t](Notes/N.md) edited elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshotDisk(t, root)
	err = p.Execute()
	if !errors.Is(err, fix.ErrChanged) || !strings.Contains(err.Error(), "top.md") {
		t.Fatalf("err = %v, want ErrChanged naming top.md", err)
	}
	compareDisk(t, snapshotDisk(t, root), before)
}

func TestExecuteRefusesTakenDestination(t *testing.T) {
	root, v := diskVault(t, executeVault)
	p, err := New(v, "Notes/N.md", "M.md")
	if err != nil {
		t.Fatal(err)
	}
	// A file the vault does not list (hidden files are not in it) or one
	// created after planning must not be replaced.
	if err := os.WriteFile(filepath.Join(root, "M.md"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshotDisk(t, root)
	if err := p.Execute(); err == nil || !strings.Contains(err.Error(), "M.md already exists") {
		t.Fatalf("err = %v", err)
	}
	compareDisk(t, snapshotDisk(t, root), before)
}

func TestExecuteRefusesSymlinkedFolder(t *testing.T) {
	root, v := diskVault(t, executeVault)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "Out")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	p, err := New(v, "Notes/N.md", "Out/N.md")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Execute(); err == nil || !strings.Contains(err.Error(), "symlink") {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("a file was written outside the vault")
	}
}
