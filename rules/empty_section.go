package rules

import (
	"bytes"
	"fmt"
)

// EmptySection flags a heading with nothing under it.
var EmptySection = Register(&Rule{
	ID:      "empty-section",
	Summary: "a heading should have something below it",
	Doc: `A heading followed by nothing but blank lines before the next heading
of the same or a higher level (or the end of the note) is an empty
section: often a placeholder from a template ("# References") that was
never filled in, or a heading whose text moved elsewhere. A subheading
counts as content of its parent, so "# A" followed by "## B" and text is
fine, while "## B" followed directly by "# C" is empty. Anything else
below a heading counts as content, even a comment or a code block.
Headings inside code blocks and comments are not headings. There is no
fix: fill the section in or delete the heading.`,
	Before: `# Notes
Some text.

# References
`,
	After: `# Notes
Some text.
`,
	Severity: Info,
	Fix:      NoFix,
	Run:      runEmptySection,
})

func runEmptySection(p *Pass) {
	n := p.Note
	hs := n.Headings
	for i, h := range hs {
		end := len(n.Src)
		if i+1 < len(hs) {
			if hs[i+1].Level > h.Level {
				continue // a subheading is content
			}
			end = hs[i+1].Span.Start
		}
		if len(bytes.Trim(n.Src[h.Span.End:end], " \t\r\n")) > 0 {
			continue
		}
		if h.Text == "" {
			p.Report(h.Span, "section under an empty heading is empty")
			continue
		}
		p.Report(h.Span, fmt.Sprintf("section %q is empty", h.Text))
	}
}
