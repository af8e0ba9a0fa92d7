package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sample holds what the formats must survive: paths and messages with
// spaces, ",", ":", "%", "#", line breaks and non-ASCII letters, an empty
// span, a span over several lines, unset positions, every severity, and
// a rule that is not in the catalogue given to SARIF.
func sample() ([]rules.Diagnostic, []*rules.Rule) {
	safe := &rules.Fix{Safe: true, Edits: []fix.Edit{{Start: 1, End: 2, New: ""}}}
	unsafe := &rules.Fix{Safe: false, Edits: []fix.Edit{{Start: 1, End: 2, New: "x"}}}
	ds := []rules.Diagnostic{
		{
			Rule: "broken-link", Path: "Notes/Putin and Trump.md", Severity: rules.Error,
			Message: `"Ceasefire" does not resolve to any file in the vault`, Fix: unsafe,
			Line: 12, Column: 5, EndLine: 12, EndColumn: 20,
		},
		{
			Rule: "link-spacing", Path: "Daily/2025-05-03, Sat: 50% done #1.md", Severity: rules.Warning,
			Message: "space between link and \",\": 100% sure\nsecond line\r\nthird %0A line", Fix: safe,
			Line: 3, Column: 9, EndLine: 3, EndColumn: 11,
		},
		{
			Rule: "stray-property", Path: "Daily/2025-05-03, Sat: 50% done #1.md", Severity: rules.Warning,
			Message: `"alias" and "modification date" are below the frontmatter`,
			Line:    8, Column: 1, EndLine: 9, EndColumn: 48,
		},
		{
			Rule: "empty-section", Path: "Ünïcödé/Café – résumé.md", Severity: rules.Info,
			Message: "section «Résumé» is empty", Line: 4, Column: 3, EndLine: 4, EndColumn: 12,
		},
		{
			Rule: "final-newline", Path: "Ünïcödé/Café – résumé.md", Severity: rules.Info,
			Message: "no line break at the end of the note", Fix: safe,
			Line: 7, Column: 13, EndLine: 7, EndColumn: 13,
		},
		{
			Rule: "internal-error", Path: ".", Severity: rules.Error,
			Message: "rule crashed: index out of range",
		},
	}
	all := []*rules.Rule{
		{
			ID: "broken-link", Summary: "a link or embed that resolves to no file in the vault",
			Doc:    "Obsidian shows a broken link in a paler colour.\nClicking it creates an empty note.",
			Before: "See [[Ceasefire]].", After: "See [[Ceasefire talks]].",
			Severity: rules.Error, Fix: rules.UnsafeFix,
		},
		{
			ID: "empty-section", Summary: "a heading should have something below it",
			Doc:      "A heading followed by the next heading of the same level, or by\nthe end of the note.",
			Severity: rules.Info,
		},
		{
			ID: "final-newline", Summary: "a note should end with exactly one line break",
			Doc: "Tools that append to notes expect a line break at the end.", Before: "Text⏎⏎", After: "Text⏎",
			Severity: rules.Info, Fix: rules.SafeFix,
		},
		{
			ID: "link-spacing", Summary: "extra whitespace around or inside a wikilink",
			Doc:    "Tools that turn words into links often leave spaces behind.",
			Before: "US [[Envoy|envoy]]  Steve ```code```", After: "US [[Envoy|envoy]] Steve ```code```",
			Severity: rules.Warning, Fix: rules.SafeFix,
		},
		{
			ID: "orphan-note", Summary: "a note that no other note links to",
			Doc: "Off by default.", Severity: rules.Off,
		},
		{
			ID: "stray-property", Summary: "property lines right below the frontmatter are text, not properties",
			Doc: "Obsidian shows them as text.", Severity: rules.Warning, Fix: rules.UnsafeFix,
		},
	}
	return ds, all
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./internal/report -update if the change is intended)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestGolden(t *testing.T) {
	ds, all := sample()
	sum := Summary{Notes: 3, Files: 4, Links: 7}
	sum.Count(ds, false)
	for _, tc := range []struct {
		name  string
		write func(w *bytes.Buffer) error
	}{
		{"text.golden", func(w *bytes.Buffer) error { return Text(w, ds, false, false) }},
		{"json.golden", func(w *bytes.Buffer) error {
			return JSON(w, ds, sum, []Skipped{{Path: "Bad, file: 100%.md", Reason: "invalid UTF-8"}})
		}},
		{"sarif.golden", func(w *bytes.Buffer) error { return SARIF(w, ds, all, "v1.2.3") }},
		{"github.golden", func(w *bytes.Buffer) error { return GitHub(w, ds) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
			// The same input gives the same bytes.
			var again bytes.Buffer
			if err := tc.write(&again); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), again.Bytes()) {
				t.Error("output is not deterministic")
			}
		})
	}
}

