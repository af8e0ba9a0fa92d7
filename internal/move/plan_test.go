package move

import (
	"sort"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/vault"
)

// memVault builds a vault in memory: ".md" files are parsed as notes,
// anything else is an attachment.
func memVault(files map[string]string, format string) *vault.Vault {
	var notes []*vault.Note
	var others []string
	for p, s := range files {
		if vault.IsNotePath(p) {
			notes = append(notes, vault.Parse(p, []byte(s)))
		} else {
			others = append(others, p)
		}
	}
	sort.Slice(notes, func(i, j int) bool { return notes[i].Path < notes[j].Path })
	v := vault.New(notes, others...)
	v.App.NewLinkFormat = format
	return v
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name     string
		format   string
		files    map[string]string
		from, to string
		want     map[string]string // old path → text after the move
		revived  int
	}{
		{
			name: "rename: every link form",
			files: map[string]string{
				"Note.md": "# H\n\npara ^b1\n",
				"img.png": "",
				"a.md": `---
up: "[[Note]]"
md: "[x](Note.md)"
---
[[Note]] [[Note|label]] ![[Note#H]] [[Note#^b1|b]] [[note]]
[t](Note.md) [t](Note.md#H) [t](<Note.md>) [[Note.md]]
| [[Note\|cell]] | x |
[[Other]] ![[img.png|100]]
`,
			},
			from: "Note.md", to: "New Name.md",
			want: map[string]string{"a.md": `---
up: "[[New Name]]"
md: "[x](New%20Name.md)"
---
[[New Name]] [[New Name|label]] ![[New Name#H]] [[New Name#^b1|b]] [[New Name]]
[t](New%20Name.md) [t](New%20Name.md#H) [t](<New Name.md>) [[New Name.md]]
| [[New Name\|cell]] | x |
[[Other]] ![[img.png|100]]
`},
		},
		{
			name:  "attachment with size",
			files: map[string]string{"a/img.png": "", "n.md": "![[img.png|640x480]] ![x](a/img.png)\n"},
			from:  "a/img.png", to: "b/pic one.png",
			want: map[string]string{"n.md": "![[pic one.png|640x480]] ![x](pic%20one.png)\n"},
		},
		{
			name: "moving into a folder keeps bare names, fixes paths",
			files: map[string]string{
				"a/Note.md": "", "x.md": "[[Note]] [[a/Note]] [[note]]\n",
			},
			from: "a/Note.md", to: "b/Note.md",
			want: map[string]string{"x.md": "[[Note]] [[Note]] [[note]]\n"},
		},
		{
			name: "a new duplicate name: other links keep their file",
			files: map[string]string{
				"c/Note.md": "", "a/Other.md": "", "q.md": "[[Note]] [[Other]]\n",
			},
			from: "a/Other.md", to: "b/Note.md",
			want: map[string]string{"q.md": "[[c/Note]] [[b/Note]]\n"},
		},
		{
			name: "same-folder rule would retarget",
			files: map[string]string{
				"c/Note.md": "", "a/Other.md": "", "b/x.md": "[[Note]]\n",
			},
			from: "a/Other.md", to: "b/Note.md",
			want: map[string]string{"b/x.md": "[[c/Note]]\n"},
		},
		{
			name: "moving the linking note under the same-folder rule",
			files: map[string]string{
				"b/Note.md": "", "c/Note.md": "", "a/x.md": "[[Note]] [[c/Note]]\n",
			},
			from: "a/x.md", to: "c/x.md",
			want: map[string]string{"a/x.md": "[[b/Note]] [[c/Note]]\n"},
		},
		{
			name: "relative links stay relative",
			files: map[string]string{
				"y.md": "", "a/x.md": "[[../y]] [t](../y.md) [[./z]] [[../gone]]\n", "a/z.md": "",
				"r.md": "[[./a/x|x]]\n",
			},
			from: "a/x.md", to: "b/c/x.md",
			want: map[string]string{
				"a/x.md": "[[../../y]] [t](../../y.md) [[../../a/z]] [[../../gone]]\n",
				"r.md":   "[[./b/c/x|x]]\n",
			},
		},
		{
			name: "folder move: links inside and outside",
			files: map[string]string{
				"F/a.md": "[[b]] [[F/b]] [[./b]] [[../top]]\n", "F/b.md": "", "top.md": "[[F/a]] [[a]]\n",
			},
			from: "F", to: "G/H",
			want: map[string]string{
				"F/a.md": "[[b]] [[b]] [[./b]] [[../../top]]\n",
				"top.md": "[[a]] [[a]]\n",
			},
		},
		{
			name:   "absolute format",
			format: "absolute",
			files:  map[string]string{"a/N.md": "", "x.md": "[[N]] [[Other]]\n", "Other.md": ""},
			from:   "a/N.md", to: "b/N.md",
			want: map[string]string{"x.md": "[[b/N]] [[Other]]\n"},
		},
		{
			name:   "relative format",
			format: "relative",
			files:  map[string]string{"a/N.md": "", "a/x.md": "[[N]]\n"},
			from:   "a/N.md", to: "b/N.md",
			want: map[string]string{"a/x.md": "[[../b/N]]\n"},
		},
		{
			name:  "a dangling link comes to resolve",
			files: map[string]string{"Old.md": "", "x.md": "[[New]]\n"},
			from:  "Old.md", to: "New.md",
			want:    map[string]string{},
			revived: 1,
		},
		{
			name:  "self links and other links are left alone",
			files: map[string]string{"N.md": "# H\n[[#H]] [[N#H]] [[Z]] [e](https://e.com)\n", "Z.md": ""},
			from:  "N.md", to: "M.md",
			want: map[string]string{"N.md": "# H\n[[#H]] [[M#H]] [[Z]] [e](https://e.com)\n"},
		},
		{
			name:  "case-only rename rewrites",
			files: map[string]string{"note.md": "", "x.md": "[[note]]\n"},
			from:  "note.md", to: "Note.md",
			want: map[string]string{"x.md": "[[Note]]\n"},
		},
		{
			name:  "spaces around the path are kept",
			files: map[string]string{"N.md": "", "x.md": "[[ N | label]]\n"},
			from:  "N.md", to: "M.md",
			want: map[string]string{"x.md": "[[ M | label]]\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := memVault(tt.files, tt.format)
			p, err := New(v, tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Conflicts {
				t.Errorf("conflict: %s", c)
			}
			got := map[string]string{}
			for _, c := range p.Changes {
				got[c.Path] = string(c.After)
			}
			for path, want := range tt.want {
				if got[path] != want {
					t.Errorf("%s:\ngot  %q\nwant %q", path, got[path], want)
				}
			}
			for path := range got {
				if _, ok := tt.want[path]; !ok {
					t.Errorf("%s rewritten, should not be: %q", path, got[path])
				}
			}
			if len(p.Revived) != tt.revived {
				t.Errorf("revived = %v, want %d", p.Revived, tt.revived)
			}
		})
	}
}

