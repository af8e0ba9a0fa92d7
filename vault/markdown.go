package vault

import (
	"bytes"
	"sort"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/wikilink"
)

// This file adapts goldmark to Obsidian's syntax. goldmark finds the
// structure (code, HTML, headings, paragraphs, Markdown links); the
// wikilink package finds [[links]]; the parsers here wrap both to record
// each link's exact byte span, which the AST does not keep, and add the
// math syntax Obsidian has and CommonMark lacks.

// collector gathers, during one parse, what the AST alone cannot tell.
type collector struct {
	links map[ast.Node]mdLinkSpan // *ast.Link / *ast.Image → spans
	wikis int                     // how many wikilinks were parsed
	math  []Span

	// Where "[[" and "]]" are on the line being parsed (absolute
	// offsets), found once per line: searching the rest of the line at
	// every '[' would make a long line of brackets quadratic.
	lineEnd       int
	scanned       bool // lineEnd, opens and closes are set
	opens, closes []int
	// The same for the '$'s that close inline math (mathClosers).
	mathLineStart, mathLineEnd int
	dollars                    []int

	// texts, wikiNodes and paragraphs hold the nodes plainTextParser,
	// wikiParser and paragraphParser give goldmark (see nodeSlab), and
	// lines the paragraphs' lines.
	texts      nodeSlab[ast.Text]
	wikiNodes  nodeSlab[wikiNode]
	paragraphs nodeSlab[ast.Paragraph]
	lines      segmentsPool
}

// segmentsPool hands out the line lists of paragraphs, kept from parse
// to parse with their memory (offsets only, nothing of a note's text).
//
// A block holds its line list by value (ast.BaseBlock.SetLines copies
// it), so what a paragraph appends goes to the memory of the list handed
// out, which the pool keeps, but a list that grows beyond it moves to
// memory of its own, which the pool never sees. So each list is handed
// out empty with room for segmentsRoom lines: enough for most
// paragraphs. (Handed out with none, every paragraph allocated its
// first line.)
type segmentsPool struct {
	all  []*text.Segments
	used int
}

const segmentsRoom = 8

func (p *segmentsPool) next() *text.Segments {
	if p.used == len(p.all) {
		s := text.NewSegments()
		for range segmentsRoom {
			s.Append(text.Segment{})
		}
		p.all = append(p.all, s)
	}
	s := p.all[p.used]
	p.used++
	s.SetSliced(0, 0)
	return s
}

// release keeps at most keep lists.
func (p *segmentsPool) release(keep int) {
	p.used = 0
	if len(p.all) > keep {
		clear(p.all[keep:])
		p.all = p.all[:keep]
	}
}

// nodeSlab hands out nodes from chunks that a pooled collector keeps from
// parse to parse: a Text node for every run of plain text and a node for
// every wikilink were a fifth of the bytes a check allocated, and they
// are garbage as soon as the note's AST has been walked. A node handed
// out is zero; release zeroes the nodes used, so that the chunks hold
// nothing of the note parsed.
type nodeSlab[T any] struct {
	chunks [][]T
	used   int // nodes handed out: the first used of chunks, in order
}

const slabChunk = 64

func (s *nodeSlab[T]) next() *T {
	c, i := s.used/slabChunk, s.used%slabChunk
	if c == len(s.chunks) {
		s.chunks = append(s.chunks, make([]T, slabChunk))
	}
	s.used++
	return &s.chunks[c][i]
}

// release zeroes the nodes handed out and keeps at most keep chunks.
func (s *nodeSlab[T]) release(keep int) {
	for c := 0; c*slabChunk < s.used; c++ {
		clear(s.chunks[c][:min(slabChunk, s.used-c*slabChunk)])
	}
	s.used = 0
	if len(s.chunks) > keep {
		clear(s.chunks[keep:])
		s.chunks = s.chunks[:keep]
	}
}

// brackets returns the offsets of every "[[" and "]]" on the line that
// ends at stop, scanning it only the first time it is asked about.
func (c *collector) brackets(line []byte, seg text.Segment) (opens, closes []int) {
	if c.scanned && c.lineEnd == seg.Stop {
		return c.opens, c.closes
	}
	c.lineEnd, c.scanned = seg.Stop, true
	c.opens, c.closes = c.opens[:0], c.closes[:0]
	c.opens = appendIndexes(c.opens, line, "[[", seg.Start)
	c.closes = appendIndexes(c.closes, line, "]]", seg.Start)
	return c.opens, c.closes
}

