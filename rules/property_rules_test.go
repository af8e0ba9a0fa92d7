package rules_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/rules/rulestest"
	"github.com/vaultlint/vaultlint/vault"
)

// propFixCase runs a rule over each txtar vault of its tests and calls
// check for every note its fixes change: after each fix on its own and
// after all of them, with the note before and after. It also checks that
// the fixed frontmatter parses and that the rule finds nothing more to
// fix.
func propFixCase(t *testing.T, r *rules.Rule, check func(t *testing.T, before, after *vault.Note)) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "rules", r.ID, "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no tests for %s: %v", r.ID, err)
	}
	fixed := 0
	for _, file := range files {
		v := fmLoadTxtar(t, file)
		ds := fmCheck(t, v, r)
		for _, d := range ds {
			if d.Fix == nil {
				continue
			}
			before := v.File(d.Path).Note
			out, err := fix.Apply(before.Src, d.Fix.Edits)
			if err != nil {
				t.Fatalf("%s: %v", d.Path, err)
			}
			fmAssertValid(t, d.Path+" after one fix", out)
			check(t, before, vault.Parse(d.Path, out))
			fixed++
		}
		for path, out := range rulestest.ApplyAll(t, v, ds) {
			fmAssertValid(t, path+" after all fixes", out)
			after := vault.Parse(path, out)
			check(t, v.File(path).Note, after)
			for _, d := range fmCheck(t, vault.New([]*vault.Note{after}), r) {
				if d.Fix != nil {
					t.Errorf("%s after all fixes: still fixable: %s", path, d.Message)
				}
			}
		}
	}
	if fixed == 0 {
		t.Fatalf("%s: no fix in its tests", r.ID)
	}
}

// propDecode reads a note's frontmatter as plain values.
func propDecode(t *testing.T, n *vault.Note) map[string]any {
	t.Helper()
	m := map[string]any{}
	if n.Frontmatter == nil || n.Frontmatter.Root == nil {
		return m
	}
	if err := n.Frontmatter.Root.Decode(&m); err != nil {
		t.Fatalf("%s: %v", n.Path, err)
	}
	return m
}

// propList reads a value as the list of values Obsidian sees.
func propList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return slices.DeleteFunc(slices.Clone(x), func(e any) bool { return e == nil })
	}
	return []any{v}
}

// TestDeprecatedPropertyFixes checks that after each fix the old key is
// gone, the new key holds every value either key held (the new ones
// first), and no other property changed.
func TestDeprecatedPropertyFixes(t *testing.T) {
	renamed := map[string]string{"alias": "aliases", "tag": "tags", "cssclass": "cssclasses"}
	propFixCase(t, rules.DeprecatedProperty, func(t *testing.T, before, after *vault.Note) {
		b, a := propDecode(t, before), propDecode(t, after)
		for oldKey, oldV := range b {
			newName, ok := renamed[strings.ToLower(oldKey)]
			if !ok {
				continue
			}
			if _, still := a[oldKey]; still {
				continue // another diagnostic's fix
			}
			newKey := newName
			for k := range b {
				if strings.ToLower(k) == newName {
					newKey = k
				}
			}
			newV, hadNew := b[newKey]
			got := a[newKey]
			switch {
			case !hadNew || len(propList(newV)) == 0 && len(propList(oldV)) > 0:
				if !reflect.DeepEqual(got, oldV) {
					t.Errorf("%s: %q = %#v after the fix, want the old %q value %#v", before.Path, newKey, got, oldKey, oldV)
				}
			default:
				want := propList(newV)
				for _, o := range propList(oldV) {
					if !slices.ContainsFunc(want, func(x any) bool { return reflect.DeepEqual(x, o) }) {
						want = append(want, o)
					}
				}
				if !reflect.DeepEqual(propList(got), want) {
					t.Errorf("%s: %q = %#v after the merge, want %#v", before.Path, newKey, got, want)
				}
			}
			delete(b, oldKey)
			delete(b, newKey)
			delete(a, newKey)
		}
		for k, v := range b {
			if _, old := renamed[strings.ToLower(k)]; old {
				continue
			}
			if !reflect.DeepEqual(a[k], v) {
				t.Errorf("%s: %q changed from %#v to %#v", before.Path, k, v, a[k])
			}
		}
	})
}

