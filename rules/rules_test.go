package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/rules/rulestest"
)

// TestRules runs every rule over its txtar vaults in
// testdata/rules/<rule-id>/, with findings and look-alikes that must not
// be found.
func TestRules(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", "rules", r.ID)
			if _, err := os.Stat(dir); err != nil {
				t.Fatalf("rule %s has no tests in %s", r.ID, dir)
			}
			rulestest.Run(t, filepath.Join(dir, "*.txtar"), nil, r)
		})
	}
}

// TestBrokenLinkAllowUnwritten runs broken-link with allow-unwritten on.
func TestBrokenLinkAllowUnwritten(t *testing.T) {
	settings := func(_ string, r *rules.Rule) (rules.Severity, map[string]any) {
		return r.Severity, map[string]any{"allow-unwritten": true}
	}
	rulestest.Run(t, filepath.Join("..", "testdata", "rules", "broken-link", "allow-unwritten", "*.txtar"), settings, rules.BrokenLink)
}
