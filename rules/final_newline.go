package rules

import (
	"bytes"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// FinalNewline flags a note that does not end with exactly one newline.
var FinalNewline = Register(&Rule{
	ID:      "final-newline",
	Summary: "a note should end with exactly one line break",
	Doc: `Tools that append to notes, diff them or concatenate them expect the
last line to end with a line break, and blank lines at the end of a note
are invisible clutter. The fix adds the missing line break (CRLF in a CRLF
note) or removes the extra ones. An empty note is left alone.`,
	Before:   "Last line of the note.⏎⏎⏎",
	After:    "Last line of the note.⏎",
	Severity: Info,
	Fix:      SafeFix,
	Run:      runFinalNewline,
})

func runFinalNewline(p *Pass) {
	src := p.Note.Src
	content := bytes.TrimRight(src, " \t\r\n")
	if len(content) <= p.Note.BOM {
		return // empty or blank note
	}
	tail := src[len(content):]
	breaks := bytes.Count(tail, []byte("\n"))
	switch {
	case breaks == 0:
		end := len(src)
		p.Report(vault.Span{Start: end, End: end}, "no line break at the end of the note",
			fix.Edit{Start: end, End: end, New: newline(src)})
	case breaks > 1:
		first := len(content) + bytes.IndexByte(tail, '\n') + 1
		if hidden(p.Note, vault.Span{Start: first, End: len(src)}) {
			return // inside an unclosed code block: those lines are content
		}
		p.Report(vault.Span{Start: first, End: len(src)},
			"blank lines at the end of the note",
			fix.Edit{Start: first, End: len(src)})
	}
}
