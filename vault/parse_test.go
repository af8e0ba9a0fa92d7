package vault_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/vault"
)

// at shows a span as "line:col text", with the text the note holds there.
func at(n *vault.Note, s vault.Span) string {
	line, col := n.Position(s.Start)
	return fmt.Sprintf("%d:%d %q", line, col, n.Src[s.Start:s.End])
}

func fmtLinks(n *vault.Note) []string {
	var out []string
	for _, l := range n.Links {
		s := fmt.Sprintf("%s %s target=%q path=%q", at(n, l.Span), l.Kind, n.Src[l.Target.Start:l.Target.End], l.Path)
		if l.HasSubpath {
			s += fmt.Sprintf(" sub=%q", l.Subpath)
		}
		if l.HasDisplay {
			s += fmt.Sprintf(" disp=%q", l.Display)
		}
		for _, f := range []struct {
			on   bool
			name string
		}{{l.Angle, "angle"}, {l.External, "external"}, {l.Reference, "ref"}, {l.InComment, "comment"}} {
			if f.on {
				s += " " + f.name
			}
		}
		out = append(out, s)
	}
	return out
}

func fmtHeadings(n *vault.Note) []string {
	var out []string
	for _, h := range n.Headings {
		out = append(out, fmt.Sprintf("%s h%d %q", at(n, h.Span), h.Level, h.Text))
	}
	return out
}

func fmtBlocks(n *vault.Note) []string {
	var out []string
	for _, b := range n.Blocks {
		out = append(out, fmt.Sprintf("%s %s", at(n, b.Span), b.ID))
	}
	return out
}

func fmtTags(n *vault.Note) []string {
	var out []string
	for _, t := range n.Tags {
		s := fmt.Sprintf("%s %s", at(n, t.Span), t.Name)
		if t.InFrontmatter {
			s += " fm"
		}
		out = append(out, s)
	}
	return out
}

var rangeNames = map[vault.RangeKind]string{
	vault.CodeRange: "code", vault.MathRange: "math", vault.CommentRange: "comment", vault.HTMLRange: "html",
}

func fmtRanges(n *vault.Note) []string {
	var out []string
	for _, r := range n.Ranges {
		out = append(out, fmt.Sprintf("%s %s", at(n, r.Span), rangeNames[r.Kind]))
	}
	return out
}

// diffLines reports the first difference between two lists of lines.
func diffLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	t.Errorf("%s:\ngot:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
}

type parseCase struct {
	name, src string
	links     []string
	headings  []string
	blocks    []string
	tags      []string
	ranges    []string
}

func runParseCases(t *testing.T, cases []parseCase, check func(*testing.T, *vault.Note, parseCase)) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := vault.Parse("n.md", []byte(tc.src))
			checkInvariants(t, n)
			check(t, n, tc)
		})
	}
}

