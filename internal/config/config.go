// Package config reads .vaultlint.yaml: which files to ignore, and each
// rule's severity and options, for the vault and per folder (cli.md).
// It is strict: a key, rule id or option it does not know, or a value of
// the wrong type, is an error naming the file, line and column, because a
// typo that silently does nothing is worse in CI than a failing run.
package config

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/rules"
)

// FileName is the config file looked for at the vault root.
const FileName = ".vaultlint.yaml"

// Error is a problem in a config file, at a line and column.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Setting is one rule's configuration: a severity, options, or both.
type Setting struct {
	Severity *rules.Severity
	Options  map[string]any
}

// Override applies rule settings to the files its globs match.
type Override struct {
	Files []string
	Rules map[string]Setting
}

// Config is a parsed config file. The zero value is the defaults.
type Config struct {
	File      string
	Ignore    []string
	Rules     map[string]Setting
	Overrides []Override
}

// Load reads a config file. A missing file is an error; use Find to look
// for the optional one at a vault root.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: errors.Unwrap(err).Error()}
	}
	return Parse(path, data)
}

// Parse parses and validates config text; file names it in errors.
func Parse(file string, data []byte) (*Config, error) {
	c := &Config{File: file, Rules: map[string]Setting{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: file, Line: yamlErrorLine(err), Col: 1, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(doc.Content) == 0 {
		return c, nil
	}
	p := parser{file: file}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return c, nil
	}
	if err := p.mapping(root, "the config file"); err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var err error
		switch k.Value {
		case "ignore":
			c.Ignore, err = p.globs(v, "ignore")
		case "rules":
			c.Rules, err = p.rules(v)
		case "overrides":
			c.Overrides, err = p.overrides(v)
		default:
			err = p.errorf(k, "unknown key %q (want ignore, rules or overrides)", k.Value)
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

type parser struct{ file string }

func (p *parser) errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{File: p.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) mapping(n *yaml.Node, what string) error {
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "%s must be a mapping (key: value)", what)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if seen[k.Value] {
			return p.errorf(k, "%q is given twice", k.Value)
		}
		seen[k.Value] = true
	}
	return nil
}

func (p *parser) globs(n *yaml.Node, what string) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "%s must be a list of globs", what)
	}
	var out []string
	for _, g := range n.Content {
		if g.Kind != yaml.ScalarNode || g.Tag != "!!str" {
			return nil, p.errorf(g, "%s: want a glob string", what)
		}
		if !doublestar.ValidatePattern(g.Value) {
			return nil, p.errorf(g, "%s: invalid glob %q", what, g.Value)
		}
		out = append(out, g.Value)
	}
	return out, nil
}

func (p *parser) rules(n *yaml.Node) (map[string]Setting, error) {
	if err := p.mapping(n, "rules"); err != nil {
		return nil, err
	}
	out := map[string]Setting{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		r := rules.ByID(k.Value)
		if r == nil {
			return nil, p.errorf(k, "unknown rule %q; run 'vaultlint rules' for the list", k.Value)
		}
		s, err := p.setting(r, v)
		if err != nil {
			return nil, err
		}
		out[r.ID] = s
	}
	return out, nil
}

// setting reads "off|info|warning|error" or {severity: …, option: …}.
func (p *parser) setting(r *rules.Rule, n *yaml.Node) (Setting, error) {
	var s Setting
	switch n.Kind {
	case yaml.ScalarNode:
		sev, err := p.severity(n)
		if err != nil {
			return s, err
		}
		s.Severity = &sev
		return s, nil
	case yaml.MappingNode:
		if err := p.mapping(n, "a rule's settings"); err != nil {
			return s, err
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "severity" {
				sev, err := p.severity(v)
				if err != nil {
					return s, err
				}
				s.Severity = &sev
				continue
			}
			o, ok := r.Option(k.Value)
			if !ok {
				return s, p.errorf(k, "rule %s has no option %q (%s)", r.ID, k.Value, optionList(r))
			}
			val, err := p.optionValue(r, o, v)
			if err != nil {
				return s, err
			}
			if s.Options == nil {
				s.Options = map[string]any{}
			}
			s.Options[o.Name] = val
		}
		return s, nil
	}
	return s, p.errorf(n, "rule %s: want a severity (off, info, warning, error) or a mapping with severity and options", r.ID)
}

