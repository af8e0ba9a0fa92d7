package rules

import (
	"bytes"
	"fmt"
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// LinkSpacing flags the stray whitespace that clipping and auto-linking
// tools leave around and inside wikilinks.
var LinkSpacing = Register(&Rule{
	ID:      "link-spacing",
	Summary: "extra whitespace around or inside a wikilink",
	Doc: `Tools that turn words into links often leave the spaces around the
word behind: two spaces after or before the link, a space between the link
and the punctuation that follows it, or spaces just inside the brackets.
Reading view shows them as gaps in the sentence.

Flagged: two or more spaces or tabs right after "]]" or right before "[["
with text on both sides; any space between "]]" and a following
". , ; : ! ? )" or closing quote; whitespace after "[[", around the "|"
(or a table's "\|") and before "]]". Indentation, list markers and table
alignment are not artifacts, and a space that may be deliberate is left
alone: before an ellipsis "...", an emoticon ":)", an opening quote, or a
")" whose "(" is followed by a space too.

The fix shrinks a gap between words to one space and removes the other
whitespace.`,
	Before:   `US [[Envoy|envoy]]  Steve had "[[Constructive| constructive]] " talks.`,
	After:    `US [[Envoy|envoy]] Steve had "[[Constructive|constructive]]" talks.`,
	Severity: Warning,
	Fix:      SafeFix,
	Run:      runLinkSpacing,
})

type linkSpacing struct {
	p   *Pass
	src []byte
	// reported holds the start of each whitespace run already reported:
	// the gap between two links is "after" one and "before" the other.
	reported map[int]bool

	// The line of the current link, and what lies on it before the link,
	// counted as the links of the line are visited in order: rescanning
	// the line for each link made a line of many links quadratic.
	lineStart, lineEnd int
	scanned            int // bytes of the line before here are counted
	quotes             int // '"' in [lineStart, scanned)
	lastParen          int // offset of the last '(' before scanned, or -1
}

// line moves to the line holding the link at off.
func (c *linkSpacing) line(start, end int) {
	if start >= c.lineStart && end <= c.lineEnd && c.lineEnd > 0 && start >= c.scanned {
		return
	}
	c.lineStart, c.lineEnd = vault.LineStart(c.src, start), vault.LineEnd(c.src, end)
	c.scanned, c.quotes, c.lastParen = c.lineStart, 0, -1
}

// countTo counts quotes and notes the last '(' up to off on the line.
func (c *linkSpacing) countTo(off int) {
	for ; c.scanned < off; c.scanned++ {
		switch c.src[c.scanned] {
		case '"':
			c.quotes++
		case '(':
			c.lastParen = c.scanned
		}
	}
}

func runLinkSpacing(p *Pass) {
	c := &linkSpacing{p: p, src: p.Note.Src, reported: map[int]bool{}}
	for i := range p.Note.Links {
		l := &p.Note.Links[i]
		if (l.Kind != vault.WikiLink && l.Kind != vault.Embed) || l.InComment || hidden(p.Note, l.Span) {
			continue
		}
		c.line(l.Span.Start, l.Span.End)
		c.countTo(l.Span.Start)
		c.after(l, c.lineEnd)
		c.before(l, c.lineStart)
		c.inside(l)
	}
}

func (c *linkSpacing) report(start, end int, msg string, edit fix.Edit) {
	if c.reported[start] {
		return
	}
	c.reported[start] = true
	c.p.Report(vault.Span{Start: start, End: end}, msg, edit)
}

// oneSpace makes a run of spaces and tabs one space, keeping a leading
// space as it is.
func oneSpace(src []byte, start, end int) fix.Edit {
	if src[start] == ' ' {
		return fix.Edit{Start: start + 1, End: end}
	}
	return fix.Edit{Start: start, End: end, New: " "}
}

// after checks the whitespace between "]]" and what follows on the line.
// Whitespace that ends the line is trailing-whitespace's business.
func (c *linkSpacing) after(l *vault.Link, lineEnd int) {
	src := c.src
	ws := l.Span.End
	next := ws
	for next < lineEnd && isHSpace(src[next]) {
		next++
	}
	if next == ws || next == lineEnd {
		return
	}
	if r, ok := c.closerAfterLink(next, lineEnd); ok {
		c.report(ws, next, fmt.Sprintf("space between link and %q", string(r)), fix.Edit{Start: ws, End: next})
		return
	}
	if next-ws >= 2 && src[next] != '|' {
		c.report(ws, next, "extra spaces after link", oneSpace(src, ws, next))
	}
}

// closerAfterLink returns the punctuation mark or closing quote at off
// that should follow the link with no space, if it is one.
func (c *linkSpacing) closerAfterLink(off, lineEnd int) (rune, bool) {
	src := c.src
	r, w := utf8.DecodeRune(src[off:lineEnd])
	rest := src[off+w : lineEnd]
	var follow rune = -1 // -1: the line ends
	if len(rest) > 0 {
		follow, _ = utf8.DecodeRune(rest)
	}
	ends := follow == -1 || follow == ' ' || follow == '\t'
	switch r {
	case '.':
		if follow == '.' {
			return 0, false // an ellipsis set off by spaces
		}
	case ':', ';':
		if !ends {
			return 0, false // an emoticon ":)", a Dataview "::", a time
		}
		return r, true
	case ')':
		if open := c.lastParen; open >= 0 && isHSpace(src[open+1]) {
			return 0, false // "( [[Link]] )": spaced on purpose
		}
	case '"':
		if c.quotes%2 == 0 {
			return 0, false // no quote is open on this line: this one opens
		}
	case ',', '!', '?', '\u201d', '\u2019':
	default:
		return 0, false
	}
	if ends || closesAfterPunct(follow) {
		return r, true
	}
	return 0, false
}

// closesAfterPunct reports whether r may follow a closing punctuation mark
// directly: more punctuation, a closing quote or bracket, emphasis.
func closesAfterPunct(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', ')', ']', '"', '\u201d', '\u2019', '*', '_', '~', '=':
		return true
	}
	return false
}

