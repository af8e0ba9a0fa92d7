package vault

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// splitFrontmatter finds the frontmatter block: "---" alone on the first
// line (after an optional BOM), closed by "---" or "..." alone on a line.
// It returns nil when the note has none. An unclosed block is returned
// with Err set, an empty Content and a Span of the opening line only.
func splitFrontmatter(src []byte, bom int) *Frontmatter {
	first := lineText(src, bom)
	if string(bytes.TrimRight(first, " \t")) != "---" {
		return nil
	}
	contentStart := nextLine(src, bom)
	if contentStart == len(src) {
		// "---" and nothing after it: a thematic break, not frontmatter,
		// with or without a final line break (so that adding one does
		// not turn the note into one with broken frontmatter).
		return nil
	}
	fm := &Frontmatter{Line: 2}
	for off := contentStart; off < len(src); off = nextLine(src, off) {
		t := string(bytes.TrimRight(lineText(src, off), " \t"))
		if t == "---" || t == "..." {
			fm.Content = Span{contentStart, off}
			fm.Span = Span{bom, nextLine(src, off)}
			return fm
		}
	}
	// Obsidian reads what follows an unclosed "---" as Markdown, and so
	// does Parse: the block is only its opening line.
	fm.Span = Span{bom, contentStart}
	fm.Content = Span{contentStart, contentStart}
	fm.Err = &FrontmatterError{Offset: bom, Msg: "frontmatter is not closed: no \"---\" line ends it"}
	return fm
}

// lineText returns the line starting at off, without its line break.
func lineText(src []byte, off int) []byte {
	return src[off:LineEnd(src, off)]
}

// nextLine returns the offset of the line after the one holding off.
func nextLine(src []byte, off int) int {
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(src)
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserErrors are the messages of yaml.v3's parser (parserc.go), as
// opposed to its scanner: their "line N" is 0-based.
var yamlParserErrors = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// parseFrontmatter runs YAML over the block and records the first error
// at its line. It never panics: yaml.v3 has panicked on hostile input in
// the past, and one note must not stop a vault.
func parseFrontmatter(src []byte, fm *Frontmatter) {
	if fm.Err != nil {
		return
	}
	content := src[fm.Content.Start:fm.Content.End]
	if len(bytes.TrimSpace(content)) == 0 {
		return
	}
	var doc yaml.Node
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("yaml: %v", r)
			}
		}()
		return yaml.Unmarshal(content, &doc)
	}()
	if err != nil {
		msg := err.Error()
		off := fm.Content.Start
		if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			msg = m[2]
			if yamlParserErrors[msg] {
				// yaml.v3 adds 1 to the 0-based line of scanner errors
				// only; the parser's come out one line early.
				n++
			}
			off = fm.offset(src, n, 1)
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		fm.Err = &FrontmatterError{Offset: off, Msg: "invalid YAML: " + msg}
		return
	}
	if len(doc.Content) == 0 {
		return
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	if root.Kind != yaml.MappingNode {
		fm.Err = &FrontmatterError{Offset: fm.offset(src, root.Line, root.Column),
			Msg: "frontmatter must be a mapping of properties (key: value), not a " + kindName(root)}
		return
	}
	if dup := findDuplicateKey(root); dup != nil {
		fm.Err = &FrontmatterError{Offset: fm.offset(src, dup.Line, dup.Column),
			Msg: fmt.Sprintf("duplicate property %q", dup.Value)}
		return
	}
	fm.Root = root
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}

func findDuplicateKey(n *yaml.Node) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode {
				if seen[k.Value] {
					return k
				}
				seen[k.Value] = true
			}
			if d := findDuplicateKey(n.Content[i+1]); d != nil {
				return d
			}
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if d := findDuplicateKey(c); d != nil {
				return d
			}
		}
	}
	return nil
}

// offset converts a yaml.v3 position (1-based line within the YAML text,
// 1-based column in characters) to a byte offset in the note. Lines are
// counted as yaml.v3 counts them: a lone "\r", NEL, LS and PS end a line
// too, so a note with any of them still maps to the right bytes.
func (fm *Frontmatter) offset(src []byte, line, col int) int {
	off, end := fm.Content.Start, fm.Content.End
	for l := 1; l < line && off < end; l++ {
		for off < end && yamlBreak(src[off:end]) == 0 {
			// Jump to the next byte that can start a break: '\r', '\n',
			// or the first byte of U+0085, U+2028 or U+2029 (a break's
			// first byte is never inside a character).
			off++
			for off < end && src[off] != '\r' && src[off] != '\n' && src[off] != 0xc2 && src[off] != 0xe2 {
				off++
			}
		}
		off += yamlBreak(src[off:end])
	}
	for c := 1; c < col && off < end && yamlBreak(src[off:end]) == 0; c++ {
		_, w := utf8.DecodeRune(src[off:end])
		off += w
	}
	return off
}

// yamlBreak returns the length of the line break b starts with, as
// yaml.v3 reads breaks (is_break in its yamlprivateh.go), or 0.
func yamlBreak(b []byte) int {
	switch {
	case bytes.HasPrefix(b, []byte("\r\n")):
		return 2
	case len(b) > 0 && (b[0] == '\r' || b[0] == '\n'):
		return 1
	case bytes.HasPrefix(b, []byte("\u0085")):
		return 2
	case bytes.HasPrefix(b, []byte("\u2028")), bytes.HasPrefix(b, []byte("\u2029")):
		return 3
	}
	return 0
}

// NodeOffset returns the byte offset in the note where a YAML node of the
// frontmatter starts.
func (n *Note) NodeOffset(node *yaml.Node) int {
	if n.Frontmatter == nil {
		return 0
	}
	return n.Frontmatter.offset(n.Src, node.Line, node.Column)
}

