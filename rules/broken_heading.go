package rules

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// BrokenHeading flags links to a heading that the target note lacks.
var BrokenHeading = Register(&Rule{
	ID:      "broken-heading",
	Summary: "a link to a heading that is not in the target note",
	Doc: `[[Note#Heading]], [[#Heading]], [[Note#H1#H2]] (H2 under H1) and
[text](Note.md#Heading) jump to a heading of the target note. When the
note has no such heading, Obsidian opens the note at its top and says
nothing. Headings are matched as Obsidian matches them: ignoring case and
the punctuation it strips ("Minecraft The Video Game" finds
"# Minecraft: The Video Game"). Subpaths of attachments, such as a PDF's
#page=3, are not headings and are not checked.

The fix is offered when exactly one heading of the target matches once
case and everything but letters and digits are ignored; it rewrites the
subpath to that heading as Obsidian writes it. It changes where the link
points, so it is unsafe.`,
	Before:       "See [[Games#Minecraft-The-Video-Game]].",
	After:        "See [[Games#Minecraft The Video Game]].",
	Severity:     Warning,
	ReadsTargets: true,
	Fix:          UnsafeFix,
	MayReport: func(l *vault.Link, r *vault.Resolution) bool {
		// Before resolving (r nil), yes: most such links name notes.
		return isVaultLink(l) && l.HasSubpath && !strings.HasPrefix(l.Subpath, "^") && (r == nil || subpathLooked(l, r))
	},
	Run: runBrokenHeading,
})

// subpathLooked says, from r, the resolution of a link's path, whether
// Resolve will look its subpath up: the path names a note, or nothing
// (the linking note itself).
func subpathLooked(l *vault.Link, r *vault.Resolution) bool {
	if r.File == nil {
		return l.Path == ""
	}
	return r.File.IsNote()
}

func runBrokenHeading(p *Pass) {
	n := p.Note
	for i := range n.Links {
		l := &n.Links[i]
		if !isVaultLink(l) || !l.HasSubpath || strings.HasPrefix(l.Subpath, "^") || vault.StripHeading(l.Subpath) == "" {
			continue
		}
		r := p.Resolution(i)
		if !r.SubpathChecked || r.SubpathFound {
			continue
		}
		target := n
		if r.File != nil {
			target = r.File.Note
		}
		msg := fmt.Sprintf("heading %q not found in %s", l.Subpath, targetName(*r))
		var edits []fix.Edit
		if h := closeHeading(target, l.Subpath); h != nil {
			msg += fmt.Sprintf("; did you mean %q?", h.Text)
			if e, ok := resubpath(p, l, vault.StripHeading(h.Text)); ok {
				edits = append(edits, e)
			}
		}
		p.Report(l.Span, msg, edits...)
	}
}

// closeHeading returns the one heading of the note that the subpath's
// last part names once both drop case and everything but letters and
// digits, or nil. Being the only one, it is also the heading that its
// StripHeading text finds.
func closeHeading(n *vault.Note, subpath string) *vault.Heading {
	parts := strings.Split(subpath, "#")
	want := ""
	for i := len(parts) - 1; i >= 0 && want == ""; i-- {
		want = squash(parts[i])
	}
	if want == "" {
		return nil
	}
	var found *vault.Heading
	for i := range n.Headings {
		if squash(n.Headings[i].Text) != want {
			continue
		}
		if found != nil {
			return nil
		}
		found = &n.Headings[i]
	}
	return found
}

// squash keeps only the letters and digits of s, lower-cased.
func squash(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