// TestInvalidTagFixes checks that a fix only strips "#" from tags: the
// frontmatter reads the same with every "#" prefix removed.
func TestInvalidTagFixes(t *testing.T) {
	strip := func(m map[string]any) map[string]any {
		for k, v := range m {
			switch x := v.(type) {
			case string:
				m[k] = strings.ReplaceAll(x, "#", "")
			case []any:
				for i, e := range x {
					if s, ok := e.(string); ok {
						x[i] = strings.ReplaceAll(s, "#", "")
					}
				}
			}
		}
		return m
	}
	propFixCase(t, rules.InvalidTag, func(t *testing.T, before, after *vault.Note) {
		b, a := propDecode(t, before), propDecode(t, after)
		if reflect.DeepEqual(b, a) {
			t.Errorf("%s: the fix changed nothing", before.Path)
		}
		if b, a := strip(b), strip(a); !reflect.DeepEqual(b, a) {
			t.Errorf("%s: the fix changed more than a \"#\":\n%#v\n%#v", before.Path, b, a)
		}
	})
}

// TestPropertyType checks values against each type one by one, and that
// the rule, which has no fix, never offers one.
func TestPropertyType(t *testing.T) {
	types := map[string]string{
		"d": "date", "dt": "datetime", "n": "number", "c": "checkbox",
		"t": "text", "m": "multitext", "a": "aliases", "tg": "tags", "Mixed": "number",
	}
	cases := []struct {
		prop, value string
		bad         bool
	}{
		{"d", "2024-01-31", false},
		{"d", `"2024-01-31"`, false},
		{"d", "2024-1-31", true},
		{"d", "2024-02-29", false},
		{"d", "2023-02-29", true},
		{"d", "2024-01-31T10:00", true},
		{"d", "20240131", true},
		{"d", "[2024-01-31]", true},
		{"dt", "2024-01-31T10:00", false},
		{"dt", "2024-01-31T10:00:59", false},
		{"dt", "2024-01-31T10:00:00.000Z", false},
		{"dt", "2024-01-31T10:00:00-0500", false},
		{"dt", "2024-01-31", false},
		{"dt", "2024-01-31T10", true},
		{"dt", "2024-01-31T10:60", true},
		{"dt", "2024-01-31T10:00:61", true},
		{"dt", "31/01/2024 10:00", true},
		{"n", "0", false},
		{"n", "-1.5", false},
		{"n", "1e6", false},
		{"n", "0x1F", false},
		{"n", `"42"`, false},
		{"n", `"4 2"`, true},
		{"n", "1,5", true},
		{"n", "true", true},
		{"n", `"inf"`, true},
		{"c", "true", false},
		{"c", "False", false},
		{"c", `"true"`, false},
		{"c", "no", true},
		{"c", "1", true},
		{"t", "anything at all", false},
		{"t", "12", false},
		{"t", "[a]", true},
		{"t", "{a: 1}", true},
		{"m", "one", false},
		{"m", "[a, b]", false},
		{"m", "[a, []]", false},
		{"m", "[a, [b]]", true},
		{"m", "[a, {b: c}]", true},
		{"a", `["[[Note]]"]`, false},
		{"a", "[[Note]]", true},
		{"tg", "x", false},
		{"tg", "{x: y}", true},
		{"mixed", "two", true},
		{"MIXED", "2", false},
		{"other", "[[x]]", false},
	}
	for _, c := range cases {
		n := vault.Parse("n.md", []byte("---\n"+c.prop+": "+c.value+"\n---\n"))
		if n.Frontmatter == nil || n.Frontmatter.Root == nil {
			t.Fatalf("%s: %s: bad test YAML", c.prop, c.value)
		}
		v := vault.New([]*vault.Note{n})
		v.Types = types
		ds := fmCheck(t, v, rules.PropertyType)
		if got := len(ds) > 0; got != c.bad {
			t.Errorf("%s (%s): %s: reported %v, want %v: %v", c.prop, types[c.prop], c.value, got, c.bad, ds)
		}
		for _, d := range ds {
			if d.Fix != nil {
				t.Errorf("%s: %s: property-type offers a fix", c.prop, c.value)
			}
		}
	}
}
