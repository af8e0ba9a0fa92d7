package vault

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/vaultlint/vaultlint/internal/vaultgen"
)

// shortcutCases are the places where plainTextParser must stop, decline
// or end a line exactly as goldmark's own loop does, and where a link
// reference definition may or may not start (linkRefTransformer).
var shortcutCases = []string{
	"plain words #tag and #other/tag_x-1 here\nsecond line #t\n",
	"trailing spaces #a  \nhard break with backslash #b\\\nnext #c\n",
	"crlf #a\r\nline #b  \r\nlast #c\\\r\nend",
	"lone\rcarriage #r\rreturn\n",
	"escaped \\[[not a link]] and \\ [[A link]] and \\\\[[B]]\n",
	"escaped space\\ #tag \\#not and \\\\#yes\n",
	"a ! b ![c] ! [[D]] !! ![[E|#f]] x\n",
	"[label with #tag](g.md) and [broken #t and ] close\n",
	"`code #no` plain #yes $math #no$ $5 and $10 #yes\n",
	"<span>#no</span> <https://x.y/#z> #yes < not html\n",
	"Setext #one\n===\n\nSetext two\n---\n\n## ATX #h ##\n",
	"- item #a\n- item [[B]] #c\n\n  continued #d\n\n1. one\n2. two #e\n",
	"- a\n\t- tab #indented\n  \t#padded\n\n>\ttab #quote\n>  #q2\n",
	"para ends ^block-id\n\nnext para\n^id2\n",
	"# \n#\n#tag-only\n#  \n",
	"unicode é#notag ü #ja #日本語 \u00a0#nbsp\n",
	"[ref]: dest.md\n[ref] #x\n",
	"%% comment #c [[C]] %% after #a\n",
	"text\\",
	"text #end",
	"   \n  \n",
	"a  \n  b",
	"[a]: b.md\n[c]: <d e.md> \"t\"\ntext [a] [c] #x\n",
	"   [r]: d.md\n[r]\n\n    [s]: code.md\n\n[s]\n",
	"\n\n  \t\n[r]: d.md\n",
	"x\n[r]: d.md\n[r]\n",
	"> [q]: d.md\n> [q] #t\n",
	"- [l]: d.md\n- [l]\n",
	"[not a def] but text\n[r]: d.md\n",
	"[r]:\n\n[r]\n",
	// "[[" never starts a definition; a lone '[' at a line's end may.
	"[[a]]: d.md\n\n[a] [[a]]\n",
	"[[a]: d.md\n[[a]\n",
	"  [[x]] text\n[r]: d.md\n[r]\n",
	"[\na]: d.md\n\n[\na]\n",
	"[[a\\]]: d.md\n[[a\\]]\n",
	"[\\[a]: d.md\n[\\[a]\n",
	// Text runs from the collector's slab (nodeSlab): tags in images, in
	// link text, where goldmark merges bytes into a run, and in brackets a
	// block leaves open.
	"![alt #no and [[x]] #no2](i.png) #yes ![a](b) #y2\n",
	"[![img #no](i.png) #yes](u.md) [text #t [[W]] #u](v.md)\n",
	"end! #a ] #b <c #d $e #f [[X]]! #g\n",
	"[open #a\n\nnext #b ]\n",
	"`unclosed #t\n\n#h x`y #z\n",
	"#first [[L]] #second\n> #q [x](y) #r\n",
	"a b!x\\ #t\\ y\n", // merged into a run's node after the last run
	// Wikilink nodes from the slab (wikiParser.pooled): in images, in
	// link text, beside Markdown links, across blocks.
	"![alt [[W]] ![[E]]](i.png) [[after]] [x [[in link]]](u.md) ![[e]]\n",
	"- [[a]]\n- [[b]] [c](d.md) [[e|f]]\n\n> [[q]] [r](s.md)\n# H [[h]]\n[[x]]",
	"[[a]] [[b]] [[c]] [d](e.md) [[f]]\n\n[[g]]\n",
}

