package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// StrayProperty flags "key: value" lines right below the frontmatter.
var StrayProperty = Register(&Rule{
	ID:      "stray-property",
	Summary: "property lines right below the frontmatter are text, not properties",
	Doc: `Lines such as "alias: [[]]" directly below the closing "---" look like
properties but are not: Obsidian shows them as text in the note, and no
search, query or plugin sees them as properties. Clippers and templates
that write one line too many leave them behind. The rule looks at the
lines right under the frontmatter, up to the first line that is not
"key: value" (a blank line ends them), and at "- item" lines under a
"key:" without a value.

The fix moves these lines into the frontmatter, just before its closing
line. A value that YAML would read differently from the text shown (one
with backticks, a "#", a ": " inside, or a wikilink, which unquoted YAML
reads as a nested list) is written in double quotes; other values are
moved as written. It is unsafe because Obsidian does not show the lines
in the note any more. A key that the frontmatter already has is reported
but not moved.`,
	Before:   "---\ntype: article\n---\nalias: [[]]\nmodification date: `$= dv.current().file.mtime`\n\nThe article.",
	After:    "---\ntype: article\nalias: [[]]\nmodification date: \"`$= dv.current().file.mtime`\"\n---\n\nThe article.",
	Severity: Warning,
	Fix:      UnsafeFix,
	Run:      runStrayProperty,
})

var (
	strayKeyRe  = regexp.MustCompile(`^([\p{L}\p{N}_][\p{L}\p{N} _.-]*):(?: |$)`)
	strayItemRe = regexp.MustCompile(`^[ \t]*-(?: |$)`)
)

// strayLine is one line of a run: a "key: value" line or a "- item" line
// under a key.
type strayLine struct {
	start, end int    // the line's text, without its break
	key        string // the property name; "" for an item line
	head       int    // length of the "key:" or "  -" before the value
}

func runStrayProperty(p *Pass) {
	n := p.Note
	fm := n.Frontmatter
	if fm == nil || fm.Err != nil {
		return
	}
	src := n.Src
	var run []strayLine
	afterBareKey := false
	for off := fm.Span.End; off < len(src); off = yamlNextLine(src, off) {
		end := vault.LineEnd(src, off)
		if _, in := n.RangeAt(end); in {
			// A comment, code span or math that the line opens goes on
			// below it: moving the line would leave the rest unbalanced.
			break
		}
		line := src[off:end]
		if m := strayKeyRe.FindSubmatchIndex(line); m != nil {
			run = append(run, strayLine{off, end, strings.TrimSpace(string(line[m[2]:m[3]])), m[3] + 1})
			afterBareKey = len(strings.TrimSpace(string(line[m[3]+1:]))) == 0
			continue
		}
		if afterBareKey && strayItemRe.Match(line) {
			run = append(run, strayLine{off, end, "", strings.IndexByte(string(line), '-') + 1})
			continue
		}
		break
	}
	if len(run) == 0 {
		return
	}
	var keys, existing []string
	for _, l := range run {
		if l.key == "" || slices.Contains(keys, l.key) {
			continue
		}
		keys = append(keys, l.key)
		if k, _ := n.Property(l.key); k != nil {
			existing = append(existing, l.key)
		}
	}
	last := run[len(run)-1]
	span := vault.Span{Start: run[0].start, End: last.end}
	msg := fmt.Sprintf("%s %s below the frontmatter, so Obsidian shows %s as text, not as %s",
		strayKeyList(keys), strayPlural(len(keys), "is", "are"), strayPlural(len(keys), "it", "them"), strayPlural(len(keys), "a property", "properties"))
	if len(existing) > 0 {
		msg += fmt.Sprintf("; %s %s already in the frontmatter", strayKeyList(existing), strayPlural(len(existing), "is", "are"))
		p.Report(span, msg)
		return
	}
	p.Report(span, msg, strayMove(n, run)...)
}

// strayMove returns the edits that move the run into the
// frontmatter, or none when the result would not read back as the same
// properties.
func strayMove(n *vault.Note, run []strayLine) []fix.Edit {
	src := n.Src
	nl := newline(src)
	var moved strings.Builder
	quoted := map[string]string{} // key → the string its quoted value must read as
	for _, l := range run {
		line := string(src[l.start:l.end])
		value := strings.TrimSpace(line[l.head:])
		if value == "" || strayKeepsText(n, l, value) {
			moved.WriteString(line)
		} else {
			moved.WriteString(line[:l.head] + " " + yamlQuote(value))
			if l.key != "" {
				quoted[l.key] = value
			}
		}
		moved.WriteString(nl)
	}
	last := run[len(run)-1]
	edits := []fix.Edit{
		{Start: n.Frontmatter.Content.End, End: n.Frontmatter.Content.End, New: moved.String()},
		{Start: run[0].start, End: yamlNextLine(src, last.start)},
	}
	out, err := fix.Apply(src, edits)
	if err != nil {
		return nil
	}
	after := vault.Parse(n.Path, out)
	if after.Frontmatter == nil || after.Frontmatter.Err != nil {
		return nil
	}
	for _, l := range run {
		if l.key == "" {
			continue
		}
		_, v := after.Property(l.key)
		if v == nil {
			return nil
		}
		if want, ok := quoted[l.key]; ok && v.Value != want {
			return nil
		}
	}
	return edits
}

// strayKeepsText reports whether a line can move into the frontmatter as
// written: YAML reads its value as the text shown, or the user wrote
// other YAML on purpose ("[[]]", "42", a quoted string). A comment, or a
// null YAML made of text ("#baby"), means YAML would drop what the note
// shows; a wikilink with a target would turn into a nested list.
func strayKeepsText(n *vault.Note, l strayLine, value string) bool {
	for _, link := range n.Links {
		if link.Span.Start >= l.start+l.head && link.Span.Start < l.end &&
			(link.Path != "" || link.Subpath != "" || link.Display != "") {
			return false
		}
	}
	var doc yaml.Node
	if yaml.Unmarshal(n.Src[l.start:l.end], &doc) != nil || len(doc.Content) != 1 || yamlHasComment(&doc) {
		return false
	}
	root := doc.Content[0]
	var v *yaml.Node
	switch {
	case l.key != "" && root.Kind == yaml.MappingNode && len(root.Content) == 2:
		v = root.Content[1]
	case l.key == "" && root.Kind == yaml.SequenceNode && len(root.Content) == 1:
		v = root.Content[0]
	default:
		return false
	}
	if v.Kind != yaml.ScalarNode {
		return true
	}
	switch v.Tag {
	case "!!str":
		return v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 || v.Value == value
	case "!!null":
		return v.Value == value // "~" or "null", not a comment
	}
	return true
}

func yamlHasComment(n *yaml.Node) bool {
	if n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" {
		return true
	}
	for _, c := range n.Content {
		if yamlHasComment(c) {
			return true
		}
	}
	return false
}

// yamlQuote writes s as a YAML double-quoted string.
func yamlQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// strayKeyList writes names as `"a"`, `"a" and "b"` or `"a", "b" and "c"`.
func strayKeyList(names []string) string {
	q := make([]string, len(names))
	for i, s := range names {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

func strayPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
