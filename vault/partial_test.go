package vault

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestLoadOnly checks a partial load: every file is indexed, only the
// named notes and their link targets are parsed, and aliases of notes
// that were not parsed are still found.
func TestLoadOnly(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.md":        "[[b#Head]] and [[envoy]]\n",
		"b.md":        "# Head\n[[c]]\n",
		"c.md":        "# C\n",
		"Envoy Sp.md": "---\naliases: [Envoy]\n---\nbody\n",
		"d.md":        "unrelated\n",
		"img.png":     "png",
	}
	for p, c := range files {
		if err := os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	v, err := Load(context.Background(), dir, Options{Only: func(p string) bool { return p == "a.md" }})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Partial() {
		t.Error("Partial() is false")
	}
	parsed := map[string]bool{}
	for _, n := range v.Notes {
		parsed[n.Path] = true
	}
	for p, want := range map[string]bool{"a.md": true, "b.md": true, "c.md": false, "d.md": false, "Envoy Sp.md": false} {
		if parsed[p] != want {
			t.Errorf("%s parsed = %v, want %v", p, parsed[p], want)
		}
	}
	if len(v.Files) != len(files) {
		t.Errorf("%d files indexed, want %d", len(v.Files), len(files))
	}
	a := v.File("a.md").Note
	if r := v.Resolve(a, &a.Links[0]); r.File == nil || !r.SubpathFound {
		t.Errorf("[[b#Head]] does not resolve with its heading: %+v", r)
	}
	if ns := v.NotesWithAlias("envoy"); len(ns) != 1 || ns[0].Path != "Envoy Sp.md" || ns[0].File() == nil {
		t.Errorf("NotesWithAlias(envoy) = %v", ns)
	}
}