// appendIndexes appends base+i for every i where pat starts in line,
// overlapping ones included ("[[[" holds "[[" twice), in order.
func appendIndexes(out []int, line []byte, pat string, base int) []int {
	for i := 0; ; i++ {
		k := bytes.Index(line[i:], []byte(pat))
		if k < 0 {
			return out
		}
		i += k
		out = append(out, base+i)
	}
}

// firstAtOrAfter returns the first offset in sorted offs that is >= at,
// or -1.
func firstAtOrAfter(offs []int, at int) int {
	i := sort.SearchInts(offs, at)
	if i < len(offs) {
		return offs[i]
	}
	return -1
}

type mdLinkSpan struct {
	close int // offset of the ']' that closes the link text
	end   int // offset just past the link
}

var collectorKey = parser.NewContextKey()

// collectors keeps collectors between parses: what one holds, a map and
// slices that grow with the note, was garbage after every note.
var collectors = sync.Pool{New: func() any { return &collector{links: map[ast.Node]mdLinkSpan{}} }}

func newCollector() *collector { return collectors.Get().(*collector) }

// release puts c back in the pool, keeping its memory (but for the
// nodes of a note of thousands of links) and nothing of the note it
// parsed.
func (c *collector) release() {
	clear(c.links)
	c.texts.release(16)
	c.wikiNodes.release(16)
	c.paragraphs.release(4)
	c.lines.release(256)
	*c = collector{links: c.links, opens: c.opens[:0], closes: c.closes[:0], math: c.math[:0],
		texts: c.texts, wikiNodes: c.wikiNodes, paragraphs: c.paragraphs, lines: c.lines}
	collectors.Put(c)
}

func collectorOf(pc parser.Context) *collector {
	c, _ := pc.Get(collectorKey).(*collector)
	return c
}

// newMarkdownParser builds the one goldmark parser every note goes
// through; goldmark parsers are safe for concurrent use. Without
// shortcuts, goldmark's own code does what plainTextParser and
// linkRefTransformer take shortcuts through (the tests compare the two).
func newMarkdownParser(shortcuts bool) parser.Parser {
	inlines := []util.PrioritizedValue{
		util.Prioritized(parser.NewCodeSpanParser(), 100),
		util.Prioritized(inlineMathParser{}, 150),
		util.Prioritized(wikiParser{pooled: shortcuts}, 199),
		util.Prioritized(linkParser{inner: parser.NewLinkParser()}, 200),
		util.Prioritized(parser.NewAutoLinkParser(), 300),
		util.Prioritized(parser.NewRawHTMLParser(), 400),
		// No emphasis parser: nothing vaultlint reads depends on *…* or
		// _…_ (links, code and HTML are found before emphasis is matched,
		// tags go by the source bytes), and matching delimiters was 7% of
		// a check's time (docs/performance.md).
	}
	paragraphs := parser.DefaultParagraphTransformers()
	if shortcuts {
		inlines = append(inlines, util.Prioritized(newPlainTextParser(inlines), 500))
		for i, t := range paragraphs {
			paragraphs[i].Value = linkRefTransformer{t.Value.(parser.ParagraphTransformer)}
		}
	}
	blocks := append(parser.DefaultBlockParsers(), util.Prioritized(mathBlockParser{}, 850))
	if shortcuts {
		for i, b := range blocks {
			if b.Value == parser.NewParagraphParser() {
				blocks[i].Value = paragraphParser{b.Value.(parser.BlockParser)}
			}
		}
	}
	return parser.NewParser(
		parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(inlines...),
		parser.WithParagraphTransformers(paragraphs...),
	)
}

// paragraphParser is goldmark's paragraph parser, but for the nodes and
// line lists it opens, which come from the collector's slabs: a
// paragraph (or list item's text) and its lines were a tenth of the
// bytes a check allocated, garbage once the note's AST has been walked.
// Open does what goldmark's does; the rest is goldmark's.
type paragraphParser struct{ parser.BlockParser }