// sarifDoc is what the checks below read back from SARIF output; pointers
// tell a missing property from a zero.
type sarifDoc struct {
	Schema  *string `json:"$schema"`
	Version string  `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string    `json:"id"`
					Name             string    `json:"name"`
					ShortDescription sarifText `json:"shortDescription"`
					FullDescription  sarifText `json:"fullDescription"`
					Help             struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					DefaultConfiguration *struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]json.RawMessage `json:"originalUriBaseIds"`
		ColumnKind         string                     `json:"columnKind"`
		Results            []struct {
			RuleID    string  `json:"ruleId"`
			RuleIndex *int    `json:"ruleIndex"`
			Level     *string `json:"level"`
			Message   struct {
				Text *string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   *int `json:"startLine"`
						StartColumn *int `json:"startColumn"`
						EndLine     *int `json:"endLine"`
						EndColumn   *int `json:"endColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// checkSARIF checks what the validator cannot be trusted to (it skips a
// log it cannot deserialise, e.g. one with an unknown level, without an
// error): one run, every rule described, and one well-formed result per
// diagnostic, in order, pointing at its rule, file and span.
func checkSARIF(t *testing.T, out []byte, ds []rules.Diagnostic, all []*rules.Rule) {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("SARIF output does not read back: %v", err)
	}
	if doc.Version != "2.1.0" || doc.Schema == nil || !strings.Contains(*doc.Schema, "sarif-2.1.0") {
		t.Errorf("version %q, $schema %v: want 2.1.0 and the 2.1.0 schema", doc.Version, doc.Schema)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	run := doc.Runs[0]
	drv := run.Tool.Driver
	if drv.Name != "vaultlint" || drv.InformationURI == "" || drv.Version == "" {
		t.Errorf("driver name %q, informationUri %q, version %q", drv.Name, drv.InformationURI, drv.Version)
	}
	if _, ok := run.OriginalURIBaseIDs["%SRCROOT%"]; !ok {
		t.Error("originalUriBaseIds does not declare %SRCROOT%")
	}
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q, want unicodeCodePoints", run.ColumnKind)
	}
	levels := map[string]bool{"error": true, "warning": true, "note": true, "none": true}
	ruleAt := map[string]int{}
	for i, r := range drv.Rules {
		if _, dup := ruleAt[r.ID]; dup {
			t.Errorf("rule %q listed twice", r.ID)
		}
		ruleAt[r.ID] = i
		if r.Name == "" || r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" {
			t.Errorf("rule %q lacks a name, description or help", r.ID)
		}
		if r.DefaultConfiguration == nil || !levels[r.DefaultConfiguration.Level] {
			t.Errorf("rule %q: defaultConfiguration.level not in {error, warning, note, none}", r.ID)
		}
	}
	for _, r := range all {
		i, ok := ruleAt[r.ID]
		if !ok {
			t.Errorf("rule %q missing from tool.driver.rules", r.ID)
			continue
		}
		sr := drv.Rules[i]
		want := map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "note", rules.Off: "none"}[r.Severity]
		if sr.DefaultConfiguration != nil && sr.DefaultConfiguration.Level != want {
			t.Errorf("rule %q: defaultConfiguration.level %q, want %q", r.ID, sr.DefaultConfiguration.Level, want)
		}
		if sr.ShortDescription.Text != r.Summary {
			t.Errorf("rule %q: shortDescription %q, want the summary %q", r.ID, sr.ShortDescription.Text, r.Summary)
		}
		for _, ex := range []string{r.Before, r.After} {
			for _, l := range strings.Split(ex, "\n") {
				if !strings.Contains(sr.Help.Text, l) || !strings.Contains(sr.Help.Markdown, l) {
					t.Errorf("rule %q: help does not show the example's line %q", r.ID, l)
				}
			}
		}
	}
	if len(run.Results) != len(ds) {
		t.Fatalf("%d results for %d diagnostics", len(run.Results), len(ds))
	}
	for i, res := range run.Results {
		d := ds[i]
		if res.Level == nil || !levels[*res.Level] {
			t.Errorf("result %d: level %v not in {error, warning, note, none}", i, res.Level)
		}
		if res.RuleID != d.Rule {
			t.Errorf("result %d: ruleId %q, want %q", i, res.RuleID, d.Rule)
		}
		if res.RuleIndex == nil || *res.RuleIndex < 0 || *res.RuleIndex >= len(drv.Rules) || drv.Rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %v does not point at rule %q", i, res.RuleIndex, res.RuleID)
		}
		if res.Message.Text == nil || *res.Message.Text != d.Message {
			t.Errorf("result %d: message %v, want %q", i, res.Message.Text, d.Message)
		}
		if len(res.Locations) != 1 {
			t.Errorf("result %d: %d locations, want 1", i, len(res.Locations))
			continue
		}
		pl := res.Locations[0].PhysicalLocation
		al := pl.ArtifactLocation
		if al.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: uriBaseId %q", i, al.URIBaseID)
		}
		u, err := url.Parse(al.URI)
		if err != nil || u.Scheme != "" || u.Host != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasPrefix(al.URI, "/") {
			t.Errorf("result %d: uri %q is not a relative path reference (%v)", i, al.URI, err)
		} else if p, _ := url.PathUnescape(al.URI); p != d.Path {
			t.Errorf("result %d: uri %q names %q, want %q", i, al.URI, p, d.Path)
		}
		for _, c := range al.URI {
			if c <= ' ' || c > '~' {
				t.Errorf("result %d: uri %q holds %q unencoded", i, al.URI, c)
			}
		}
		rg := pl.Region
		if rg == nil || rg.StartLine == nil || rg.StartColumn == nil || rg.EndLine == nil || rg.EndColumn == nil {
			t.Errorf("result %d: region incomplete: %+v", i, rg)
			continue
		}
		sl, sc, el, ec := *rg.StartLine, *rg.StartColumn, *rg.EndLine, *rg.EndColumn
		if sl < 1 || sc < 1 || el < sl || ec < 1 || (el == sl && ec < sc) {
			t.Errorf("result %d: bad region %d:%d-%d:%d", i, sl, sc, el, ec)
		}
		if d.Line >= 1 && d.Column >= 1 && d.EndLine >= d.Line && (sl != d.Line || sc != d.Column || el != d.EndLine || ec != d.EndColumn) {
			t.Errorf("result %d: region %d:%d-%d:%d, want %d:%d-%d:%d", i, sl, sc, el, ec, d.Line, d.Column, d.EndLine, d.EndColumn)
		}
	}
}

