package rules

import (
	"bytes"
	"slices"

	"github.com/vaultlint/vaultlint/vault"
)

// MalformedLink flags brackets that almost make a wikilink.
var MalformedLink = Register(&Rule{
	ID:      "malformed-link",
	Summary: "brackets that almost make a link",
	Doc: `A wikilink needs exactly two brackets on each side on one line. With one
too few or one too many, Obsidian shows the brackets as text and the note
links nowhere, which is easy to miss while typing.

Flagged: "[[Note]" (closed with one bracket), "[Note]]" (opened with
one), "[[[Note]]]" (three on each side) and "[[Note" with no "]]" later
on the line. What is legitimately Markdown is left alone: task boxes,
footnotes "[^1]", reference links "[text][ref]" and their definitions,
plain "[text]", brackets nested inside link text or around a link
("[see [[Note]]]"), callout markers "> [!note]", escaped brackets,
brackets in URLs, and anything in code, math, comments or HTML. When the
brackets around the text balance ("[[Note] more]"), only the "]|" of a
botched label ("[[Note]|label]") shows it was meant as a link.

There is no fix: which bracket is wrong, and what was meant, is for the
writer to decide.`,
	Before:   "See [[Note] and [Other]].",
	After:    "See [[Note]] and [[Other]].",
	Severity: Warning,
	Fix:      NoFix,
	Run:      runMalformedLink,
})

func runMalformedLink(p *Pass) {
	n := p.Note
	src := n.Src
	masked := maskedSpans(n)
	m := &malformed{p: p, src: src}
	for i := range n.Links {
		l := &n.Links[i]
		if (l.Kind == vault.WikiLink || l.Kind == vault.Embed) && !hidden(n, l.Span) {
			m.tripleBrackets(l)
		}
	}
	brackets := bracketFinder{src: src, open: -1, close: -1}
	at := 0        // index into masked, which only moves forward as brackets do
	var toks []int // offsets of the brackets that count on a line
	for _, l := range p.bodyLines() {
		toks = toks[:0]
		for i := l.Start; i < l.End; i++ {
			if i = brackets.next(i); i >= l.End {
				break
			}
			for at < len(masked) && masked[at].End <= i {
				at++
			}
			if at < len(masked) && masked[at].Start <= i {
				i = masked[at].End - 1
				continue
			}
			if !escaped(src, l.Start, i) && !inURL(src, masked[:at], l.Start, l.End, i) {
				toks = append(toks, i)
			}
		}
		if len(toks) > 0 {
			m.line(l, toks)
		}
	}
}

// bracketFinder finds the next '[' or ']' of a note from offsets that
// only grow. It keeps where the next of each is, found with
// bytes.IndexByte: most of a note is between brackets, and two searches
// that each skip ahead run far faster than a loop testing every byte
// for both.
type bracketFinder struct {
	src         []byte
	open, close int // the next '[' and ']' at or after where last asked; len(src) for none
}

// next returns the offset of the first '[' or ']' at or after i, or
// len(src).
func (b *bracketFinder) next(i int) int {
	if b.open < i {
		b.open = indexFrom(b.src, i, '[')
	}
	if b.close < i {
		b.close = indexFrom(b.src, i, ']')
	}
	return min(b.open, b.close)
}

// indexFrom returns the offset of the first c at or after i, or len(src).
func indexFrom(src []byte, i int, c byte) int {
	if j := bytes.IndexByte(src[i:], c); j >= 0 {
		return i + j
	}
	return len(src)
}

// inURL reports whether the bracket at i is part of a bare URL: an
// unmasked "://" comes before it on its line with no unmasked space or
// tab in between (a bare URL may hold brackets). before holds the masked
// spans that end at or before i, sorted.
func inURL(src []byte, before []vault.Span, lineStart, lineEnd, i int) bool {
	m := len(before) - 1
	for j := i - 1; j >= lineStart; j-- {
		for m >= 0 && before[m].Start > j {
			m--
		}
		if m >= 0 && before[m].End > j {
			j = before[m].Start // skipped, like every masked byte
			continue
		}
		switch src[j] {
		case ' ', '\t':
			return false
		case ':':
			if bytes.HasPrefix(src[j+1:lineEnd], []byte("//")) {
				return true
			}
		}
	}
	return false
}

type malformed struct {
	p   *Pass
	src []byte
	// lastClose is where the last "]]" of the current line starts, or -1,
	// so that asking whether a "[[" is ever closed costs nothing.
	lastClose int
}