// Property returns the key and value nodes of a top-level property, or
// nils when it is absent or the frontmatter is invalid.
func (n *Note) Property(name string) (key, value *yaml.Node) {
	if n.Frontmatter == nil || n.Frontmatter.Root == nil {
		return nil, nil
	}
	c := n.Frontmatter.Root.Content
	for i := 0; i+1 < len(c); i += 2 {
		if c[i].Value == name {
			return c[i], c[i+1]
		}
	}
	return nil, nil
}

var fmMarkdownLinkRe = regexp.MustCompile(`^\[([^\]]*)\]\((.*)\)$`)

// frontmatterLinks finds the property values that Obsidian reads as
// links (links.md 8): a string that is exactly "[[…]]", or since
// Obsidian 1.11 "[text](dest)". An unquoted [[X]] is YAML's nested list
// and never reaches here as a string.
func frontmatterLinks(n *Note, node *yaml.Node, out []Link) []Link {
	switch node.Kind {
	case yaml.MappingNode:
		for i := 1; i < len(node.Content); i += 2 {
			out = frontmatterLinks(n, node.Content[i], out)
		}
	case yaml.SequenceNode:
		for _, c := range node.Content {
			out = frontmatterLinks(n, c, out)
		}
	case yaml.ScalarNode:
		if node.Tag != "!!str" || node.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return out
		}
		v := node.Value
		if l, ok := frontmatterLink(n, node, v); ok {
			out = append(out, l)
		}
	}
	return out
}

func frontmatterLink(n *Note, node *yaml.Node, v string) (Link, bool) {
	var l Link
	l.Kind = FrontmatterLink
	switch {
	case strings.HasPrefix(v, "[[") && strings.HasSuffix(v, "]]") && len(v) >= 4:
		inner := v[2 : len(v)-2]
		if strings.Contains(inner, "]]") || strings.Contains(inner, "[[") || strings.ContainsAny(inner, "\n\r") {
			return l, false
		}
		p := SplitWikilink(inner)
		l.Path, l.Subpath, l.HasSubpath, l.Display, l.HasDisplay = p.Path, p.Subpath, p.HasSubpath, p.Display, p.HasDisplay
		l.Span, l.Target = scalarSpans(n, node, v, 2, p.TargetLen)
	case strings.HasPrefix(v, "[") && strings.HasSuffix(v, ")"):
		m := fmMarkdownLinkRe.FindStringSubmatch(v)
		if m == nil {
			return l, false
		}
		dest := strings.TrimSpace(m[2])
		destOff := len(m[1]) + 3 + strings.Index(m[2], dest)
		if strings.HasPrefix(dest, "<") && strings.HasSuffix(dest, ">") {
			dest = dest[1 : len(dest)-1]
			destOff++
			l.Angle = true
		} else if strings.ContainsAny(dest, " \t") {
			return l, false
		}
		d := SplitDestination(dest)
		l.Markdown = true
		l.Path, l.Subpath, l.HasSubpath, l.External = d.Path, d.Subpath, d.HasSubpath, d.External
		l.Display, l.HasDisplay = m[1], true
		l.Span, l.Target = scalarSpans(n, node, v, destOff, len(dest))
	default:
		return l, false
	}
	return l, true
}

// scalarSpans locates a link held in a YAML scalar. When the scalar's
// source text is the value itself (plain, or quoted without escapes) the
// spans point at the link text; otherwise they cover the whole quoted
// scalar and Target is empty, so no fix rewrites what it cannot map.
func scalarSpans(n *Note, node *yaml.Node, v string, targetOff, targetLen int) (Span, Span) {
	whole, at := n.scalarSource(node, v)
	if at < 0 {
		return whole, Span{whole.Start, whole.Start}
	}
	return Span{at, at + len(v)}, Span{at + targetOff, at + targetOff + targetLen}
}

// scalarSource finds a scalar's text in the note: whole covers it as
// written (quotes included; to the end of its first line when its end
// cannot be told), and at is where its value v is written verbatim, or
// -1 when escapes or line folding make the source differ from v.
func (n *Note) scalarSource(node *yaml.Node, v string) (whole Span, at int) {
	src, limit := n.Src, n.Frontmatter.Content.End
	off := n.NodeOffset(node)
	// yaml.v3 places a node at its anchor or tag ("&a", "!!str") when it
	// has one; the scalar follows it.
	for off < limit && (src[off] == '&' || src[off] == '!') {
		for off < limit && !isSpaceByte(src[off]) {
			off++
		}
		for off < limit && isSpaceByte(src[off]) {
			off++
		}
	}
	inner, end := off, -1
	switch {
	case node.Style&yaml.DoubleQuotedStyle != 0 && off < limit && src[off] == '"':
		inner++
		for i := inner; i < limit; i++ {
			if src[i] == '\\' {
				i++
			} else if src[i] == '"' {
				end = i + 1
				break
			}
		}
	case node.Style&yaml.SingleQuotedStyle != 0 && off < limit && src[off] == '\'':
		inner++
		for i := inner; i < limit; i++ {
			if src[i] == '\'' {
				if i+1 < limit && src[i+1] == '\'' {
					i++
					continue
				}
				end = i + 1
				break
			}
		}
	}
	if end < 0 {
		end = max(LineEnd(src, off), off)
	}
	whole = Span{off, end}
	if inner+len(v) <= whole.End && string(src[inner:inner+len(v)]) == v &&
		(inner == off || inner+len(v) == end-1) {
		return whole, inner
	}
	return whole, -1
}