func (p paragraphParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	c := collectorOf(pc)
	if c == nil {
		return p.BlockParser.Open(parent, reader, pc)
	}
	line, segment := reader.PeekLine()
	if util.IsBlank(line) {
		return nil, parser.NoChildren
	}
	node := c.paragraphs.next()
	node.SetLines(c.lines.next())
	node.Lines().Append(segment)
	reader.AdvanceToEOL()
	return node, parser.NoChildren
}

// wikiParser finds [[wikilinks]] and ![[embeds]]. It lets the wikilink
// package parse the ordinary ones and handles itself what that package
// cannot see: empty targets ("[[]]", "[[|x]]", "[[#]]"), empty labels
// ("[[x|]]"), and an inner "[[" ("[[Outer [[Inner]] x]]" links only
// Inner, links.md 5).
//
// A pooled parser takes its nodes from the collector's slab.
type wikiParser struct{ pooled bool }

// wikiNode is a wikilink.Node that also knows where it was written, so
// that nothing is looked up afterwards.
type wikiNode struct {
	wikilink.Node
	span Span // "[[…]]" or "![[…]]", relative to the parsed body
	// collected is false when the parse had no collector (a parser used
	// outside parseBody): such a node is not reported as a link.
	collected bool
}

func (wikiParser) Trigger() []byte { return []byte{'!', '['} }

func (p wikiParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	open := 2
	switch {
	case bytes.HasPrefix(line, []byte("[[")):
	case bytes.HasPrefix(line, []byte("![[")):
		open = 3
	default:
		return nil
	}
	var stop int
	if c := collectorOf(pc); c != nil {
		opens, closes := c.brackets(line, seg)
		close := firstAtOrAfter(closes, seg.Start+open)
		if close < 0 {
			return nil // a wikilink closes on its own line
		}
		if o := firstAtOrAfter(opens, seg.Start+open); o >= 0 && o+2 <= close {
			return nil // the inner [[ starts the real link
		}
		stop = close - seg.Start - open
	} else {
		stop = bytes.Index(line[open:], []byte("]]"))
		if stop < 0 || bytes.Contains(line[open:open+stop], []byte("[[")) {
			return nil
		}
	}
	inner := line[open : open+stop]
	start := seg.Start
	end := seg.Start + open + stop + 2
	// inner aliases the note's bytes, which are never written to.
	parts := SplitWikilink(bytesString(inner))
	c := collectorOf(pc)
	if c != nil {
		c.wikis++
	}
	var n *wikiNode
	if c != nil && p.pooled {
		n = c.wikiNodes.next()
	} else {
		n = &wikiNode{}
	}
	n.span, n.collected = Span{start, end}, c != nil
	n.Embed = open == 3
	if parts.TargetLen == 0 || (parts.HasDisplay && parts.Display == "") || parts.Path == "" && !parts.HasSubpath {
		n.Target = inner
		block.Advance(open + stop + 2)
	} else {
		// What wikilink.Parser.Parse does, from the line already at hand:
		// it copies the target with block.Value, which walks the
		// paragraph's lines from the last one back, so a paragraph of
		// many lines with a link on each was quadratic (a 1 MB note took
		// seconds, an 8 MB one minutes). Its nil cases are kept: an empty
		// target or label, split at the first '|'.
		target, label := inner, inner
		if i := bytes.IndexByte(inner, '|'); i >= 0 {
			target, label = inner[:i], inner[i+1:]
		}
		if len(target) == 0 || len(label) == 0 {
			return nil
		}
		n.Target = target[:len(target):len(target)]
		if i := bytes.LastIndexByte(n.Target, '#'); i >= 0 {
			n.Target, n.Fragment = n.Target[:i], n.Target[i+1:]
		}
		// The label is not made a child Text node, as wikilink does: the
		// link's text is read from its span, and one node less per link
		// is garbage the collector never sees.
		block.Advance(open + stop + 2)
	}
	return n
}

