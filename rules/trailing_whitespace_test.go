package rules_test

import (
	"testing"

	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/rules/rulestest"
)

// TestTrailingWhitespaceNoHardBreak runs trailing-whitespace with
// allow-hard-break: false, which makes two trailing spaces a finding too.
func TestTrailingWhitespaceNoHardBreak(t *testing.T) {
	settings := func(_ string, r *rules.Rule) (rules.Severity, map[string]any) {
		return r.Severity, map[string]any{"allow-hard-break": false}
	}
	rulestest.Run(t, "../testdata/rules/trailing-whitespace/no-hard-break/*.txtar", settings, rules.TrailingWhitespace)
}
