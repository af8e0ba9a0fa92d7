// Package textdiff prints unified diffs of whole files, for --diff and
// mv --dry-run.
package textdiff

import (
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

const noNewline = "\n\\ No newline at end of file\n"

// Unified returns a unified diff of a and b with three lines of context,
// labelled "a/"+path and "b/"+path, or "" when they are equal. A last
// line without a line break is marked as patch(1) expects.
func Unified(path string, a, b []byte) string {
	return Between("a/"+path, "b/"+path, a, b)
}

// Between is Unified with its own labels, for a file that also moves.
func Between(fromLabel, toLabel string, a, b []byte) string {
	if string(a) == string(b) {
		return ""
	}
	d := difflib.UnifiedDiff{
		A: lines(string(a)), B: lines(string(b)),
		FromFile: fromLabel, ToFile: toLabel,
		Context: 3,
	}
	out, err := difflib.GetUnifiedDiffString(d)
	if err != nil {
		// Only a failing writer errs, and a strings.Builder never does.
		panic(err)
	}
	return out
}

// lines splits s after each "\n", keeping the breaks so that CRLF and
// LF lines stay distinct, and marks a last line that has none.
func lines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s+noNewline)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}
