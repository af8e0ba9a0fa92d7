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
