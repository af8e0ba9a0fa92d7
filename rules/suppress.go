package rules

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// UnusedSuppression flags suppressions that silence nothing. The engine
// itself applies suppressions and reports this rule; it has no Run.
var UnusedSuppression = Register(&Rule{
	ID:      "unused-suppression",
	Summary: "a vaultlint-disable comment or property that silences nothing",
	Doc: `Findings can be silenced in a note:

  %% vaultlint-disable-next-line RULE[,RULE] %%   the next line only
  %% vaultlint-disable RULE %% … %% vaultlint-enable RULE %%   a range
  vaultlint-disable: [RULE, ...]   (a frontmatter property) the whole note

The same words work inside <!-- … -->, and without RULE they mean every
rule. A suppression that silences nothing, or names a rule that does not
exist, is reported so that stale ones do not pile up. The fix removes a
comment that is alone on its line, or just the comment otherwise. A
suppression naming every rule is judged only when every rule ran.`,
	Before:   "%% vaultlint-disable-next-line broken-link %%\nA line with no broken link.",
	After:    "A line with no broken link.",
	Severity: Info,
	Fix:      SafeFix,
})

var suppressionRe = regexp.MustCompile(`^\s*vaultlint-(disable-next-line|disable|enable)(?:[ \t]+([A-Za-z0-9_, \t-]*?))?\s*$`)

type suppression struct {
	kind  string // "disable-next-line", "disable", "enable", "property"
	rules []string
	all   bool
	span  vault.Span // the comment, or the property's key
	line  int        // line of the comment
	to    int        // for "disable": the offset where it ends (enable or EOF)
	used  bool
	// unknown holds named rules that do not exist.
	unknown []string
}

func (s *suppression) covers(rule string) bool {
	if s.all {
		return true
	}
	for _, r := range s.rules {
		if r == rule {
			return true
		}
	}
	return false
}

// findSuppressions reads a note's suppression comments (in %% %% and
// <!-- --> ranges) and its vaultlint-disable property.
func findSuppressions(n *vault.Note) []*suppression {
	var out []*suppression
	var open []*suppression
	for _, r := range n.Ranges {
		if r.Kind != vault.CommentRange && r.Kind != vault.HTMLRange {
			continue
		}
		text := string(n.Src[r.Span.Start:r.Span.End])
		if !strings.Contains(text, "vaultlint-") {
			continue
		}
		inner, ok := commentInner(text, r.Kind)
		if !ok {
			continue
		}
		m := suppressionRe.FindStringSubmatch(inner)
		if m == nil {
			continue
		}
		line, _ := n.Position(r.Span.Start)
		s := &suppression{kind: m[1], span: r.Span, line: line, to: len(n.Src)}
		s.rules, s.unknown = splitRuleList(m[2])
		s.all = len(s.rules) == 0 && len(s.unknown) == 0
		if s.kind == "enable" {
			// Close the open ranges it names (or all of them).
			for _, o := range open {
				if o.to == len(n.Src) && (s.all || o.all || overlapRules(o.rules, s.rules)) {
					o.to = r.Span.Start
				}
			}
			continue
		}
		if s.kind == "disable" {
			open = append(open, s)
		}
		out = append(out, s)
	}
	if k, v := n.Property("vaultlint-disable"); k != nil {
		s := &suppression{kind: "property", span: vault.Span{Start: n.NodeOffset(k), End: n.NodeOffset(k) + len(k.Value)}}
		var names []string
		switch v.Kind {
		case yaml.ScalarNode:
			names = []string{v.Value}
		case yaml.SequenceNode:
			for _, c := range v.Content {
				names = append(names, c.Value)
			}
		}
		s.rules, s.unknown = splitRuleList(strings.Join(names, ","))
		s.all = len(s.rules) == 0 && len(s.unknown) == 0
		out = append(out, s)
	}
	return out
}

func commentInner(text string, k vault.RangeKind) (string, bool) {
	switch {
	case k == vault.CommentRange && strings.HasPrefix(text, "%%") && strings.HasSuffix(text, "%%") && len(text) >= 4:
		return text[2 : len(text)-2], true
	case k == vault.HTMLRange && strings.HasPrefix(text, "<!--"):
		text = strings.TrimRight(text, " \t\r\n")
		if strings.HasSuffix(text, "-->") && len(text) >= 7 {
			return text[4 : len(text)-3], true
		}
	}
	return "", false
}

func splitRuleList(s string) (known, unknown []string) {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if ByID(f) != nil {
			known = append(known, f)
		} else {
			unknown = append(unknown, f)
		}
	}
	return known, unknown
}

func overlapRules(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// suppress drops the diagnostics of one note that its suppressions
// silence, and adds unused-suppression findings. allRan says whether
// every rule ran, so that an all-rules suppression can be judged; ran
// tells whether a rule ran on this note.
func suppress(n *vault.Note, ds []Diagnostic, sev Severity, allRan bool, ran func(string) bool) []Diagnostic {
	sups := findSuppressions(n)
	if len(sups) == 0 {
		return ds
	}
	out := ds[:0]
	for _, d := range ds {
		if d.Rule == UnusedSuppression.ID || !silenced(sups, d) {
			out = append(out, d)
		}
	}
	if sev == Off {
		return out
	}
	for _, s := range sups {
		var msg string
		switch {
		case len(s.unknown) > 0:
			msg = fmt.Sprintf("suppression names unknown rule %q", s.unknown[0])
		case s.used:
			continue
		case s.all && !allRan:
			continue
		case !s.all && !allNamedRan(s.rules, ran):
			continue
		case s.all:
			msg = "suppression of all rules silences nothing"
		default:
			msg = fmt.Sprintf("suppression of %s silences nothing", strings.Join(s.rules, ", "))
		}
		d := Diagnostic{Rule: UnusedSuppression.ID, Path: n.Path, Span: s.span, Severity: sev, Message: msg}
		if s.kind != "property" {
			d.Fix = &Fix{Safe: true, Edits: []fix.Edit{removeComment(n.Src, s.span)}}
		}
		out = append(out, d)
	}
	return out
}

func allNamedRan(names []string, ran func(string) bool) bool {
	for _, r := range names {
		if !ran(r) {
			return false
		}
	}
	return true
}

func silenced(sups []*suppression, d Diagnostic) bool {
	hit := false
	for _, s := range sups {
		if !s.covers(d.Rule) {
			continue
		}
		switch s.kind {
		case "property":
		case "disable-next-line":
			if d.Line != s.line+1 {
				continue
			}
		case "disable":
			if d.Span.Start < s.span.End || d.Span.Start >= s.to {
				continue
			}
		}
		s.used = true
		hit = true
	}
	return hit
}

// removeComment deletes a comment, with its whole line when nothing else
// is on it.
func removeComment(src []byte, s vault.Span) fix.Edit {
	ls, le := vault.LineStart(src, s.Start), vault.LineEnd(src, s.End)
	if isBlank(src[ls:s.Start]) && isBlank(src[s.End:le]) {
		next := le
		if next < len(src) && src[next] == '\r' {
			next++
		}
		if next < len(src) && src[next] == '\n' {
			next++
		}
		return fix.Edit{Start: ls, End: next}
	}
	if s.Start > ls && s.End < le && src[s.Start-1] == ' ' && (src[s.End] == ' ' || src[s.End] == '\t') {
		return fix.Edit{Start: s.Start - 1, End: s.End} // keep one space between the words
	}
	return fix.Edit{Start: s.Start, End: s.End}
}
