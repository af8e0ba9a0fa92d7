package vault

import (
	"sort"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Span is a half-open byte range [Start, End) into a note's Src.
type Span struct{ Start, End int }

// Len returns the number of bytes in the span.
func (s Span) Len() int { return s.End - s.Start }

// Contains reports whether off lies inside the span.
func (s Span) Contains(off int) bool { return off >= s.Start && off < s.End }

// LinkKind says how a link is written.
type LinkKind uint8

// The kinds of link a note can hold.
const (
	WikiLink        LinkKind = iota + 1 // [[Target]]
	Embed                               // ![[Target]]
	MarkdownLink                        // [text](dest)
	MarkdownImage                       // ![alt](dest)
	FrontmatterLink                     // "[[Target]]" or "[text](dest)" as a property value
)

// String returns the kind's name as the CLI prints it.
func (k LinkKind) String() string {
	switch k {
	case WikiLink:
		return "wikilink"
	case Embed:
		return "embed"
	case MarkdownLink:
		return "markdown"
	case MarkdownImage:
		return "image"
	case FrontmatterLink:
		return "frontmatter"
	}
	return "unknown"
}

// Link is one link found in a note, split as links.md 10–13 says.
type Link struct {
	// The strings come first and the flags last: the garbage collector
	// scans a Link only up to its last pointer, and the flags pack into
	// one word (88 bytes a link; a loaded vault holds millions).

	// Path is the file part, decoded (percent-decoding for Markdown links),
	// without the subpath. Empty means the note itself.
	Path string
	// Subpath is what follows the first '#': "H1#H2" or "^block-id".
	Subpath string
	// Display is the text after '|' (wikilinks) or between the brackets
	// (Markdown links).
	Display string
	// Span covers the whole link as written: "[[…]]", "![[…]]", "[…](…)",
	// or, in frontmatter, the quoted scalar's link text.
	Span Span
	// Target covers the path and subpath as written (undecoded), so that a
	// fix can rewrite where the link points and keep everything else.
	Target Span
	Kind   LinkKind
	// HasSubpath distinguishes "[[Note#]]" from "[[Note]]".
	HasSubpath bool
	HasDisplay bool
	// Markdown is true for "[text](dest)" syntax, including in frontmatter.
	Markdown bool
	// Angle is true when a Markdown destination was written "<…>".
	Angle bool
	// External marks a URL destination ("https:", "mailto:", …): not a
	// vault link at all. Only Markdown-syntax links can be external.
	External bool
	// Reference marks a reference-style Markdown link ("[t][ref]"); its
	// destination is written elsewhere, so Target is empty.
	Reference bool
	// InComment is true inside "%% … %%": Obsidian still counts the link.
	InComment bool
}

// IsEmbed reports whether the link embeds its target (![[…]] or ![…](…)).
func (l *Link) IsEmbed() bool { return l.Kind == Embed || l.Kind == MarkdownImage }

// Heading is an ATX or setext heading.
type Heading struct {
	Level int
	Text  string // the heading's text as written, without the # marks
	Span  Span   // the whole heading line(s)
}

// Block is a "^id" block identifier.
type Block struct {
	ID   string
	Span Span // the "^id" text
}

// Tag is an inline "#tag" or an entry of the tags property.
type Tag struct {
	Name          string // without the leading '#'
	Span          Span
	InFrontmatter bool
}

// RangeKind names a stretch of a note that most rules must not look into.
type RangeKind uint8

// Kinds of excluded range.
const (
	CodeRange    RangeKind = iota + 1 // fenced or indented code block, or inline code
	MathRange                         // $…$ or $$…$$
	CommentRange                      // %% … %%
	HTMLRange                         // HTML block, inline HTML or <!-- comment -->
)

// Range is a span of a note of one kind.
type Range struct {
	Kind RangeKind
	Span Span
}

// Frontmatter is the YAML block at the top of a note.
type Frontmatter struct {
	// Span covers everything from the opening "---" line to the end of the
	// closing line, including its line break; only the opening line when
	// the block is not closed.
	Span Span
	// Content covers the YAML text between the delimiter lines.
	Content Span
	// Line is the 1-based line of the first YAML line in the file.
	Line int
	// Root is the top-level mapping; nil when the YAML is empty or invalid.
	Root *yaml.Node
	// Err is set when the block is unclosed or YAML rejects it.
	Err *FrontmatterError
}

// FrontmatterError describes frontmatter that Obsidian cannot read.
type FrontmatterError struct {
	Offset int // byte offset in the note where the problem is
	Msg    string
}

func (e *FrontmatterError) Error() string { return e.Msg }

// Note is a parsed Markdown note. It keeps the source bytes and the facts
// rules need, never the syntax tree.
type Note struct {
	Path string // vault-relative, '/'-separated, NFC
	Src  []byte // the exact bytes read
	// BOM is 3 when the file starts with a UTF-8 byte order mark.
	BOM int
	// Frontmatter is nil when the note has none.
	Frontmatter *Frontmatter
	// Body is where the Markdown after the frontmatter starts.
	Body     int
	Links    []Link
	Headings []Heading
	Blocks   []Block
	Tags     []Tag
	// Ranges are sorted by start and do not overlap.
	Ranges []Range
	// Excluded is true for notes matched by userIgnoreFilters or ignore
	// globs: still link targets, never reported.
	Excluded bool
	file     *File

	// strip holds StripHeading of each heading's text and its foldHash,
	// made when the note is parsed: every link to a heading compares it
	// with each heading of its target, and made there, from text just
	// read, they cost a fraction of what they cost the first link to look,
	// with the target long out of the caches. Copies of the note share it.
	strip headingKeys
	// released is set once ReleaseSource has dropped Src.
	released *released
}

type headingKeys struct {
	keys  []string
	folds []uint64 // foldHash of each key
}

// strippedHeadings returns StripHeading of each heading's text, and the
// foldHash of each.
func (n *Note) strippedHeadings() ([]string, []uint64) {
	if k := &n.strip; len(k.keys) == len(n.Headings) {
		return k.keys, k.folds
	}
	// A note built by hand: nothing kept.
	return stripAll(n.Headings)
}

func stripAll(hs []Heading) ([]string, []uint64) {
	keys, folds := make([]string, len(hs)), make([]uint64, len(hs))
	for i := range hs {
		keys[i] = StripHeading(hs[i].Text)
		folds[i] = foldHash(keys[i])
	}
	return keys, folds
}

// foldHash hashes an ASCII string case-insensitively, so that two ASCII
// strings that are equal under strings.EqualFold hash alike; it returns
// 0, "compare to be sure", for any other string (EqualFold matches some
// non-ASCII runes with ASCII ones: the Kelvin sign with "k"). Looking a
// heading up compares these numbers, in one array, before any text.
func foldHash(s string) uint64 {
	h := uint64(14695981039346656037) // FNV-1a
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return 0
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h | 1 // never 0
}

// File returns the vault file this note was read from (nil for a note
// parsed on its own).
func (n *Note) File() *File { return n.file }

// RangeAt returns the excluded range holding off, if any.
func (n *Note) RangeAt(off int) (Range, bool) {
	i := sort.Search(len(n.Ranges), func(i int) bool { return n.Ranges[i].Span.End > off })
	if i < len(n.Ranges) && n.Ranges[i].Span.Start <= off {
		return n.Ranges[i], true
	}
	return Range{}, false
}

// Overlaps reports whether any excluded range (of the given kinds, or of
// any kind when none are given) intersects s.
func (n *Note) Overlaps(s Span, kinds ...RangeKind) bool {
	i := sort.Search(len(n.Ranges), func(i int) bool { return n.Ranges[i].Span.End > s.Start })
	for ; i < len(n.Ranges) && n.Ranges[i].Span.Start < s.End; i++ {
		if len(kinds) == 0 {
			return true
		}
		for _, k := range kinds {
			if n.Ranges[i].Kind == k {
				return true
			}
		}
	}
	return false
}

// InFrontmatter reports whether off lies inside the frontmatter block.
func (n *Note) InFrontmatter(off int) bool {
	return n.Frontmatter != nil && n.Frontmatter.Span.Contains(off)
}

// Position converts a byte offset to a 1-based line and a 1-based column
// counted in Unicode code points, as editors and the CLI contract expect.
func (n *Note) Position(off int) (line, col int) {
	return Position(n.Src, off)
}

// Position converts a byte offset in src to a 1-based line and a 1-based
// column counted in code points. A BOM at the start is not counted.
func Position(src []byte, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	line = 1
	start := 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	if start == 0 && len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF && off >= 3 {
		start = 3
	}
	return line, utf8.RuneCount(src[start:off]) + 1
}

// LineStart returns the offset of the start of the line holding off.
func LineStart(src []byte, off int) int {
	for off > 0 && src[off-1] != '\n' {
		off--
	}
	return off
}

// LineEnd returns the offset where the line holding off ends, before its
// "\n" or "\r\n", or len(src) for a last line without a break.
func LineEnd(src []byte, off int) int {
	for off < len(src) && src[off] != '\n' {
		off++
	}
	if off < len(src) && off > 0 && src[off-1] == '\r' {
		return off - 1
	}
	return off
}

// Aliases returns the note's aliases (the "aliases" property, or the old
// "alias"), as strings; a single string counts as one alias.
func (n *Note) Aliases() []string {
	if n.released != nil {
		return n.released.aliases
	}
	var out []string
	for _, key := range []string{"aliases", "alias"} {
		_, v := n.Property(key)
		if v == nil {
			continue
		}
		switch v.Kind {
		case yaml.ScalarNode:
			if v.Tag != "!!null" && v.Value != "" {
				out = append(out, v.Value)
			}
		case yaml.SequenceNode:
			for _, c := range v.Content {
				if c.Kind == yaml.ScalarNode && c.Tag != "!!null" && c.Value != "" {
					out = append(out, c.Value)
				}
			}
		}
	}
	return out
}
