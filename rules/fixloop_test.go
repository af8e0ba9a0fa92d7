package rules_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/rules/rulestest"
	"github.com/vaultlint/vaultlint/vault"
)

// loadTxtar builds an in-memory vault from a txtar's files, leaving out
// golden sections.
func loadTxtar(t testing.TB, file string) *vault.Vault {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var notes []*vault.Note
	var attachments []string
	for _, f := range ar.Files {
		switch {
		case f.Name == "want.diagnostics", strings.HasPrefix(f.Name, "want/"), strings.HasPrefix(f.Name, "."):
		case vault.IsNotePath(f.Name):
			notes = append(notes, vault.Parse(f.Name, rulestest.Decode(f.Data)))
		default:
			attachments = append(attachments, f.Name)
		}
	}
	return vault.New(notes, attachments...)
}

// TestFixConverges runs every fix (unsafe ones too) of every rule over
// every rule test vault: the loop must settle, reject nothing, keep valid
// frontmatter valid, and a second run must change nothing — the gofmt
// way of idempotence.
func TestFixConverges(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "rules", "*", "*.txtar"))
	more, _ := filepath.Glob(filepath.Join("..", "testdata", "rules", "*", "*", "*.txtar"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no rule test vaults found")
	}
	for _, file := range files {
		name := strings.TrimPrefix(filepath.ToSlash(file), "../testdata/rules/")
		t.Run(name, func(t *testing.T) {
			v := loadTxtar(t, file)
			before := map[string]*vault.Note{}
			for _, n := range v.Notes {
				before[n.Path] = n
			}
			res, err := rules.FixAll(context.Background(), v, rules.Config{WholeVault: true}, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Unconverged) > 0 {
				t.Errorf("fixes did not converge in %v", res.Unconverged)
			}
			for _, d := range res.Rejected {
				t.Errorf("fix rejected: %s %s:%d: %s", d.Rule, d.Path, d.Line, d.Message)
			}
			for p, src := range res.Fixed {
				n := vault.Parse(p, src)
				if fm := before[p].Frontmatter; (fm == nil || fm.Err == nil) && n.Frontmatter != nil && n.Frontmatter.Err != nil {
					t.Errorf("%s: fixing broke the frontmatter: %v\n%s", p, n.Frontmatter.Err, src)
				}
			}
			again, err := rules.FixAll(context.Background(), v, rules.Config{WholeVault: true}, true)
			if err != nil {
				t.Fatal(err)
			}
			for p, src := range again.Fixed {
				t.Errorf("second fix changed %s:\n--- first\n%s\n--- second\n%s", p, res.Fixed[p], src)
			}
		})
	}
}

// FuzzFix feeds random notes through every safe fix except
// deprecated-property (the one fix that writes new letters, renaming
// alias to aliases). Invariants: the result parses; a second run changes
// nothing; and fixes only take away, never invent: the fixed note's
// non-space bytes are a subsequence of the original's.
func FuzzFix(f *testing.F) {
	if seed, err := os.ReadFile(filepath.Join("..", "..", "shared", "seeds", "004_04adc08542046eb0.txt")); err == nil {
		f.Add(seed)
	}
	for _, s := range []string{
		"---\naliases: [[]]\n---\n[[A|a]]  b [[C|c]] .\n\n\n\n# H",
		"x [[]] y\r\n[[ N ]]\r\n\r\n\r\n\r\n",
		"\xEF\xBB\xBF---\r\nalias:\r\n---\r\ntext   \r\n",
		"| [[A\\|B]]   | c |\n|---|---|\n```\n[[]]  \n\n\n```\n",
		"%% vaultlint-disable-next-line %%\n[[|x]]\n$$\n[[]]\n$$\n",
		"---\ntags: [\"#a\", b]\n---\n[[N|N]] ^id\n",
	} {
		f.Add([]byte(s))
	}
	var rs []*rules.Rule
	for _, r := range rules.All() {
		if r.Fix == rules.SafeFix && r.ID != "deprecated-property" {
			rs = append(rs, r)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 || !utf8.Valid(src) {
			return // Load never parses a note that is not UTF-8 text
		}
		v := vault.New([]*vault.Note{vault.Parse("n.md", src)}, "a.png")
		cfg := rules.Config{Rules: rs, WholeVault: true}
		res, err := rules.FixAll(context.Background(), v, cfg, false)
		if err != nil {
			t.Fatal(err)
		}
		out, ok := res.Fixed["n.md"]
		if !ok {
			return
		}
		n := vault.Parse("n.md", out)
		if orig := vault.Parse("n.md", src); (orig.Frontmatter == nil || orig.Frontmatter.Err == nil) && n.Frontmatter != nil && n.Frontmatter.Err != nil {
			t.Fatalf("fix broke the frontmatter: %v\n%q\n→\n%q", n.Frontmatter.Err, src, out)
		}
		if !isSubsequence(nonSpace(out), nonSpace(src)) {
			t.Fatalf("fix invented bytes:\n%q\n→\n%q", src, out)
		}
		again, err := rules.FixAll(context.Background(), v, cfg, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Fixed) > 0 && len(res.Unconverged) == 0 {
			t.Fatalf("second fix changed the note:\n%q\n→\n%q", out, again.Fixed["n.md"])
		}
	})
}

func nonSpace(b []byte) []byte {
	return bytes.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, b)
}

func isSubsequence(sub, of []byte) bool {
	i := 0
	for j := 0; j < len(of) && i < len(sub); j++ {
		if sub[i] == of[j] {
			i++
		}
	}
	return i == len(sub)
}
