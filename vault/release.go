package vault

import (
	"errors"
	"fmt"
	"hash/maphash"
)

// ErrChanged says that a note's file no longer holds the bytes that were
// parsed: it was edited while vaultlint ran.
var ErrChanged = errors.New("the file changed while vaultlint ran")

// sourceSeed keys the sums that tell a released note's file unchanged.
var sourceSeed = maphash.MakeSeed()

// released is what a note keeps of its source once ReleaseSource drops it.
type released struct {
	sum     uint64 // maphash of the source
	size    int
	aliases []string
}

// ReleaseSource lets a note go of what only rules that read its text
// need: the source bytes and the frontmatter's YAML tree. Its links,
// headings, blocks, tags, ranges, aliases and frontmatter spans stay, their
// strings copied out of the source into one buffer of the note's own; Src
// and Frontmatter.Root become nil, and Source reads the source again.
//
// A check of a large vault calls it on each note as soon as the note's
// own rules have run: what the rules that look across notes need is a
// fraction of the source, and keeping every source until the end held a
// vault's Markdown in memory twice over (see docs/performance.md).
func (n *Note) ReleaseSource() {
	if n.Src == nil || n.released != nil {
		return
	}
	r := &released{sum: maphash.Bytes(sourceSeed, n.Src), size: len(n.Src)}
	aliases := n.Aliases()
	size := 0
	for _, a := range aliases {
		size += len(a)
	}
	for i := range n.Links {
		l := &n.Links[i]
		size += len(l.Path) + len(l.Subpath) + len(l.Display)
	}
	for i := range n.Headings {
		size += len(n.Headings[i].Text)
	}
	for i := range n.Blocks {
		size += len(n.Blocks[i].ID)
	}
	for i := range n.Tags {
		size += len(n.Tags[i].Name)
	}
	// The buffer is sized once and never grows, so the strings made from
	// it stay valid as it fills.
	buf := make([]byte, 0, size)
	keep := func(s string) string {
		if s == "" {
			return ""
		}
		start := len(buf)
		buf = append(buf, s...)
		return bytesString(buf[start:len(buf):len(buf)])
	}
	if len(aliases) > 0 {
		r.aliases = make([]string, len(aliases))
		for i, a := range aliases {
			r.aliases[i] = keep(a)
		}
	}
	for i := range n.Links {
		l := &n.Links[i]
		l.Path, l.Subpath, l.Display = keep(l.Path), keep(l.Subpath), keep(l.Display)
	}
	for i := range n.Headings {
		old := n.Headings[i].Text
		n.Headings[i].Text = keep(old)
		// A heading with nothing to strip is its own key: point the key
		// at the copy too, or it would keep the whole source alive.
		if i < len(n.strip.keys) && sameString(n.strip.keys[i], old) {
			n.strip.keys[i] = n.Headings[i].Text
		}
	}
	for i := range n.Blocks {
		n.Blocks[i].ID = keep(n.Blocks[i].ID)
	}
	for i := range n.Tags {
		n.Tags[i].Name = keep(n.Tags[i].Name)
	}
	if n.Frontmatter != nil {
		n.Frontmatter.Root = nil
	}
	n.Src = nil
	n.released = r
}

// Released reports whether ReleaseSource dropped the note's source.
func (n *Note) Released() bool { return n.released != nil }

// Source returns a note's source: Src, or for a released note, its file
// read again. It fails with ErrChanged when the file no longer holds the
// bytes that were parsed, since the note's spans would not fit them.
func (v *Vault) Source(n *Note) ([]byte, error) {
	if n.released == nil {
		return n.Src, nil
	}
	if n.file == nil {
		return nil, fmt.Errorf("%s: the note's source was released and it has no file", n.Path)
	}
	src, _, err := v.readNote(n.file.DiskPath())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", n.Path, err)
	}
	if len(src) != n.released.size || maphash.Bytes(sourceSeed, src) != n.released.sum {
		return nil, fmt.Errorf("%s: %w", n.Path, ErrChanged)
	}
	return src, nil
}