func TestParseLinks(t *testing.T) {
	cases := []parseCase{
		{name: "kinds", src: "[[A]] ![[b.png]] [t](C.md) ![alt](d.png)\n", links: []string{
			`1:1 "[[A]]" wikilink target="A" path="A"`,
			`1:7 "![[b.png]]" embed target="b.png" path="b.png"`,
			`1:18 "[t](C.md)" markdown target="C.md" path="C.md" disp="t"`,
			`1:28 "![alt](d.png)" image target="d.png" path="d.png" disp="alt"`,
		}},
		{name: "path, subpath and display", src: "x [[Folder/Note#H1#H2|Label]] [[N#^blk-1]] [[#Self]] [[#^id]]\n", links: []string{
			`1:3 "[[Folder/Note#H1#H2|Label]]" wikilink target="Folder/Note#H1#H2" path="Folder/Note" sub="H1#H2" disp="Label"`,
			`1:31 "[[N#^blk-1]]" wikilink target="N#^blk-1" path="N" sub="^blk-1"`,
			`1:44 "[[#Self]]" wikilink target="#Self" path="" sub="Self"`,
			`1:54 "[[#^id]]" wikilink target="#^id" path="" sub="^id"`,
		}},
		{name: "lone ] does not close", src: "[[Sq]uare]]\n", links: []string{
			`1:1 "[[Sq]uare]]" wikilink target="Sq]uare" path="Sq]uare"`,
		}},
		{name: "inner [[ starts the link", src: "[[Outer [[Inner]] x]]\n", links: []string{
			`1:9 "[[Inner]]" wikilink target="Inner" path="Inner"`,
		}},
		{name: "escaped pipe in a table", src: "| a | b |\n| --- | --- |\n| [[A\\|B]] | ![[p.png\\|100]] |\n", links: []string{
			`3:3 "[[A\\|B]]" wikilink target="A" path="A" disp="B"`,
			`3:14 "![[p.png\\|100]]" embed target="p.png" path="p.png" disp="100"`,
		}},
		{name: "first pipe and first hash split", src: "[[a#b#c|d|e]] [[x|y#z]]\n", links: []string{
			`1:1 "[[a#b#c|d|e]]" wikilink target="a#b#c" path="a" sub="b#c" disp="d|e"`,
			`1:15 "[[x|y#z]]" wikilink target="x" path="x" disp="y#z"`,
		}},
		{name: "empty parts", src: "[[]] [[|x]] [[#]] [[x|]] ![[]]\n", links: []string{
			`1:1 "[[]]" wikilink target="" path=""`,
			`1:6 "[[|x]]" wikilink target="" path="" disp="x"`,
			`1:13 "[[#]]" wikilink target="#" path="" sub=""`,
			`1:19 "[[x|]]" wikilink target="x" path="x" disp=""`,
			`1:26 "![[]]" embed target="" path=""`,
		}},
		{name: "line break inside", src: "[[a\nb]] and ![[c\nd]]\n"},
		{name: "unclosed", src: "[[a] and [[b\n"},
		{name: "URL in a wikilink", src: "[[https://e.com]]\n", links: []string{
			`1:1 "[[https://e.com]]" wikilink target="https://e.com" path="https://e.com"`,
		}},
		{name: "markdown destinations", src: "[a](x%20y.md#H%20i) [b](<s p.md#h>) [c](raw space.md) [d](https://e.com/p#f) [e](mailto:x@e.com) [f](C:/x.md)\n", links: []string{
			`1:1 "[a](x%20y.md#H%20i)" markdown target="x%20y.md#H%20i" path="x y.md" sub="H i" disp="a"`,
			`1:21 "[b](<s p.md#h>)" markdown target="s p.md#h" path="s p.md" sub="h" disp="b" angle`,
			`1:55 "[d](https://e.com/p#f)" markdown target="https://e.com/p#f" path="https://e.com/p#f" disp="d" external`,
			`1:78 "[e](mailto:x@e.com)" markdown target="mailto:x@e.com" path="mailto:x@e.com" disp="e" external`,
			`1:98 "[f](C:/x.md)" markdown target="C:/x.md" path="C:/x.md" disp="f"`,
		}},
		{name: "title and nested parentheses", src: "[a](x(1).md \"T\") ![i](<p q.png> 'T')\n", links: []string{
			`1:1 "[a](x(1).md \"T\")" markdown target="x(1).md" path="x(1).md" disp="a"`,
			`1:18 "![i](<p q.png> 'T')" image target="p q.png" path="p q.png" disp="i" angle`,
		}},
		{name: "reference link", src: "[t][r] and [r]\n\n[r]: Some%20Note.md#Sec\n", links: []string{
			`1:1 "[t][r]" markdown target="" path="Some Note.md" sub="Sec" disp="t" ref`,
			`1:12 "[r]" markdown target="" path="Some Note.md" sub="Sec" disp="r" ref`,
		}},
		{name: "image inside a link", src: "[![i](a.png)](b.md)\n", links: []string{
			`1:1 "[![i](a.png)](b.md)" markdown target="b.md" path="b.md" disp="![i](a.png)"`,
			`1:2 "![i](a.png)" image target="a.png" path="a.png" disp="i"`,
		}},
		{name: "multibyte text before links", src: "Ünïcødé 🙂 [[Zürich]] [t](ü.md)\n", links: []string{
			`1:11 "[[Zürich]]" wikilink target="Zürich" path="Zürich"`,
			`1:22 "[t](ü.md)" markdown target="ü.md" path="ü.md" disp="t"`,
		}},
		{name: "in containers", src: "> [[Q]]\n- [[L]]\n  1. [[N]]\n# [[H]]\n", links: []string{
			`1:3 "[[Q]]" wikilink target="Q" path="Q"`,
			`2:3 "[[L]]" wikilink target="L" path="L"`,
			`3:6 "[[N]]" wikilink target="N" path="N"`,
			`4:3 "[[H]]" wikilink target="H" path="H"`,
		}},
		{name: "escaped brackets", src: "\\[[A]] \\[t](x.md)\n"},
	}
	runParseCases(t, cases, func(t *testing.T, n *vault.Note, tc parseCase) {
		diffLines(t, "links", fmtLinks(n), tc.links)
	})
}

