package rules

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// EmptyLink flags links that point nowhere: no path and no usable
// subpath.
var EmptyLink = Register(&Rule{
	ID:      "empty-link",
	Summary: "a link or embed with nothing to point at",
	Doc: `"[[]]", "![[]]", "[[|label]]", "[[#]]" and "[label]()" name no note,
heading or block: Obsidian shows them as links that lead nowhere, usually
left over from a template, a clipping tool or a deleted target. Self-links
such as "[[#Heading]]" and "[[#^block-id]]" are fine.

The fix keeps the label as plain text when there is one ("[[|label]]"
becomes "label"), and otherwise removes the link together with the space
before it, or its whole line when the link stands alone on it. An embed's
size ("![[|100]]") is not text and goes too. Links in the frontmatter are
reported without a fix: the property's value needs a person to decide.`,
	Before:   "See [[|the summary]] and [[]] below.",
	After:    "See the summary and below.",
	Severity: Error,
	Fix:      SafeFix,
	Run:      runEmptyLink,
})

func runEmptyLink(p *Pass) {
	for i := range p.Note.Links {
		l := &p.Note.Links[i]
		if l.InComment || !isEmptyLink(l) {
			continue
		}
		msg := emptyLinkMessage(l)
		if l.Kind == vault.FrontmatterLink {
			p.Report(l.Span, msg)
			continue
		}
		p.Report(l.Span, msg, emptyLinkFix(p.Note.Src, l))
	}
}

func isEmptyLink(l *vault.Link) bool {
	if l.Markdown {
		// "[t](#)" is left alone: HTML's idiom for "top of the page".
		return !l.Reference && !l.External && l.Target.Len() == 0 && l.Path == "" && !l.HasSubpath
	}
	// A subpath that strips to nothing names no heading; "^id" strips to
	// "id", so block self-links are kept.
	return l.Path == "" && vault.StripHeading(l.Subpath) == ""
}

func emptyLinkMessage(l *vault.Link) string {
	switch l.Kind {
	case vault.Embed:
		return "embed has no target"
	case vault.MarkdownLink:
		return "Markdown link has no destination"
	case vault.MarkdownImage:
		return "image has no destination"
	case vault.FrontmatterLink:
		return "frontmatter link has no target"
	}
	return "wikilink has no target"
}

// embedSize matches an embed's "|640x480" or "|100": a size, not a label.
var embedSize = regexp.MustCompile(`^[0-9]+(x[0-9]+)?$`)

// emptyLinkFix replaces the link by its label, or removes it without
// leaving a double space, a space at the end of the line, or a line that
// would now be blank and split its paragraph in two.
func emptyLinkFix(src []byte, l *vault.Link) fix.Edit {
	start, end := l.Span.Start, l.Span.End
	label := strings.Trim(l.Display, " \t")
	if l.Kind == vault.Embed && embedSize.MatchString(label) {
		label = ""
	}
	if l.HasDisplay && label != "" {
		return fix.Edit{Start: start, End: end, New: label}
	}
	lineStart, lineEnd := vault.LineStart(src, start), vault.LineEnd(src, end)
	before, after := src[lineStart:start], src[end:lineEnd]
	switch {
	case isBlank(before) && isBlank(after):
		next := len(src)
		if i := bytes.IndexByte(src[lineEnd:], '\n'); i >= 0 {
			next = lineEnd + i + 1
		}
		return fix.Edit{Start: lineStart, End: next}
	case len(before) > 0 && isHSpace(before[len(before)-1]) && (len(after) == 0 || isHSpace(after[0])):
		return fix.Edit{Start: start - 1, End: end}
	case len(before) == 0 && len(after) > 0 && isHSpace(after[0]):
		return fix.Edit{Start: start, End: end + 1}
	}
	return fix.Edit{Start: start, End: end}
}

// isHSpace reports whether c is whitespace within a line.
func isHSpace(c byte) bool { return c == ' ' || c == '\t' }
