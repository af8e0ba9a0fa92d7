package rules

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/vault"
)

// PropertyType flags property values that do not match the type the vault
// gives the property in .obsidian/types.json.
var PropertyType = Register(&Rule{
	ID:      "property-type",
	Summary: "a property's value should match its type in .obsidian/types.json",
	Doc: `Obsidian gives every property name one type for the whole vault, kept in
.obsidian/types.json. A value of another shape shows up in the Properties
view as a warning or an empty field, does not sort or filter as the type
says, and is lost to queries that expect the type. The rule checks each
property whose name has a type (names compared ignoring case, as
Obsidian does):

- date: YYYY-MM-DD, a real calendar date.
- datetime: YYYY-MM-DDTHH:MM, with optional seconds and fraction, and an
  optional time zone; a space may stand for the T. A date alone is
  accepted too: Obsidian reads it as midnight.
- number: a YAML number, or a string that is one.
- checkbox: true or false.
- text: a single value, not a list or nested properties.
- multitext, aliases, tags: a list of single values, or a single value.

An empty value (no value, "", or an empty list) fits every type: Obsidian
writes empty properties so. Values holding a template placeholder
("{{date}}", "<% tp.date.now() %>") are skipped: they are filled in when
the template is used. Types this rule does not know (from plugins) are not
checked. There is no fix: only the author knows the intended value.`,
	Before: `---
created: 05/01/2024
rating: five
---`,
	After: `---
created: 2024-01-05
rating: 5
---`,
	Severity: Warning,
	Run:      runPropertyType,
})

