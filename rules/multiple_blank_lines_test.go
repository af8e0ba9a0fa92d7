package rules_test

import (
	"testing"

	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/rules/rulestest"
)

// TestMultipleBlankLinesMax runs multiple-blank-lines with max: 2.
func TestMultipleBlankLinesMax(t *testing.T) {
	settings := func(_ string, r *rules.Rule) (rules.Severity, map[string]any) {
		return r.Severity, map[string]any{"max": 2}
	}
	rulestest.Run(t, "../testdata/rules/multiple-blank-lines/max2/*.txtar", settings, rules.MultipleBlankLines)
}