// plainTextParser takes a run of plain text at once. goldmark reads the
// text of paragraphs and headings a byte at a time, asking at each space
// and punctuation mark whether an inline parser starts there; that loop
// was a quarter of a check's time, and most of the text it reads starts
// nothing. goldmark offers each space (and each line's first byte, when
// it is not punctuation) to the parsers triggered by ' ', and none of
// the others is: so from there this one finds the next byte that another
// parser is triggered by (or a backslash, which escapes one), and makes
// the text before it one Text node, across the block's lines while they
// hold none. goldmark would have made a Text node of each line instead;
// nothing here reads Text nodes but inlineTags, which finds a tag by the
// bytes around its '#', and what lies between two lines of a block is
// whitespace and '>' (TestParserShortcuts compares every note's parse).
//
// Within parseBody its nodes come from the collector's slab.
//
// It declines (and goldmark reads on as it would without it) after a
// backslash, where goldmark's loop carries an escape that a node
// returned here would leave set, and at indentation goldmark keeps as
// padding.
type plainTextParser struct {
	stops *[256]bool // the bytes a run ends before
}

// newPlainTextParser returns a plainTextParser for a parser with these
// other inline parsers: a run ends before any byte that triggers one of
// them, a backslash or a line break.
func newPlainTextParser(others []util.PrioritizedValue) plainTextParser {
	stops := new([256]bool)
	for _, o := range others {
		for _, c := range o.Value.(parser.InlineParser).Trigger() {
			stops[c] = true
		}
	}
	for _, c := range []byte("\\\r\n") {
		stops[c] = true
	}
	if stops[' '] {
		panic("vault: plainTextParser would compete for ' '")
	}
	return plainTextParser{stops}
}

func (p plainTextParser) Trigger() []byte { return []byte{' '} }

func (p plainTextParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if seg.Padding != 0 || len(line) == 0 {
		return nil
	}
	if src := block.Source(); seg.Start > 0 && src[seg.Start-1] == '\\' {
		return nil
	}
	start, stop, soft := seg.Start, -1, false
	for {
		n := 0
		for n < len(line) && !p.stops[line[n]] {
			n++
		}
		brk := n < len(line) && (line[n] == '\n' || line[n] == '\r' && n+1 < len(line) && line[n+1] == '\n')
		if !brk && n < len(line) {
			// The run ends inside the line, before a byte that may start
			// something.
			if n > 0 {
				block.Advance(n)
				stop, soft = seg.Start+n, false
			}
			break
		}
		// The rest of the line is its break, if any: goldmark's text for
		// a line ends before trailing spaces, and the run goes on with the
		// next line.
		end := n
		for end > 0 && (line[end-1] == ' ' || line[end-1] == '\t') {
			end--
		}
		stop, soft = seg.Start+end, brk
		block.AdvanceLine()
		if line, seg = block.PeekLine(); line == nil || seg.Padding != 0 {
			break
		}
	}
	if stop < 0 {
		return nil
	}
	var t *ast.Text
	if c := collectorOf(pc); c != nil {
		t = c.texts.next()
		t.Segment = text.NewSegment(start, stop)
	} else {
		t = ast.NewTextSegment(text.NewSegment(start, stop))
	}
	t.SetSoftLineBreak(soft)
	return t
}

// linkRefTransformer passes to goldmark's paragraph transformer only the
// paragraphs that may start with a link reference definition ("[ref]:
// dest"). That transformer allocates a reader for every paragraph it is
// given, though it looks no further than the first byte that is not a
// space; the paragraphs are many, and so was the garbage. Nor can one
// that starts "[[" (a wikilink, often) start with a definition: the
// label's closing bracket is looked for without nesting, and a second
// '[' ends the search, unfound.
type linkRefTransformer struct{ inner parser.ParagraphTransformer }

func (t linkRefTransformer) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines, src := node.Lines(), reader.Source()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := seg.Value(src)
		for j, c := range line {
			if !util.IsSpace(c) {
				if c == '[' && (j+1 == len(line) || line[j+1] != '[') {
					t.inner.Transform(node, reader, pc)
				}
				return
			}
		}
	}
}

// linkParser wraps goldmark's own link parser to record where each
// Markdown link or image ends.
type linkParser struct{ inner parser.InlineParser }

func (p linkParser) Trigger() []byte { return p.inner.Trigger() }

