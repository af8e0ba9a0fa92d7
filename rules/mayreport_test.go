package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vaultlint/vaultlint/internal/vaultgen"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// TestMayReport: every link a rule reports on is one its MayReport
// keeps, before the link is resolved or given only the resolution of the
// link's path. A Checker drops
// the others as soon as a note is parsed, so a MayReport that says no to
// a link its rule reports on would lose that finding in "vaultlint
// check". Checked on every rule's cases, the example vault, a generated
// vault with every defect and the real vaults, with every rule on.
func TestMayReport(t *testing.T) {
	dirs := map[string]string{"example": filepath.Join("..", "testdata", "vault")}
	gen := t.TempDir()
	if _, err := vaultgen.Generate(gen, vaultgen.Options{Notes: 400, Seed: 11, Defects: true}); err != nil {
		t.Fatal(err)
	}
	dirs["generated"] = gen
	cases, err := filepath.Glob(filepath.Join("..", "testdata", "rules", "*", "*.txtar"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no rule cases: %v", err)
	}
	for _, file := range cases {
		dirs[strings.TrimSuffix(file[len("../testdata/rules/"):], ".txtar")] = extractCase(t, file)
	}
	if entries, err := os.ReadDir(corporaDir); err == nil && !testing.Short() {
		for _, e := range entries {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				dirs[e.Name()] = filepath.Join(corporaDir, e.Name())
			}
		}
	}
	checked := map[string]int{} // rule → findings checked
	for name, dir := range dirs {
		v, err := vault.Load(context.Background(), dir, vault.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ds, err := rules.Check(context.Background(), v, rules.Config{WholeVault: true, Settings: everyRuleOn})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, d := range ds {
			r := rules.ByID(d.Rule)
			if r == nil || r.MayReport == nil {
				continue
			}
			n := v.File(d.Path).Note
			found := false
			for i := range n.Links {
				l := &n.Links[i]
				if l.Span != d.Span {
					continue
				}
				found = true
				res := v.ResolveFile(n, l)
				if !r.MayReport(l, nil) && !r.MayReport(l, &res) {
					t.Errorf("%s: %s:%d:%d: %s reports on %q, which its MayReport drops", name, d.Path, d.Line, d.Column, d.Rule, d.Message)
				}
			}
			if !found {
				t.Errorf("%s: %s:%d:%d: %s reports on no link; a rule with MayReport must", name, d.Path, d.Line, d.Column, d.Rule)
			}
			checked[d.Rule]++
		}
	}
	for _, r := range rules.All() {
		if r.MayReport != nil && checked[r.ID] == 0 {
			t.Errorf("no finding of %s was checked", r.ID)
		}
	}
	t.Logf("findings checked: %v", checked)
}

// extractCase writes the vault of a rule's txtar case to a folder of its
// own, leaving out the expected output.
func extractCase(t *testing.T, file string) string {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCheckerKeepsReportable: a streaming check keeps of each note only
// the links a link rule may report on, and counts them all; with a rule
// on that reads every note's links (orphan-note), it keeps them all.
func TestCheckerKeepsReportable(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.md", "[[b]] [[b#Missing]] [[c]] [x](https://example.com) [[b#^id]] [[img.png]] [[img.png#H]]\n")
	write(t, dir, "b.md", "# Present\n")
	write(t, dir, "img.png", "")
	for _, tc := range []struct {
		name string
		cfg  rules.Config
		want []string
	}{
		// A link with a subpath is kept before its path is resolved: it
		// may name a note, and so a heading, that is missing. The other
		// links are kept when broken (or ambiguous).
		{"defaults", rules.Config{WholeVault: true}, []string{"[[b#Missing]]", "[[c]]", "[[b#^id]]", "[[img.png#H]]"}},
		{"broken-link only", rules.Config{Rules: []*rules.Rule{rules.BrokenLink}}, []string{"[[c]]"}},
		{"no link rule", rules.Config{Rules: []*rules.Rule{rules.FinalNewline}}, nil},
		{"orphan-note on", rules.Config{WholeVault: true, Settings: everyRuleOn},
			[]string{"[[b]]", "[[b#Missing]]", "[[c]]", "[x](https://example.com)", "[[b#^id]]", "[[img.png]]", "[[img.png#H]]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chk := rules.NewChecker(tc.cfg)
			v, err := vault.Load(context.Background(), dir, vault.Options{Parsed: chk.Parsed})
			if err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(filepath.Join(dir, "a.md"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range v.File("a.md").Note.Links {
				got = append(got, string(src[l.Span.Start:l.Span.End]))
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("kept %q, want %q", got, tc.want)
			}
			if chk.Links() != 7 {
				t.Errorf("Links() = %d, want 7", chk.Links())
			}
		})
	}
}
