package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vaultlint/vaultlint/internal/vaultgen"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/rules/rulestest"
	"github.com/vaultlint/vaultlint/vault"
)

// everyRuleOn turns on the rules that are off by default too.
func everyRuleOn(_ string, r *rules.Rule) (rules.Severity, map[string]any) {
	if r.Severity == rules.Off {
		return rules.Warning, nil
	}
	return r.Severity, nil
}

// TestCheckerMatchesCheck: a streaming check (what "vaultlint check"
// runs) finds exactly what a check of the whole loaded vault finds, fixes
// included, on a generated vault with every defect and on the real
// vaults; with every rule on, and for a few notes named as PATHs. The
// rule tests (rulestest) compare the two on every rule's cases too.
func TestCheckerMatchesCheck(t *testing.T) {
	gen := t.TempDir()
	if _, err := vaultgen.Generate(gen, vaultgen.Options{Notes: 400, Seed: 7, Defects: true}); err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{"generated": gen}
	if entries, err := os.ReadDir(corporaDir); err == nil && !testing.Short() {
		for _, e := range entries {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				dirs[e.Name()] = filepath.Join(corporaDir, e.Name())
			}
		}
	}
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				name string
				cfg  rules.Config
				only func(string) bool
			}{
				{name: "defaults", cfg: rules.Config{WholeVault: true}},
				{name: "every-rule", cfg: rules.Config{WholeVault: true, Settings: everyRuleOn}},
				{name: "paths", only: func(p string) bool { return len(p)%7 == 0 }},
			} {
				t.Run(tc.name, func(t *testing.T) {
					cfg := tc.cfg
					opts := vault.Options{Only: tc.only}
					if tc.only != nil {
						cfg.Report = tc.only
					}
					v, err := vault.Load(context.Background(), dir, opts)
					if err != nil {
						t.Fatal(err)
					}
					want, err := rules.Check(context.Background(), v, cfg)
					if err != nil {
						t.Fatal(err)
					}
					if len(want) == 0 {
						t.Fatal("the vault has no findings: nothing is compared")
					}
					rulestest.CompareStreaming(t, dir, opts, cfg, want)
				})
			}
		})
	}
}

