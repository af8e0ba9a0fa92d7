package rules

import (
	"fmt"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// RedundantLinkLabel flags "[[Note|Note]]": a label that repeats the
// link's own text.
var RedundantLinkLabel = Register(&Rule{
	ID:      "redundant-link-label",
	Summary: "a wikilink label identical to the link's target",
	Doc: `"[[Note|Note]]" shows the same text as "[[Note]]" and only makes the
link longer to read and to edit; renaming the note later updates the
target but leaves the stale label behind. The label must equal the
target as written, letter for letter: "[[Note|note]]" chooses how the link
reads and is left alone. Links with a subpath are left alone: Obsidian
shows "[[Note#Part]]" as "Note > Part", so "[[Note#Part|Note#Part]]" reads
differently. Embeds are left alone too: their label is a size or a
caption.

The fix removes the label and its "|" (or a table's "\|"). A link in
the frontmatter is fixed the same way when its text is written in the
note exactly as YAML reads it.`,
	Before:   "Read [[Design Notes|Design Notes]] first.",
	After:    "Read [[Design Notes]] first.",
	Severity: Info,
	Fix:      SafeFix,
	Run:      runRedundantLinkLabel,
})

func runRedundantLinkLabel(p *Pass) {
	n := p.Note
	for i := range n.Links {
		l := &n.Links[i]
		if l.Markdown || !l.HasDisplay || isEmptyLink(l) || (l.Kind != vault.WikiLink && l.Kind != vault.FrontmatterLink) {
			continue
		}
		if l.Kind == vault.WikiLink && hidden(n, l.Span) {
			continue
		}
		// With a subpath, Obsidian shows "[[Note#H]]" as "Note > H": a
		// label "Note#H" is then not what the reader would see without it.
		if l.HasSubpath || l.Display != l.Path {
			continue
		}
		msg := fmt.Sprintf("label %q repeats the link's target", l.Display)
		// What lies between the target and "]]" is the separator and
		// the label; check it, since a frontmatter link's spans are only
		// exact when YAML had nothing to unescape.
		sep, end := l.Target.End, l.Span.End-2
		if l.Target.Len() == 0 || end < sep || !isSeparatorAndLabel(string(n.Src[sep:end]), l.Display) {
			p.Report(l.Span, msg)
			continue
		}
		p.Report(l.Span, msg, fix.Edit{Start: sep, End: end})
	}
}

func isSeparatorAndLabel(s, label string) bool {
	return s == "|"+label || s == `\|`+label
}
