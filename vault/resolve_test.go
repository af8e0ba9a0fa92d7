package vault_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/vault"
)

// memVault builds a vault in memory: paths ending in ".md" are notes with
// the given text, the others attachments.
func memVault(t *testing.T, files map[string]string) *vault.Vault {
	t.Helper()
	var notes []*vault.Note
	var atts []string
	for p, src := range files {
		if vault.IsNotePath(p) {
			notes = append(notes, vault.Parse(p, []byte(src)))
		} else {
			atts = append(atts, p)
		}
	}
	sort.Slice(notes, func(i, j int) bool { return notes[i].Path < notes[j].Path })
	sort.Strings(atts)
	return vault.New(notes, atts...)
}

func paths(fs []*vault.File) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Path)
	}
	return out
}

// resolveCase is one link written in note from, resolved in a vault of
// files. The link is the only one the note holds, unless noLink says
// the text must not be a link at all.
type resolveCase struct {
	name   string
	files  map[string]string
	from   string
	src    string
	noLink bool

	want  string // the file picked; "" for unresolved
	by    vault.ResolvedBy
	cands []string // nil: just want, when there is one
	// Subpath: heading text and the 1-based line it is on, or a block id;
	// checked says a heading or block was looked for.
	checked bool
	heading string
	line    int
	block   string
	// inComment: the link lies inside "%% … %%".
	inComment bool
}

// linksMDTable is one row per row of the edge-case table at the end of
// links.md, in its order.
var linksMDTable = []resolveCase{
	{
		name:  "nested heading with escaped pipe",
		files: map[string]string{"Folder/Note.md": "# Heading\n\ntext\n\n## Sub\n"},
		from:  "Root.md", src: "| a | [[Folder/Note#Heading#Sub\\|Label]] |\n| - | - |\n",
		want: "Folder/Note.md", by: vault.ByExact,
		checked: true, heading: "Sub", line: 5,
	},
	{
		name:  "attachment named with extension",
		files: map[string]string{"img/image.png": ""},
		from:  "Root.md", src: "![[image.png]]\n",
		want: "img/image.png", by: vault.ByUnique,
	},
	{
		name:  "attachment named without extension",
		files: map[string]string{"img/image.png": ""},
		from:  "Root.md", src: "[[image]]\n",
	},
	{
		name:  "parent folder",
		files: map[string]string{"y.md": ""},
		from:  "a/x.md", src: "[[../y]]\n",
		want: "y.md", by: vault.ByRelative,
	},
	{
		name: "climbing above the vault root",
		from: "a/x.md", src: "[[../../etc/passwd]]\n",
	},
	{
		name:  "markdown link with %20",
		files: map[string]string{"Sub/Note Name.md": ""},
		from:  "Root.md", src: "[t](Note%20Name.md)\n",
		want: "Sub/Note Name.md", by: vault.ByUnique,
	},
	{
		name:  "markdown link in angle brackets",
		files: map[string]string{"Sub/Note Name.md": ""},
		from:  "Root.md", src: "[t](<Note Name.md>)\n",
		want: "Sub/Note Name.md", by: vault.ByUnique,
	},
	{
		name:  "markdown link with a raw space",
		files: map[string]string{"Sub/Note Name.md": ""},
		from:  "Root.md", src: "[t](Note Name.md)\n", noLink: true,
	},
	{
		name:  "exact vault path beats everything",
		files: map[string]string{"Note.md": "", "zzzz/Note.md": "", "a/b/Note.md": ""},
		from:  "x/y.md", src: "[[Note]]\n",
		want: "Note.md", by: vault.ByExact,
		cands: []string{"Note.md", "a/b/Note.md", "zzzz/Note.md"},
	},
	{
		name:  "same folder beats shorter",
		files: map[string]string{"zzzz/Note.md": "", "a/b/Note.md": ""},
		from:  "zzzz/q.md", src: "[[Note]]\n",
		want: "zzzz/Note.md", by: vault.BySameFolder,
		cands: []string{"zzzz/Note.md", "a/b/Note.md"},
	},
	{
		name:  "shortest path",
		files: map[string]string{"zzzz/Note.md": "", "a/b/Note.md": ""},
		from:  "q.md", src: "[[Note]]\n",
		want: "a/b/Note.md", by: vault.ByShortest,
		cands: []string{"a/b/Note.md", "zzzz/Note.md"},
	},
	{
		name:  "path suffix",
		files: map[string]string{"a/b/Note.md": ""},
		from:  "q.md", src: "[[b/Note]]\n",
		want: "a/b/Note.md", by: vault.ByUnique,
	},
	{
		name:  "case-insensitive",
		files: map[string]string{"Log.md": ""},
		from:  "q.md", src: "[[LOG]]\n",
		want: "Log.md", by: vault.ByExact,
	},
	{
		name:  "aliases do not resolve",
		files: map[string]string{"X.md": "---\naliases: [AI]\n---\n"},
		from:  "q.md", src: "[[AI]]\n",
	},
	{
		name: "link in a comment counts",
		from: "q.md", src: "%%[[Hidden]]%%\n",
		inComment: true,
	},
	{
		name: "inline code",
		from: "q.md", src: "`[[Code]]`\n", noLink: true,
	},
	{
		name: "URL in a wikilink",
		from: "q.md", src: "[[https://e.com]]\n",
	},
	{
		name:  "markdown destination splits at #",
		files: map[string]string{"Sub/We!rd #1.md": ""},
		from:  "q.md", src: "[t](Sub/We!rd%20#1.md)\n",
	},
}