// TestCheckerReleasesSources: a streaming check keeps no note's source
// but those of notes with suppressions, which are matched at the end.
func TestCheckerReleasesSources(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.md", "See [[b#Missing]] and [[c]].\n")
	write(t, dir, "b.md", "# Present\n")
	write(t, dir, "s.md", "%% vaultlint-disable-next-line broken-link %%\n[[nowhere]]\n")
	chk := rules.NewChecker(rules.Config{WholeVault: true, Rules: []*rules.Rule{rules.BrokenLink, rules.BrokenHeading, rules.UnusedSuppression}})
	v, err := vault.Load(context.Background(), dir, vault.Options{Parsed: chk.Parsed})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range v.Notes {
		if got, want := n.Released(), n.Path != "s.md"; got != want {
			t.Errorf("%s: released = %v, want %v", n.Path, got, want)
		}
	}
	ds, err := chk.Finish(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	got := rulestest.Format(ds)
	want := `a.md:1:5-1:18: warning broken-heading: heading "Missing" not found in "b.md"
a.md:1:23-1:28: error broken-link: "c" does not resolve to any file in the vault
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestCheckerNoteChanged: a rule that needs a released note's text again
// (ambiguous-link, to write its fix) reads the file again; when the
// note was edited since it was parsed, the check says so rather than
// offer a fix computed on other bytes.
func TestCheckerNoteChanged(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "x/Twin.md", "one\n")
	write(t, dir, "y/z/Twin.md", "two\n")
	write(t, dir, "note.md", "Go to [[Twin]].\n")
	run := func(edit func()) []rules.Diagnostic {
		t.Helper()
		chk := rules.NewChecker(rules.Config{Rules: []*rules.Rule{rules.AmbiguousLink}})
		v, err := vault.Load(context.Background(), dir, vault.Options{Parsed: chk.Parsed})
		if err != nil {
			t.Fatal(err)
		}
		edit()
		ds, err := chk.Finish(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	ds := run(func() {})
	if len(ds) != 1 || ds[0].Fix == nil {
		t.Fatalf("unchanged note: want one finding with a fix, got\n%s", rulestest.Format(ds))
	}
	ds = run(func() { write(t, dir, "note.md", "Go to [[Twin]]!\n") })
	got := rulestest.Format(ds)
	want := `note.md:1:1-1:1: error ambiguous-link: cannot finish checking this note: note.md: the file changed while vaultlint ran; run vaultlint again
note.md:1:7-1:15: warning ambiguous-link: "Twin" matches 2 files; Obsidian picks "x/Twin.md" (shortest path), not "y/z/Twin.md"
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if ds[1].Fix != nil {
		t.Error("a fix was offered for bytes that are no longer the note's")
	}
}

// TestResolutionNeedsReadsTargets: a rule that resolves links must say
// so, since the others run while notes are still being parsed; one that
// does not fails loudly, as an internal error, rather than race.
func TestResolutionNeedsReadsTargets(t *testing.T) {
	r := &rules.Rule{ID: "test-resolves", Severity: rules.Warning, Run: func(p *rules.Pass) {
		for i := range p.Note.Links {
			p.Resolution(i)
		}
	}}
	n := vault.Parse("a.md", []byte("[[b]]\n"))
	v := vault.New([]*vault.Note{n})
	ds := rules.CheckNote(v, n, []*rules.Rule{r}, rules.Config{})
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "internal error in rule test-resolves: rule test-resolves resolves links without ReadsTargets") {
		t.Errorf("got %+v", ds)
	}
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCheckerPrepares: a Checker starts a rule's Prepare once, with the
// vault being loaded, as soon as the first note is parsed; never for a
// rule that is off for every note.
func TestCheckerPrepares(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.md", "b.md", "c.md"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("[[x]]\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name     string
		settings rules.Settings
		want     int
	}{
		{name: "on", want: 1},
		{name: "off", settings: func(string, *rules.Rule) (rules.Severity, map[string]any) { return rules.Off, nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prepared := make(chan *vault.Vault, 10)
			r := &rules.Rule{ID: "prepared", Severity: rules.Warning, Run: func(*rules.Pass) {},
				Prepare: func(v *vault.Vault) { prepared <- v }}
			c := rules.NewChecker(rules.Config{Rules: []*rules.Rule{r}, Settings: tc.settings})
			v, err := vault.Load(context.Background(), dir, vault.Options{Parsed: c.Parsed})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Finish(context.Background(), v); err != nil {
				t.Fatal(err)
			}
			got := 0
			for i := 0; i < tc.want; i++ {
				select {
				case pv := <-prepared:
					if pv != v {
						t.Errorf("Prepare got vault %p, want the one loaded (%p)", pv, v)
					}
					got++
				case <-time.After(10 * time.Second):
				}
			}
			select {
			case <-prepared:
				got++
			default:
			}
			if got != tc.want {
				t.Errorf("Prepare ran %d times, want %d", got, tc.want)
			}
		})
	}
}

// TestCheckNoteCompletesMessages: CheckNote returns broken-link's
// message whole, with its suggestions, as Check does.
func TestCheckNoteCompletesMessages(t *testing.T) {
	n := vault.Parse("a.md", []byte("[[Meeting Notez]]\n"))
	v := vault.New([]*vault.Note{n, vault.Parse("Meeting Notes.md", nil)})
	ds := rules.CheckNote(v, n, []*rules.Rule{rules.BrokenLink}, rules.Config{})
	want := `"Meeting Notez" does not resolve to any file in the vault; did you mean "Meeting Notes"?`
	if len(ds) != 1 || ds[0].Message != want {
		t.Fatalf("got %+v, want one finding: %s", ds, want)
	}
	all, err := rules.Check(context.Background(), v, rules.Config{Rules: []*rules.Rule{rules.BrokenLink}})
	if err != nil || len(all) != 1 || all[0].Message != want {
		t.Fatalf("Check gives %+v (%v), want one finding: %s", all, err, want)
	}
}
