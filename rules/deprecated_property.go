package rules

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// DeprecatedProperty flags the old property names alias, tag and
// cssclass.
var DeprecatedProperty = Register(&Rule{
	ID:      "deprecated-property",
	Summary: "alias, tag and cssclass are deprecated: use aliases, tags and cssclasses",
	Doc: `Obsidian renamed three built-in properties when it introduced the
Properties view: "alias" became "aliases", "tag" became "tags" and
"cssclass" became "cssclasses". The old names were read for a while
(Obsidian 1.9 dropped them), and plugins and publishing tools only look
for the new ones. Names are compared ignoring case, as Obsidian does, so
"Alias" and "cssClass" count too.

The fix renames the key: only the key's name changes, its value,
comments and quoting stay as written. When the note already has the new
property, the fix merges: each value of the old property that the new
list does not already hold is added at its end (a block list gets new
"- " lines indented like its items, a flow list "[...]" gets ", item"),
and the old property's lines are removed. A new property that is empty
is replaced by the renamed old one; an old one that is empty is just
removed. When a layout cannot be edited line by line with certainty
(multi-line values, anchors, nested lists, a single string that
Obsidian would split at commas), or the edited frontmatter would not
read back as the same properties, the rule reports without a fix.`,
	Before: `---
alias: Envoy
tags: [news]
---`,
	After: `---
aliases: Envoy
tags: [news]
---`,
	Severity: Warning,
	Fix:      SafeFix,
	Run:      runDeprecatedProperty,
})

// deprecatedNames maps each old property name to the one that replaced it.
var deprecatedNames = map[string]string{
	"alias":    "aliases",
	"tag":      "tags",
	"cssclass": "cssclasses",
}

func runDeprecatedProperty(p *Pass) {
	n := p.Note
	fm := n.Frontmatter
	if fm == nil || fm.Err != nil || fm.Root == nil {
		return
	}
	// Several spellings of one name ("alias" and "Alias") cannot all be
	// renamed to the same key, nor merged into one of two.
	count := map[string]int{}
	c := fm.Root.Content
	for i := 0; i+1 < len(c); i += 2 {
		count[strings.ToLower(c[i].Value)]++
	}
	for i := 0; i+1 < len(c); i += 2 {
		key := c[i]
		name := strings.ToLower(key.Value)
		newName, ok := deprecatedNames[name]
		if !ok || key.Kind != yaml.ScalarNode {
			continue
		}
		span, ok := yamlScalarText(n, key)
		if !ok {
			off := n.NodeOffset(key)
			span = vault.Span{Start: off, End: vault.LineEnd(n.Src, off)}
		}
		var newKey, newVal *yaml.Node
		for j := 0; j+1 < len(c); j += 2 {
			if strings.ToLower(c[j].Value) == newName {
				newKey, newVal = c[j], c[j+1]
			}
		}
		msg := fmt.Sprintf("%q is deprecated: use %q", key.Value, newName)
		if newKey != nil {
			msg = fmt.Sprintf("%q is deprecated: merge it into %q", key.Value, newKey.Value)
		}
		if count[name] > 1 || count[newName] > 1 {
			p.Report(span, msg)
			continue
		}
		var edits []fix.Edit
		if newKey == nil {
			edits, ok = renameKey(n, key, newName)
		} else {
			edits, ok = mergeProperty(n, key, c[i+1], newKey, newVal)
		}
		if !ok || !movedIntact(n, edits, key.Value, newName) {
			edits = nil
		}
		p.Report(span, msg, edits...)
	}
}

// yamlScalarText locates the bytes that spell a scalar's value exactly:
// a plain scalar itself, or a quoted one inside its quotes. ok is false
// when the source differs from the value (escapes, line folding) or a tag
// or anchor comes first.
func yamlScalarText(n *vault.Note, s *yaml.Node) (vault.Span, bool) {
	src, end := n.Src, n.Frontmatter.Content.End
	off := n.NodeOffset(s)
	v := s.Value
	switch {
	case s.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		q := byte('"')
		if s.Style&yaml.SingleQuotedStyle != 0 {
			q = '\''
		}
		in := off + 1
		if in+len(v) < end && src[off] == q && string(src[in:in+len(v)]) == v && src[in+len(v)] == q {
			return vault.Span{Start: in, End: in + len(v)}, true
		}
	case s.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0:
		if off+len(v) <= end && string(src[off:off+len(v)]) == v && !strings.ContainsAny(v, "\r\n") {
			return vault.Span{Start: off, End: off + len(v)}, true
		}
	}
	return vault.Span{}, false
}