var ownResolveCases = []resolveCase{
	{
		name:  "./ from a folder",
		files: map[string]string{"a/Note.md": "", "Note.md": ""},
		from:  "a/x.md", src: "[[./Note]]\n",
		want: "a/Note.md", by: vault.ByRelative,
	},
	{
		name:  "./ at the root",
		files: map[string]string{"a/Note.md": ""},
		from:  "x.md", src: "[[./Note]]\n",
	},
	{
		name:  "markdown ./ with .md",
		files: map[string]string{"a/b/Note.md": "", "Note.md": ""},
		from:  "a/x.md", src: "[t](./b/Note.md)\n",
		want: "a/b/Note.md", by: vault.ByRelative,
	},
	{
		name:  "../ to a sibling folder",
		files: map[string]string{"b/Note.md": ""},
		from:  "a/x.md", src: "[t](../b/Note)\n",
		want: "b/Note.md", by: vault.ByRelative,
	},
	{
		name:  "../ never clamps at the root",
		files: map[string]string{"etc/passwd.md": "", "passwd.md": ""},
		from:  "a/x.md", src: "[[../../etc/passwd]]\n",
	},
	{
		name:  "../ climbing out and back in",
		files: map[string]string{"a/y.md": ""},
		from:  "a/x.md", src: "[[../../a/y]]\n",
	},
	{
		name:  "leading / is the vault root",
		files: map[string]string{"a/Note.md": "", "Note.md": ""},
		from:  "a/x.md", src: "[[/Note]]\n",
		want: "Note.md", by: vault.ByRelative,
	},
	{
		name:  "leading / does not search folders",
		files: map[string]string{"a/Note.md": ""},
		from:  "a/x.md", src: "[[/Note]]\n",
	},
	{
		name:  "leading / with a folder",
		files: map[string]string{"a/Note.md": "", "b/a/Note.md": ""},
		from:  "q.md", src: "[[/a/Note]]\n",
		want: "a/Note.md", by: vault.ByRelative,
	},
	{
		name:  ".MD extension",
		files: map[string]string{"Sub/Note.md": ""},
		from:  "q.md", src: "[[Note.MD]]\n",
		want: "Sub/Note.md", by: vault.ByUnique,
	},
	{
		name:  "note named with .md",
		files: map[string]string{"Note.md": "", "a/Note.md": ""},
		from:  "a/q.md", src: "[[Note.md]]\n",
		want: "Note.md", by: vault.ByExact,
		cands: []string{"Note.md", "a/Note.md"},
	},
	{
		name:  "file on disk named .MD",
		files: map[string]string{"Sub/Note.MD": ""},
		from:  "q.md", src: "[[Note]]\n",
		want: "Sub/Note.MD", by: vault.ByUnique,
	},
	{
		name:  "attachment with extension, any case",
		files: map[string]string{"Figure 1.png": ""},
		from:  "q.md", src: "[[figure 1.PNG]]\n",
		want: "Figure 1.png", by: vault.ByExact,
	},
	{
		name:  "attachment without extension",
		files: map[string]string{"Figure 1.png": ""},
		from:  "q.md", src: "[[Figure 1]]\n",
	},
	{
		name:  "canvas needs its extension",
		files: map[string]string{"Board.canvas": ""},
		from:  "q.md", src: "[[Board]]\n",
	},
	{
		name:  "note beside an attachment of the same stem",
		files: map[string]string{"Plan.md": "", "Plan.pdf": ""},
		from:  "q.md", src: "[[Plan]]\n",
		want: "Plan.md", by: vault.ByExact,
	},
	{
		name:  "equal lengths: first in byte order",
		files: map[string]string{"b/Note.md": "", "a/Note.md": ""},
		from:  "q.md", src: "[[Note]]\n",
		want: "a/Note.md", by: vault.ByShortest,
		cands: []string{"a/Note.md", "b/Note.md"},
	},
	{
		name:  "parent folder is not the same folder",
		files: map[string]string{"aaaa/Note.md": "", "c/Note.md": ""},
		from:  "aaaa/b/q.md", src: "[[Note]]\n",
		want: "c/Note.md", by: vault.ByShortest,
		cands: []string{"c/Note.md", "aaaa/Note.md"},
	},
	{
		name:  "suffix must start at a folder",
		files: map[string]string{"MyNote.md": "", "x/Note.md": ""},
		from:  "q.md", src: "[[Note]]\n",
		want: "x/Note.md", by: vault.ByUnique,
	},
	{
		name:  "nested heading under the second H1",
		files: map[string]string{"N.md": "# A\n## Sub\n# B\ntext\n## Sub\n"},
		from:  "q.md", src: "[[N#B#Sub]]\n",
		want: "N.md", by: vault.ByExact,
		checked: true, heading: "Sub", line: 5,
	},
	{
		name:  "nested heading under the first H1",
		files: map[string]string{"N.md": "# A\n## Sub\n# B\ntext\n## Sub\n"},
		from:  "q.md", src: "[[N#A#Sub]]\n",
		want: "N.md", by: vault.ByExact,
		checked: true, heading: "Sub", line: 2,
	},
	{
		name:  "nested heading skipping a level",
		files: map[string]string{"N.md": "# A\n### Deep\n"},
		from:  "q.md", src: "[[N#A#Deep]]\n",
		want: "N.md", by: vault.ByExact,
		checked: true, heading: "Deep", line: 2,
	},
	{
		// EqualFold matches the Kelvin sign with "k": the ASCII-only
		// hash that skips headings must not skip this one.
		name:  "heading matched by Unicode case folding",
		files: map[string]string{"N.md": "# Intro\n# \u212aelvin scale\n"},
		from:  "q.md", src: "[[N#kelvin SCALE]]\n",
		want: "N.md", by: vault.ByExact,
		checked: true, heading: "\u212aelvin scale", line: 2,
	},
	{
		name:  "heading matched case-insensitively among many",
		files: map[string]string{"N.md": "# One\n# Two\n## three\n# THREE\n"},
		from:  "q.md", src: "[[N#Three]]\n",
		want: "N.md", by: vault.ByExact,
		checked: true, heading: "three", line: 3,
	},
	{
		name:  "nested heading belongs to another H1",
		files: map[string]string{"N.md": "# A\ntext\n# B\n## Sub\n"},
		from:  "q.md", src: "[[N#A#Sub]]\n",
		want: "N.md", by: vault.ByExact, checked: true,
	},
	{
		name:  "nested heading: parent missing",
		files: map[string]string{"N.md": "# A\n## Sub\n"},
		from:  "q.md", src: "[[N#C#Sub]]\n",
		want: "N.md", by: vault.ByExact, checked: true,
	},
	{
		name:  "plain subpath finds the first heading",
		files: map[string]string{"N.md": "# A\n## Sub\n# B\n## Sub\n"},
		from:  "q.md", src: "[[N#Sub]]\n",
		want: "N.md", by: vault.ByExact,
		checked: true, heading: "Sub", line: 2,
	},
	{
		name:  "stripHeading: colon",
		files: map[string]string{"N.md": "intro\n\n# Minecraft: The Video Game\n"},
		from:  "q.md", src: "[[N#Minecraft The Video Game]]\n",
		want: "N.md", by: vault.ByExact,
		checked: true, heading: "Minecraft: The Video Game", line: 3,
	},
	{
		name:  "stripHeading: code and parentheses",
		files: map[string]string{"Functions.md": "# Functions\n### `hasTag()`\n"},
		from:  "q.md", src: "[[Functions#hasTag]]\n",
		want: "Functions.md", by: vault.ByExact,
		checked: true, heading: "`hasTag()`", line: 2,
	},
	{
		name:  "stripHeading on both sides",
		files: map[string]string{"N.md": "## What? (part 2)\n"},
		from:  "q.md", src: "[[N#what?  (Part 2)]]\n",
		want: "N.md", by: vault.ByExact,
		checked: true, heading: "What? (part 2)", line: 1,
	},
	{
		name:  "setext heading",
		files: map[string]string{"N.md": "Title\n=====\n"},
		from:  "q.md", src: "[[N#Title]]\n",
		want: "N.md", by: vault.ByExact,
		checked: true, heading: "Title", line: 1,
	},
	{
		name:  "heading missing",
		files: map[string]string{"N.md": "# Other\n"},
		from:  "q.md", src: "[[N#Heading]]\n",
		want: "N.md", by: vault.ByExact, checked: true,
	},
	{
		name:  "heading inside a code block is no heading",
		files: map[string]string{"N.md": "```\n# Heading\n```\n"},
		from:  "q.md", src: "[[N#Heading]]\n",
		want: "N.md", by: vault.ByExact, checked: true,
	},
	{
		name:  "empty subpath names nothing",
		files: map[string]string{"N.md": "# Other\n"},
		from:  "q.md", src: "[[N#]]\n",
		want: "N.md", by: vault.ByExact,
	},
	{
		name:  "block id, case-insensitive",
		files: map[string]string{"N.md": "para ^abc-1\n"},
		from:  "q.md", src: "[[N#^ABC-1]]\n",
		want: "N.md", by: vault.ByExact,
		checked: true, block: "abc-1", line: 1,
	},
	{
		name:  "block id missing",
		files: map[string]string{"N.md": "para ^abc-1\n"},
		from:  "q.md", src: "[[N#^abc-2]]\n",
		want: "N.md", by: vault.ByExact, checked: true,
	},
	{
		name:  "empty block id names nothing",
		files: map[string]string{"N.md": "para ^abc-1\n"},
		from:  "q.md", src: "[[N#^]]\n",
		want: "N.md", by: vault.ByExact,
	},
	{
		name: "self heading",
		from: "a/q.md", src: "# Top\n\nSee [[#top]].\n",
		want: "a/q.md", by: vault.BySelf,
		checked: true, heading: "Top", line: 1,
	},
	{
		name: "self block",
		from: "q.md", src: "para ^p1\n\n[[#^p1]]\n",
		want: "q.md", by: vault.BySelf,
		checked: true, block: "p1", line: 1,
	},
	{
		name: "self heading missing",
		from: "q.md", src: "[[#Nope]]\n",
		want: "q.md", by: vault.BySelf, checked: true,
	},
	{
		name:  "markdown link with decoded heading",
		files: map[string]string{"Sub/Note Name.md": "# Some Heading\n"},
		from:  "q.md", src: "[t](Note%20Name.md#Some%20Heading)\n",
		want: "Sub/Note Name.md", by: vault.ByUnique,
		checked: true, heading: "Some Heading", line: 1,
	},
	{
		name:  "markdown link without .md",
		files: map[string]string{"Sub/Note.md": ""},
		from:  "q.md", src: "[t](Sub/Note)\n",
		want: "Sub/Note.md", by: vault.ByExact,
	},
	{
		name:  "markdown link to a missing file",
		files: map[string]string{"Sub/Note.md": ""},
		from:  "q.md", src: "[t](Sub/Other.md)\n",
	},
	{
		name: "external markdown link",
		from: "q.md", src: "[t](https://e.com)\n",
	},
	{
		name:  "pdf page is no heading",
		files: map[string]string{"doc.pdf": ""},
		from:  "q.md", src: "![[doc.pdf#page=3]]\n",
		want: "doc.pdf", by: vault.ByExact,
	},
	{
		name:  "image embed with a size",
		files: map[string]string{"a/pic.png": ""},
		from:  "q.md", src: "![[pic.png|640x480]]\n",
		want: "a/pic.png", by: vault.ByUnique,
	},
	{
		name:  "frontmatter link",
		files: map[string]string{"Cat/Books.md": ""},
		from:  "q.md", src: "---\ncategory: \"[[Books]]\"\n---\n",
		want: "Cat/Books.md", by: vault.ByUnique,
	},
	{
		name:  "spaces around the path are trimmed",
		files: map[string]string{"Sub/Log.md": ""},
		from:  "q.md", src: "[[ Log |label]]\n",
		want: "Sub/Log.md", by: vault.ByUnique,
	},
	{
		name:  "file with no extension",
		files: map[string]string{"docs/LICENSE": "", "docs/Other.md": ""},
		from:  "q.md", src: "[[license]]\n",
		want: "docs/LICENSE", by: vault.ByUnique,
	},
	{
		name:  "file with no extension beside a note of its name",
		files: map[string]string{"a/README": "", "b/README.md": ""},
		from:  "q.md", src: "[[README]]\n",
		want: "a/README", by: vault.ByShortest,
		cands: []string{"a/README", "b/README.md"},
	},
	{
		name:  "link with a folder from a folder",
		files: map[string]string{"a/b/Note.md": "", "b/Note.md": ""},
		from:  "a/x.md", src: "[[b/Note]]\n",
		want: "b/Note.md", by: vault.ByExact,
		cands: []string{"b/Note.md", "a/b/Note.md"},
	},
}

