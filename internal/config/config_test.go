package config

import (
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/rules"
)

func TestParseValid(t *testing.T) {
	c, err := Parse("v.yaml", []byte(`
ignore: ["Templates/**", "**/*.excalidraw.md"]
rules:
  trailing-whitespace: warning
  multiple-blank-lines: {severity: error, max: 2}
  final-newline: off
overrides:
  - files: ["Daily/**"]
    rules: {multiple-blank-lines: off, trailing-whitespace: {allow-hard-break: false}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Ignored("Templates/a/b.md") || !c.Ignored("x/y.excalidraw.md") || c.Ignored("Notes/a.md") {
		t.Errorf("ignore globs do not match as they should")
	}
	set := c.Settings()
	tw, mbl, fn := rules.ByID("trailing-whitespace"), rules.ByID("multiple-blank-lines"), rules.ByID("final-newline")
	check := func(path string, r *rules.Rule, wantSev rules.Severity, wantOpts map[string]any) {
		t.Helper()
		sev, opts := set(path, r)
		if sev != wantSev {
			t.Errorf("%s %s: severity %v, want %v", path, r.ID, sev, wantSev)
		}
		for k, v := range wantOpts {
			if opts[k] != v {
				t.Errorf("%s %s: option %s = %v, want %v", path, r.ID, k, opts[k], v)
			}
		}
	}
	check("Notes/a.md", tw, rules.Warning, nil)
	check("Notes/a.md", mbl, rules.Error, map[string]any{"max": 2})
	check("Notes/a.md", fn, rules.Off, nil)
	check("Daily/2025-01-01.md", mbl, rules.Off, nil)
	check("Daily/2025-01-01.md", tw, rules.Warning, map[string]any{"allow-hard-break": false})
	check("", mbl, rules.Error, nil)
	if !c.MaybeOn(mbl) || c.MaybeOn(fn) {
		t.Errorf("MaybeOn is wrong")
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key", "rulez: {}\n", "v.yaml:1:1: unknown key \"rulez\""},
		{"unknown rule", "rules:\n  broken-links: off\n", "v.yaml:2:3: unknown rule \"broken-links\""},
		{"bad severity", "rules:\n  broken-link: loud\n", "v.yaml:2:16: want a severity"},
		{"unknown option", "rules:\n  multiple-blank-lines: {maximum: 2}\n", "v.yaml:2:26: rule multiple-blank-lines has no option \"maximum\""},
		{"wrong option type", "rules:\n  multiple-blank-lines:\n    max: two\n", "v.yaml:3:10: rule multiple-blank-lines option max: want a whole number"},
		{"bool option type", "rules:\n  trailing-whitespace: {allow-hard-break: 1}\n", "v.yaml:2:43: rule trailing-whitespace option allow-hard-break: want true or false"},
		{"ignore not a list", "ignore: Templates\n", "v.yaml:1:9: ignore must be a list of globs"},
		{"bad glob", "ignore: [\"a/[\"]\n", "v.yaml:1:10: ignore: invalid glob"},
		{"override without files", "overrides:\n  - rules: {final-newline: off}\n", "v.yaml:2:5: an override needs files"},
		{"override unknown key", "overrides:\n  - files: [a]\n    rulez: {}\n", "v.yaml:3:5: unknown key \"rulez\" in an override"},
		{"duplicate key", "rules:\n  final-newline: off\n  final-newline: info\n", "v.yaml:3:3: \"final-newline\" is given twice"},
		{"not a mapping", "- a\n- b\n", "v.yaml:1:1: the config file must be a mapping"},
		{"yaml syntax", "rules: [\n", "v.yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("v.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error for %q", tt.src)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got  %q\nwant prefix %q", err, tt.want)
			}
		})
	}
}

func TestEmptyConfig(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "~\n"} {
		c, err := Parse("v.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		sev, _ := c.Settings()("a.md", rules.ByID("broken-link"))
		if sev != rules.Error {
			t.Errorf("%q: defaults changed", src)
		}
	}
}
