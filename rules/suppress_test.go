package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/rules/rulestest"
)

// TestSuppressions runs every rule, so that suppressions can be judged
// used or unused.
func TestSuppressions(t *testing.T) {
	rulestest.Run(t, filepath.Join("..", "testdata", "rules", "unused-suppression", "all", "*.txtar"), nil, rules.All()...)
}
