package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestMvKeepsCheck moves and renames each note of the example vault, in
// a copy, and checks that vaultlint check then reports exactly what it
// reported before, but for the note's new path: a move that broke,
// retargeted or mangled a link would show as a new or changed problem.
func TestMvKeepsCheck(t *testing.T) {
	example := filepath.Join("..", "..", "testdata", "vault")
	var notes []string
	err := filepath.WalkDir(example, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(example, p)
			notes = append(notes, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) == 0 {
		t.Fatal("no notes in the example vault")
	}
	for _, note := range notes {
		base := strings.TrimSuffix(path.Base(note), ".md")
		first, _ := utf8.DecodeRuneInString(base)
		for _, to := range []string{
			"Moved/Deeper/" + path.Base(note),                      // another folder, same name
			path.Join(path.Dir(note), base+" (renamed).md"),        // same folder, new name
			"Elsewhere/" + string(unicode.ToUpper(first)) + "x.md", // both
		} {
			t.Run(note+"->"+to, func(t *testing.T) {
				dir := t.TempDir()
				if err := os.CopyFS(dir, os.DirFS(example)); err != nil {
					t.Fatal(err)
				}
				before, st1 := checkJSON(t, dir)
				var out, errOut bytes.Buffer
				if st := run([]string{"mv", "--vault", dir, note, to}, nil, &out, &errOut); st != 0 {
					t.Fatalf("mv exit %d: %s%s", st, out.String(), errOut.String())
				}
				if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(to))); err != nil {
					t.Fatalf("not moved: %v", err)
				}
				after, st2 := checkJSON(t, dir)
				if st1 != st2 {
					t.Errorf("check exit %d before the move, %d after", st1, st2)
				}
				want := renamed(before, note, to)
				if got := canonical(t, after); got != canonical(t, want) {
					t.Errorf("check after the move:\n%s\nwant (before, renamed):\n%s", got, canonical(t, want))
				}
			})
		}
	}
}

// checkJSON runs vaultlint check --format json on the vault at dir.
func checkJSON(t *testing.T, dir string) (string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	st := run([]string{"check", "--format", "json", "--vault", dir}, nil, &out, &errOut)
	if st == exitUsage {
		t.Fatalf("check: %s", errOut.String())
	}
	return out.String(), st
}

// renamed rewrites a check report for a note moved from one path to
// another: its diagnostics' path, and the path or name wherever a message
// quotes it.
func renamed(report, from, to string) string {
	fromName, toName := strings.TrimSuffix(path.Base(from), ".md"), strings.TrimSuffix(path.Base(to), ".md")
	r := strings.NewReplacer(`"`+from+`"`, `"`+to+`"`, `\"`+from+`\"`, `\"`+to+`\"`, `\"`+fromName+`\"`, `\"`+toName+`\"`)
	return r.Replace(report)
}

// canonical re-encodes a JSON report with its diagnostics sorted, since a
// renamed note sorts elsewhere.
func canonical(t *testing.T, report string) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(report), &doc); err != nil {
		t.Fatalf("%v in %s", err, report)
	}
	if ds, ok := doc["diagnostics"].([]any); ok {
		key := func(d any) string { b, _ := json.Marshal(d); return string(b) }
		sort.Slice(ds, func(i, j int) bool { return key(ds[i]) < key(ds[j]) })
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLinkCommandsExitStatus pins the exit statuses testscript's "! exec"
// cannot tell apart: 1 for an answer that is "no" (unresolved, broken,
// refused), 2 for a usage error.
func TestLinkCommandsExitStatus(t *testing.T) {
	dir := t.TempDir()
	for p, s := range map[string]string{
		".obsidian/app.json": "{}",
		"A.md":               "# H\n[[B]] [[Missing]]\n",
		"B.md":               "[[A#H]]\n",
		"img.png":            "PNG",
	} {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"resolve", "[[A#H]]"}, exitOK},
		{[]string{"resolve", "[e](https://e.com)"}, exitOK},
		{[]string{"resolve", "[[Missing]]"}, exitProblems},
		{[]string{"resolve", "[[A#Nope]]"}, exitProblems},
		{[]string{"resolve", "`[[A]]`"}, exitProblems},
		{[]string{"resolve"}, exitUsage},
		{[]string{"resolve", "--from", "Nope.md", "[[A]]"}, exitUsage},
		{[]string{"resolve", "--format", "xml", "[[A]]"}, exitUsage},
		{[]string{"links", "A.md"}, exitOK},
		{[]string{"links", "--broken", "A.md"}, exitProblems},
		{[]string{"links", "--broken", "B.md"}, exitOK},
		{[]string{"links", "img.png"}, exitUsage},
		{[]string{"backlinks", "A.md"}, exitOK},
		{[]string{"backlinks", "img.png"}, exitOK},
		{[]string{"backlinks", "Nope.md"}, exitUsage},
		{[]string{"mv", "A.md", "B.md"}, exitUsage},
		{[]string{"mv", "A.md", "A #1.md"}, exitProblems},
		{[]string{"mv", "--dry-run", "A.md", "C.md"}, exitOK},
		{[]string{"mv", "--no-such-flag", "A.md", "C.md"}, exitUsage},
		{[]string{"mv", "A.md", "C.md"}, exitOK},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		args := append([]string{tt.args[0], "--vault", dir}, tt.args[1:]...)
		if got := run(args, nil, &out, &errOut); got != tt.want {
			t.Errorf("vaultlint %s: exit %d, want %d\n%s%s", strings.Join(tt.args, " "), got, tt.want, out.String(), errOut.String())
		}
	}
}
