package rules_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/tools/txtar"
	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/rules/rulestest"
	"github.com/vaultlint/vaultlint/vault"
)

// fmLoadTxtar builds a vault from the notes of a rule test file, leaving
// out its golden sections.
func fmLoadTxtar(t *testing.T, file string) *vault.Vault {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var notes []*vault.Note
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want") || !vault.IsNotePath(f.Name) {
			continue
		}
		notes = append(notes, vault.Parse(f.Name, rulestest.Decode(f.Data)))
	}
	return vault.New(notes)
}

func fmCheck(t *testing.T, v *vault.Vault, r *rules.Rule) []rules.Diagnostic {
	t.Helper()
	ds, err := rules.Check(context.Background(), v, rules.Config{Rules: []*rules.Rule{r}, WholeVault: true})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestFrontmatterFixesKeepYAMLValid applies every frontmatter fix of the
// rule tests, one at a time and all together, and checks that the note's
// frontmatter still parses and that the rule has nothing left to fix.
func TestFrontmatterFixesKeepYAMLValid(t *testing.T) {
	for _, r := range []*rules.Rule{rules.EmptyAlias, rules.StrayProperty} {
		files, err := filepath.Glob(filepath.Join("..", "testdata", "rules", r.ID, "*.txtar"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no tests for %s: %v", r.ID, err)
		}
		for _, file := range files {
			t.Run(r.ID+"/"+strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
				v := fmLoadTxtar(t, file)
				ds := fmCheck(t, v, r)
				for _, d := range ds {
					if d.Fix == nil {
						continue
					}
					out, err := fix.Apply(v.File(d.Path).Note.Src, d.Fix.Edits)
					if err != nil {
						t.Fatalf("%s: %v", d.Path, err)
					}
					fmAssertValid(t, d.Path+" after one fix", out)
				}
				for path, out := range rulestest.ApplyAll(t, v, ds) {
					fmAssertValid(t, path+" after all fixes", out)
					again := fmCheck(t, vault.New([]*vault.Note{vault.Parse(path, out)}), r)
					for _, d := range again {
						if d.Fix != nil {
							t.Errorf("%s after all fixes: still fixable: %s", path, d.Message)
						}
					}
				}
			})
		}
	}
}

func fmAssertValid(t *testing.T, what string, src []byte) {
	t.Helper()
	n := vault.Parse("note.md", src)
	if n.Frontmatter == nil {
		t.Errorf("%s: frontmatter is gone:\n%s", what, src)
	} else if n.Frontmatter.Err != nil {
		t.Errorf("%s: %s:\n%s", what, n.Frontmatter.Err.Msg, src)
	}
}

// TestStrayPropertySeed checks the seed note 004 end to end: the stray
// lines move into the frontmatter with their values intact, no word of
// the article is lost, and empty-alias then removes the moved "alias".
func TestStrayPropertySeed(t *testing.T) {
	v := fmLoadTxtar(t, filepath.Join("..", "testdata", "rules", "stray-property", "seed.txtar"))
	seed := v.File("seed.md").Note
	fixed := rulestest.ApplyAll(t, v, fmCheck(t, v, rules.StrayProperty))["seed.md"]
	if fixed == nil {
		t.Fatal("stray-property did not fix the seed")
	}
	n := vault.Parse("seed.md", fixed)
	if n.Frontmatter == nil || n.Frontmatter.Err != nil {
		t.Fatalf("fixed seed has bad frontmatter: %+v", n.Frontmatter)
	}
	if _, val := n.Property("modification date"); val == nil || val.Value != "`$= dv.current().file.mtime`" {
		t.Errorf("modification date = %+v, want the Dataview expression as written", val)
	}
	if _, val := n.Property("alias"); val == nil || val.Kind != yaml.SequenceNode {
		t.Errorf("alias = %+v, want the list [[]] as written", val)
	}
	want, got := fmWordCounts(seed.Src), fmWordCounts(fixed)
	for w, c := range want {
		if got[w] < c {
			t.Errorf("word %q: %d times in the seed, %d after the fix", w, c, got[w])
		}
	}

	v2 := vault.New([]*vault.Note{n})
	fixed2 := rulestest.ApplyAll(t, v2, fmCheck(t, v2, rules.EmptyAlias))["seed.md"]
	n2 := vault.Parse("seed.md", fixed2)
	if fixed2 == nil || n2.Frontmatter.Err != nil {
		t.Fatalf("empty-alias did not cleanly fix the moved alias:\n%s", fixed2)
	}
	if k, _ := n2.Property("alias"); k != nil {
		t.Errorf("alias still there after empty-alias:\n%s", fixed2)
	}
}

func fmWordCounts(src []byte) map[string]int {
	m := map[string]int{}
	for _, w := range strings.FieldsFunc(string(src), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		m[w]++
	}
	return m
}