// TestParseNotLinks: text Obsidian shows but does not read as links, and
// the ranges that hide it from rules.
func TestParseNotLinks(t *testing.T) {
	cases := []parseCase{
		{name: "inline code", src: "a `[[C]]` b ``[[D]] ` x`` c\n", ranges: []string{
			"1:3 \"`[[C]]`\" code",
			"1:13 \"``[[D]] ` x``\" code",
		}},
		{name: "fenced code", src: "```md\n[[F]]\n```\n~~~\n[[G]]\n~~~\nafter\n", ranges: []string{
			"1:1 \"```md\\n[[F]]\\n```\\n\" code",
			"4:1 \"~~~\\n[[G]]\\n~~~\\n\" code",
		}},
		{name: "unclosed fence runs to the end", src: "x\n\n```\n[[F]]\n# H\n", ranges: []string{
			"3:1 \"```\\n[[F]]\\n# H\\n\" code",
		}},
		{name: "indented code", src: "para\n\n    [[I]]\n    more\n\nafter\n", ranges: []string{
			`3:1 "    [[I]]\n    more\n" code`,
		}},
		{name: "raw HTML block", src: "<div>\n[[H]] [t](x.md)\n</div>\n\nafter\n", ranges: []string{
			`1:1 "<div>\n[[H]] [t](x.md)\n</div>\n" html`,
		}},
		{name: "HTML comments", src: "a <!-- [[C]] --> b\n\n<!--\n[[D]]\n-->\nafter\n", ranges: []string{
			`1:3 "<!-- [[C]] -->" html`,
			`3:1 "<!--\n[[D]]\n-->\n" html`,
		}},
		{name: "inline math", src: "$[[M]]$ and $x^{[[N]]}$\n", ranges: []string{
			`1:1 "$[[M]]$" math`,
			`1:13 "$x^{[[N]]}$" math`,
		}},
		{name: "inline display math", src: "a $$[[M]]$$ b\n", ranges: []string{
			`1:3 "$$[[M]]$$" math`,
		}},
		{name: "math block", src: "$$\n[[M]]\n# x\n$$\nafter [[A]]\n", links: []string{
			`5:7 "[[A]]" wikilink target="A" path="A"`,
		}, ranges: []string{
			`1:1 "$$\n[[M]]\n# x\n$$\n" math`,
		}},
		{name: "dollars stay text", src: "$5 and $10 [[A]]\n", links: []string{
			`1:12 "[[A]]" wikilink target="A" path="A"`,
		}},
		{name: "dollar with spaces stays text", src: "a $ [[A]] $ b\n", links: []string{
			`1:5 "[[A]]" wikilink target="A" path="A"`,
		}},
	}
	runParseCases(t, cases, func(t *testing.T, n *vault.Note, tc parseCase) {
		diffLines(t, "links", fmtLinks(n), tc.links)
		diffLines(t, "ranges", fmtRanges(n), tc.ranges)
	})
}

