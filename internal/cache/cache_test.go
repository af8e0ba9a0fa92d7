package cache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/internal/vaultgen"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// coldCheck is what check does without the cache.
func coldCheck(t testing.TB, dir string, cfg rules.Config, only func(string) bool) ([]rules.Diagnostic, *vault.Vault) {
	t.Helper()
	v, err := vault.Load(context.Background(), dir, vault.Options{Only: only})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := rules.Check(context.Background(), v, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return ds, v
}

func render(ds []rules.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d [%d,%d) %s %s %q fix=%v\n", d.Path, d.Line, d.Column, d.EndLine, d.EndColumn,
			d.Span.Start, d.Span.End, d.Severity, d.Rule, d.Message, d.Fix)
	}
	return b.String()
}

func links(v *vault.Vault) int {
	n := 0
	for _, note := range v.Notes {
		n += len(note.Links)
	}
	return n
}

// TestCheck checks a generated vault cold, warm, and warm after an edit,
// over the whole vault and over a folder, against vault.Load and
// rules.Check; findings, fixes and link counts must all be equal.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	if _, err := vaultgen.Generate(dir, vaultgen.Options{Notes: 80, Seed: 3, Defects: true}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), FileName)
	v0, err := vault.Load(context.Background(), dir, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	folder := v0.Notes[len(v0.Notes)/2].File().Dir() + "/"
	inFolder := func(p string) bool { return strings.HasPrefix(p, folder) }
	if folder == "/" {
		inFolder = func(p string) bool { return !strings.Contains(p, "/") }
	}
	runs := []struct {
		name string
		cfg  rules.Config
		only func(string) bool
	}{
		{"whole", rules.Config{WholeVault: true}, nil},
		{"folder", rules.Config{Report: inFolder}, inFolder},
	}
	check := func(step string, wantCold bool) {
		t.Helper()
		for _, r := range runs {
			want, wv := coldCheck(t, dir, r.cfg, r.only)
			res, err := Check(context.Background(), dir, Options{File: file, Version: "test", Check: r.cfg,
				Warn: func(err error) { t.Errorf("%s %s: warning: %v", step, r.name, err) }})
			if err != nil {
				t.Fatal(err)
			}
			if got := render(res.Diagnostics); got != render(want) {
				t.Fatalf("%s %s: findings differ:\n--- cold\n%s--- cache\n%s", step, r.name, render(want), got)
			}
			if res.Links != links(wv) {
				t.Errorf("%s %s: %d links, a cold run counts %d", step, r.name, res.Links, links(wv))
			}
			if r.name == "whole" && res.Stats.Cold != wantCold {
				t.Errorf("%s %s: %+v, want cold %v", step, r.name, res.Stats, wantCold)
			}
		}
	}
	check("first", true)
	check("again", false)
	n := v0.Notes[0]
	src, err := os.ReadFile(filepath.Join(dir, n.Path))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, n.Path), append(src, "\n## Added\n\n[[Nowhere]] \n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	check("edited", false)
}

// TestEncodeDecode round-trips every kind of entry.
func TestEncodeDecode(t *testing.T) {
	files := []*vault.File{{Path: "a.md"}, {Path: "b.md"}, {Path: "c.md"}, {Path: "img.png"}, {Path: "z.md"}}
	d := &data{key: hash{1, 2, 3}, files: []entry{
		{kind: kindNote, size: 120, mtime: -5, hash: hash{9}, links: 7, aliases: []string{"A", "Ä"}, deps: []int32{1, 2, 4},
			sets: [modes]*set{{depDigest: hash{4}, aliasDigest: hash{5}, diags: []rules.Diagnostic{
				{Rule: "broken-link", Path: "a.md", Span: vault.Span{Start: 3, End: 9}, Severity: rules.Error, Message: "gone\n\"x\"",
					Fix:  &rules.Fix{Safe: false, Edits: []fix.Edit{{Start: 3, End: 9, New: "[[b]]"}, {Start: 9, End: 9, New: "|b"}}},
					Line: 1, Column: 4, EndLine: 1, EndColumn: 10},
				{Rule: "final-newline", Path: "a.md", Severity: rules.Info, Fix: &rules.Fix{Safe: true, Edits: []fix.Edit{{Start: 0, End: 0}}}, Line: 2, Column: 1, EndLine: 2, EndColumn: 1},
			}}, nil}},
		{kind: kindSkipped, size: 1 << 40, mtime: 1 << 60},
		{},
		{kind: kindAttachment, sets: [modes]*set{{diags: []rules.Diagnostic{{Rule: "invalid-filename", Path: "img.png", Severity: rules.Warning, Message: "m", Line: 1, Column: 1, EndLine: 1, EndColumn: 1}}}, {}}},
		{kind: kindNote, hash: hash{7}, sets: [modes]*set{nil, {depDigest: hash{8}}}},
	}}
	b := d.encode()
	got, err := decode(b, d.key, files)
	if err != nil {
		t.Fatal(err)
	}
	// An empty set decodes with nil diagnostics.
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got.files, d.files)
	}
	if _, err := decode(b, hash{7}, files); !errors.Is(err, errBadKey) {
		t.Fatalf("another key: %v, want errBadKey", err)
	}
	if _, err := decode(b, d.key, files[:4]); err == nil {
		t.Fatal("another file count: no error")
	}
	for i := range b {
		bad := bytes.Clone(b)
		bad[i] ^= 0x10
		if _, err := decode(bad, d.key, files); err == nil {
			t.Fatalf("byte %d flipped: no error", i)
		}
	}
	for n := range len(b) {
		if _, err := decode(b[:n], d.key, files); err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
	}
}