// TestParserShortcuts: notes parse to the same links, headings, blocks,
// tags and ranges with plainTextParser and linkRefTransformer as with
// goldmark's own code alone, on the cases above, the fuzz seeds, the seed note, a generated
// vault with every defect, and the real vaults.
func TestParserShortcuts(t *testing.T) {
	with, without := newMarkdownParser(true), newMarkdownParser(false)
	check := func(name string, src []byte) {
		t.Helper()
		got, want := parseWith(with, name, src), parseWith(without, name, src)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: parses differently with the shortcuts\n got: %+v\nwant: %+v", name, got, want)
		}
	}
	for i, s := range shortcutCases {
		check("case"+string(rune('a'+i)), []byte(s))
	}
	gen := t.TempDir()
	if _, err := vaultgen.Generate(gen, vaultgen.Options{Notes: 300, Seed: 3, Defects: true}); err != nil {
		t.Fatal(err)
	}
	roots := []string{gen}
	if !testing.Short() {
		roots = append(roots, "../../shared/corpora", "../../shared/seeds")
	}
	notes := 0
	for _, root := range roots {
		if _, err := os.Stat(root); err != nil {
			continue // the shared corpora are not in every checkout
		}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !(strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".txt")) {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			check(p, src)
			notes++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if notes < 300 {
		t.Fatalf("compared %d notes, want at least the 300 generated", notes)
	}
}

// FuzzParserShortcuts compares the two parsers on any input.
func FuzzParserShortcuts(f *testing.F) {
	for _, s := range shortcutCases {
		f.Add([]byte(s))
	}
	with, without := newMarkdownParser(true), newMarkdownParser(false)
	f.Fuzz(func(t *testing.T, src []byte) {
		got, want := parseWith(with, "f.md", src), parseWith(without, "f.md", src)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q parses differently with the shortcuts\n got: %+v\nwant: %+v", src, got, want)
		}
	})
}

// TestNodeSlab: a slab hands out distinct zero nodes, across chunks; its
// release zeroes every node handed out (pooled chunks must not keep a
// parsed note's AST alive) and keeps only as many chunks as asked.
func TestNodeSlab(t *testing.T) {
	var s nodeSlab[wikiNode]
	for round := range 2 {
		seen := map[*wikiNode]bool{}
		for i := range 3*slabChunk + 5 {
			n := s.next()
			if seen[n] {
				t.Fatalf("round %d: node %d handed out twice", round, i)
			}
			seen[n] = true
			if n.span != (Span{}) || n.Target != nil || n.Parent() != nil {
				t.Fatalf("round %d: node %d is not zero: %+v", round, i, n)
			}
			n.span, n.Target = Span{i, i + 1}, []byte("x")
			n.SetParent(n)
		}
		s.release(2)
		if len(s.chunks) != 2 || s.used != 0 {
			t.Fatalf("round %d: after release: %d chunks, %d used; want 2, 0", round, len(s.chunks), s.used)
		}
		for c, chunk := range s.chunks {
			for i := range chunk {
				if n := &chunk[i]; n.span != (Span{}) || n.Target != nil || n.Parent() != nil {
					t.Fatalf("round %d: chunk %d node %d kept %+v", round, c, i, n)
				}
			}
		}
	}
}

// TestParagraphsFromSlab: with the shortcuts, paragraphs and their line
// lists come from the collector's slabs, kept from parse to parse: a
// paragraph costs one allocation (goldmark's reader of its lines), where
// with goldmark's own paragraph parser it costs two more (a node, its
// list of lines).
func TestParagraphsFromSlab(t *testing.T) {
	md := newMarkdownParser(true)
	allocs := func(paragraphs int) float64 {
		src := []byte(strings.Repeat("A paragraph of plain text.\n\n", paragraphs))
		parseWith(md, "p.md", src) // fill the pooled collector's slabs
		return testing.AllocsPerRun(5, func() { parseWith(md, "p.md", src) })
	}
	if more := allocs(200) - allocs(100); more > 150 {
		t.Errorf("100 more paragraphs cost %v more allocations, want at most 150", more)
	}
}

// TestSegmentsPoolKeepsMemory: the lines of paragraphs, appended as
// goldmark appends them (to the node's own copy of the list it was
// given), take no new memory once the pool has handed its lists out.
func TestSegmentsPoolKeepsMemory(t *testing.T) {
	var p segmentsPool
	var nodes [12]ast.Paragraph
	parse := func() {
		for i := range nodes {
			n := &nodes[i]
			n.SetLines(p.next())
			for l := range 1 + i%segmentsRoom {
				n.Lines().Append(text.NewSegment(l, l+1))
			}
		}
		for i := range nodes {
			if got := nodes[i].Lines().Len(); got != 1+i%segmentsRoom {
				t.Fatalf("paragraph %d holds %d lines, want %d", i, got, 1+i%segmentsRoom)
			}
		}
		p.release(256)
	}
	parse()
	if n := testing.AllocsPerRun(20, parse); n != 0 {
		t.Errorf("a parse of %d paragraphs allocated %v times for their lines", len(nodes), n)
	}
}
