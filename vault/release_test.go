package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

const releaseNote = `---
aliases: [First alias, "Second"]
tags: [alpha]
related: "[[Other#Part]]"
---
# Title ^not-a-block

Text with [[Other#Part|label]], ![[pic.png]], [md](Other%20Note.md#Sub)
and #inline-tag.

Paragraph. ^block-1

## Plain part
`

// TestReleaseSource: a released note keeps what its links, headings,
// blocks, tags and aliases say, in strings of its own: overwriting the
// buffer it was parsed from changes none of them.
func TestReleaseSource(t *testing.T) {
	src := []byte(releaseNote)
	n := Parse("dir/Note.md", src)
	want := Parse("dir/Note.md", []byte(releaseNote))
	if len(n.Links) != 4 || len(n.Blocks) != 1 || len(n.Tags) < 2 || len(n.Aliases()) != 2 {
		t.Fatalf("the note is not what the test expects: %d links, %d blocks, %d tags, aliases %q",
			len(n.Links), len(n.Blocks), len(n.Tags), n.Aliases())
	}
	n.ReleaseSource()
	for i := range src {
		src[i] = 'X'
	}
	if !n.Released() || n.Src != nil || n.Frontmatter.Root != nil {
		t.Fatalf("source kept: released %v, Src %d bytes, Root %v", n.Released(), len(n.Src), n.Frontmatter.Root)
	}
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"links", n.Links, want.Links},
		{"headings", n.Headings, want.Headings},
		{"blocks", n.Blocks, want.Blocks},
		{"tags", n.Tags, want.Tags},
		{"ranges", n.Ranges, want.Ranges},
		{"aliases", n.Aliases(), want.Aliases()},
		{"frontmatter span", n.Frontmatter.Span, want.Frontmatter.Span},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s after release:\n got %+v\nwant %+v", c.what, c.got, c.want)
		}
	}
	// One heading is stripped into a key of its own, the other is its
	// own key: both must be found in the copies, not the old buffer.
	for _, sub := range []string{"Title ^not-a-block", "Plain part"} {
		if h := n.FindHeading(sub); h == nil {
			t.Errorf("FindHeading(%q) finds nothing after release", sub)
		}
	}
	n.ReleaseSource() // a second release changes nothing
	if !reflect.DeepEqual(n.Links, want.Links) {
		t.Error("a second release changed the links")
	}
}

// TestSourceAfterRelease: Source reads a released note's file again, and
// refuses a file that no longer holds the bytes parsed, even at the
// same size.
func TestSourceAfterRelease(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a", "Note.md")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(releaseNote), 0o644); err != nil {
		t.Fatal(err)
	}
	released := 0
	v, err := Load(context.Background(), dir, Options{Parsed: func(_ *Vault, n *Note) {
		n.ReleaseSource()
		released++
	}})
	if err != nil {
		t.Fatal(err)
	}
	n := v.File("a/Note.md").Note
	if released != 1 || !n.Released() {
		t.Fatalf("Parsed was called %d times; released %v", released, n.Released())
	}
	src, err := v.Source(n)
	if err != nil || string(src) != releaseNote {
		t.Fatalf("Source = %q, %v", src, err)
	}
	changed := []byte(releaseNote)
	changed[len(changed)-2] = '2' // ^block-2: same size, other bytes
	if err := os.WriteFile(p, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Source(n); !errors.Is(err, ErrChanged) {
		t.Errorf("edited file: err = %v, want ErrChanged", err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Source(n); err == nil {
		t.Error("deleted file: no error")
	}
	kept := Parse("b.md", []byte("text\n"))
	if src, err := v.Source(kept); err != nil || string(src) != "text\n" {
		t.Errorf("a note not released: Source = %q, %v", src, err)
	}
}