func TestParseComments(t *testing.T) {
	cases := []parseCase{
		{name: "inline comment", src: "a %%[[Hidden]] #tag%% b [[Shown]]\n", links: []string{
			`1:5 "[[Hidden]]" wikilink target="Hidden" path="Hidden" comment`,
			`1:25 "[[Shown]]" wikilink target="Shown" path="Shown"`,
		}, ranges: []string{
			`1:3 "%%[[Hidden]] #tag%%" comment`,
		}},
		{name: "block comment", src: "%%\n# Not a heading\npara ^blk\n#tag [[L]]\n%%\n# Real\n", links: []string{
			`4:6 "[[L]]" wikilink target="L" path="L" comment`,
		}, headings: []string{
			`6:1 "# Real" h1 "Real"`,
		}, ranges: []string{
			"1:1 \"%%\\n# Not a heading\\npara ^blk\\n#tag [[L]]\\n%%\" comment",
		}},
		{name: "unclosed comment runs to the end", src: "# Top\ntext %% start\n[[X]]\n# Gone ^b\n", links: []string{
			`3:1 "[[X]]" wikilink target="X" path="X" comment`,
		}, headings: []string{
			`1:1 "# Top" h1 "Top"`,
		}, ranges: []string{
			`2:6 "%% start\n[[X]]\n# Gone ^b\n" comment`,
		}},
		{name: "%% in code is no comment", src: "`%%` [[A]] `%%`\n\n```\n%%\n```\n[[B]]\n", links: []string{
			`1:6 "[[A]]" wikilink target="A" path="A"`,
			`6:1 "[[B]]" wikilink target="B" path="B"`,
		}, ranges: []string{
			"1:1 \"`%%`\" code",
			"1:12 \"`%%`\" code",
			"3:1 \"```\\n%%\\n```\\n\" code",
		}},
		{name: "block id and tag in a comment", src: "%%\npara #t ^blk\n\n%%\n\nreal ^ok\n", blocks: []string{
			`6:6 "^ok" ok`,
		}, ranges: []string{
			`1:1 "%%\npara #t ^blk\n\n%%" comment`,
		}},
		{name: "code inside a comment", src: "%% `[[C]]` %%\n", ranges: []string{
			"1:1 \"%% `[[C]]` %%\" comment",
		}},
	}
	runParseCases(t, cases, func(t *testing.T, n *vault.Note, tc parseCase) {
		diffLines(t, "links", fmtLinks(n), tc.links)
		diffLines(t, "headings", fmtHeadings(n), tc.headings)
		diffLines(t, "blocks", fmtBlocks(n), tc.blocks)
		diffLines(t, "tags", fmtTags(n), tc.tags)
		diffLines(t, "ranges", fmtRanges(n), tc.ranges)
	})
}

func TestParseFrontmatterLinks(t *testing.T) {
	cases := []parseCase{
		{name: "quoted links", src: "---\na: \"[[X]]\"\nb: '[[X|Y]]'\nc: \"[t](d%20e.md#h)\"\nd: [[X]]\n---\n[[Body]]\n", links: []string{
			`2:5 "[[X]]" frontmatter target="X" path="X"`,
			`3:5 "[[X|Y]]" frontmatter target="X" path="X" disp="Y"`,
			`4:5 "[t](d%20e.md#h)" frontmatter target="d%20e.md#h" path="d e.md" sub="h" disp="t"`,
			`7:1 "[[Body]]" wikilink target="Body" path="Body"`,
		}},
		{name: "lists", src: "---\nup:\n  - \"[[A]]\"\n  - '[[B#H]]'\n  - plain\nflow: [\"[[C]]\", '[[D]]']\nnested:\n  k: \"[[E]]\"\n---\n", links: []string{
			`3:6 "[[A]]" frontmatter target="A" path="A"`,
			`4:6 "[[B#H]]" frontmatter target="B#H" path="B" sub="H"`,
			`6:9 "[[C]]" frontmatter target="C" path="C"`,
			`6:18 "[[D]]" frontmatter target="D" path="D"`,
			`8:7 "[[E]]" frontmatter target="E" path="E"`,
		}},
		{name: "anchors and tags", src: "---\na: &x \"[[A]]\"\nb: *x\nc: !!str '[[C]]'\n---\n", links: []string{
			`2:8 "[[A]]" frontmatter target="A" path="A"`,
			`4:11 "[[C]]" frontmatter target="C" path="C"`,
		}},
		{name: "escapes cover the whole scalar", src: "---\na: \"[[\\u0041]]\"\nb: '[[it''s]]'\nc: x\n---\n", links: []string{
			`2:4 "\"[[\\u0041]]\"" frontmatter target="" path="A"`,
			`3:4 "'[[it''s]]'" frontmatter target="" path="it's"`,
		}},
		{name: "not links", src: "---\na: \"[[X]] and [[Y]]\"\nb: \"see [[X]]\"\nc: |\n  [[L]]\nd: \"[t](a b.md)\"\ne: 5\n---\n"},
		{name: "multibyte before a link", src: "---\ntítulo: \"[[Ñandú]]\"\n---\n", links: []string{
			`2:10 "[[Ñandú]]" frontmatter target="Ñandú" path="Ñandú"`,
		}},
		// yaml.v3 ends lines at a lone "\r", NEL, LS and PS too; Position
		// counts only "\n".
		{name: "old Mac line breaks", src: "---\na: 1\rb: \"[[X]]\"\rtags: [x]\n---\n", links: []string{
			`2:10 "[[X]]" frontmatter target="X" path="X"`,
		}, tags: []string{
			`2:24 "x" x fm`,
		}},
		{name: "Unicode line breaks", src: "---\na: \"\u2028\"\nb: \"[[X]]\"\u0085c: \"[[Y]]\"\n---\n", links: []string{
			`3:5 "[[X]]" frontmatter target="X" path="X"`,
			`3:16 "[[Y]]" frontmatter target="Y" path="Y"`,
		}},
		{name: "BOM and CRLF", src: "\ufeff---\r\na: \"[[X]]\"\r\n---\r\n[[Y]]\r\n", links: []string{
			`2:5 "[[X]]" frontmatter target="X" path="X"`,
			`4:1 "[[Y]]" wikilink target="Y" path="Y"`,
		}},
	}
	runParseCases(t, cases, func(t *testing.T, n *vault.Note, tc parseCase) {
		if n.Frontmatter == nil || n.Frontmatter.Err != nil {
			t.Fatalf("frontmatter %+v", n.Frontmatter)
		}
		diffLines(t, "links", fmtLinks(n), tc.links)
		diffLines(t, "tags", fmtTags(n), tc.tags)
	})
}