// renameKey replaces the key's name and nothing else.
func renameKey(n *vault.Note, key *yaml.Node, name string) ([]fix.Edit, bool) {
	s, ok := yamlScalarText(n, key)
	if !ok {
		return nil, false
	}
	return []fix.Edit{{Start: s.Start, End: s.End, New: name}}, true
}

// mergeProperty moves the old property's values into the new one and
// removes the old property's lines.
func mergeProperty(n *vault.Note, oldKey, oldVal, newKey, newVal *yaml.Node) ([]fix.Edit, bool) {
	oldItems, ok := mergeItems(oldVal, oldKey.Value)
	if !ok {
		return nil, false
	}
	oldLines, ok := yamlPropertyLines(n, oldKey)
	if !ok {
		return nil, false
	}
	drop := fix.Edit{Start: oldLines.Start, End: oldLines.End}
	if len(oldItems) == 0 {
		return []fix.Edit{drop}, true
	}
	newItems, ok := mergeItems(newVal, newKey.Value)
	if !ok {
		return nil, false
	}
	if len(newItems) == 0 {
		// Nothing to keep in the new property: the old one takes its
		// place under the new name, as written.
		newLines, ok := yamlPropertyLines(n, newKey)
		if !ok {
			return nil, false
		}
		rename, ok := renameKey(n, oldKey, newKey.Value)
		if !ok {
			return nil, false
		}
		return append(rename, fix.Edit{Start: newLines.Start, End: newLines.End}), true
	}
	seen := map[string]bool{}
	for _, it := range newItems {
		seen[it.Tag+"\x00"+it.Value] = true
	}
	var add []*yaml.Node
	for _, it := range oldItems {
		if k := it.Tag + "\x00" + it.Value; !seen[k] {
			seen[k] = true
			add = append(add, it)
		}
	}
	if len(add) == 0 {
		return []fix.Edit{drop}, true
	}
	ins, ok := appendItems(n, newKey, newVal, add)
	if !ok {
		return nil, false
	}
	// An insertion where the removal starts would overlap it: fold it in.
	if ins.Start == drop.Start {
		return []fix.Edit{{Start: drop.Start, End: drop.End, New: ins.New}}, true
	}
	return []fix.Edit{ins, drop}, true
}

// mergeItems returns the values a property holds, null items left out;
// ok is false for what a merge cannot carry over line by line: nested
// lists and mappings, YAML aliases and anchors, multi-line scalars, and a
// single string that Obsidian splits into several values ("a, b"; for
// tags and CSS classes also "a b"), which would mean something else as
// one list item.
func mergeItems(v *yaml.Node, name string) ([]*yaml.Node, bool) {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" || v.Value == "" {
			return nil, true
		}
		seps := ","
		if !strings.HasPrefix(strings.ToLower(name), "alias") {
			seps = ", \t"
		}
		if strings.ContainsAny(v.Value, seps) || !mergeScalar(v) {
			return nil, false
		}
		return []*yaml.Node{v}, true
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, it := range v.Content {
			if it.Kind != yaml.ScalarNode || !mergeScalar(it) {
				return nil, false
			}
			if it.Tag != "!!null" {
				out = append(out, it)
			}
		}
		return out, true
	}
	return nil, false
}

func mergeScalar(s *yaml.Node) bool {
	return s.Anchor == "" && s.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) == 0 &&
		!strings.ContainsAny(s.Value, "\r\n")
}

// scalarSource returns where a single-line scalar is written (quotes
// included) and the text to copy into a list. inFlow asks for text that
// means the same inside "[...]": a plain scalar holding flow indicators
// is written double-quoted instead. ok is false when the scalar spans
// lines or cannot be found.
func scalarSource(n *vault.Note, s *yaml.Node, inFlow bool) (vault.Span, string, bool) {
	src, end := n.Src, n.Frontmatter.Content.End
	if s.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		off := n.NodeOffset(s)
		if off >= end || (src[off] != '"' && src[off] != '\'') {
			return vault.Span{}, "", false
		}
		stop, ok := yamlQuotedEnd(src[:end], off)
		if !ok || bytes.ContainsAny(src[off:stop], "\r\n") {
			return vault.Span{}, "", false
		}
		return vault.Span{Start: off, End: stop}, string(src[off:stop]), true
	}
	sp, ok := yamlScalarText(n, s)
	if !ok {
		return vault.Span{}, "", false
	}
	if inFlow && strings.ContainsAny(s.Value, ",[]{}#") {
		return sp, yamlQuote(s.Value), true
	}
	return sp, s.Value, true
}

