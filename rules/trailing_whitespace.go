package rules

import (
	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// TrailingWhitespace flags spaces and tabs at the end of body lines.
var TrailingWhitespace = Register(&Rule{
	ID:      "trailing-whitespace",
	Summary: "spaces or tabs at the end of a line",
	Doc: `Whitespace at the end of a line is invisible, makes diffs noisy and
is often left by editors and clipping tools. Two or more spaces after text
are also Markdown's hard line break, so exactly two spaces are allowed
unless the option allow-hard-break is false. Code blocks, math, comments,
HTML and the frontmatter are not checked.

The fix deletes the whitespace; while hard breaks are allowed, a longer run
of spaces after text is cut to the two that make the break, so the line
still renders the same.`,
	Before:   "Last word. \t⏎Next line.",
	After:    "Last word.⏎Next line.",
	Severity: Info,
	Fix:      SafeFix,
	Options: []Option{{
		Name:    "allow-hard-break",
		Default: true,
		Doc:     "allow exactly two trailing spaces after text, Markdown's hard line break",
	}},
	Run: runTrailingWhitespace,
})

func runTrailingWhitespace(p *Pass) {
	n := p.Note
	src := n.Src
	allowBreak := p.Bool("allow-hard-break")
	for _, l := range p.bodyLines() {
		ws := l.End
		for ws > l.Start && isHSpace(src[ws-1]) {
			ws--
		}
		if ws == l.End || hidden(n, vault.Span{Start: ws, End: l.End}) {
			continue
		}
		run := vault.Span{Start: ws, End: l.End}
		// A hard break needs text before it and ends in two spaces.
		hardBreak := allowBreak && ws > l.Start && l.End-ws >= 2 && src[l.End-1] == ' ' && src[l.End-2] == ' '
		switch {
		case hardBreak && run.Len() == 2:
		case hardBreak:
			p.Report(vault.Span{Start: ws, End: l.End - 2}, "trailing whitespace beyond a hard line break",
				fix.Edit{Start: ws, End: l.End - 2})
		default:
			p.Report(run, "trailing whitespace", fix.Edit{Start: ws, End: l.End})
		}
	}
}
