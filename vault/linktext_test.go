package vault

import (
	"path"
	"strings"
	"testing"
)

func TestLinkText(t *testing.T) {
	var notes []*Note
	for _, p := range []string{
		"Note.md", "zzzz/Note.md", "a/b/Note.md", "c/b/Note.md",
		"p/Dup.md", "r/Dup.md", "p/x.md",
		"x/y.md", "q.md", "a/b/x.md", "sub/x.md",
		"deep/er/Solo.md", "Readme.md", "other/Lone.md", "Upper.MD",
		"Twin.md", "sub/twin.md",
	} {
		notes = append(notes, Parse(p, []byte("text\n")))
	}
	v := New(notes, "img/image.png", "img/chart.png", "old/chart.png", "Readme", "misc/Lone")

	tests := []struct {
		name, from, to, want string
	}{
		{"root file by exact path", "x/y.md", "Note.md", "Note"},
		{"folder path that is a whole vault path", "x/y.md", "zzzz/Note.md", "zzzz/Note"},
		{"shared tail needs the whole path", "x/y.md", "a/b/Note.md", "a/b/Note"},
		{"exact root path beats the same folder", "a/b/x.md", "a/b/Note.md", "a/b/Note"},
		{"same folder needs no path", "p/x.md", "p/Dup.md", "Dup"},
		{"duplicate seen from elsewhere", "q.md", "p/Dup.md", "p/Dup"},
		{"unique name", "q.md", "deep/er/Solo.md", "Solo"},
		{"unique attachment keeps its extension", "q.md", "img/image.png", "image.png"},
		{"duplicated attachment", "q.md", "img/chart.png", "img/chart.png"},
		{"other duplicated attachment", "q.md", "old/chart.png", "old/chart.png"},
		{"link to itself", "Note.md", "Note.md", "Note"},
		{"root attachment without extension hides the note", "q.md", "Readme.md", "Readme.md"},
		{"root attachment without extension", "q.md", "Readme", "Readme"},
		{"attachment without extension shares the name", "q.md", "other/Lone.md", "other/Lone"},
		{"upper-case extension", "q.md", "Upper.MD", "Upper"},
		{"exact match ignores case", "q.md", "Twin.md", "Twin"},
		{"exact root beats same folder, ignoring case", "sub/x.md", "sub/twin.md", "sub/twin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := v.File(tt.to)
			if f == nil {
				t.Fatalf("no file %s", tt.to)
			}
			got := v.LinkText(tt.from, f)
			if got != tt.want {
				t.Errorf("LinkText(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
			}
			if g, _, _ := v.ResolvePath(tt.from, got); g != f {
				t.Errorf("%q from %q resolves to %v, not %s", got, tt.from, g, tt.to)
			}
		})
	}
}

// TestJoinRelative: where joinRelative answers, it answers as path.Join
// does, and it answers for the common relative paths.
func TestJoinRelative(t *testing.T) {
	dirs := []string{"", "a", "a/b", "a/b/c"}
	parts := []string{"./", "../", "x", "x.md", "y/", ".", "..", "/", "//", "z"}
	var paths func(prefix string, n int) []string
	paths = func(prefix string, n int) []string {
		out := []string{prefix}
		if n == 0 {
			return out
		}
		for _, p := range parts {
			out = append(out, paths(prefix+p, n-1)...)
		}
		return out
	}
	answered := 0
	for _, from := range dirs {
		for _, p := range paths("", 4) {
			if !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") {
				continue
			}
			j, above, ok := joinRelative(nil, from, p)
			if !ok {
				continue
			}
			answered++
			want := path.Join(from, p)
			wantAbove := want == ".." || strings.HasPrefix(want, "../") || want == "."
			if above != wantAbove || !above && j != want {
				t.Errorf("joinRelative(%q, %q) = %q, above %v; path.Join gives %q", from, p, j, above, want)
			}
		}
	}
	for _, c := range []struct{ from, p, want string }{
		{"a/b", "./x.md", "a/b/x.md"},
		{"a/b", "../y/x.md", "a/y/x.md"},
		{"", "./y/x.md", "y/x.md"},
	} {
		if j, above, ok := joinRelative(nil, c.from, c.p); !ok || above || j != c.want {
			t.Errorf("joinRelative(%q, %q) = %q, %v, %v; want %q", c.from, c.p, j, above, ok, c.want)
		}
	}
	if answered < 100 {
		t.Errorf("joinRelative answered only %d paths", answered)
	}
}