// CloseBlock passes on goldmark's end-of-block call, which turns the
// brackets left open into text. Without it they stay open into the next
// block, and a ']' there makes goldmark index out of range ("[0\n\n]0").
func (p linkParser) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	if cb, ok := p.inner.(parser.CloseBlocker); ok {
		cb.CloseBlock(parent, block, pc)
	}
}

func (p linkParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	_, seg := block.PeekLine()
	closeAt := seg.Start
	n := p.inner.Parse(parent, block, pc)
	switch n.(type) {
	case *ast.Link, *ast.Image:
		if c := collectorOf(pc); c != nil {
			_, pos := block.Position()
			c.links[n] = mdLinkSpan{close: closeAt, end: pos.Start}
		}
	}
	return n
}

// inlineMathParser recognises $…$ and $$…$$ on one line, with Obsidian's
// (and pandoc's) rule that the opening '$' is not followed by a space and
// the closing one is neither preceded by a space nor followed by a digit,
// so that "$5 and $10" stays text.
type inlineMathParser struct{}

func (inlineMathParser) Trigger() []byte { return []byte{'$'} }

func (inlineMathParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	delim := 1
	if len(line) > 1 && line[1] == '$' {
		delim = 2
	}
	body := line[delim:]
	if len(body) == 0 || body[0] == ' ' || body[0] == '\t' || body[0] == '\n' || body[0] == '\r' {
		return nil
	}
	if end := mathEnd(line, seg, delim, collectorOf(pc)); end > 0 {
		return mathSpan(block, pc, seg.Start, end)
	}
	return nil
}

// mathEnd returns the length of the math that opens line (delim '$'s,
// then body), or 0 when it is not closed on the line. The body is read
// from its second byte on: a backslash escapes the byte after it; "$$"
// closes display math; a '$' closes inline math unless a space or tab
// precedes it or a digit follows it.
//
// Searching the rest of the line for every '$' would make a line of
// "$a $a $a …" quadratic (600 KB took minutes), so for inline math the
// collector lists once per line every '$' that closes whatever opened
// before it. Whether a '$' is escaped depends only on the backslashes
// right before it, counted from where the search starts; the list counts
// them from the start of the line, which differs only for a run of
// backslashes that begins where the search does: that run is walked here
// (each run once per line, as runs and openers do not overlap).
func mathEnd(line []byte, seg text.Segment, delim int, c *collector) int {
	body := line[delim:]
	if delim == 2 || c == nil {
		for i := 1; i < len(body); i++ {
			if body[i] == '\\' {
				i++
				continue
			}
			if body[i] == '\n' {
				return 0
			}
			if body[i] != '$' {
				continue
			}
			if delim == 2 {
				if i+1 < len(body) && body[i+1] == '$' {
					return delim + i + 2
				}
				continue
			}
			if body[i-1] == ' ' || body[i-1] == '\t' || i+1 < len(body) && body[i+1] >= '0' && body[i+1] <= '9' {
				continue
			}
			return delim + i + 1
		}
		return 0
	}
	// The search starts at body[1], line[2]; k is the first byte from
	// there that is not a backslash.
	k := 2
	for k < len(line) && line[k] == '\\' {
		k++
	}
	if k >= len(line) {
		return 0
	}
	if (k-2)%2 == 0 && closesMath(line, k) {
		return k + 1
	}
	closers := c.mathClosers(line, seg)
	if j := firstAtOrAfter(closers, seg.Start+k+1); j >= 0 {
		return j - seg.Start + 1
	}
	return 0
}

// closesMath reports whether the '$' at line[i] may close inline math,
// escapes aside.
func closesMath(line []byte, i int) bool {
	return line[i] == '$' && line[i-1] != ' ' && line[i-1] != '\t' &&
		!(i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '9')
}

// mathClosers returns the absolute offsets of the '$'s of the line ending
// at seg.Stop that close inline math: not escaped (an even run of
// backslashes before them), and closesMath. It scans the line only the
// first time it is asked about; a '$' before a line break never closes,
// as the search stops at the break.
func (c *collector) mathClosers(line []byte, seg text.Segment) []int {
	if c.mathLineEnd == seg.Stop && c.mathLineStart <= seg.Start && c.dollars != nil {
		return c.dollars
	}
	c.mathLineStart, c.mathLineEnd = seg.Start, seg.Stop
	c.dollars = []int{}
	run := 0 // backslashes right before i
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\':
			run++
			continue
		case line[i] == '\n':
			return c.dollars
		case i > 0 && run%2 == 0 && closesMath(line, i):
			c.dollars = append(c.dollars, seg.Start+i)
		}
		run = 0
	}
	return c.dollars
}

