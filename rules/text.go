package rules

import (
	"bytes"

	"github.com/vaultlint/vaultlint/vault"
)

// Helpers shared by rules that read a note line by line.

// lineAt describes one line of a note: [Start, End) is its text without
// the line break, Next is where the following line starts.
type lineAt struct {
	Start, End, Next int
}

// bodyLines returns the lines of the note's body (after the
// frontmatter), in order. They are found once per note for all the rules
// that read lines.
func (p *Pass) bodyLines() []lineAt {
	st := p.state()
	if st.lines == nil {
		st.lines = appendBodyLines(getLines(), p.Note)
	}
	return st.lines
}

func appendBodyLines(out []lineAt, n *vault.Note) []lineAt {
	src := n.Src
	for off := n.Body; off < len(src); {
		end, next := len(src), len(src)
		if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
			end, next = off+i, off+i+1
			if end > off && src[end-1] == '\r' {
				end--
			}
		}
		out = append(out, lineAt{off, end, next})
		off = next
	}
	return out
}

// newline returns the note's line break: "\r\n" when its first line ends
// so, else "\n".
func newline(src []byte) string {
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// hidden reports whether a span touches code, math, an Obsidian comment
// or HTML, where rules do not look (rules.md, introduction).
func hidden(n *vault.Note, s vault.Span) bool {
	if s.End == s.Start {
		s.End++
	}
	return n.Overlaps(s)
}

func isBlank(b []byte) bool { return len(bytes.Trim(b, " \t")) == 0 }