// linkLinePrefix matches what may stand before a link at the start of a line
// with any spacing: indentation, quote markers, a list marker with its
// task box, heading marks.
var linkLinePrefix = regexp.MustCompile(`^[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]+\[.\])?|#{1,6})?$`)

// before checks the whitespace between the text before a link and "[[".
func (c *linkSpacing) before(l *vault.Link, lineStart int) {
	src := c.src
	end := l.Span.Start
	ws := end
	for ws > lineStart && isHSpace(src[ws-1]) {
		ws--
	}
	if end-ws < 2 || ws == lineStart || src[ws-1] == '|' || linkLinePrefix.Match(src[lineStart:ws]) {
		return
	}
	c.report(ws, end, "extra spaces before link", oneSpace(src, ws, end))
}

// inside checks the whitespace just inside the brackets and around the
// "|", which rules.md counts as artifacts to remove. A link that is all
// whitespace is left alone, as is whitespace that keeps the shown text
// apart from a neighbouring word ("word[[ Note]]").
func (c *linkSpacing) inside(l *vault.Link) {
	src := c.src
	open, end := l.Span.Start+2, l.Span.End-2
	if l.Kind == vault.Embed {
		open++
	}
	if isBlank(src[open:end]) {
		return
	}
	pipe := bytes.IndexByte(src[open:end], '|')
	if pipe < 0 {
		c.edges(l, open, end, `"[["`, `"]]"`, true)
		return
	}
	pipe += open
	sep := `"|"`
	targetEnd := pipe
	if pipe > open && src[pipe-1] == '\\' {
		targetEnd--
		sep = `"\|"`
	}
	if !isBlank(src[open:targetEnd]) {
		c.edges(l, open, targetEnd, `"[["`, sep, false)
	}
	if !isBlank(src[pipe+1 : end]) {
		c.edges(l, pipe+1, end, `"|"`, `"]]"`, true)
	}
}

// edges reports leading and trailing whitespace of src[start:end], named
// by the marks on either side. visible is true when this text is what
// reading view shows for the link.
func (c *linkSpacing) edges(l *vault.Link, start, end int, openMark, closeMark string, visible bool) {
	src := c.src
	guard := visible && l.Kind == vault.WikiLink
	i := start
	for i < end && isHSpace(src[i]) {
		i++
	}
	if i > start && !(guard && wordRuneBefore(src, l.Span.Start)) {
		c.report(start, i, "space after "+openMark+" in link", fix.Edit{Start: start, End: i})
	}
	j := end
	for j > i && isHSpace(src[j-1]) {
		j--
	}
	if j < end && !(guard && wordRuneAt(src, l.Span.End)) {
		c.report(j, end, "space before "+closeMark+" in link", fix.Edit{Start: j, End: end})
	}
}

func wordRuneBefore(src []byte, off int) bool {
	r, _ := utf8.DecodeLastRune(src[:off])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func wordRuneAt(src []byte, off int) bool {
	r, _ := utf8.DecodeRune(src[off:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
