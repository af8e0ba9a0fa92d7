package vault_test

import (
	"os"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/vault"
)

// checkInvariants checks what every rule relies on, whatever the input:
// spans inside the note, ranges sorted and apart, each link, heading,
// block and tag span holding what it claims.
func checkInvariants(t testing.TB, n *vault.Note) {
	t.Helper()
	src := n.Src
	ok := func(what string, s vault.Span) bool {
		t.Helper()
		if s.Start < 0 || s.Start > s.End || s.End > len(src) {
			t.Errorf("%s span %v outside [0, %d]", what, s, len(src))
			return false
		}
		return true
	}
	text := func(s vault.Span) string { return string(src[s.Start:s.End]) }

	if n.BOM != 0 && n.BOM != 3 || n.Body < n.BOM || n.Body > len(src) {
		t.Errorf("BOM %d, Body %d, len %d", n.BOM, n.Body, len(src))
	}
	if fm := n.Frontmatter; fm != nil {
		if ok("frontmatter", fm.Span) && ok("frontmatter content", fm.Content) &&
			(fm.Content.Start < fm.Span.Start || fm.Content.End > fm.Span.End) {
			t.Errorf("frontmatter content %v outside its block %v", fm.Content, fm.Span)
		}
		if fm.Err != nil && (fm.Err.Offset < 0 || fm.Err.Offset > len(src)) {
			t.Errorf("frontmatter error at %d, outside [0, %d]", fm.Err.Offset, len(src))
		}
		if fm.Err != nil && fm.Root != nil {
			t.Errorf("frontmatter has both an error and a root")
		}
	}
	for i, r := range n.Ranges {
		ok("range", r.Span)
		if r.Span.Start == r.Span.End {
			t.Errorf("empty range %v", r)
		}
		if i > 0 && r.Span.Start < n.Ranges[i-1].Span.End {
			t.Errorf("ranges %v and %v overlap or are out of order", n.Ranges[i-1], r)
		}
	}
	for _, l := range n.Links {
		if !ok("link", l.Span) || !ok("link target", l.Target) {
			continue
		}
		s := text(l.Span)
		var prefixes []string
		switch l.Kind {
		case vault.WikiLink:
			prefixes = []string{"[["}
		case vault.Embed:
			prefixes = []string{"![["}
		case vault.MarkdownLink:
			prefixes = []string{"["}
		case vault.MarkdownImage:
			prefixes = []string{"!["}
		case vault.FrontmatterLink:
			prefixes = []string{"[", `"`, "'"}
		default:
			t.Errorf("link %q of kind %v", s, l.Kind)
		}
		if !hasAnyPrefix(s, prefixes) {
			t.Errorf("%v link span %q does not start with %q", l.Kind, s, prefixes)
		}
		if (l.Kind == vault.WikiLink || l.Kind == vault.Embed) && !strings.HasSuffix(s, "]]") {
			t.Errorf("wikilink span %q does not end with ]]", s)
		}
		if (l.Kind == vault.FrontmatterLink) != n.InFrontmatter(l.Span.Start) {
			t.Errorf("%v link %q: in frontmatter = %v", l.Kind, s, n.InFrontmatter(l.Span.Start))
		}
		if !l.Reference && (l.Target.Start < l.Span.Start || l.Target.End > l.Span.End) {
			t.Errorf("link %q: target %v outside its span %v", s, l.Target, l.Span)
		}
		if r, in := n.RangeAt(l.Span.Start); in && r.Kind != vault.CommentRange {
			t.Errorf("link %q starts inside a %v range %v", s, r.Kind, r.Span)
		} else if l.InComment != (in && r.Kind == vault.CommentRange) {
			t.Errorf("link %q: InComment %v, in a comment range %v", s, l.InComment, in)
		}
	}
	for _, h := range n.Headings {
		ok("heading", h.Span)
		if h.Level < 1 || h.Level > 6 {
			t.Errorf("heading %q of level %d", h.Text, h.Level)
		}
	}
	for _, b := range n.Blocks {
		if ok("block", b.Span) && text(b.Span) != "^"+b.ID {
			t.Errorf("block %q has span text %q", b.ID, text(b.Span))
		}
	}
	for _, tg := range n.Tags {
		if !ok("tag", tg.Span) {
			continue
		}
		if tg.InFrontmatter != n.InFrontmatter(tg.Span.Start) && tg.Span.Len() > 0 {
			t.Errorf("tag %q: InFrontmatter %v, span %v", tg.Name, tg.InFrontmatter, tg.Span)
		}
		if !tg.InFrontmatter && text(tg.Span) != "#"+tg.Name {
			t.Errorf("tag %q has span text %q", tg.Name, text(tg.Span))
		}
	}
	if len(src) > 1<<12 {
		return // Position is linear: every offset of a long note is quadratic
	}
	for off := -1; off <= len(src)+1; off++ {
		line, col := n.Position(off)
		if line < 1 || col < 1 {
			t.Fatalf("Position(%d) = %d:%d", off, line, col)
		}
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// seedNote is the clipped news note links.md and rules.md were written
// from; the fuzz corpus starts from it when it is there.
const seedNote = "../../shared/seeds/004_04adc08542046eb0.txt"

var trickySnippets = []string{
	"[[Sq]uare]] [[Outer [[Inner]] x]] [[]] [[|x]] [[#]] [[x|]]\n",
	"| [[A\\|B]] | ![[p.png\\|100]] |\n",
	"---\na: \"[[X]]\"\nb: '[[X|Y]]'\nc: &x \"[t](d%20e.md#h)\"\nd: [[X]]\ntags: [\"#a\", b]\n---\nbody #tag ^id\n",
	"\ufeff---\r\ntitle: x\r\n...\r\n# H ##\r\nSetext\r\n===\r\n",
	"---\na: b\nc\n---\n",
	"---\nunclosed: [[x]]\n",
	"%% [[A]] `%%` %% [[B]] %%unclosed\n# H\n",
	"$5 and $10 $x$ $$\n[[M]]\n$$\n",
	"```\n[[F]]\n```\n    [[I]]\n<div>\n[[H]]\n</div>\n<!-- [[C]] -->\n",
	"> # Q\n> ---\n- a ^b\n\n^c\n",
	"[a](<b c.md#d>) ![i](x(1).png \"t\") [r][ref]\n\n[ref]: R.md\n",
	"[![i](a.png)](b.md) [a [[B]] c](d.md) ![[e]]]] [[[f]]]\n",
	"---\nk: \"\\L\\L\\L\\L\\L\\L\"\ntags: \"\\P\\P\\P\\P\\P\\P\\P\"\n---\n",
	"---\na: 1\rb: \"[[X]]\"\u2028c: '[[Y]]'\u0085tags: [x]\n---\n>\t#\n",
}

func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile(seedNote); err == nil {
		f.Add(b)
	}
	for _, s := range trickySnippets {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		n := vault.Parse("f.md", src)
		checkInvariants(t, n)
		if n.Frontmatter != nil && n.Frontmatter.Root != nil {
			n.Aliases()
		}
	})
}

