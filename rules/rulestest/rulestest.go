// Package rulestest runs rules over small vaults written as txtar files
// and compares what they find, and what their fixes make of the notes,
// with golden sections in the same file.
//
// A test file holds the vault's files, then:
//
//	-- want.diagnostics --
//	note.md:3:5-3:7: warning link-spacing: ... [safe fix]
//	-- want/note.md --
//	the note after every fix of the run is applied
//
// txtar ends every file with a line break; a file whose last line is
// "<EOF>" ends just before that line, without one.
//
// Run the tests with -update to rewrite the golden sections, then review
// the diff by eye.
package rulestest

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

var update = flag.Bool("update", false, "rewrite the golden sections of rule tests")

const wantDiags = "want.diagnostics"

// Run runs each txtar file matching pattern as a subtest with the given
// rules enabled (all at their default settings unless settings is set).
func Run(t *testing.T, pattern string, settings rules.Settings, rs ...*rules.Rule) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no test files match %s", pattern)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runFile(t, file, settings, rs)
		})
	}
}

func runFile(t *testing.T, file string, settings rules.Settings, rs []*rules.Rule) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	want := map[string][]byte{}
	var wantD []byte
	hasWantD := false
	for _, f := range ar.Files {
		switch {
		case f.Name == wantDiags:
			wantD, hasWantD = f.Data, true
		case strings.HasPrefix(f.Name, "want/"):
			want[strings.TrimPrefix(f.Name, "want/")] = Decode(f.Data)
		default:
			p := filepath.Join(dir, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, Decode(f.Data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	v, err := vault.Load(context.Background(), dir, vault.Options{Canvases: true})
	if err != nil {
		t.Fatal(err)
	}
	cfg := rules.Config{Rules: rs, Settings: settings, WholeVault: true}
	ds, err := rules.Check(context.Background(), v, cfg)
	if err != nil {
		t.Fatal(err)
	}
	CompareStreaming(t, dir, vault.Options{Canvases: true}, cfg, ds)
	gotD := []byte(Format(ds))
	fixed := ApplyAll(t, v, ds)

	if *update {
		var files []txtar.File
		for _, f := range ar.Files {
			if f.Name != wantDiags && !strings.HasPrefix(f.Name, "want/") {
				files = append(files, f)
			}
		}
		files = append(files, txtar.File{Name: wantDiags, Data: gotD})
		for _, p := range sortedKeys(fixed) {
			files = append(files, txtar.File{Name: "want/" + p, Data: Encode(fixed[p])})
		}
		ar.Files = files
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !hasWantD {
		t.Fatalf("%s has no %s section; run with -update", file, wantDiags)
	}
	if !bytes.Equal(gotD, wantD) {
		t.Errorf("diagnostics differ\n--- got\n%s--- want\n%s", gotD, wantD)
	}
	for _, p := range sortedKeys(fixed) {
		w, ok := want[p]
		if !ok {
			t.Errorf("fixes change %s but there is no want/%s section:\n%s", p, p, fixed[p])
			continue
		}
		if !bytes.Equal(fixed[p], w) {
			t.Errorf("fixed %s differs\n--- got\n%s\n--- want\n%s", p, fixed[p], w)
		}
	}
	for p := range want {
		if _, ok := fixed[p]; !ok {
			t.Errorf("want/%s given, but no fix changes %s", p, p)
		}
	}
}

// CompareStreaming checks the vault at dir again as "vaultlint check"
// does, each note as it is parsed, its source then released
// (rules.Checker), and fails the test unless that finds exactly want,
// fixes included.
func CompareStreaming(t testing.TB, dir string, opts vault.Options, cfg rules.Config, want []rules.Diagnostic) {
	t.Helper()
	chk := rules.NewChecker(cfg)
	opts.Parsed = chk.Parsed
	v, err := vault.Load(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := chk.Finish(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("a streaming check finds otherwise\n--- streaming\n%s--- whole vault\n%s", Format(got), Format(want))
	}
}

// Format renders diagnostics one per line, with their spans and fixes.
func Format(ds []rules.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d: %s %s: %s", d.Path, d.Line, d.Column, d.EndLine, d.EndColumn, d.Severity, d.Rule, d.Message)
		if d.Fix != nil {
			kind := "unsafe"
			if d.Fix.Safe {
				kind = "safe"
			}
			fmt.Fprintf(&b, " [%s fix]", kind)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// ApplyAll applies every fix (safe and unsafe) once, skipping a fix that
// overlaps one already taken, and returns the notes that changed. It
// fails the test when a fix's edits are invalid.
func ApplyAll(t testing.TB, v *vault.Vault, ds []rules.Diagnostic) map[string][]byte {
	t.Helper()
	byPath := map[string][]fix.Edit{}
	for _, d := range ds {
		if d.Fix == nil {
			continue
		}
		n := v.File(d.Path).Note
		if err := fix.Validate(len(n.Src), d.Fix.Edits); err != nil {
			t.Errorf("%s: %s fix is invalid: %v", d.Path, d.Rule, err)
			continue
		}
		taken := byPath[d.Path]
		if overlapsAny(taken, d.Fix.Edits) {
			continue
		}
		byPath[d.Path] = append(taken, d.Fix.Edits...)
	}
	out := map[string][]byte{}
	for p, edits := range byPath {
		n := v.File(p).Note
		b, err := fix.Apply(n.Src, edits)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if !bytes.Equal(b, n.Src) {
			out[p] = b
		}
	}
	return out
}

func overlapsAny(taken, edits []fix.Edit) bool {
	for _, a := range taken {
		for _, b := range edits {
			if a.Overlaps(b) {
				return true
			}
		}
	}
	return false
}

func sortedKeys(m map[string][]byte) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

const eofMarker = "<EOF>\n"

// Decode turns a txtar file's data into file bytes (see "<EOF>").
func Decode(data []byte) []byte {
	if bytes.HasSuffix(data, []byte(eofMarker)) {
		data = data[:len(data)-len(eofMarker)]
		return bytes.TrimSuffix(bytes.TrimSuffix(data, []byte("\n")), []byte("\r"))
	}
	return data
}

// Encode is the inverse of Decode.
func Encode(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return append(append([]byte(nil), b...), "\n"+eofMarker...)
	}
	return b
}