func TestParseFrontmatterBlock(t *testing.T) {
	for _, tc := range []struct {
		name, src    string
		fm           bool   // a frontmatter block is found
		content      string // its YAML text
		body         string // the text from Body on
		err          string // part of Err's message, "" for none
		line, column int    // where Err points
	}{
		{name: "none", src: "# T\n---\n", body: "# T\n---\n"},
		{name: "closed by ---", src: "---\na: 1\n---\nbody\n", fm: true, content: "a: 1\n", body: "body\n"},
		{name: "closed by ...", src: "---\na: 1\n...\nbody\n", fm: true, content: "a: 1\n", body: "body\n"},
		{name: "trailing spaces on the delimiters", src: "--- \na: 1\n---\t\nbody\n", fm: true, content: "a: 1\n", body: "body\n"},
		{name: "empty", src: "---\n---\nbody\n", fm: true, body: "body\n"},
		{name: "at the end without a newline", src: "---\na: 1\n---", fm: true, content: "a: 1\n"},
		{name: "BOM", src: "\ufeff---\na: 1\n---\nb\n", fm: true, content: "a: 1\n", body: "b\n"},
		{name: "CRLF", src: "---\r\na: 1\r\n---\r\nb\r\n", fm: true, content: "a: 1\r\n", body: "b\r\n"},
		{name: "not at the top", src: "\n---\na: 1\n---\n", body: "\n---\na: 1\n---\n"},
		{name: "lone --- is a rule", src: "---", body: "---"},
		{name: "unclosed", src: "---\na: 1\nbody [[X]]\n", fm: true, body: "---\na: 1\nbody [[X]]\n",
			err: "not closed", line: 1, column: 1},
		{name: "not a mapping", src: "---\n- a\n---\n", fm: true, content: "- a\n", err: "mapping", line: 2, column: 1},
		{name: "scalar", src: "---\njust text\n---\n", fm: true, content: "just text\n", err: "mapping", line: 2, column: 1},
		{name: "duplicate key", src: "---\na: 1\nb:\n  c: 1\n  c: 2\n---\n", fm: true, content: "a: 1\nb:\n  c: 1\n  c: 2\n",
			err: `duplicate property "c"`, line: 5, column: 3},
		{name: "missing colon (scanner)", src: "---\na: b\nc\nd: e\n---\n", fm: true, content: "a: b\nc\nd: e\n",
			err: "could not find expected ':'", line: 3, column: 1},
		{name: "bad indentation (scanner)", src: "---\na: b\n  c: d\n---\n", fm: true, content: "a: b\n  c: d\n",
			err: "mapping values are not allowed", line: 3, column: 1},
		{name: "tab (scanner)", src: "---\na: b\n\tc: d\n---\n", fm: true, content: "a: b\n\tc: d\n",
			err: "tab character", line: 3, column: 1},
		{name: "bad first line (scanner)", src: "---\na: @x\n---\n", fm: true, content: "a: @x\n",
			err: "cannot start any token", line: 2, column: 1},
		{name: "unclosed quote (scanner)", src: "---\nx: 1\ny: \"open\nz: 2\n---\n", fm: true, content: "x: 1\ny: \"open\nz: 2\n",
			err: "unexpected end of stream", line: 3, column: 1},
		{name: "dedented key (parser)", src: "---\na:\n  - b\n c: d\n---\n", fm: true, content: "a:\n  - b\n c: d\n",
			err: "did not find expected key", line: 4, column: 1},
		{name: "list after mapping (parser)", src: "---\na: b\nc: d\n- e\n---\n", fm: true, content: "a: b\nc: d\n- e\n",
			err: "did not find expected key", line: 4, column: 1},
		// yaml.v3 names the line where the flow opened.
		{name: "unclosed flow (parser)", src: "---\na: 1\nb: [x\nc: d\n---\n", fm: true, content: "a: 1\nb: [x\nc: d\n",
			err: "did not find expected ',' or ']'", line: 3, column: 1},
		{name: "error after a BOM and CRLF", src: "\ufeff---\r\na: 1\r\nb\r\nc: 2\r\n---\r\n", fm: true, content: "a: 1\r\nb\r\nc: 2\r\n",
			err: "could not find expected ':'", line: 3, column: 1},
		{name: "seed-style stray value", src: "---\ntitle: x\nalias: [[]]\n---\n", fm: true, content: "title: x\nalias: [[]]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := vault.Parse("n.md", []byte(tc.src))
			checkInvariants(t, n)
			fm := n.Frontmatter
			if (fm != nil) != tc.fm {
				t.Fatalf("frontmatter %+v, want found=%v", fm, tc.fm)
			}
			if got := string(n.Src[n.Body:]); got != tc.body {
				t.Errorf("body %q, want %q", got, tc.body)
			}
			if fm == nil {
				return
			}
			if got := string(n.Src[fm.Content.Start:fm.Content.End]); got != tc.content {
				t.Errorf("content %q, want %q", got, tc.content)
			}
			if fm.Span.Start != n.BOM || (fm.Err == nil && fm.Span.End != n.Body) {
				t.Errorf("span %v, BOM %d, body %d", fm.Span, n.BOM, n.Body)
			}
			if fm.Line != 2 {
				t.Errorf("Line = %d, want 2", fm.Line)
			}
			if tc.err == "" {
				if fm.Err != nil {
					t.Fatalf("Err = %v", fm.Err)
				}
				return
			}
			if fm.Err == nil || !strings.Contains(fm.Err.Msg, tc.err) {
				t.Fatalf("Err = %v, want one about %q", fm.Err, tc.err)
			}
			if fm.Root != nil {
				t.Errorf("Root set on invalid frontmatter")
			}
			if line, col := n.Position(fm.Err.Offset); line != tc.line || col != tc.column {
				t.Errorf("Err at %d:%d, want %d:%d", line, col, tc.line, tc.column)
			}
		})
	}
}

