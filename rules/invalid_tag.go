package rules

import (
	"fmt"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// InvalidTag flags entries of the tags property that Obsidian does not
// take as tags.
var InvalidTag = Register(&Rule{
	ID:      "invalid-tag",
	Summary: "a tag in the tags property that Obsidian will not treat as one",
	Doc: `A tag name holds letters (of any script), digits, "_", "-" and "/" for
nested tags, and at least one character that is not a digit. Obsidian
does not show anything else as a tag, nor find it in tag search. The rule
checks the "tags" property (and the old "tag"; names compared ignoring
case): an entry that is empty, only digits ("2024"), or holds a space or any
other character ("to do", "c++") is flagged. A
single string rather than a list is split at commas and spaces first, as
Obsidian does, so "tags: draft, idea" is two good tags. Entries holding a
template placeholder ("<% tp.file.title %>") are skipped.

A leading "#" has no place in the property: the fix strips it
("#recipe" becomes "recipe"; Obsidian already reads the quoted "#recipe"
as that tag, so nothing changes in meaning). An unquoted "- #recipe" is
not a tag at all but a YAML comment: the rule reports it without a fix,
since removing the "#" adds a tag Obsidian does not see today.

Inline "#tags" in the text are not checked: the parser only takes as a
tag what Obsidian does, and what it leaves out is not a mistake. "#123"
in prose ("issue #123", "#1 priority") is a number, which Obsidian rightly
ignores, and punctuation after a tag ("#idea.") simply ends it.`,
	Before: `---
tags: ["#recipe", "to do", 2024]
---`,
	After: `---
tags: ["recipe", "to-do", y2024]
---`,
	Severity: Warning,
	Fix:      SafeFix,
	Run:      runInvalidTag,
})

func runInvalidTag(p *Pass) {
	fm := p.Note.Frontmatter
	if fm == nil || fm.Err != nil || fm.Root == nil {
		return
	}
	c := fm.Root.Content
	for i := 0; i+1 < len(c); i += 2 {
		key, val := c[i], c[i+1]
		if name := strings.ToLower(key.Value); key.Kind != yaml.ScalarNode || name != "tags" && name != "tag" {
			continue
		}
		if hasPlaceholder(p.Note, i) {
			continue
		}
		switch val.Kind {
		case yaml.ScalarNode:
			if val.Tag == "!!null" {
				checkCommentTag(p, afterKey(p.Note, key))
				continue
			}
			checkTagScalar(p, val, true)
		case yaml.SequenceNode:
			checkTagList(p, key, val)
		}
	}
}

// afterKey returns the offset just after a key's colon, where its value
// would start on the key's line.
func afterKey(n *vault.Note, key *yaml.Node) int {
	off := n.NodeOffset(key)
	end := vault.LineEnd(n.Src, off)
	if sp, ok := yamlScalarText(n, key); ok {
		off = sp.End
		if key.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			off++
		}
	}
	for off < end && (n.Src[off] == ' ' || n.Src[off] == '\t') {
		off++
	}
	if off < end && n.Src[off] == ':' {
		return off + 1
	}
	return end
}

func checkTagList(p *Pass, key, seq *yaml.Node) {
	var items []vault.Span
	if seq.Style&yaml.FlowStyle == 0 {
		if lines, ok := yamlPropertyLines(p.Note, key); ok {
			items, _ = yamlBlockItems(p.Note, seq, lines)
		}
	}
	for i, it := range seq.Content {
		if it.Kind != yaml.ScalarNode {
			continue
		}
		if it.Tag == "!!null" {
			if items != nil {
				dash := items[i].Start + strings.IndexByte(string(p.Note.Src[items[i].Start:items[i].End]), '-')
				if !checkCommentTag(p, dash+1) {
					p.Report(vault.Span{Start: dash, End: dash + 1}, "empty tag")
				}
			}
			continue
		}
		checkTagScalar(p, it, false)
	}
}

// checkCommentTag reports "#name" where a value or list item would start
// (after "tags:" or "- "): YAML reads it as a comment and the property
// holds nothing there, though the author clearly meant a tag. It returns
// whether it reported.
func checkCommentTag(p *Pass, from int) bool {
	src := p.Note.Src
	line := vault.LineEnd(src, from)
	off := from
	for off < line && (src[off] == ' ' || src[off] == '\t') {
		off++
	}
	if off == from || off >= line || src[off] != '#' {
		return false
	}
	stop := off + 1
	for stop < line && src[stop] != ' ' && src[stop] != '\t' {
		stop++
	}
	word := string(src[off:stop])
	if tagNameProblem(word[1:]) != "" {
		return false
	}
	p.Reportf(vault.Span{Start: off, End: stop}, "%q is a YAML comment here, not a tag: write it without the %q", word, "#")
	return true
}

// checkTagScalar checks one tag, or, for a whole property value that is a
// single string (split true), each of the tags Obsidian splits it into.
func checkTagScalar(p *Pass, s *yaml.Node, split bool) {
	text, verbatim := yamlScalarText(p.Note, s)
	for _, part := range tagParts(s.Value, split) {
		msg, hashes := tagProblem(s.Value[part.Start:part.End])
		if msg == "" {
			continue
		}
		if !verbatim || part.Len() == 0 {
			p.Report(valueSpan(p.Note, s), msg)
			continue
		}
		span := vault.Span{Start: text.Start + part.Start, End: text.Start + part.End}
		if hashes == 0 {
			p.Report(span, msg)
			continue
		}
		p.Report(span, msg, fix.Edit{Start: span.Start, End: span.Start + hashes})
	}
}

// tagParts returns the byte ranges of the tags in a value: the whole
// value, or, when split, the pieces between commas and white space.
func tagParts(v string, split bool) []vault.Span {
	if !split {
		return []vault.Span{{Start: 0, End: len(v)}}
	}
	var out []vault.Span
	start := -1
	for i, r := range v {
		sep := r == ',' || unicode.IsSpace(r)
		switch {
		case sep && start >= 0:
			out = append(out, vault.Span{Start: start, End: i})
			start = -1
		case !sep && start < 0:
			start = i
		}
	}
	if start >= 0 {
		out = append(out, vault.Span{Start: start, End: len(v)})
	}
	return out
}

// tagProblem says what is wrong with a tag written in the property, and
// how many leading "#" the fix may strip: only when nothing else is
// wrong, so that the fix leaves a valid tag.
func tagProblem(t string) (msg string, hashes int) {
	if t == "" {
		return "empty tag", 0
	}
	name := strings.TrimLeft(t, "#")
	if problem := tagNameProblem(name); problem != "" {
		return fmt.Sprintf("tag %q %s", t, problem), 0
	}
	if name != t {
		return fmt.Sprintf("tag %q starts with %q, which the tags property does not take", t, "#"), len(t) - len(name)
	}
	return "", 0
}

// tagNameProblem says why a name is not a tag Obsidian accepts, or "".
func tagNameProblem(name string) string {
	if name == "" {
		return "has no name"
	}
	if strings.Trim(name, "0123456789") == "" {
		return "is only digits: a tag needs a character that is not a digit"
	}
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			return "contains a space"
		case !vault.IsTagRune(r):
			return fmt.Sprintf("contains %q, which a tag cannot hold", string(r))
		}
	}
	return ""
}
