package move

import (
	"fmt"
	"strings"

	"github.com/vaultlint/vaultlint/vault"
)

// encode writes a link path (decoded, as Link.Path holds it) in the
// syntax of l, so that parsing the note again gives back exactly that
// path and leaves the rest of the link as it was. It fails when the path
// cannot be written there at all, such as a '#' in a wikilink (links.md
// 24).
func encode(n *vault.Note, l *vault.Link, p string) (string, error) {
	if p == "" {
		return "", fmt.Errorf("empty path")
	}
	for _, r := range p {
		if r < ' ' || r == 0x7f {
			return "", fmt.Errorf("the path holds the control character %q", r)
		}
	}
	var out string
	if l.Markdown {
		out = encodeDestination(p, l.Angle)
	} else {
		for _, bad := range []string{"#", "|", "[[", "]]", "%%"} {
			if strings.Contains(p, bad) {
				return "", fmt.Errorf("a wikilink cannot hold %q in its path", bad)
			}
		}
		if strings.HasSuffix(p, "]") {
			return "", fmt.Errorf("a wikilink path cannot end with \"]\"")
		}
		if l.HasDisplay && strings.HasSuffix(p, `\`) {
			return "", fmt.Errorf(`a wikilink path cannot end with "\" before its "|"`)
		}
		out = p
	}
	if n.InFrontmatter(l.Span.Start) && l.Span.Start > 0 {
		// The link is the value of a quoted YAML string; a quote or, in
		// double quotes, a backslash would end or escape it.
		switch n.Src[l.Span.Start-1] {
		case '"':
			if strings.ContainsAny(out, `"\`) {
				return "", fmt.Errorf("the path would end or escape its YAML string")
			}
		case '\'':
			if strings.Contains(out, "'") {
				return "", fmt.Errorf("the path would end its YAML string")
			}
		}
	}
	return out, nil
}

// encodeDestination percent-encodes what a Markdown link destination
// cannot hold as it is: in a bare destination the space (written "%20",
// as Obsidian writes it) and everything that would end the destination,
// start a code span or an escape, split off a subpath or a table cell;
// inside "<…>" spaces stay as they are. Other characters, letters of any
// script included, are written as they are.
func encodeDestination(p string, angle bool) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '%', '#', '<', '>', '\\', '|', '`':
		case ' ', '(', ')', '[', ']':
			if angle {
				b.WriteByte(c)
				continue
			}
		default:
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