func TestPlanRefuses(t *testing.T) {
	files := map[string]string{"a.md": "", "b.md": "", "F/c.md": "", "img.png": "", "x.md": "[[a]]\n"}
	tests := []struct{ from, to, err string }{
		{"a.md", "b.md", "b.md already exists"},
		{"a.md", "B.md", "b.md already exists"},
		{"img.png", "F", "F already exists"},
		{"a.md", "a.txt", "must end in .md"},
		{"img.png", "img.md", "must not end in .md"},
		{"nope.md", "n.md", "no such file or folder"},
		{"F", "F/G", "into itself"},
		{"a.md", "../a.md", "not a clean path"},
		{"a.md", ".hidden/a.md", "starts with a dot"},
		{"a.md", "b.md/a.md", "b.md is a file"},
		{"a.md", "a.md", "already there"},
	}
	for _, tt := range tests {
		v := memVault(files, "")
		_, err := New(v, tt.from, tt.to)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("New(%q, %q) = %v, want %q", tt.from, tt.to, err, tt.err)
		}
	}
}

func TestPlanConflicts(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		from, to string
		reason   string
	}{
		{"wikilink to a name with #", map[string]string{"N.md": "", "x.md": "[[N]]\n"}, "N.md", "N #1.md", "cannot hold \"#\""},
		{"reference link", map[string]string{"N.md": "", "x.md": "[t][r]\n\n[r]: N.md\n"}, "N.md", "M.md", "reference-style"},
		// The heading's text holds the link, so rewriting the link renames
		// the heading that [[x#See Old]] finds: caught by verification.
		{"heading holding the link", map[string]string{"Old.md": "", "x.md": "# See [[Old]]\n[[#See Old]]\n"}, "Old.md", "New.md", "same heading or block"},
		{"YAML escapes", map[string]string{"N.md": "", "x.md": "---\nup: \"[[\\u004E]]\"\n---\n"}, "N.md", "M.md", "cannot be mapped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := memVault(tt.files, "")
			p, err := New(v, tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Conflicts) != 1 || !strings.Contains(p.Conflicts[0].Reason, tt.reason) {
				t.Fatalf("conflicts = %v, want one with %q", p.Conflicts, tt.reason)
			}
			if err := p.Execute(); err == nil {
				t.Fatal("a plan with conflicts was executed")
			}
		})
	}
}

func TestRelPath(t *testing.T) {
	tests := []struct{ dir, target, want string }{
		{".", "y", "./y"},
		{"a", "y", "../y"},
		{"a", "a/z", "./z"},
		{"a/b", "a/c/z", "../c/z"},
		{".", "../y", "../y"},
		{"b/c", "../y", "../../../y"},
		{"a", "a", "../a"},
	}
	for _, tt := range tests {
		if got := relPath(tt.dir, tt.target); got != tt.want {
			t.Errorf("relPath(%q, %q) = %q, want %q", tt.dir, tt.target, got, tt.want)
		}
	}
}