func mathSpan(block text.Reader, pc parser.Context, start, n int) ast.Node {
	if c := collectorOf(pc); c != nil {
		c.math = append(c.math, Span{start, start + n})
	}
	block.Advance(n)
	node := ast.NewString(nil)
	node.SetCode(true)
	return node
}

// mathBlock is a $$ … $$ display-math block spanning lines.
type mathBlock struct {
	ast.BaseBlock
}

var kindMathBlock = ast.NewNodeKind("MathBlock")

func (b *mathBlock) Kind() ast.NodeKind { return kindMathBlock }

func (b *mathBlock) Dump(src []byte, level int) { ast.DumpHelper(b, src, level, nil, nil) }

func (b *mathBlock) IsRaw() bool { return true }

type mathBlockParser struct{}

func (mathBlockParser) Trigger() []byte { return []byte{'$'} }

func (mathBlockParser) Open(_ ast.Node, reader text.Reader, _ parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := util.TrimLeftSpaceLength(line)
	if pos > 3 || !bytes.HasPrefix(line[pos:], []byte("$$")) {
		return nil, parser.NoChildren
	}
	rest := bytes.TrimSpace(line[pos+2:])
	b := &mathBlock{}
	b.Lines().Append(seg)
	reader.Advance(len(line) - 1)
	if bytes.HasSuffix(rest, []byte("$$")) {
		// "$$ x $$" on one line: the block is already closed.
		return b, parser.Close
	}
	return b, parser.NoChildren
}

func (mathBlockParser) Continue(node ast.Node, reader text.Reader, _ parser.Context) parser.State {
	line, seg := reader.PeekLine()
	if line == nil {
		return parser.Close
	}
	node.Lines().Append(seg)
	reader.Advance(len(line) - 1)
	if bytes.Contains(line, []byte("$$")) {
		return parser.Close
	}
	return parser.Continue | parser.NoChildren
}

func (mathBlockParser) Close(ast.Node, text.Reader, parser.Context) {}

func (mathBlockParser) CanInterruptParagraph() bool { return true }

func (mathBlockParser) CanAcceptIndentedLine() bool { return false }

// MaxNestingColumn bounds how deep quotes and lists may nest in a note.
// goldmark's work per line grows with the product of the nesting depth
// and the column the line's markers reach, so one line of 50,000 "> "
// took 10 s and a list indented one level more on each of 3,000 lines
// minutes; past this column a note is reported and not parsed. No note
// written by hand nests anywhere near it (128 list levels).
const MaxNestingColumn = 256

// deepNesting returns the first line whose leading quote and list
// markers, with the indentation among them, reach past MaxNestingColumn,
// and that column; 0, 0 when there is none. Only lines that hold a
// marker count: a deeply indented line of text opens nothing.
func deepNesting(src []byte) (line, col int) {
	line = 1
	for off := 0; off < len(src); line++ {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		col, markers := 0, 0
		for i := off; i < end; {
			switch c := src[i]; {
			case c == ' ':
				col++
			case c == '\t':
				col += 4 - col%4
			case c == '>':
				col++
				markers++
			case (c == '-' || c == '+' || c == '*') && (i+1 == end || src[i+1] == ' ' || src[i+1] == '\t'):
				col++
				markers++
			case c >= '0' && c <= '9':
				j := i
				for j < end && j-i < 9 && src[j] >= '0' && src[j] <= '9' {
					j++
				}
				if j == end || (src[j] != '.' && src[j] != ')') || (j+1 < end && src[j+1] != ' ' && src[j+1] != '\t') {
					i = end
					continue
				}
				col += j + 1 - i
				markers++
				i = j + 1
				continue
			default:
				i = end
				continue
			}
			i++
		}
		if markers > 0 && col > MaxNestingColumn {
			return line, col
		}
		off = end + 1
	}
	return 0, 0
}
