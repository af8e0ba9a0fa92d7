package rules

import (
	"bytes"

	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/vault"
)

// Helpers for fixes that edit frontmatter line by line. Fixes never
// re-serialise the YAML: that would lose the user's comments, quoting and
// key order. Instead they locate what they change with yaml.v3 node
// positions and cut or insert whole lines, or text inside one flow
// collection. Every helper answers ok=false when the layout is not the
// plain one it understands, and the caller then offers no fix.

// yamlNextLine returns the offset where the line after the one holding
// off starts, or len(src) on the last line.
func yamlNextLine(src []byte, off int) int {
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(src)
}

// yamlIndentOnly reports whether b holds nothing but spaces: the
// indentation before a block key or a block sequence's "-".
func yamlIndentOnly(b []byte) bool { return len(bytes.TrimLeft(b, " ")) == 0 }

// yamlIsFiller reports whether a line (without its break) is blank or a
// comment alone, which belongs to no property.
func yamlIsFiller(line []byte) bool {
	t := bytes.TrimLeft(line, " \t")
	return len(t) == 0 || t[0] == '#'
}

// yamlTrimFiller moves end back over whole blank and comment-only lines
// that start at or after from, so that an edit ending at end leaves the
// comments and blank lines between one property and the next alone. end
// must be a line start.
func yamlTrimFiller(src []byte, from, end int) int {
	for end > from {
		prev := vault.LineStart(src, end-1)
		if prev < from || !yamlIsFiller(src[prev:vault.LineEnd(src, prev)]) {
			break
		}
		end = prev
	}
	return end
}

// yamlPropertyLines returns the lines a top-level property occupies: from
// the start of its key's line to the start of the line after its value,
// not counting blank and comment lines before the next property. It is meant
// for values that hold no text of their own (null, empty strings and
// lists), whose lines cannot start with "#" inside the value.
func yamlPropertyLines(n *vault.Note, key *yaml.Node) (vault.Span, bool) {
	fm := n.Frontmatter
	if fm == nil || fm.Root == nil || fm.Root.Style&yaml.FlowStyle != 0 {
		return vault.Span{}, false
	}
	src := n.Src
	c := fm.Root.Content
	for i := 0; i+1 < len(c); i += 2 {
		if c[i] != key {
			continue
		}
		if yamlHasAnchor(c[i]) || yamlHasAnchor(c[i+1]) {
			// An alias elsewhere may refer to it: removing it would break
			// the YAML.
			return vault.Span{}, false
		}
		off := n.NodeOffset(key)
		start := vault.LineStart(src, off)
		if !yamlIndentOnly(src[start:off]) {
			return vault.Span{}, false // "? key" or another odd layout
		}
		end := fm.Content.End
		if i+2 < len(c) {
			end = vault.LineStart(src, n.NodeOffset(c[i+2]))
		}
		first := yamlNextLine(src, start)
		if end < first {
			return vault.Span{}, false
		}
		return vault.Span{Start: start, End: yamlTrimFiller(src, first, end)}, true
	}
	return vault.Span{}, false
}

func yamlHasAnchor(n *yaml.Node) bool {
	if n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if yamlHasAnchor(c) {
			return true
		}
	}
	return false
}

// yamlBlockItems returns, for each item of a block sequence that lies
// within the lines of within, the lines it occupies: from its "-" line to
// the next item's, not counting blank and comment lines before the next
// item.
func yamlBlockItems(n *vault.Note, seq *yaml.Node, within vault.Span) ([]vault.Span, bool) {
	src := n.Src
	dash := n.NodeOffset(seq)
	lineStart := vault.LineStart(src, dash)
	if seq.Style&yaml.FlowStyle != 0 || !yamlIndentOnly(src[lineStart:dash]) {
		return nil, false
	}
	indent := dash - lineStart
	var starts []int
	for off := lineStart; off < within.End; off = yamlNextLine(src, off) {
		line := src[off:vault.LineEnd(src, off)]
		if len(line) > indent && yamlIndentOnly(line[:indent]) && line[indent] == '-' &&
			(len(line) == indent+1 || line[indent+1] == ' ' || line[indent+1] == '\t') {
			starts = append(starts, off)
		}
	}
	if len(starts) != len(seq.Content) {
		return nil, false
	}
	items := make([]vault.Span, len(starts))
	for i, s := range starts {
		end := within.End
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		items[i] = vault.Span{Start: s, End: yamlTrimFiller(src, yamlNextLine(src, s), end)}
		// The item's node must lie on the lines found for it, or the
		// "-" lines were not what they seemed.
		if off := n.NodeOffset(seq.Content[i]); off < s || off > items[i].End {
			return nil, false
		}
	}
	return items, true
}

// yamlFlowItems splits a flow sequence "[a, "b", [c]]" into its items'
// source text, trimmed of spaces. It gives up on comments, which a
// deletion could take with it, and on anything it does not read the way
// yaml.v3 did.
func yamlFlowItems(n *vault.Note, seq *yaml.Node) ([]vault.Span, bool) {
	src := n.Src
	open := n.NodeOffset(seq)
	end := n.Frontmatter.Content.End
	if seq.Style&yaml.FlowStyle == 0 || open >= end || src[open] != '[' {
		return nil, false
	}
	var items []vault.Span
	itemStart, itemEnd := -1, -1
	depth := 0
	prev := byte('[') // last character that is not whitespace
	for i := open + 1; i < end; i++ {
		c := src[i]
		switch {
		case yamlIsSpace(c):
			continue
		case c == '#' && yamlIsSpace(src[i-1]):
			return nil, false
		case depth == 0 && (c == ',' || c == ']'):
			if itemStart >= 0 {
				items = append(items, vault.Span{Start: itemStart, End: itemEnd})
			} else if c == ',' {
				return nil, false // "[, a]": not what yaml.v3 accepted
			}
			if c == ']' {
				return items, yamlCheckFlowItems(n, seq, items)
			}
			itemStart, itemEnd = -1, -1
			prev = c
			continue
		}
		if itemStart < 0 {
			itemStart = i
		}
		switch {
		case (c == '"' || c == '\'') && yamlFlowTokenStart(prev):
			j, ok := yamlQuotedEnd(src[:end], i)
			if !ok {
				return nil, false
			}
			i = j - 1
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		}
		itemEnd = i + 1
		prev = src[i]
	}
	return nil, false
}

func yamlIsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// yamlFlowTokenStart reports whether a quote after prev opens a quoted
// scalar rather than sitting inside a plain one ("it's").
func yamlFlowTokenStart(prev byte) bool {
	return prev == '[' || prev == '{' || prev == ',' || prev == ':' || prev == '?'
}

// yamlQuotedEnd returns the offset just past the quoted scalar opening at i.
func yamlQuotedEnd(src []byte, i int) (int, bool) {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch {
		case q == '"' && src[j] == '\\':
			j++
		case src[j] == q && q == '\'' && j+1 < len(src) && src[j+1] == '\'':
			j++
		case src[j] == q:
			return j + 1, true
		}
	}
	return 0, false
}

// yamlCheckFlowItems makes sure the split agrees with yaml.v3: one piece of
// text per item, each holding its item's node.
func yamlCheckFlowItems(n *vault.Note, seq *yaml.Node, items []vault.Span) bool {
	if len(items) != len(seq.Content) {
		return false
	}
	for i, it := range items {
		if off := n.NodeOffset(seq.Content[i]); off < it.Start || off > it.End {
			return false
		}
	}
	return true
}