// maskedSpans returns, sorted and merged, the stretches of the note where
// brackets are not this rule's business: code, math, comments, HTML, and
// every real link (whose text may hold brackets of its own).
func maskedSpans(n *vault.Note) []vault.Span {
	spans := make([]vault.Span, 0, len(n.Ranges)+len(n.Links))
	for _, r := range n.Ranges {
		spans = append(spans, r.Span)
	}
	for _, l := range n.Links {
		if l.Kind != vault.FrontmatterLink {
			spans = append(spans, l.Span)
		}
	}
	slices.SortFunc(spans, func(a, b vault.Span) int { return a.Start - b.Start })
	out := spans[:0]
	for _, s := range spans {
		if len(out) > 0 && s.Start <= out[len(out)-1].End {
			out[len(out)-1].End = max(out[len(out)-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

// escaped reports whether the byte at i follows an odd number of
// backslashes on its line.
func escaped(src []byte, lineStart, i int) bool {
	k := i
	for k > lineStart && src[k-1] == '\\' {
		k--
	}
	return (i-k)%2 == 1
}

// tripleBrackets reports "[[[Note]]]". Obsidian reads the first "[[" as
// the link's start, so the parsed link may take in the third "[" or not;
// both shapes are checked.
func (m *malformed) tripleBrackets(l *vault.Link) {
	src := m.src
	start, end := l.Span.Start, l.Span.End
	if l.Kind == vault.Embed {
		start++
	}
	switch {
	case bytes.HasPrefix(src[start:], []byte("[[[")):
	case start > 0 && src[start-1] == '[' && bytes.HasPrefix(src[start:], []byte("[[")):
		start--
	default:
		return
	}
	if end >= len(src) || src[end] != ']' || (start > 0 && src[start-1] == '[') {
		return
	}
	if end+1 < len(src) && bytes.IndexByte([]byte("]([:"), src[end+1]) >= 0 {
		// "[[[Note]]](url)" is a Markdown link whose text is a wikilink.
		return
	}
	if l.Kind == vault.Embed {
		start--
	}
	m.p.Reportf(vault.Span{Start: start, End: end + 1}, "%q has three brackets on each side; a link takes two", src[start:end+1])
}

// line checks the brackets of one line of prose, at offsets toks.
func (m *malformed) line(l lineAt, toks []int) {
	src := m.src
	m.lastClose = bytes.LastIndex(src[l.Start:l.End], []byte("]]"))
	if m.lastClose >= 0 {
		m.lastClose += l.Start
	}
	// unmatched[k] is true for a bracket with no partner on the line.
	unmatched := make([]bool, len(toks))
	var stack []int
	for k, i := range toks {
		if src[i] == '[' {
			stack = append(stack, k)
			continue
		}
		if len(stack) == 0 {
			unmatched[k] = true
			continue
		}
		stack = stack[:len(stack)-1]
	}
	for _, k := range stack {
		unmatched[k] = true
	}
	// run returns how many brackets like the one at toks[k] stand side by
	// side from it: "[[[x]" is not "[[x]".
	run := func(k int) int {
		c := src[toks[k]]
		n := 1
		for k+n < len(toks) && toks[k+n] == toks[k]+n && src[toks[k+n]] == c {
			n++
		}
		return n
	}
	for k := 0; k < len(toks); {
		i := toks[k]
		n := run(k)
		if src[i] != '[' || (i > l.Start && (src[i-1] == '[' || src[i-1] == ']')) {
			// A bracket after "]" is a reference label ("[x][y]"); after
			// a "[" that does not count, the run is longer than it looks.
			k += n
			continue
		}
		switch n {
		case 2:
			m.doubleOpen(l, toks, unmatched, k)
		case 1:
			m.singleOpen(l, toks, unmatched, k, run)
		}
		k += n
	}
}

// doubleOpen checks "[[" at toks[k]: "[[Note]", or "[[Note" never closed.
func (m *malformed) doubleOpen(l lineAt, toks []int, unmatched []bool, k int) {
	src := m.src
	open := toks[k]
	text := open + 2
	if text >= l.End || bytes.IndexByte([]byte(" \t[]"), src[text]) >= 0 {
		return // "[[ " is prose about brackets more often than a link
	}
	if k+2 < len(toks) && src[toks[k+2]] == ']' {
		c := toks[k+2]
		after := byte(0)
		if c+1 < l.End {
			after = src[c+1]
		}
		inner := src[text:c]
		if after == ']' || after == '[' || after == ':' || bytes.ContainsAny(inner, "[]") || inner[0] == '^' {
			return // more brackets, a reference or definition, a footnote
		}
		if !unmatched[k] && after != '|' {
			return // "[[1] more]": brackets that balance, not a link
		}
		start := m.bang(open)
		m.p.Reportf(vault.Span{Start: start, End: c + 1}, "link %q is closed with \"]\" instead of \"]]\"", src[start:c+1])
		return
	}
	if !unmatched[k] || m.lastClose >= text {
		return
	}
	start := m.bang(open)
	m.p.Reportf(vault.Span{Start: start, End: text}, "%q opens a link that is not closed on this line", src[start:text])
}

// singleOpen checks "[" at toks[k] for "[Note]]".
func (m *malformed) singleOpen(l lineAt, toks []int, unmatched []bool, k int, run func(int) int) {
	src := m.src
	if k+1 >= len(toks) || src[toks[k+1]] != ']' || run(k+1) != 2 {
		return
	}
	open, c := toks[k], toks[k+1]
	if c+2 < l.End && src[c+2] == ']' {
		return
	}
	inner := src[open+1 : c]
	if isBlank(inner) || bytes.ContainsAny(inner, "[]") || inner[0] == '^' || inner[0] == '!' {
		return // a task box, a footnote, a callout marker
	}
	if !unmatched[k+2] {
		return // "[see [Note]]": the second "]" closes an earlier "["
	}
	start := m.bang(open)
	m.p.Reportf(vault.Span{Start: start, End: c + 2}, "link %q is opened with \"[\" instead of \"[[\"", src[start:c+2])
}

// bang widens a span to take in the "!" of an embed.
func (m *malformed) bang(open int) int {
	if open > 0 && m.src[open-1] == '!' {
		return open - 1
	}
	return open
}
