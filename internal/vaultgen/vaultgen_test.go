package vaultgen_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"

	"github.com/vaultlint/vaultlint/internal/vaultgen"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// check loads a generated vault and runs every rule over it, as
// "vaultlint check" does on a whole vault.
func check(t *testing.T, dir string) (*vault.Vault, []rules.Diagnostic) {
	t.Helper()
	v, err := vault.Load(context.Background(), dir, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := rules.Check(context.Background(), v, rules.Config{WholeVault: true})
	if err != nil {
		t.Fatal(err)
	}
	return v, ds
}

func countByRule(ds []rules.Diagnostic) map[string]int {
	m := map[string]int{}
	for _, d := range ds {
		m[d.Rule]++
	}
	return m
}

// TestCleanVault: a vault generated without defects must give no
// diagnostic at all. Anything reported is a false alarm of a rule, or a
// generator writing what it did not mean to; the failure lists a few to
// tell which.
func TestCleanVault(t *testing.T) {
	dir := t.TempDir()
	st, err := vaultgen.Generate(dir, vaultgen.Options{Notes: 600, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Defects) != 0 {
		t.Errorf("clean vault planted defects: %v", st.Defects)
	}
	v, ds := check(t, dir)
	for i, d := range ds {
		if i == 10 {
			t.Errorf("... and %d more", len(ds)-10)
			break
		}
		t.Errorf("%s:%d:%d: %s: %s", d.Path, d.Line, d.Column, d.Rule, d.Message)
	}
	checkStats(t, v, st)
}

// TestDefects: every planted defect of a rule that exists is found, and
// for the link rules, where each planted instance gives exactly one
// diagnostic and nothing else can, exactly as many are found.
func TestDefects(t *testing.T) {
	dir := t.TempDir()
	st, err := vaultgen.Generate(dir, vaultgen.Options{Notes: 1500, Seed: 3, Defects: true})
	if err != nil {
		t.Fatal(err)
	}
	v, ds := check(t, dir)
	found := countByRule(ds)
	exact := map[string]bool{
		vaultgen.RuleBrokenLink: true, vaultgen.RuleBrokenHeading: true,
		vaultgen.RuleBrokenBlockRef: true, vaultgen.RuleAmbiguousLink: true,
	}
	var ids []string
	for id := range st.Defects {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		want := st.Defects[id]
		if rules.ByID(id) == nil {
			t.Logf("%-22s planted %4d (rule not implemented yet)", id, want)
			continue
		}
		got := found[id]
		t.Logf("%-22s planted %4d found %4d", id, want, got)
		if got < want || exact[id] && got != want {
			t.Errorf("%s: planted %d, found %d", id, want, got)
			logSome(t, ds, id)
		}
	}
	for id, n := range found {
		if st.Defects[id] == 0 {
			t.Errorf("%s: %d found, none planted", id, n)
			logSome(t, ds, id)
		}
	}
	if st.Defects[vaultgen.RuleBrokenLink] == 0 || st.Defects[vaultgen.RuleBrokenHeading] == 0 || st.Defects[vaultgen.RuleBrokenBlockRef] == 0 {
		t.Errorf("no broken links of some kind planted: %v", st.Defects)
	}
	for _, k := range []string{vaultgen.KindWiki, vaultgen.KindEmbed, vaultgen.KindMarkdown, vaultgen.KindImage, vaultgen.KindFrontmatter} {
		if st.BrokenByKind[k] == 0 {
			t.Errorf("no broken %s links planted", k)
		}
	}
	checkStats(t, v, st)
}

func logSome(t *testing.T, ds []rules.Diagnostic, rule string) {
	t.Helper()
	n := 0
	for _, d := range ds {
		if d.Rule == rule && n < 8 {
			t.Logf("  %s:%d:%d: %s", d.Path, d.Line, d.Column, d.Message)
			n++
		}
	}
}

// checkStats compares what the generator says it wrote with what vault
// reads: notes, files and links by kind.
func checkStats(t *testing.T, v *vault.Vault, st vaultgen.Stats) {
	t.Helper()
	if len(v.Notes) != st.Notes {
		t.Errorf("vault has %d notes, generator wrote %d", len(v.Notes), st.Notes)
	}
	if len(v.Files) != st.Notes+st.Attachments {
		t.Errorf("vault has %d files, generator wrote %d", len(v.Files), st.Notes+st.Attachments)
	}
	if len(v.Problems) > 0 {
		t.Errorf("load problems: %v", v.Problems)
	}
	kinds := map[string]int{}
	var bytes int64
	for _, n := range v.Notes {
		for _, l := range n.Links {
			kinds[l.Kind.String()]++
		}
		bytes += int64(len(n.Src))
	}
	if bytes != st.MarkdownBytes {
		t.Errorf("vault holds %d bytes of Markdown, generator wrote %d", bytes, st.MarkdownBytes)
	}
	for k, n := range st.LinksByKind {
		if kinds[k] != n {
			t.Errorf("%s links: vault finds %d, generator wrote %d", k, kinds[k], n)
		}
	}
	for k, n := range kinds {
		if _, ok := st.LinksByKind[k]; !ok {
			t.Errorf("%s links: vault finds %d, generator wrote none", k, n)
		}
	}
}

// TestDeterministic: the same seed gives the same bytes, whatever the
// number of CPUs; another seed gives another vault.
func TestDeterministic(t *testing.T) {
	opts := vaultgen.Options{Notes: 300, Seed: 11, Defects: true}
	a, b := t.TempDir(), t.TempDir()
	if _, err := vaultgen.Generate(a, opts); err != nil {
		t.Fatal(err)
	}
	// One CPU writes the notes in another order than several do.
	prev := runtime.GOMAXPROCS(1)
	_, err := vaultgen.Generate(b, opts)
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	if diff := compareTrees(t, a, b); diff != "" {
		t.Fatalf("same seed, different vaults: %s", diff)
	}
	opts.Seed = 12
	c := t.TempDir()
	if _, err := vaultgen.Generate(c, opts); err != nil {
		t.Fatal(err)
	}
	if compareTrees(t, a, c) == "" {
		t.Fatal("seeds 11 and 12 gave the same vault")
	}
}

func compareTrees(t *testing.T, a, b string) string {
	t.Helper()
	read := func(root string) map[string][]byte {
		m := map[string][]byte{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			b, err := os.ReadFile(p)
			m[rel] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	ma, mb := read(a), read(b)
	if len(ma) != len(mb) {
		return "different numbers of files"
	}
	for p, x := range ma {
		if y, ok := mb[p]; !ok || !bytes.Equal(x, y) {
			return p + " differs"
		}
	}
	return ""
}

func TestNotEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.md"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := vaultgen.Generate(dir, vaultgen.Options{Notes: 10}); err == nil {
		t.Fatal("Generate wrote into a folder that was not empty")
	}
}
