package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/vaultlint/vaultlint/rules"
)

func runRules(args []string, e *env) int {
	fs := newFlags("rules", "vaultlint rules [RULE]\n\nWithout RULE, lists every rule: id, default severity, fix (safe, unsafe or no) and summary.\nWith RULE, prints its documentation, options and example.", e)
	if st, ok := parseFlags(fs, args, e); !ok {
		return st
	}
	switch fs.NArg() {
	case 0:
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tSEVERITY\tFIX\tSUMMARY")
		for _, r := range rules.All() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Fix, r.Summary)
		}
		_ = tw.Flush()
		return exitOK
	case 1:
		r := rules.ByID(fs.Arg(0))
		if r == nil {
			e.errorf("unknown rule %q; run 'vaultlint rules' for the list", fs.Arg(0))
			return exitUsage
		}
		fmt.Fprint(e.stdout, RuleDoc(r))
		return exitOK
	}
	e.errorf("rules takes at most one RULE")
	return exitUsage
}

// RuleDoc renders a rule's full documentation as plain text.
func RuleDoc(r *rules.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\n", r.ID, r.Summary)
	fmt.Fprintf(&b, "Default severity: %s\nFix: %s\n", r.Severity, r.Fix)
	if r.VaultWide {
		b.WriteString("Runs only when the whole vault is checked.\n")
	}
	if len(r.Options) > 0 {
		b.WriteString("Options:\n")
		for _, o := range r.Options {
			fmt.Fprintf(&b, "  %s (default %v): %s\n", o.Name, o.Default, o.Doc)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(r.Doc))
	if r.Before != "" {
		fmt.Fprintf(&b, "\nBefore:\n%s\n", indent(r.Before))
	}
	if r.After != "" {
		fmt.Fprintf(&b, "\nAfter:\n%s\n", indent(r.After))
	}
	return b.String()
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