func TestResolve(t *testing.T) {
	t.Run("links.md", func(t *testing.T) { runResolveCases(t, linksMDTable) })
	t.Run("more", func(t *testing.T) { runResolveCases(t, ownResolveCases) })
}

func runResolveCases(t *testing.T, cases []resolveCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{tc.from: tc.src}
			for p, s := range tc.files {
				files[p] = s
			}
			v := memVault(t, files)
			from := v.File(tc.from).Note
			if tc.noLink {
				if len(from.Links) != 0 {
					t.Fatalf("found links %+v, want none", from.Links)
				}
				return
			}
			if len(from.Links) != 1 {
				t.Fatalf("found %d links (%+v), want 1", len(from.Links), from.Links)
			}
			l := &from.Links[0]
			if l.InComment != tc.inComment {
				t.Errorf("InComment = %v, want %v", l.InComment, tc.inComment)
			}
			r := v.Resolve(from, l)
			got := ""
			if r.File != nil {
				got = r.File.Path
			}
			if got != tc.want || r.By != tc.by {
				t.Errorf("%q resolves to %q by %v, want %q by %v", l.Path, got, r.By, tc.want, tc.by)
			}
			wantCands := tc.cands
			if wantCands == nil && tc.want != "" {
				wantCands = []string{tc.want}
			}
			if gotCands := paths(r.Candidates); !reflect.DeepEqual(gotCands, wantCands) {
				t.Errorf("candidates %q, want %q", gotCands, wantCands)
			}
			checkSubpath(t, from, r, tc)

			// ResolvePath agrees with Resolve on the file.
			f, by, _ := v.ResolvePath(tc.from, l.Path)
			if !l.External && (f != r.File || by != r.By) {
				t.Errorf("ResolvePath gives %v by %v, Resolve %v by %v", f, by, r.File, r.By)
			}
		})
	}
}