func optionList(r *rules.Rule) string {
	names := []string{"severity"}
	for _, o := range r.Options {
		names = append(names, o.Name)
	}
	return "it takes " + strings.Join(names, ", ")
}

func (p *parser) severity(n *yaml.Node) (rules.Severity, error) {
	if n.Kind == yaml.ScalarNode {
		if sev, err := rules.ParseSeverity(n.Value); err == nil {
			return sev, nil
		}
	}
	return 0, p.errorf(n, "want a severity: off, info, warning or error")
}

func (p *parser) optionValue(r *rules.Rule, o rules.Option, n *yaml.Node) (any, error) {
	if n.Kind == yaml.ScalarNode {
		switch o.Default.(type) {
		case bool:
			var b bool
			if n.Tag == "!!bool" && n.Decode(&b) == nil {
				return b, nil
			}
			return nil, p.errorf(n, "rule %s option %s: want true or false", r.ID, o.Name)
		case int:
			var i int
			if n.Tag == "!!int" && n.Decode(&i) == nil {
				return i, nil
			}
			return nil, p.errorf(n, "rule %s option %s: want a whole number", r.ID, o.Name)
		case string:
			if n.Tag == "!!str" {
				return n.Value, nil
			}
			return nil, p.errorf(n, "rule %s option %s: want a string", r.ID, o.Name)
		}
	}
	return nil, p.errorf(n, "rule %s option %s: want a %T", r.ID, o.Name, o.Default)
}

func (p *parser) overrides(n *yaml.Node) ([]Override, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "overrides must be a list of {files: [...], rules: {...}}")
	}
	var out []Override
	for _, item := range n.Content {
		if err := p.mapping(item, "an override"); err != nil {
			return nil, err
		}
		var o Override
		hasFiles := false
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			var err error
			switch k.Value {
			case "files":
				o.Files, err = p.globs(v, "files")
				hasFiles = true
			case "rules":
				o.Rules, err = p.rules(v)
			default:
				err = p.errorf(k, "unknown key %q in an override (want files and rules)", k.Value)
			}
			if err != nil {
				return nil, err
			}
		}
		if !hasFiles {
			return nil, p.errorf(item, "an override needs files: [globs]")
		}
		out = append(out, o)
	}
	return out, nil
}

// MaybeOn reports whether a rule is on for some file: at the top level,
// by default, or in any override.
func (c *Config) MaybeOn(r *rules.Rule) bool {
	sev := r.Severity
	if s, ok := c.Rules[r.ID]; ok && s.Severity != nil {
		sev = *s.Severity
	}
	if sev != rules.Off {
		return true
	}
	for _, o := range c.Overrides {
		if s, ok := o.Rules[r.ID]; ok && s.Severity != nil && *s.Severity != rules.Off {
			return true
		}
	}
	return false
}

// Ignored reports whether a vault path matches an ignore glob.
func (c *Config) Ignored(path string) bool {
	return matchAny(c.Ignore, path)
}

func matchAny(globs []string, path string) bool {
	for _, g := range globs {
		if ok, _ := doublestar.Match(g, path); ok {
			return true
		}
	}
	return false
}

// Settings returns the rules engine's view of the config: for a file, the
// rule's default, then the top-level setting, then each matching
// override in order. An empty path (the vault as a whole) gets the
// top-level settings.
func (c *Config) Settings() rules.Settings {
	return func(path string, r *rules.Rule) (rules.Severity, map[string]any) {
		sev := r.Severity
		var opts map[string]any
		apply := func(s Setting, ok bool) {
			if !ok {
				return
			}
			if s.Severity != nil {
				sev = *s.Severity
			}
			if len(s.Options) > 0 {
				merged := map[string]any{}
				for k, v := range opts {
					merged[k] = v
				}
				for k, v := range s.Options {
					merged[k] = v
				}
				opts = merged
			}
		}
		s, ok := c.Rules[r.ID]
		apply(s, ok)
		if path != "" {
			for _, o := range c.Overrides {
				if matchAny(o.Files, path) {
					s, ok := o.Rules[r.ID]
					apply(s, ok)
				}
			}
		}
		return sev, opts
	}
}

func yamlErrorLine(err error) int {
	var n int
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		_, _ = fmt.Sscanf(msg[i:], "line %d", &n)
	}
	return n
}
