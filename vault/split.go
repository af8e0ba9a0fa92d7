package vault

import (
	"net/url"
	"strings"
)

// WikiParts is a wikilink's inner text split as links.md 10–11 says.
type WikiParts struct {
	Path       string
	Subpath    string
	HasSubpath bool
	Display    string
	HasDisplay bool
	// TargetLen is the length in bytes of the path and subpath as written,
	// from the start of the inner text; a "\" escaping the separating "|"
	// is not part of it.
	TargetLen int
}

// SplitWikilink splits the text between "[[" and "]]". The display text
// starts at the first '|' (a "\|" written inside a table cell is the
// separator too, its backslash belonging to neither side); the rest
// splits at the first '#' into path and subpath.
func SplitWikilink(inner string) WikiParts {
	var p WikiParts
	target := inner
	if i := strings.IndexByte(inner, '|'); i >= 0 {
		target = inner[:i]
		p.Display = inner[i+1:]
		p.HasDisplay = true
		target = strings.TrimSuffix(target, `\`)
	}
	p.TargetLen = len(target)
	p.Path = target
	if i := strings.IndexByte(target, '#'); i >= 0 {
		p.Path = target[:i]
		p.Subpath = target[i+1:]
		p.HasSubpath = true
	}
	return p
}

// DestParts is a Markdown link destination split and decoded.
type DestParts struct {
	Path       string
	Subpath    string
	HasSubpath bool
	External   bool
}

// SplitDestination splits a Markdown link destination (without "<…>") at
// the first '#' and percent-decodes both parts (links.md 6, 13). A
// destination with a URL scheme is External.
func SplitDestination(dest string) DestParts {
	var p DestParts
	if HasScheme(dest) {
		p.External = true
		p.Path = dest
		return p
	}
	path := dest
	if i := strings.IndexByte(dest, '#'); i >= 0 {
		path = dest[:i]
		p.Subpath = percentDecode(dest[i+1:])
		p.HasSubpath = true
	}
	p.Path = percentDecode(path)
	return p
}

func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// HasScheme reports whether s starts with a URL scheme ("https:",
// "mailto:", "obsidian:", "file:"). A single letter before ':' is taken
// for a Windows drive, not a scheme.
func HasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case c == ':' && i > 1:
			return true
		default:
			return false
		}
	}
	return false
}