func TestSARIFSample(t *testing.T) {
	ds, all := sample()
	var b bytes.Buffer
	if err := SARIF(&b, ds, all, "v1.2.3"); err != nil {
		t.Fatal(err)
	}
	checkSARIF(t, b.Bytes(), ds, all)
}

func TestSARIFNoDiagnostics(t *testing.T) {
	var b bytes.Buffer
	if err := SARIF(&b, nil, rules.All(), "devel"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte(`"results": []`)) {
		t.Errorf("no diagnostics must still give an empty results array:\n%s", b.Bytes())
	}
	checkSARIF(t, b.Bytes(), nil, rules.All())
}

// TestSARIFExampleVault checks the SARIF of the README's example vault
// with the whole catalogue: what .ci/run also gives the validator.
func TestSARIFExampleVault(t *testing.T) {
	v, err := vault.Load(context.Background(), filepath.Join("..", "..", "testdata", "vault"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := rules.Check(context.Background(), v, rules.Config{Rules: rules.All(), WholeVault: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) == 0 {
		t.Fatal("the example vault gave no diagnostics")
	}
	var b bytes.Buffer
	if err := SARIF(&b, ds, rules.All(), "devel"); err != nil {
		t.Fatal(err)
	}
	checkSARIF(t, b.Bytes(), ds, rules.All())
}

func TestSARIFVersions(t *testing.T) {
	for in, want := range map[string][2]string{
		"v1.2.3":                             {"1.2.3", "1.2.3"},
		"v0.0.0-20250503180451-0123456789ab": {"0.0.0-20250503180451-0123456789ab", "0.0.0-20250503180451-0123456789ab"},
		"v1.0.0+dirty":                       {"1.0.0+dirty", "1.0.0+dirty"},
		"1.4":                                {"1.4", ""},
		"devel":                              {"devel", ""},
		"v":                                  {"v", ""},
		"":                                   {"", ""},
	} {
		v, sv := sarifVersions(in)
		if v != want[0] || sv != want[1] {
			t.Errorf("sarifVersions(%q) = %q, %q; want %q, %q", in, v, sv, want[0], want[1])
		}
	}
}

func TestSARIFRegion(t *testing.T) {
	for _, tc := range []struct {
		in   [4]int
		want sarifRegion
	}{
		{[4]int{3, 4, 3, 9}, sarifRegion{3, 4, 3, 9}},
		{[4]int{3, 4, 3, 4}, sarifRegion{3, 4, 3, 4}}, // empty span: an insertion point
		{[4]int{3, 4, 5, 1}, sarifRegion{3, 4, 5, 1}}, // ends at the start of a line
		{[4]int{0, 0, 0, 0}, sarifRegion{1, 1, 1, 1}}, // positions unset
		{[4]int{3, 4, 0, 0}, sarifRegion{3, 4, 3, 4}}, // end unset
		{[4]int{3, 9, 3, 4}, sarifRegion{3, 9, 3, 9}}, // end before start
		{[4]int{5, 2, 4, 7}, sarifRegion{5, 2, 5, 7}}, // end line before start line
		{[4]int{2, 1, 2, 0}, sarifRegion{2, 1, 2, 1}}, // end column unset
		{[4]int{2, 6, 3, 0}, sarifRegion{2, 6, 3, 1}}, // next line, column unset
		{[4]int{1, 1, 1, 1}, sarifRegion{1, 1, 1, 1}}, // whole-file finding
		{[4]int{7, 20, 7, 21}, sarifRegion{7, 20, 7, 21}},
	} {
		d := rules.Diagnostic{Line: tc.in[0], Column: tc.in[1], EndLine: tc.in[2], EndColumn: tc.in[3]}
		if got := regionOf(&d); got != tc.want {
			t.Errorf("regionOf(%v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestURIReference(t *testing.T) {
	for in, want := range map[string]string{
		"Notes/A note.md":          "Notes/A%20note.md",
		"a:b.md":                   "a%3Ab.md", // not a scheme
		"50% #1?.md":               "50%25%20%231%3F.md",
		"Café/Ünï.md":              "Caf%C3%A9/%C3%9Cn%C3%AF.md",
		"Daily/2025-05-03_x~y.md":  "Daily/2025-05-03_x~y.md",
		"a,b;c=d&e+f(g)[h]'i'.md":  "a%2Cb%3Bc%3Dd%26e%2Bf%28g%29%5Bh%5D%27i%27.md",
		`back\slash "quoted".md`:   "back%5Cslash%20%22quoted%22.md",
		".":                        ".",
		"Attachments/Pasted 1.png": "Attachments/Pasted%201.png",
	} {
		got := uriReference(in)
		if got != want {
			t.Errorf("uriReference(%q) = %q, want %q", in, got, want)
		}
		if back, err := url.PathUnescape(got); err != nil || back != in {
			t.Errorf("uriReference(%q) = %q reads back as %q (%v)", in, got, back, err)
		}
	}
}

// parseCommand reads a workflow command line back as the Actions runner
// does (ActionCommand.TryParseV2): "::name props::data", properties split
// at "," and "=", then unescaped.
func parseCommand(t *testing.T, line string) (name string, props map[string]string, data string) {
	t.Helper()
	if !strings.HasPrefix(line, "::") {
		t.Fatalf("not a command: %q", line)
	}
	rest := line[2:]
	end := strings.Index(rest, "::")
	if end < 0 {
		t.Fatalf("no data separator: %q", line)
	}
	head, data := rest[:end], rest[end+2:]
	name, propText, _ := strings.Cut(head, " ")
	props = map[string]string{}
	for _, kv := range strings.Split(propText, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("property without a value in %q: %q", line, kv)
		}
		if _, dup := props[k]; dup {
			t.Fatalf("property %q twice in %q", k, line)
		}
		props[k] = strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(v)
	}
	return name, props, unescapeData(data)
}

// unescapeData is the runner's UnescapeData; it decodes "%25" last, so a
// message's literal "%0A" must come out as "%0A".
func unescapeData(s string) string {
	s = strings.ReplaceAll(s, "%0D", "\r")
	s = strings.ReplaceAll(s, "%0A", "\n")
	return strings.ReplaceAll(s, "%25", "%")
}

func TestGitHubRoundTrip(t *testing.T) {
	ds, _ := sample()
	var b bytes.Buffer
	if err := GitHub(&b, ds); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(ds) {
		t.Fatalf("%d lines for %d diagnostics:\n%s", len(lines), len(ds), b.String())
	}
	for i, line := range lines {
		d := ds[i]
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d holds a raw line break: %q", i, line)
		}
		name, props, msg := parseCommand(t, line)
		want := map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "notice"}[d.Severity]
		if name != want {
			t.Errorf("line %d: command %q, want %q", i, name, want)
		}
		if msg != d.Message {
			t.Errorf("line %d: message %q, want %q", i, msg, d.Message)
		}
		r := regionOf(&d)
		for k, v := range map[string]string{
			"file": d.Path, "title": d.Rule,
			"line": strconv.Itoa(r.StartLine), "col": strconv.Itoa(r.StartColumn),
			"endLine": strconv.Itoa(r.EndLine), "endColumn": strconv.Itoa(r.EndColumn),
		} {
			if props[k] != v {
				t.Errorf("line %d: %s=%q, want %q", i, k, props[k], v)
			}
		}
		if len(props) != 6 {
			t.Errorf("line %d: properties %v, want file, line, col, endLine, endColumn, title", i, props)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	ds := []rules.Diagnostic{{
		Rule: "link-spacing", Path: "a,b: 100%\r\n.md", Severity: rules.Info,
		Message: "x: 1, y: 50%\r\nz", Line: 2, Column: 3, EndLine: 2, EndColumn: 4,
	}}
	var b bytes.Buffer
	if err := GitHub(&b, ds); err != nil {
		t.Fatal(err)
	}
	want := "::notice file=a%2Cb%3A 100%25%0D%0A.md,line=2,col=3,endLine=2,endColumn=4,title=link-spacing::x: 1, y: 50%25%0D%0Az\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

func TestGitHubEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := GitHub(&b, nil); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 0 {
		t.Errorf("no diagnostics gave %q", b.String())
	}
}
