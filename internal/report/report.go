// Package report writes diagnostics in the formats of cli.md: text for
// people, JSON for scripts, SARIF 2.1.0 for code scanning, and GitHub
// Actions workflow commands for annotations.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vaultlint/vaultlint/rules"
)

// Summary counts what a run saw and found.
type Summary struct {
	Notes    int `json:"notes"`
	Files    int `json:"files"`
	Links    int `json:"links"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	Fixable  int `json:"fixable"`
}

// Count adds the diagnostics' severities and fixes to the summary.
// unsafe says whether unsafe fixes count as fixable.
func (s *Summary) Count(ds []rules.Diagnostic, unsafe bool) {
	for i := range ds {
		switch ds[i].Severity {
		case rules.Error:
			s.Errors++
		case rules.Warning:
			s.Warnings++
		case rules.Info:
			s.Infos++
		}
		if ds[i].Fixable(unsafe) {
			s.Fixable++
		}
	}
}

// Skipped is a file that was not linted, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Text writes one line per diagnostic:
//
//	Notes/Putin.md:12:5: error broken-link: "Ceasefire" does not resolve … [fixable]
func Text(w io.Writer, ds []rules.Diagnostic, unsafe, color bool) error {
	var b strings.Builder
	for i := range ds {
		d := &ds[i]
		sev := d.Severity.String()
		if color {
			sev = colorize(d.Severity, sev)
		}
		fmt.Fprintf(&b, "%s:%d:%d: %s %s: %s", d.Path, d.Line, d.Column, sev, d.Rule, oneLine(d.Message))
		if d.Fixable(unsafe) {
			b.WriteString(" [fixable]")
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func colorize(s rules.Severity, text string) string {
	code := "36" // cyan for info
	switch s {
	case rules.Error:
		code = "1;31"
	case rules.Warning:
		code = "33"
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// oneLine keeps a message on its line: a note's text quoted in a message
// may hold line breaks.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return lineBreaks.Replace(s)
}

var lineBreaks = strings.NewReplacer("\r\n", `\n`, "\n", `\n`, "\r", `\r`)

type jsonDiagnostic struct {
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	Message   string `json:"message"`
	Fixable   bool   `json:"fixable"`
}

type jsonDoc struct {
	Version     int              `json:"version"`
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Summary     Summary          `json:"summary"`
	Skipped     []Skipped        `json:"skipped,omitempty"`
}

// JSON writes the one document cli.md specifies. "fixable" is true when
// the fix applies without --unsafe-fixes. Files that could not be linted
// are listed under "skipped", beside the contract's keys.
func JSON(w io.Writer, ds []rules.Diagnostic, sum Summary, skipped []Skipped) error {
	doc := jsonDoc{Version: 1, Diagnostics: make([]jsonDiagnostic, 0, len(ds)), Summary: sum, Skipped: skipped}
	for i := range ds {
		d := &ds[i]
		doc.Diagnostics = append(doc.Diagnostics, jsonDiagnostic{
			Path: d.Path, Line: d.Line, Column: d.Column, EndLine: d.EndLine, EndColumn: d.EndColumn,
			Rule: d.Rule, Severity: d.Severity.String(), Message: d.Message, Fixable: d.Fixable(false),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