func checkSubpath(t *testing.T, from *vault.Note, r vault.Resolution, tc resolveCase) {
	t.Helper()
	if r.SubpathChecked != tc.checked {
		t.Fatalf("SubpathChecked = %v, want %v", r.SubpathChecked, tc.checked)
	}
	wantFound := tc.heading != "" || tc.block != ""
	if r.SubpathFound != wantFound {
		t.Fatalf("SubpathFound = %v, want %v (heading %+v, block %+v)", r.SubpathFound, wantFound, r.Heading, r.Block)
	}
	target := from
	if r.File != nil {
		target = r.File.Note
	}
	switch {
	case tc.heading != "":
		if r.Heading == nil || r.Heading.Text != tc.heading {
			t.Fatalf("heading %+v, want %q", r.Heading, tc.heading)
		}
		if line, _ := target.Position(r.Heading.Span.Start); line != tc.line {
			t.Errorf("heading %q on line %d, want %d", tc.heading, line, tc.line)
		}
	case tc.block != "":
		if r.Block == nil || r.Block.ID != tc.block {
			t.Fatalf("block %+v, want %q", r.Block, tc.block)
		}
		if line, _ := target.Position(r.Block.Span.Start); line != tc.line {
			t.Errorf("block %q on line %d, want %d", tc.block, line, tc.line)
		}
	default:
		if r.Heading != nil || r.Block != nil {
			t.Errorf("found heading %+v, block %+v; want none", r.Heading, r.Block)
		}
	}
}