func TestParseHeadings(t *testing.T) {
	cases := []parseCase{
		{name: "ATX", src: "# One\n## Two ##\n### Three #not-closing\n####   Spaced   \n#NoSpace\n####### Seven\n", headings: []string{
			`1:1 "# One" h1 "One"`,
			`2:1 "## Two ##" h2 "Two"`,
			`3:1 "### Three #not-closing" h3 "Three #not-closing"`,
			`4:1 "####   Spaced   " h4 "Spaced"`,
		}, tags: []string{
			`3:11 "#not-closing" not-closing`,
			`5:1 "#NoSpace" NoSpace`,
		}},
		{name: "empty ATX", src: "#\n\n## ##\n", headings: []string{
			`1:1 "#" h1 ""`,
			`3:1 "## ##" h2 ""`,
		}},
		{name: "setext", src: "Title\n=====\n\nTwo\nlines\n---\n", headings: []string{
			`1:1 "Title\n=====" h1 "Title"`,
			`4:1 "Two\nlines\n---" h2 "Two lines"`,
		}},
		{name: "in a blockquote", src: "> # Quoted\nnext\n\n> Setext\n> ---\n", headings: []string{
			`1:1 "> # Quoted" h1 "Quoted"`,
			`4:1 "> Setext\n> ---" h2 "Setext"`,
		}},
		{name: "tab after a quote mark", src: ">\t#\n>\t# T\n", headings: []string{
			`1:1 ">\t#" h1 ""`,
			`2:1 ">\t# T" h1 "T"`,
		}},
		{name: "in a list", src: "- # Item\n  text\n", headings: []string{
			`1:1 "- # Item" h1 "Item"`,
		}},
		{name: "indented four is code", src: "    # Code\n", ranges: []string{
			`1:1 "    # Code\n" code`,
		}},
		{name: "with a link and code", src: "## See [[X|y]] and `z()`\n", headings: []string{
			"1:1 \"## See [[X|y]] and `z()`\" h2 \"See [[X|y]] and `z()`\"",
		}, links: []string{
			`1:8 "[[X|y]]" wikilink target="X" path="X" disp="y"`,
		}, ranges: []string{
			"1:20 \"`z()`\" code",
		}},
		{name: "CRLF and multibyte", src: "# Über\r\nÄ\r\n==\r\n", headings: []string{
			`1:1 "# Über" h1 "Über"`,
			"2:1 \"Ä\\r\\n==\" h1 \"Ä\"",
		}},
	}
	runParseCases(t, cases, func(t *testing.T, n *vault.Note, tc parseCase) {
		diffLines(t, "headings", fmtHeadings(n), tc.headings)
		diffLines(t, "tags", fmtTags(n), tc.tags)
		diffLines(t, "links", fmtLinks(n), tc.links)
		diffLines(t, "ranges", fmtRanges(n), tc.ranges)
	})
}

