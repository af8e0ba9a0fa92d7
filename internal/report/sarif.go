package report

import (
	"encoding/json"
	"io"
	"regexp"
	"strings"

	"github.com/vaultlint/vaultlint/rules"
)

// SARIF 2.1.0 (OASIS), the subset vaultlint writes: one run, the rules
// in tool.driver.rules, one result per diagnostic.
const (
	sarifVersion   = "2.1.0"
	sarifSchema    = "https://json.schemastore.org/sarif-2.1.0.json"
	informationURI = "https://github.com/vaultlint/vaultlint"
	// srcRoot is the uriBaseId of every result's file: the vault root.
	srcRoot = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds"`
	// ColumnKind says how columns count: vaultlint counts code points.
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string               `json:"id"`
	Name                 string               `json:"name"`
	ShortDescription     sarifText            `json:"shortDescription"`
	FullDescription      sarifText            `json:"fullDescription"`
	Help                 sarifMultiformat     `json:"help"`
	DefaultConfiguration sarifConfiguration   `json:"defaultConfiguration"`
	Properties           *sarifRuleProperties `json:"properties,omitempty"`
}

type sarifRuleProperties struct {
	Fix string `json:"fix"` // "safe" or "unsafe"
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

// SARIF writes a SARIF 2.1.0 log of one run: tool.driver describes
// vaultlint (version as given) and every rule of all, and each diagnostic
// becomes a result whose location is relative to the vault root
// (uriBaseId %SRCROOT%). A diagnostic of a rule missing from all still
// gets a rule entry, so that every ruleIndex points at its rule. The
// output is indented and depends only on the arguments.
func SARIF(w io.Writer, ds []rules.Diagnostic, all []*rules.Rule, version string) error {
	driver := sarifDriver{
		Name:           "vaultlint",
		InformationURI: informationURI,
		Rules:          make([]sarifRule, 0, len(all)),
	}
	driver.Version, driver.SemanticVersion = sarifVersions(version)
	index := map[string]int{}
	for _, r := range all {
		if _, dup := index[r.ID]; dup {
			continue
		}
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRuleOf(r))
	}
	results := make([]sarifResult, 0, len(ds))
	for i := range ds {
		d := &ds[i]
		ri, ok := index[d.Rule]
		if !ok {
			ri = len(driver.Rules)
			index[d.Rule] = ri
			driver.Rules = append(driver.Rules, sarifRuleOf(&rules.Rule{ID: d.Rule, Summary: d.Rule, Severity: d.Severity}))
		}
		results = append(results, sarifResult{
			RuleID:    d.Rule,
			RuleIndex: ri,
			Level:     sarifLevel(d.Severity),
			Message:   sarifText{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: uriReference(d.Path), URIBaseID: srcRoot},
				Region:           regionOf(d),
			}}},
		})
	}
	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: driver},
			OriginalURIBaseIDs: map[string]sarifArtifactLocation{
				srcRoot: {Description: &sarifText{Text: "The root folder of the vault."}},
			},
			ColumnKind: "unicodeCodePoints",
			Results:    results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// semver is a semantic version 2.0.0 without the leading "v" of Go's
// module versions (loosely: numeric identifiers may have leading zeros).
var semver = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// sarifVersions gives the driver's version and, when it is one, its
// semantic version. A module version's "v" goes, as SARIF consumers
// compare versions that start with a number; anything else ("devel") is
// kept as it is.
func sarifVersions(v string) (version, semantic string) {
	if len(v) > 1 && v[0] == 'v' && '0' <= v[1] && v[1] <= '9' {
		v = v[1:]
	}
	if semver.MatchString(v) {
		return v, v
	}
	return v, ""
}

func sarifRuleOf(r *rules.Rule) sarifRule {
	doc := strings.TrimSpace(r.Doc)
	if doc == "" {
		doc = r.Summary
	}
	sr := sarifRule{
		ID:                   r.ID,
		Name:                 pascalCase(r.ID),
		ShortDescription:     sarifText{Text: r.Summary},
		FullDescription:      sarifText{Text: doc},
		Help:                 helpOf(r, doc),
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(r.Severity)},
	}
	if r.Fix != rules.NoFix {
		sr.Properties = &sarifRuleProperties{Fix: r.Fix.String()}
	}
	return sr
}

// helpOf is the rule's doc with its example, as plain text (laid out as
// 'vaultlint rules RULE' shows it) and as Markdown.
func helpOf(r *rules.Rule, doc string) sarifMultiformat {
	text, md := doc, doc
	if r.Before != "" {
		text += "\n\nBefore:\n" + indent(r.Before)
		md += "\n\nBefore:\n\n" + fenced(r.Before)
	}
	if r.After != "" {
		text += "\n\nAfter:\n" + indent(r.After)
		md += "\n\nAfter:\n\n" + fenced(r.After)
	}
	return sarifMultiformat{Text: text, Markdown: md}
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// fenced puts s in a Markdown code block whose fence is longer than any
// run of backticks in s.
func fenced(s string) string {
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + "markdown\n" + strings.TrimRight(s, "\n") + "\n" + fence
}

// pascalCase turns a rule id such as "broken-link" into the conventional
// SARIF rule name "BrokenLink".
func pascalCase(id string) string {
	var b strings.Builder
	up := true
	for _, c := range id {
		switch {
		case c == '-' || c == '_' || c == ' ':
			up = true
		case up:
			b.WriteString(strings.ToUpper(string(c)))
			up = false
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// sarifLevel maps a severity to SARIF's result and configuration levels.
func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	case rules.Info:
		return "note"
	}
	return "none"
}

// regionOf gives the diagnostic's span with SARIF's 1-based lines and
// columns (the end column is the one after the span, as in
// rules.Diagnostic). It never starts before 1:1 nor ends before it
// starts; an empty span is an insertion point, endColumn = startColumn.
func regionOf(d *rules.Diagnostic) sarifRegion {
	r := sarifRegion{
		StartLine:   max(d.Line, 1),
		StartColumn: max(d.Column, 1),
		EndLine:     d.EndLine,
		EndColumn:   max(d.EndColumn, 1),
	}
	if r.EndLine <= r.StartLine {
		r.EndLine = r.StartLine
		r.EndColumn = max(r.EndColumn, r.StartColumn)
	}
	return r
}

// uriReference writes a vault path as a relative URI reference (RFC
// 3986): every byte but the unreserved characters and the "/" between
// segments is percent-encoded, so spaces, "%", "#", "?", ":" (which
// would otherwise read as a scheme) and non-ASCII letters (as UTF-8)
// survive.
func uriReference(path string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c == '/' || unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