var (
	dateRe     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	numberRe   = regexp.MustCompile(`^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$`)
	datetimeRe = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$`)
)

func runPropertyType(p *Pass) {
	n := p.Note
	fm := n.Frontmatter
	if fm == nil || fm.Err != nil || fm.Root == nil || len(p.Vault.Types) == 0 {
		return
	}
	types := vaultTypes.get(p.Vault, func(v *vault.Vault) map[string]string { return propertyTypes(v.Types) })
	c := fm.Root.Content
	for i := 0; i+1 < len(c); i += 2 {
		key, val := c[i], c[i+1]
		typ := types[strings.ToLower(key.Value)]
		if typ == "" || key.Kind != yaml.ScalarNode {
			continue
		}
		if val.Kind == yaml.AliasNode && val.Alias != nil {
			val = val.Alias
		}
		if isEmptyValue(val) || hasPlaceholder(n, i) {
			continue
		}
		want, found, ok := checkPropertyType(typ, val)
		if ok {
			continue
		}
		p.Report(valueSpan(n, c[i+1]), fmt.Sprintf("%q has type %s%s, but its value is %s", key.Value, typ, want, found))
	}
}

// vaultTypes holds each vault's propertyTypes.
var vaultTypes perVault[map[string]string]

// propertyTypes keys the vault's types by lower-case name. A name listed
// twice in different cases with different types is left out: which one
// Obsidian applies is not certain.
func propertyTypes(t map[string]string) map[string]string {
	out := make(map[string]string, len(t))
	conflict := map[string]bool{}
	for name, typ := range t {
		k := strings.ToLower(name)
		if prev, ok := out[k]; ok && prev != typ {
			conflict[k] = true
		}
		out[k] = typ
	}
	for k := range conflict {
		delete(out, k)
	}
	return out
}

// isEmptyValue reports whether a value is null, an empty or blank string,
// or a list holding nothing but such values.
func isEmptyValue(v *yaml.Node) bool {
	switch v.Kind {
	case yaml.ScalarNode:
		return v.Tag == "!!null" || v.Tag == "!!str" && strings.TrimSpace(v.Value) == ""
	case yaml.SequenceNode:
		for _, c := range v.Content {
			if !isEmptyValue(c) {
				return false
			}
		}
		return true
	}
	return false
}

// hasPlaceholder reports whether the value of the top-level property
// whose key is Root.Content[i] holds a Templates or Templater placeholder, which is replaced when the
// template is applied. It reads the source: YAML takes an unquoted
// "{{date}}" for nested mappings.
func hasPlaceholder(n *vault.Note, i int) bool {
	fm := n.Frontmatter
	c := fm.Root.Content
	end := fm.Content.End
	if i+2 < len(c) {
		end = n.NodeOffset(c[i+2])
	}
	text := n.Src[min(n.NodeOffset(c[i+1]), end):end]
	return bytes.Contains(text, []byte("{{")) && bytes.Contains(text, []byte("}}")) ||
		bytes.Contains(text, []byte("<%")) && bytes.Contains(text, []byte("%>"))
}

// checkPropertyType tests a non-empty value against a type. When it does
// not fit, want describes the type's form (with a leading space) and
// found the value.
func checkPropertyType(typ string, v *yaml.Node) (want, found string, ok bool) {
	found = describeValue(v)
	switch typ {
	case "text":
		return "", found, v.Kind == yaml.ScalarNode
	case "multitext", "aliases", "tags":
		switch v.Kind {
		case yaml.ScalarNode:
			return "", found, true
		case yaml.SequenceNode:
			for _, it := range v.Content {
				if it.Kind == yaml.AliasNode && it.Alias != nil {
					it = it.Alias
				}
				if it.Kind != yaml.ScalarNode && !isEmptyValue(it) {
					return " (a list of single values)", "a list holding " + describeValue(it), false
				}
			}
			return "", found, true
		}
		return "", found, false
	case "number":
		if v.Kind == yaml.ScalarNode && (v.Tag == "!!int" || v.Tag == "!!float") {
			return "", found, true
		}
		return "", found, v.Kind == yaml.ScalarNode && v.Tag == "!!str" && numberRe.MatchString(strings.TrimSpace(v.Value))
	case "checkbox":
		s := strings.ToLower(v.Value)
		return " (true or false)", found, v.Kind == yaml.ScalarNode && (s == "true" || s == "false")
	case "date":
		want = " (YYYY-MM-DD)"
		if v.Kind != yaml.ScalarNode || !dateRe.MatchString(v.Value) {
			return want, found, false
		}
		if _, err := time.Parse("2006-01-02", v.Value); err != nil {
			return want, "not a calendar date: " + found, false
		}
		return want, found, true
	case "datetime":
		want = " (YYYY-MM-DDTHH:MM)"
		m := datetimeRe.FindStringSubmatch(v.Value)
		if v.Kind != yaml.ScalarNode || m == nil {
			return want, found, false
		}
		if _, err := time.Parse("2006-01-02", m[1]); err != nil {
			return want, "not a calendar date: " + found, false
		}
		if m[2] != "" {
			if _, err := time.Parse("15:04", m[2]); err != nil {
				return want, "not a time of day: " + found, false
			}
		}
		if m[3] != "" && m[3][1:3] > "59" {
			return want, "not a time of day: " + found, false
		}
		return want, found, true
	}
	return "", found, true // a type this rule does not know
}

// describeValue names a value for a message: a scalar quoted (shortened
// when long), else its kind.
func describeValue(v *yaml.Node) string {
	switch v.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "nested properties"
	case yaml.AliasNode:
		return "a YAML alias"
	}
	s := v.Value
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:39]) + "…"
	}
	return strconv.Quote(s)
}

// valueSpan covers a property's value as written: a single-line scalar
// exactly, anything else from where it starts to the end of that line.
func valueSpan(n *vault.Note, v *yaml.Node) vault.Span {
	if v.Kind == yaml.ScalarNode {
		if sp, _, ok := scalarSource(n, v, false); ok {
			return sp
		}
	}
	off := n.NodeOffset(v)
	end := vault.LineEnd(n.Src, off)
	for end > off && (n.Src[end-1] == ' ' || n.Src[end-1] == '\t') {
		end--
	}
	return vault.Span{Start: off, End: end}
}
