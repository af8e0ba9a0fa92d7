package rules_test

import (
	"testing"

	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/rules/rulestest"
)

// TestVaultWideRulesOn runs the rules that are off by default with each
// turned on, over testdata/rules/<rule-id>/on/.
func TestVaultWideRulesOn(t *testing.T) {
	on := func(_ string, _ *rules.Rule) (rules.Severity, map[string]any) {
		return rules.Warning, nil
	}
	for _, r := range []*rules.Rule{rules.OrphanNote, rules.UnusedAttachment} {
		t.Run(r.ID, func(t *testing.T) {
			rulestest.Run(t, "../testdata/rules/"+r.ID+"/on/*.txtar", on, r)
		})
	}
}
