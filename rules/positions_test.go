package rules

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/vaultlint/vaultlint/vault"
)

// TestSetPositions: the positions of any spans in any text, a byte order
// mark, CRLF and characters of several bytes included, are those
// vault.Position gives one offset at a time.
func TestSetPositions(t *testing.T) {
	pieces := []string{"a", "bc ", "\n", "\r\n", "é", "漢字", "🙂", "[[x]]", "\t"}
	r := rand.New(rand.NewPCG(1, 2))
	for iter := range 2000 {
		var src []byte
		if iter%3 == 0 {
			src = append(src, "\xEF\xBB\xBF"...)
		}
		for range r.IntN(40) {
			src = append(src, pieces[r.IntN(len(pieces))]...)
		}
		ds := make([]Diagnostic, r.IntN(6))
		for i := range ds {
			// Spans start and end between characters (past the end
			// too, which is clamped), as the parser makes them.
			a, b := boundary(src, r.IntN(len(src)+3)), boundary(src, r.IntN(len(src)+3))
			ds[i].Span = vault.Span{Start: min(a, b), End: max(a, b)}
		}
		setPositions(src, ds)
		for _, d := range ds {
			line, col := vault.Position(src, d.Span.Start)
			eline, ecol := vault.Position(src, d.Span.End)
			if d.Line != line || d.Column != col || d.EndLine != eline || d.EndColumn != ecol {
				t.Fatalf("%q %v: got %d:%d-%d:%d, want %d:%d-%d:%d", src, d.Span,
					d.Line, d.Column, d.EndLine, d.EndColumn, line, col, eline, ecol)
			}
		}
	}
}

// boundary moves off back to the start of the character it is in.
func boundary(src []byte, off int) int {
	for off > 0 && off < len(src) && !utf8.RuneStart(src[off]) {
		off--
	}
	return off
}

// FuzzRuneCount: runeCount counts as utf8.RuneCount does, on any bytes.
func FuzzRuneCount(f *testing.F) {
	for _, s := range []string{"", "abc", "abcdefghijklmnop", "é", "abcdefgé12345678ü", "\xff\xfe abcdefgh \xc3", "日本語のテキスト and ascii after it"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for start := range min(len(b), 9) {
			if got, want := runeCount(b[start:]), utf8.RuneCount(b[start:]); got != want {
				t.Fatalf("runeCount(%q) = %d, want %d", b[start:], got, want)
			}
		}
	})
}