// FuzzDecode: no input makes decode panic or allocate without bound;
// the checksum is recomputed so that the fuzzer reaches the decoder.
func FuzzDecode(f *testing.F) {
	files := []*vault.File{{Path: "a.md"}, {Path: "b.png"}}
	d := &data{files: []entry{
		{kind: kindNote, hash: hash{1}, links: 2, aliases: []string{"x"}, deps: []int32{1},
			sets: [modes]*set{{diags: []rules.Diagnostic{{Rule: "r", Message: "m", Fix: &rules.Fix{Edits: []fix.Edit{{New: "n"}}}}}}}},
		{kind: kindAttachment, sets: [modes]*set{{}, nil}},
	}}
	good := d.encode()
	f.Add(good[len(magic) : len(good)-32])
	f.Fuzz(func(t *testing.T, body []byte) {
		b := append([]byte(magic), body...)
		sum := sha256.Sum256(b)
		b = append(b, sum[:]...)
		_, _ = decode(b, hash{}, files)
	})
}

// TestRuleDependencies is a tripwire. The cache takes a note's findings
// to depend on the note, the file set, the config, the notes its links
// resolve to and, for broken-link only, every note's aliases. A rule
// that reads every note, or aliases, beyond that would make warm runs
// wrong without any other test failing; the files named here may, and a
// new one must first be taught to the cache (VaultWide rules run cold).
func TestRuleDependencies(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "rules", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("rules sources: %v", err)
	}
	allNotes := regexp.MustCompile(`\.Notes\b`)
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("NotesWithAlias(")) && name != "broken_link.go" {
			t.Errorf("%s reads aliases: the cache invalidates only broken-link findings when aliases change (internal/cache.set.aliasDigest)", name)
		}
		if allNotes.Match(b) && name != "engine.go" && name != "orphan_note.go" {
			t.Errorf("%s reads every note: only VaultWide rules may, the cache reuses other findings note by note", name)
		}
	}
}

// TestBeforeParse: the caller sizes its memory from BeforeParse, which a
// run through the cache tells of every note of the vault, once, before
// any is parsed. (Load alone would tell it of the notes it parses
// itself: none, and the command then set a heap limit far below what a
// cold run holds.)
func TestBeforeParse(t *testing.T) {
	dir := t.TempDir()
	st, err := vaultgen.Generate(dir, vaultgen.Options{Notes: 30, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	type call struct {
		notes  int
		bytes  int64
		parsed int64
	}
	var calls []call
	var parsed atomic.Int64 // Parsed runs in several goroutines
	lo := vault.Options{
		BeforeParse: func(notes int, bytes int64) { calls = append(calls, call{notes, bytes, parsed.Load()}) },
		Parsed:      func(*vault.Vault, *vault.Note) { parsed.Add(1) },
	}
	res, err := Check(context.Background(), dir, Options{Version: "test", Load: lo, Check: rules.Config{WholeVault: true}})
	if err != nil {
		t.Fatal(err)
	}
	v := res.Vault
	if want := (call{st.Notes, st.MarkdownBytes, 0}); len(calls) != 1 || calls[0] != want {
		t.Errorf("BeforeParse calls %+v, want one: %+v", calls, want)
	}
	if n := int(parsed.Load()); n != len(v.Notes) || n != st.Notes {
		t.Errorf("%d notes parsed, %d in the vault, %d generated", n, len(v.Notes), st.Notes)
	}
}