// TestTrickySnippets runs the fuzz seeds' checks in every ordinary test
// run, so a regression shows without fuzzing.
func TestTrickySnippets(t *testing.T) {
	for _, s := range trickySnippets {
		checkInvariants(t, vault.Parse("t.md", []byte(s)))
	}
}

func FuzzSplitWikilink(f *testing.F) {
	for _, s := range []string{"", "a", "a#b", "a#b#c|d", "a\\|b", "|x", "#", "x|", "a#^id|l|m", "a\\\\|b", "\\", "a#b\\|c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, inner string) {
		p := vault.SplitWikilink(inner)
		target := p.Path
		if p.HasSubpath {
			target += "#" + p.Subpath
		}
		if p.TargetLen != len(target) || !strings.HasPrefix(inner, target) {
			t.Fatalf("%q: target %q, TargetLen %d", inner, target, p.TargetLen)
		}
		rest := inner[len(target):]
		switch {
		case !p.HasDisplay:
			if rest != "" || p.Display != "" || strings.Contains(inner, "|") {
				t.Fatalf("%q: no display, yet %q is left", inner, rest)
			}
		case rest != "|"+p.Display && rest != "\\|"+p.Display:
			t.Fatalf("%q: display %q does not reassemble from %q", inner, p.Display, rest)
		}
		if strings.Contains(p.Path, "#") || strings.Contains(target, "|") {
			t.Fatalf("%q: path %q holds '#' or target %q holds '|'", inner, p.Path, target)
		}
	})
}
