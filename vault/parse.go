package vault

import (
	"bytes"
	"sort"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"gopkg.in/yaml.v3"
)

var mdParser = newMarkdownParser(true)

// Parse parses one note. The note keeps src, and strings in it share
// src's bytes: the caller must not modify src afterwards. It never fails: what Obsidian cannot read (bad
// YAML, an unclosed frontmatter) is recorded on the note for the rules to
// report. path is the note's vault path, used only to name it.
func Parse(path string, src []byte) *Note { return parseWith(mdParser, path, src) }

func parseWith(md parser.Parser, path string, src []byte) *Note {
	n := &Note{Path: path, Src: src}
	if bytes.HasPrefix(src, []byte("\xEF\xBB\xBF")) {
		n.BOM = 3
	}
	n.Body = n.BOM
	if fm := splitFrontmatter(src, n.BOM); fm != nil {
		parseFrontmatter(src, fm)
		n.Frontmatter = fm
		if fm.Err == nil || fm.Content.Len() > 0 {
			n.Body = fm.Span.End
		}
		if fm.Root != nil {
			n.Links = frontmatterLinks(n, fm.Root, n.Links)
			n.Tags = frontmatterTags(n, n.Tags)
		}
	}
	parseBody(md, n)
	// A loaded vault keeps every note's slices: trim append's slack.
	n.Links = trim(n.Links)
	n.Headings = trim(n.Headings)
	n.Blocks = trim(n.Blocks)
	n.Tags = trim(n.Tags)
	n.Ranges = trim(n.Ranges)
	if len(n.Headings) > 0 {
		n.strip.keys, n.strip.folds = stripAll(n.Headings)
	}
	return n
}

// trim returns xs in an array of its length, when that saves much.
func trim[T any](xs []T) []T {
	if len(xs) == 0 {
		return nil
	}
	if cap(xs)-len(xs) < 4 {
		return xs
	}
	return append(make([]T, 0, len(xs)), xs...)
}