func TestAliasesOnlySuggest(t *testing.T) {
	v := memVault(t, map[string]string{
		"X.md":   "---\naliases: [AI, \"Machine Learning\"]\n---\n",
		"Y.md":   "---\nalias: ai\n---\n",
		"q.md":   "[[AI]]\n",
		"Z.md":   "---\naliases:\n---\n",
		"AI2.md": "",
	})
	if f, by, _ := v.ResolvePath("q.md", "AI"); f != nil {
		t.Errorf("[[AI]] resolves to %s by %v; aliases must not resolve", f.Path, by)
	}
	var got []string
	for _, n := range v.NotesWithAlias("ai") {
		got = append(got, n.Path)
	}
	sort.Strings(got)
	if want := []string{"X.md", "Y.md"}; !reflect.DeepEqual(got, want) {
		t.Errorf("NotesWithAlias(ai) = %q, want %q", got, want)
	}
	if n := v.NotesWithAlias("machine learning"); len(n) != 1 || n[0].Path != "X.md" {
		t.Errorf("NotesWithAlias(machine learning) = %v", n)
	}
}

// TestResolveOnDisk covers what only a vault on disk shows: Unicode
// normalisation of file names and links, and files outside the root.
func TestResolveOnDisk(t *testing.T) {
	top := t.TempDir()
	root := filepath.Join(top, "vault")
	write := func(rel, s string) {
		t.Helper()
		p := filepath.Join(top, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const nfd, nfc = "Cafe\u0301", "Caf\u00e9"
	write("vault/Notes/"+nfd+".md", "")
	write("vault/"+nfc+" Menu.md", "")
	write("vault/Links.md", "[["+nfc+"]] [["+nfd+"]] [["+nfd+" Menu]] [[../outside]] [t](../outside.md) [[../vault/Links]]\n")
	write("outside.md", "")

	v, err := vault.Load(context.Background(), root, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Problems) != 0 {
		t.Fatalf("problems: %v", v.Problems)
	}
	if f := v.File("Notes/" + nfd + ".md"); f == nil || f.Path != "Notes/"+nfc+".md" {
		t.Fatalf("File(NFD name) = %v, want the NFC path", f)
	}
	from := v.File("Links.md").Note
	want := []string{"Notes/" + nfc + ".md", "Notes/" + nfc + ".md", nfc + " Menu.md", "", "", ""}
	if len(from.Links) != len(want) {
		t.Fatalf("%d links, want %d", len(from.Links), len(want))
	}
	for i, l := range from.Links {
		r := v.Resolve(from, &l)
		got := ""
		if r.File != nil {
			got = r.File.Path
		}
		if got != want[i] {
			t.Errorf("%q resolves to %q, want %q", l.Path, got, want[i])
		}
	}
}

func TestStripHeading(t *testing.T) {
	for in, want := range map[string]string{
		"Minecraft: The Video Game": "Minecraft The Video Game",
		"`hasTag()`":                "hasTag",
		"  a  -  b  ":               "a - b",
		"C# & F#":                   "C F",
		"[[Link|x]] here":           "Link x here",
		"100% (sure)!":              "100 sure",
		"a\u00a0b\tc":               "a b c",
		"snake_case-and-dash":       "snake_case-and-dash",
		"!!!":                       "",
		"Été à l'école":             "Été à l'école",
	} {
		if got := vault.StripHeading(in); got != want {
			t.Errorf("StripHeading(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestResolveNoteOutsideVault: a note parsed on its own can still find
// its own headings.
func TestResolveNoteOutsideVault(t *testing.T) {
	v := vault.New(nil, "a.png")
	n := vault.Parse("lone.md", []byte("# Top\n[[#Top]] [[a.png]] [[lone]]\n"))
	var got []string
	for i := range n.Links {
		r := v.Resolve(n, &n.Links[i])
		s := r.By.String()
		if r.SubpathFound {
			s += "+heading"
		}
		got = append(got, s)
	}
	if want := []string{"self+heading", "exact path", "unresolved"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestStripHeadingFastPath checks StripHeading, which returns text that
// needs no change as it is, against the rule written out in full.
func TestStripHeadingFastPath(t *testing.T) {
	slow := func(s string) string {
		words := strings.FieldsFunc(s, func(r rune) bool {
			return strings.ContainsRune("!\"#$%&()*+,.:;<=>?@^`{|}~/[]\\ \t\n\r\u00a0", r)
		})
		return strings.Join(words, " ")
	}
	alphabet := []string{"a", "B", "7", " ", "  ", "#", ".", "-", "_", "é", "\u00a0", "\t", "\x01", "[", "'"}
	r := rand.New(rand.NewPCG(7, 7))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		s := b.String()
		if got, want := vault.StripHeading(s), slow(s); got != want {
			t.Fatalf("StripHeading(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestResolveManySameNames resolves links in a vault where one name is
// in many folders (where the index narrows candidates by folder name)
// and checks the candidates against the rule written out: every file
// whose lower-cased path is the link's, or ends with "/" and the link's,
// with ".md" added for notes; shortest path first, then byte order.
func TestResolveManySameNames(t *testing.T) {
	files := map[string]string{"Note.md": ""}
	for _, d := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "x/b", "y/B", "x/y/b", "b/b", "bb", "ab"} {
		files[d+"/Note.md"] = ""
		files[d+"/note.png"] = ""
	}
	v := memVault(t, files)
	want := func(link string) []string {
		p := strings.ToLower(link)
		var out []string
		for _, f := range v.Files {
			l := strings.ToLower(f.Path)
			for _, q := range []string{p, p + ".md"} {
				if l == q || strings.HasSuffix(l, "/"+q) {
					out = append(out, f.Path)
				}
			}
		}
		sort.SliceStable(out, func(i, j int) bool {
			if len(out[i]) != len(out[j]) {
				return len(out[i]) < len(out[j])
			}
			return out[i] < out[j]
		})
		return out
	}
	for _, link := range []string{"Note", "b/Note", "B/note", "x/b/Note", "y/b/Note", "b/b/Note", "b/note.png", "bb/Note", "z/Note", "x/y/b/Note", "b/Note.md", "/b/Note", "b/"} {
		_, _, cands := v.ResolvePath("Elsewhere.md", link)
		got := paths(cands)
		if link == "/b/Note" { // rooted: exactly that path
			continue
		}
		if w := want(link); !reflect.DeepEqual(got, w) {
			t.Errorf("candidates of %q = %q, want %q", link, got, w)
		}
	}
}
