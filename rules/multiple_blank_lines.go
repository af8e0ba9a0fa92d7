package rules

import (
	"fmt"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// MultipleBlankLines flags runs of blank lines longer than the option max.
var MultipleBlankLines = Register(&Rule{
	ID:      "multiple-blank-lines",
	Summary: "more blank lines in a row than needed",
	Doc: `One blank line separates paragraphs; more render exactly the same in
reading view and only spread the note out in the editor. Clipped articles
often end with a long run of them. Blank lines inside code blocks, math,
comments and HTML are content and are not counted, and blank lines at the
end of the note are left to final-newline.

The fix deletes the extra lines, keeping max of them.`,
	Before:   "First paragraph.⏎⏎⏎⏎Second paragraph.",
	After:    "First paragraph.⏎⏎Second paragraph.",
	Severity: Info,
	Fix:      SafeFix,
	Options: []Option{{
		Name:    "max",
		Default: 1,
		Doc:     "the most blank lines allowed in a row; values below 1 count as 1, since fewer would join paragraphs",
	}},
	Run: runMultipleBlankLines,
})

func runMultipleBlankLines(p *Pass) {
	n := p.Note
	limit := max(p.Int("max"), 1)
	var run []lineAt
	flush := func() {
		if len(run) > limit {
			excess := vault.Span{Start: run[limit].Start, End: run[len(run)-1].Next}
			p.Report(excess, fmt.Sprintf("%d blank lines in a row (at most %d allowed)", len(run), limit),
				fix.Edit{Start: excess.Start, End: excess.End})
		}
		run = run[:0]
	}
	for _, l := range p.bodyLines() {
		if isBlank(n.Src[l.Start:l.End]) && !hidden(n, vault.Span{Start: l.Start, End: l.Next}) {
			run = append(run, l)
		} else {
			flush()
		}
	}
	// A run still open here reaches the end of the note: final-newline's.
}