func parseBody(md parser.Parser, n *Note) {
	base := n.Body
	body := n.Src[base:]
	c := newCollector()
	defer c.release()
	pc := parser.NewContext()
	pc.Set(collectorKey, c)
	doc := md.Parse(text.NewReader(body), parser.WithContext(pc))

	var ranges []Range
	add := func(k RangeKind, s Span) {
		if s.End > s.Start {
			ranges = append(ranges, Range{k, Span{s.Start + base, s.End + base}})
		}
	}
	// The links are counted as they are parsed: sized once, the slice is
	// not regrown and copied as it fills (it was a tenth of the bytes a
	// check allocates).
	fm := len(n.Links) // frontmatter links come first
	all := make([]Link, fm, fm+c.wikis+len(c.links))
	copy(all, n.Links)
	links := all[fm:]
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := node.(type) {
		case *ast.FencedCodeBlock:
			add(CodeRange, fencedSpan(body, x))
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock:
			add(CodeRange, linesSpan(body, x.Lines()))
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			s := linesSpan(body, x.Lines())
			if x.HasClosure() {
				s.End = lineEndWithBreak(body, x.ClosureLine.Start)
			}
			add(HTMLRange, s)
			return ast.WalkSkipChildren, nil
		case *mathBlock:
			add(MathRange, linesSpan(body, x.Lines()))
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			add(CodeRange, codeSpanSpan(body, x.Pos()))
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			if x.Segments.Len() > 0 {
				add(HTMLRange, Span{x.Segments.At(0).Start, x.Segments.At(x.Segments.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			n.Headings = append(n.Headings, heading(body, base, x))
		case *ast.Paragraph, *ast.TextBlock:
			if b, ok := blockID(body, base, x.Lines()); ok {
				n.Blocks = append(n.Blocks, b)
			}
		case *ast.Text:
			n.Tags = inlineTags(body, base, x.Segment, n.Tags)
		case *wikiNode:
			if x.collected {
				links = append(links, wikiLink(body, base, x))
			}
			return ast.WalkSkipChildren, nil
		case *ast.Link, *ast.Image:
			if s, ok := c.links[x]; ok {
				links = append(links, markdownLink(body, base, x, s))
			}
			if _, ok := x.(*ast.Image); ok {
				return ast.WalkSkipChildren, nil
			}
		}
		return ast.WalkContinue, nil
	})
	for _, m := range c.math {
		add(MathRange, m)
	}
	sort.Slice(ranges, func(i, j int) bool { return ranges[i].Span.Start < ranges[j].Span.Start })
	n.Ranges = ranges
	comments := findComments(n.Src, base, n.Ranges)
	if len(comments) > 0 {
		n.Ranges = mergeRanges(n.Ranges, comments)
		inComment := func(off int) bool {
			r, ok := n.RangeAt(off)
			return ok && r.Kind == CommentRange
		}
		for i := range links {
			links[i].InComment = inComment(links[i].Span.Start)
		}
		n.Headings = filterSpans(n.Headings, func(h Heading) bool { return !inComment(h.Span.Start) })
		n.Blocks = filterSpans(n.Blocks, func(b Block) bool { return !inComment(b.Span.Start) })
		n.Tags = filterSpans(n.Tags, func(t Tag) bool { return t.InFrontmatter || !inComment(t.Span.Start) })
	}
	if len(links) > 0 && &links[0] != &all[:fm+1][fm] {
		// Outgrew the count: links has moved to an array of its own.
		all = append(all[:fm], links...)
	} else {
		all = all[:fm+len(links)]
	}
	n.Links = all
}

func filterSpans[T any](xs []T, keep func(T) bool) []T {
	out := xs[:0]
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func wikiLink(body []byte, base int, x *wikiNode) Link {
	open := 2
	kind := WikiLink
	if x.Embed {
		open, kind = 3, Embed
	}
	p := SplitWikilink(bytesString(body[x.span.Start+open : x.span.End-2]))
	s := Span{x.span.Start + base, x.span.End + base}
	return Link{
		Kind: kind, Span: s,
		Target: Span{s.Start + open, s.Start + open + p.TargetLen},
		Path:   p.Path, Subpath: p.Subpath, HasSubpath: p.HasSubpath,
		Display: p.Display, HasDisplay: p.HasDisplay,
	}
}

func markdownLink(body []byte, base int, node ast.Node, s mdLinkSpan) Link {
	l := Link{Kind: MarkdownLink, Markdown: true}
	start := node.Pos() // the '[', or the '!' of an image
	label := start + 1
	var dest []byte
	switch x := node.(type) {
	case *ast.Link:
		dest = x.Destination
		l.Reference = x.Reference != nil
	case *ast.Image:
		l.Kind = MarkdownImage
		label++
		dest = x.Destination
		l.Reference = x.Reference != nil
	}
	l.Span = Span{start + base, s.end + base}
	l.Display, l.HasDisplay = bytesString(body[label:s.close]), true
	if !l.Reference && s.close+1 < len(body) && body[s.close+1] == '(' {
		ds := destinationSpan(body, s.close+2, s.end)
		if ds.Start < ds.End && body[ds.Start] == '<' {
			l.Angle = true
			ds = Span{ds.Start + 1, ds.End - 1}
		}
		l.Target = Span{ds.Start + base, ds.End + base}
		dest = body[ds.Start:ds.End]
	}
	d := SplitDestination(bytesString(dest))
	l.Path, l.Subpath, l.HasSubpath, l.External = d.Path, d.Subpath, d.HasSubpath, d.External
	return l
}

// destinationSpan finds the destination inside "(dest "title")" that
// goldmark has already accepted, so only its ends need finding.
func destinationSpan(body []byte, start, end int) Span {
	i := start
	for i < end && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r') {
		i++
	}
	if i < end && body[i] == '<' {
		j := i + 1
		for j < end && body[j] != '>' {
			if body[j] == '\\' {
				j++
			}
			j++
		}
		return Span{i, min(j+1, end)}
	}
	j, depth := i, 0
	for ; j < end; j++ {
		c := body[j]
		if c == '\\' {
			j++
			continue
		}
		if c == '(' {
			depth++
		} else if c == ')' {
			if depth == 0 {
				break
			}
			depth--
		} else if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			break
		}
	}
	return Span{i, min(j, end)}
}

// blockPos returns where goldmark says a block starts, kept inside body:
// after a tab that goldmark expands into spaces (">\t#") it can point
// past the block's line, even past the end.
func blockPos(body []byte, x ast.Node) int { return min(max(x.Pos(), 0), len(body)) }

func linesSpan(body []byte, lines *text.Segments) Span {
	if lines.Len() == 0 {
		return Span{}
	}
	first, last := lines.At(0), lines.At(lines.Len()-1)
	return Span{LineStart(body, first.Start), lineEndWithBreak(body, max(last.Stop-1, last.Start))}
}

// lineEndWithBreak returns the offset just past the line break of the
// line holding off.
func lineEndWithBreak(body []byte, off int) int { return nextLine(body, min(off, len(body))) }

// fencedSpan covers a fenced code block from its opening fence to the end
// of its closing fence (or of the note, when it is never closed).
func fencedSpan(body []byte, x *ast.FencedCodeBlock) Span {
	start := LineStart(body, blockPos(body, x))
	var off int
	if x.Lines().Len() > 0 {
		last := x.Lines().At(x.Lines().Len() - 1)
		off = lineEndWithBreak(body, max(last.Stop-1, last.Start))
	} else {
		off = nextLine(body, start)
	}
	// The closing fence, when there is one, is the next line.
	if off < len(body) {
		t := bytes.TrimLeft(lineText(body, off), " ")
		if bytes.HasPrefix(t, []byte("```")) || bytes.HasPrefix(t, []byte("~~~")) {
			off = nextLine(body, off)
		}
	}
	return Span{start, off}
}

func codeSpanSpan(body []byte, pos int) Span {
	if pos < 0 || pos >= len(body) {
		return Span{}
	}
	ticks := 0
	for pos+ticks < len(body) && body[pos+ticks] == '`' {
		ticks++
	}
	for i := pos + ticks; i < len(body); {
		if body[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(body) && body[j] == '`' {
			j++
		}
		if j-i == ticks {
			return Span{pos, j}
		}
		i = j
	}
	return Span{pos, len(body)}
}

func heading(body []byte, base int, x *ast.Heading) Heading {
	h := Heading{Level: x.Level}
	var start, end int
	if x.Lines().Len() > 0 {
		first, last := x.Lines().At(0), x.Lines().At(x.Lines().Len()-1)
		start = LineStart(body, first.Start)
		if x.Lines().Len() == 1 {
			h.Text = bytesString(bytes.TrimSpace(first.Value(body)))
		} else {
			var txt []byte
			for i := 0; i < x.Lines().Len(); i++ {
				seg := x.Lines().At(i)
				if i > 0 {
					txt = append(txt, ' ')
				}
				txt = append(txt, bytes.TrimSpace(seg.Value(body))...)
			}
			h.Text = string(txt)
		}
		end = LineEnd(body, max(last.Stop-1, last.Start))
	} else {
		// An empty ATX heading has no text to place it by: it is on the
		// line of the last '#' at or before its position.
		p := blockPos(body, x)
		for p > 0 && (p == len(body) || body[p] != '#') {
			p--
		}
		start = LineStart(body, p)
		end = LineEnd(body, start)
	}
	if x.Lines().Len() > 0 && !afterHashes(body, x.Lines().At(0).Start) {
		// A setext heading: its underline belongs to it. Testing the line's
		// first byte instead would take "> # H" in a quote for one.
		end = LineEnd(body, nextLine(body, end))
	}
	h.Span = Span{start + base, end + base}
	return h
}

// afterHashes reports whether the text at off follows an ATX heading's
// '#' marks on its line; a setext heading's text starts its line, after
// nothing but indentation and container marks ("> ", "- ").
func afterHashes(body []byte, off int) bool {
	for off > 0 && (body[off-1] == ' ' || body[off-1] == '\t') {
		off--
	}
	return off > 0 && body[off-1] == '#'
}

// blockID finds a " ^id" at the end of a paragraph's last line, or a
// "^id" alone on it (links.md 22).
func blockID(body []byte, base int, lines *text.Segments) (Block, bool) {
	if lines.Len() == 0 {
		return Block{}, false
	}
	seg := lines.At(lines.Len() - 1)
	line := bytes.TrimRight(seg.Value(body), "\r\n")
	start, end, ok := blockIDAtEnd(line)
	if !ok {
		return Block{}, false
	}
	return Block{ID: bytesString(line[start:end]), Span: Span{seg.Start + start - 1 + base, seg.Start + end + base}}, true
}

// blockIDAtEnd finds " ^id" (or "^id" alone) at the end of a line, spaces
// after it allowed, and returns where the id is. A regular expression
// here backtracked over every long paragraph line: a third of the time
// of a whole check.
func blockIDAtEnd(line []byte) (start, end int, ok bool) {
	end = len(line)
	for end > 0 && (line[end-1] == ' ' || line[end-1] == '\t') {
		end--
	}
	start = end
	for start > 0 {
		c := line[start-1]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' {
			start--
			continue
		}
		break
	}
	if start == end || start == 0 || line[start-1] != '^' {
		return 0, 0, false
	}
	if caret := start - 1; caret > 0 && line[caret-1] != ' ' && line[caret-1] != '\t' {
		return 0, 0, false
	}
	return start, end, true
}

// inlineTags finds "#tag" in a text segment: a '#' at the start of a line
// or after whitespace, followed by characters Obsidian allows in tags.
func inlineTags(body []byte, base int, seg text.Segment, out []Tag) []Tag {
	for i := seg.Start; i < seg.Stop; i++ {
		k := bytes.IndexByte(body[i:seg.Stop], '#')
		if k < 0 {
			break
		}
		i += k
		if i > 0 && !isSpaceByte(body[i-1]) {
			continue
		}
		// The tag may run past the segment: goldmark ends a text segment
		// at every '_' or '*' that could open emphasis ("#my_tag").
		j := i + 1
		for j < len(body) {
			r, w := utf8.DecodeRune(body[j:])
			if !IsTagRune(r) {
				break
			}
			j += w
		}
		if j > i+1 {
			out = append(out, Tag{Name: bytesString(body[i+1 : j]), Span: Span{i + base, j + base}})
		}
		i = j - 1
	}
	return out
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// IsTagRune reports whether r may appear in a tag name: anything but
// whitespace and ASCII punctuation other than '_', '-' and '/'.
func IsTagRune(r rune) bool {
	if r == '_' || r == '-' || r == '/' {
		return true
	}
	if r < 0x80 {
		return r > ' ' && r != 0x7f && !(r >= '!' && r <= '/' || r >= ':' && r <= '@' || r >= '[' && r <= '`' || r >= '{' && r <= '~')
	}
	return r != utf8.RuneError && r != 0x3000 && r != 0xA0
}

func frontmatterTags(n *Note, out []Tag) []Tag {
	for _, key := range []string{"tags", "tag"} {
		_, v := n.Property(key)
		if v == nil {
			continue
		}
		items := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			items = v.Content
		}
		for _, s := range items {
			if s.Kind != yaml.ScalarNode || s.Tag == "!!null" {
				continue
			}
			sp, at := n.scalarSource(s, s.Value)
			if at >= 0 {
				sp = Span{at, at + len(s.Value)}
			}
			out = append(out, Tag{Name: s.Value, Span: sp, InFrontmatter: true})
		}
	}
	return out
}

// findComments finds Obsidian comments "%% … %%" outside code, math and
// HTML. A comment may span lines; an unclosed one runs to the end of the
// note, as in Obsidian.
func findComments(src []byte, from int, ranges []Range) []Range {
	var out []Range
	skip := func(off int) int {
		i := sort.Search(len(ranges), func(i int) bool { return ranges[i].Span.End > off })
		if i < len(ranges) && ranges[i].Span.Start <= off {
			return ranges[i].Span.End
		}
		return -1
	}
	open := -1
	for i := from; i+1 < len(src); i++ {
		if src[i] != '%' || src[i+1] != '%' {
			k := bytes.IndexByte(src[i+1:], '%') // jump to the next '%'
			if k < 0 {
				break
			}
			i += k // the loop's i++ lands on it
			continue
		}
		if e := skip(i); e >= 0 && open < 0 {
			i = e - 1
			continue
		}
		if open < 0 {
			open = i
			i++
			continue
		}
		out = append(out, Range{CommentRange, Span{open, i + 2}})
		open = -1
		i++
	}
	if open >= 0 {
		out = append(out, Range{CommentRange, Span{open, len(src)}})
	}
	return out
}

// mergeRanges merges comment ranges into the sorted ranges: a range inside
// a comment is dropped, since the comment now covers it.
func mergeRanges(ranges, comments []Range) []Range {
	all := append(append([]Range(nil), ranges...), comments...)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Span.Start != all[j].Span.Start {
			return all[i].Span.Start < all[j].Span.Start
		}
		return all[i].Span.End > all[j].Span.End
	})
	out := all[:0]
	for _, r := range all {
		if len(out) > 0 && r.Span.Start < out[len(out)-1].Span.End {
			if r.Span.End > out[len(out)-1].Span.End && r.Kind == CommentRange {
				out[len(out)-1].Span.End = r.Span.End
			}
			continue
		}
		out = append(out, r)
	}
	return out
}
