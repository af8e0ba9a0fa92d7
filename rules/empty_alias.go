package rules

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// EmptyAlias flags an aliases property that is empty or holds empty
// entries.
var EmptyAlias = Register(&Rule{
	ID:      "empty-alias",
	Summary: "aliases should not be empty or hold empty entries",
	Doc: `An empty alias gives a note no other name: "aliases:" with no value,
"[]", "", or a list with "" or "-" items that hold nothing. Templates and
clippers leave them behind; "aliases: [[]]", which is YAML for a list
holding an empty list, is a common one. They clutter the Properties view
and confuse tools that read aliases. The same goes for the old "alias".

The fix drops the empty entries, and the whole property (its lines, not
the comments or blank lines after it) when nothing is left. A flow list
"[a, "", b]" keeps its other entries exactly as written; in a block list
the empty items' lines are removed. The rest of the frontmatter is not
touched.`,
	Before: `---
aliases: [[]]
tags: [news]
---`,
	After: `---
tags: [news]
---`,
	Severity: Warning,
	Fix:      SafeFix,
	Run:      runEmptyAlias,
})

func runEmptyAlias(p *Pass) {
	for _, name := range []string{"aliases", "alias"} {
		if key, val := p.Note.Property(name); key != nil {
			checkEmptyAlias(p, key, val)
		}
	}
}

// isEmptyAlias reports whether a value names no alias: null, a blank
// string, or a list of such (nested lists included). Mappings and YAML
// aliases are left to other rules.
func isEmptyAlias(v *yaml.Node) bool {
	switch v.Kind {
	case yaml.ScalarNode:
		return v.Tag == "!!null" || v.Tag == "!!str" && strings.TrimSpace(v.Value) == ""
	case yaml.SequenceNode:
		for _, c := range v.Content {
			if !isEmptyAlias(c) {
				return false
			}
		}
		return true
	}
	return false
}

func checkEmptyAlias(p *Pass, key, val *yaml.Node) {
	n := p.Note
	src := n.Src
	lines, linesOK := yamlPropertyLines(n, key)
	if isEmptyAlias(val) {
		var what string
		switch {
		case val.Kind == yaml.ScalarNode && val.Tag == "!!null":
			what = "has no value"
		case val.Kind == yaml.ScalarNode && val.Value == "":
			what = "is an empty string"
		case val.Kind == yaml.ScalarNode:
			what = "is a blank string"
		case len(val.Content) == 0:
			what = "is an empty list"
		default:
			what = "holds only empty entries"
		}
		msg := fmt.Sprintf("%q %s", key.Value, what)
		start := n.NodeOffset(key)
		if !linesOK {
			p.Report(vault.Span{Start: start, End: vault.LineEnd(src, n.NodeOffset(val))}, msg)
			return
		}
		span := vault.Span{Start: start, End: vault.LineEnd(src, lines.End-1)}
		p.Report(span, msg, fix.Edit{Start: lines.Start, End: lines.End})
		return
	}
	if val.Kind != yaml.SequenceNode {
		return
	}
	var empty []int
	for i, c := range val.Content {
		if isEmptyAlias(c) {
			empty = append(empty, i)
		}
	}
	if len(empty) == 0 {
		return
	}
	msg := fmt.Sprintf("%q holds an empty entry", key.Value)
	if len(empty) > 1 {
		msg = fmt.Sprintf("%q holds %d empty entries", key.Value, len(empty))
	}
	var items []vault.Span
	ok := linesOK
	if ok && val.Style&yaml.FlowStyle != 0 {
		items, ok = yamlFlowItems(n, val)
	} else if ok {
		items, ok = yamlBlockItems(n, val, lines)
	}
	if !ok {
		first := n.NodeOffset(val.Content[empty[0]])
		p.Report(vault.Span{Start: first, End: vault.LineEnd(src, first)}, msg)
		return
	}
	first, last := items[empty[0]], items[empty[len(empty)-1]]
	span := vault.Span{Start: first.Start, End: last.End}
	var edits []fix.Edit
	if val.Style&yaml.FlowStyle != 0 {
		edits = dropFlowItems(items, empty)
	} else {
		// Block items are whole lines; the span leaves out the first
		// one's indentation and the last one's line break.
		for src[span.Start] == ' ' {
			span.Start++
		}
		span.End = vault.LineEnd(src, last.End-1)
		edits = dropBlockItems(items, empty)
	}
	p.Report(span, msg, edits...)
}

// dropBlockItems removes the lines of the empty items, one edit per run
// of neighbouring items.
func dropBlockItems(items []vault.Span, empty []int) []fix.Edit {
	var edits []fix.Edit
	for _, i := range empty {
		s := items[i]
		if k := len(edits) - 1; k >= 0 && edits[k].End == s.Start {
			edits[k].End = s.End
			continue
		}
		edits = append(edits, fix.Edit{Start: s.Start, End: s.End})
	}
	return edits
}

// dropFlowItems removes runs of empty items from a flow list together
// with one separator each: the one after a run, or before a run that ends
// the list, so that the kept items keep their text and spacing. Some
// item is kept: an all-empty list is removed whole instead.
func dropFlowItems(items []vault.Span, empty []int) []fix.Edit {
	isEmpty := make([]bool, len(items))
	for _, i := range empty {
		isEmpty[i] = true
	}
	var edits []fix.Edit
	for i := 0; i < len(items); i++ {
		if !isEmpty[i] {
			continue
		}
		j := i
		for j+1 < len(items) && isEmpty[j+1] {
			j++
		}
		if j+1 < len(items) {
			edits = append(edits, fix.Edit{Start: items[i].Start, End: items[j+1].Start})
		} else {
			edits = append(edits, fix.Edit{Start: items[i-1].End, End: items[j].End})
		}
		i = j
	}
	return edits
}