func TestParseBlocks(t *testing.T) {
	cases := []parseCase{
		{name: "end of paragraph", src: "Some text\nmore text ^para-1\n\nno id^here\n", blocks: []string{
			`2:11 "^para-1" para-1`,
		}},
		{name: "end of list items", src: "- one ^li-1\n- two\n  ^li-2\n1. three ^li-3\n", blocks: []string{
			`1:7 "^li-1" li-1`,
			`3:3 "^li-2" li-2`,
			`4:10 "^li-3" li-3`,
		}},
		{name: "own line after a list", src: "- a\n- b\n\n^list\n", blocks: []string{
			`4:1 "^list" list`,
		}},
		{name: "after a quote and a table", src: "> q\n\n^quote\n\n| a |\n| - |\n\n^tbl\n", blocks: []string{
			`3:1 "^quote" quote`,
			`8:1 "^tbl" tbl`,
		}},
		{name: "trailing spaces and CRLF", src: "text ^a-b  \r\n", blocks: []string{
			`1:6 "^a-b" a-b`,
		}},
		{name: "not ids", src: "text ^under_score\n\ntext ^ü\n\n`code ^c`\n\n```\nx ^fenced\n```\n\n%% x ^cm %%\n"},
		{name: "mid paragraph", src: "a ^x\nb\n"},
	}
	runParseCases(t, cases, func(t *testing.T, n *vault.Note, tc parseCase) {
		diffLines(t, "blocks", fmtBlocks(n), tc.blocks)
	})
}

func TestParseTags(t *testing.T) {
	cases := []parseCase{
		{name: "inline", src: "#start and #two/nested, #émoji_ok-1 #123 (#par)\n", tags: []string{
			`1:1 "#start" start`,
			`1:12 "#two/nested" two/nested`,
			`1:25 "#émoji_ok-1" émoji_ok-1`,
			`1:37 "#123" 123`,
		}},
		{name: "not tags", src: "a#b `#code` https://e.com/#frag <https://e.com/#x> [t](x.md#h) [[N#h]] # \n\n```\n#fenced\n```\n$#m$\n<!-- #c -->\n\\#esc\n"},
		{name: "frontmatter list", src: "---\ntags:\n  - one\n  - \"#two\"\n  - [x]\n---\n#body\n", tags: []string{
			`3:5 "one" one fm`,
			`4:6 "#two" #two fm`,
			`7:1 "#body" body`,
		}},
		{name: "frontmatter string and flow", src: "---\ntags: solo\ntag: ['a', b]\n---\n", tags: []string{
			`2:7 "solo" solo fm`,
			`3:8 "a" a fm`,
			`3:12 "b" b fm`,
		}},
		{name: "escaped frontmatter tag covers the scalar", src: "---\ntags: \"t\\u0041\"\n---\n", tags: []string{
			`2:7 "\"t\\u0041\"" tA fm`,
		}},
		{name: "tags in headings", src: "# Title #t\n", headings: []string{
			`1:1 "# Title #t" h1 "Title #t"`,
		}, tags: []string{
			`1:9 "#t" t`,
		}},
	}
	runParseCases(t, cases, func(t *testing.T, n *vault.Note, tc parseCase) {
		diffLines(t, "tags", fmtTags(n), tc.tags)
		diffLines(t, "headings", fmtHeadings(n), tc.headings)
	})
}