// appendItems adds items at the end of the new property's value: new
// "- " lines in a block list, ", item" in a flow list; a single value
// becomes a flow list of it and the items.
func appendItems(n *vault.Note, key, val *yaml.Node, items []*yaml.Node) (fix.Edit, bool) {
	src := n.Src
	inFlow := val.Kind == yaml.ScalarNode || val.Style&yaml.FlowStyle != 0
	texts := make([]string, len(items))
	for i, it := range items {
		_, t, ok := scalarSource(n, it, inFlow)
		if !ok {
			return fix.Edit{}, false
		}
		texts[i] = t
	}
	switch {
	case val.Kind == yaml.ScalarNode:
		sp, first, ok := scalarSource(n, val, true)
		if !ok {
			return fix.Edit{}, false
		}
		return fix.Edit{Start: sp.Start, End: sp.End, New: "[" + first + ", " + strings.Join(texts, ", ") + "]"}, true
	case val.Style&yaml.FlowStyle != 0:
		spans, ok := yamlFlowItems(n, val)
		if !ok || len(spans) == 0 {
			return fix.Edit{}, false
		}
		at := spans[len(spans)-1].End
		return fix.Edit{Start: at, End: at, New: ", " + strings.Join(texts, ", ")}, true
	}
	lines, ok := yamlPropertyLines(n, key)
	if !ok {
		return fix.Edit{}, false
	}
	spans, ok := yamlBlockItems(n, val, lines)
	if !ok || len(spans) == 0 {
		return fix.Edit{}, false
	}
	at := spans[len(spans)-1].End
	if src[at-1] != '\n' {
		return fix.Edit{}, false
	}
	dash := n.NodeOffset(val)
	indent := string(src[vault.LineStart(src, dash):dash])
	var b strings.Builder
	for _, t := range texts {
		b.WriteString(indent + "- " + t + newline(src))
	}
	return fix.Edit{Start: at, End: at, New: b.String()}, true
}

// movedIntact applies the edits to the frontmatter and checks that it
// still parses and reads as the same properties, except that the old
// property is gone and the new one holds its values: the last guard
// against a layout the line-wise edits misjudged.
func movedIntact(n *vault.Note, edits []fix.Edit, oldName, newName string) bool {
	fm := n.Frontmatter
	content := n.Src[fm.Content.Start:fm.Content.End]
	before, ok := decodeProperties(content)
	if !ok || len(edits) == 0 {
		return false
	}
	shifted := make([]fix.Edit, len(edits))
	for i, e := range edits {
		shifted[i] = fix.Edit{Start: e.Start - fm.Content.Start, End: e.End - fm.Content.Start, New: e.New}
	}
	out, err := fix.Apply(content, shifted)
	if err != nil {
		return false
	}
	after, ok := decodeProperties(out)
	if !ok {
		return false
	}
	oldV := before[oldName]
	delete(before, oldName)
	newKey := newName
	for k := range before {
		if strings.ToLower(k) == newName {
			newKey = k
		}
	}
	newV, hasNew := before[newKey]
	before[newKey] = mergedValue(newV, hasNew, oldV)
	return reflect.DeepEqual(before, after)
}

// mergedValue is what the new property reads after the fix: the old
// value when the new property is absent or empty; else the new value,
// with the old values it lacks appended.
func mergedValue(newV any, hasNew bool, oldV any) any {
	oldList := valueList(oldV)
	if !hasNew {
		return oldV
	}
	if len(valueList(newV)) == 0 {
		if len(oldList) == 0 {
			return newV
		}
		return oldV
	}
	out, ok := newV.([]any)
	if !ok {
		out = []any{newV}
	}
	out = append([]any(nil), out...)
	added := false
	for _, o := range oldList {
		if !slices.ContainsFunc(out, func(x any) bool { return reflect.DeepEqual(x, o) }) {
			out = append(out, o)
			added = true
		}
	}
	if !added {
		return newV
	}
	return out
}

// valueList reads a decoded value as a list: nil and "" are empty, a
// single value is a list of one, null items are left out.
func valueList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if x == "" {
			return nil
		}
	case []any:
		var out []any
		for _, it := range x {
			if it != nil {
				out = append(out, it)
			}
		}
		return out
	}
	return []any{v}
}

func decodeProperties(b []byte) (map[string]any, bool) {
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		return nil, false
	}
	m, ok := v.(map[string]any)
	return m, ok
}