func TestParseBOMAndCRLF(t *testing.T) {
	src := "\ufeff# Title\r\n\r\ntext [[A]] ^id\r\n"
	n := vault.Parse("n.md", []byte(src))
	checkInvariants(t, n)
	if n.BOM != 3 || n.Body != 3 {
		t.Errorf("BOM %d, Body %d; want 3, 3", n.BOM, n.Body)
	}
	diffLines(t, "headings", fmtHeadings(n), []string{`1:1 "# Title" h1 "Title"`})
	diffLines(t, "links", fmtLinks(n), []string{`3:6 "[[A]]" wikilink target="A" path="A"`})
	diffLines(t, "blocks", fmtBlocks(n), []string{`3:12 "^id" id`})
}

func TestPosition(t *testing.T) {
	src := []byte("\ufeffaé🙂b\r\nñ\n\nx")
	for _, tc := range []struct{ off, line, col int }{
		{0, 1, 1},  // the BOM is not counted
		{3, 1, 1},  // 'a'
		{4, 1, 2},  // 'é', 2 bytes
		{6, 1, 3},  // '🙂', 4 bytes
		{10, 1, 4}, // 'b'
		{11, 1, 5}, // '\r' belongs to line 1
		{12, 1, 6}, // '\n'
		{13, 2, 1}, // 'ñ'
		{15, 2, 2}, // '\n' after ñ
		{16, 3, 1}, // the blank line
		{17, 4, 1}, // 'x'
		{18, 4, 2}, // the end
		{99, 4, 2}, // past the end: clamped
		{-5, 1, 1}, // before the start: clamped
	} {
		if line, col := vault.Position(src, tc.off); line != tc.line || col != tc.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tc.off, line, col, tc.line, tc.col)
		}
	}
	// Without a BOM the first byte is column 1 too.
	if line, col := vault.Position([]byte("ab"), 1); line != 1 || col != 2 {
		t.Errorf("Position(ab, 1) = %d:%d, want 1:2", line, col)
	}
}

// TestParseIgnoresEmphasis pins down that what vault finds does not
// depend on emphasis, which it does not parse (for speed): emphasis
// around or inside links, code and tags changes none of it, and "*" or
// "_" inside a link's text cannot end it early.
func TestParseIgnoresEmphasis(t *testing.T) {
	plain := vault.Parse("n.md", []byte("A [[Note]] and [t](B.md) and `c` #tag x\nx [[C|c d]] #t2 _[[D]] E_\n"))
	emph := vault.Parse("n.md", []byte("A*[[Note]]*and*[t](B.md)*and*`c`*#tag*x\nx [[C|c*d]] #t2 _[[D]]_E_\n"))
	linkPaths := func(n *vault.Note) (out []string) {
		for _, l := range n.Links {
			out = append(out, l.Path+"|"+l.Display)
		}
		return out
	}
	want := []string{"Note|", "B.md|t", "C|c d", "D|"}
	if got := linkPaths(plain); !reflect.DeepEqual(got, want) {
		t.Fatalf("plain links = %q, want %q", got, want)
	}
	wantEmph := []string{"Note|", "B.md|t", "C|c*d", "D|"}
	if got := linkPaths(emph); !reflect.DeepEqual(got, wantEmph) {
		t.Errorf("links with emphasis = %q, want %q", got, wantEmph)
	}
	// A tag starts after whitespace or at a line's start (inlineTags):
	// "*#tag*" follows a '*', so it is none; "#t2" is one.
	var tags []string
	for _, tg := range emph.Tags {
		tags = append(tags, tg.Name)
	}
	if !reflect.DeepEqual(tags, []string{"t2"}) {
		t.Errorf("tags with emphasis = %q, want [t2]", tags)
	}
	if len(emph.Ranges) != len(plain.Ranges) {
		t.Errorf("code ranges: %d with emphasis, %d without", len(emph.Ranges), len(plain.Ranges))
	}
}
