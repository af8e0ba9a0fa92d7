package rules

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// Helpers shared by the rules that resolve links: broken-link,
// broken-heading, broken-block-ref and ambiguous-link. Their fixes rewrite
// one part of a link (the path or the subpath) and keep the rest as
// written.

// isVaultLink reports whether a link names something in the vault that
// these rules can check: not a URL, and not a reference-style Markdown
// link, whose destination is written elsewhere in the note.
func isVaultLink(l *vault.Link) bool {
	return !l.External && !l.Reference
}

// pathSpan is where the link's path is written: its target up to the
// first '#'.
func pathSpan(src []byte, l *vault.Link) vault.Span {
	t := src[l.Target.Start:l.Target.End]
	if i := bytes.IndexByte(t, '#'); i >= 0 {
		return vault.Span{Start: l.Target.Start, End: l.Target.Start + i}
	}
	return l.Target
}

// subpathSpan is where the link's subpath is written: its target after the
// first '#'. The link must have a subpath.
func subpathSpan(src []byte, l *vault.Link) vault.Span {
	p := pathSpan(src, l)
	return vault.Span{Start: p.End + 1, End: l.Target.End}
}

// retarget returns the edits that point l at f with the path Obsidian's
// "shortest" link format writes, keeping the link's subpath and display.
// A wikilink without a display gets keep as its display, so that it still
// reads as before; an empty keep adds none. It returns no edits when the
// link cannot be rewritten with certainty.
func retarget(p *Pass, l *vault.Link, f *vault.File, keep string) []fix.Edit {
	n := p.Note
	if l.Target.Len() == 0 {
		return nil // a frontmatter link whose text cannot be mapped
	}
	newPath := p.Vault.LinkText(n.Path, f)
	if l.Markdown && f.IsNote() && vault.IsNotePath(l.Path) && !vault.IsNotePath(newPath) {
		newPath += ".md" // as written: Markdown links usually spell it out
	}
	if g, by, _ := p.Vault.ResolvePath(n.Path, newPath); g != f || by == vault.ByShortest {
		return nil
	}
	written, ok := writablePath(n, l, newPath)
	if !ok {
		return nil
	}
	src := p.Source()
	if src == nil {
		return nil
	}
	ps := pathSpan(src, l)
	edits := []fix.Edit{{Start: ps.Start, End: ps.End, New: written}}
	if keep != "" && !l.HasDisplay && !l.Markdown && !l.IsEmbed() {
		sep := "|"
		if inTableRow(src, l.Span.Start) {
			sep = `\|`
		}
		edits = append(edits, fix.Edit{Start: l.Target.End, End: l.Target.End, New: sep + keep})
	}
	return edits
}

// writablePath returns the text to write for path p in l, or false when p
// holds characters that would change how the link is read there.
func writablePath(n *vault.Note, l *vault.Link, p string) (string, bool) {
	if p == "" || strings.ContainsAny(p, "\r\n\t") {
		return "", false
	}
	if n.InFrontmatter(l.Span.Start) && strings.ContainsAny(p, `"'\`) {
		return "", false // would end or escape the YAML string
	}
	if !l.Markdown {
		// Such a name cannot be reached by a wikilink (links.md 24).
		return p, !strings.ContainsAny(p, "[]|#^") && !strings.Contains(p, "%%")
	}
	if strings.ContainsAny(p, `#%\<>|`) {
		return "", false
	}
	if l.Angle {
		return p, true
	}
	if !balancedParens(p) {
		return "", false
	}
	return strings.ReplaceAll(p, " ", "%20"), true
}

// resubpath returns the edit that replaces l's subpath with sub, a heading
// normalised by vault.StripHeading (so free of '#', '|', brackets,
// parentheses and '%').
func resubpath(p *Pass, l *vault.Link, sub string) (fix.Edit, bool) {
	n := p.Note
	if l.Target.Len() == 0 || !l.HasSubpath {
		return fix.Edit{}, false
	}
	if n.InFrontmatter(l.Span.Start) && strings.ContainsAny(sub, `"'\`) {
		return fix.Edit{}, false
	}
	if l.Markdown && !l.Angle {
		sub = strings.ReplaceAll(sub, " ", "%20")
	}
	src := p.Source()
	if src == nil {
		return fix.Edit{}, false
	}
	s := subpathSpan(src, l)
	return fix.Edit{Start: s.Start, End: s.End, New: sub}, true
}

// balancedParens reports whether parentheses in a bare Markdown
// destination pair up, as CommonMark requires.
func balancedParens(s string) bool {
	depth := 0
	for _, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// inTableRow reports whether off is on a table row, where a wikilink's
// '|' must be written "\|" so as not to split the cell.
func inTableRow(src []byte, off int) bool {
	return bytes.HasPrefix(bytes.TrimLeft(src[vault.LineStart(src, off):off], " \t"), []byte("|"))
}

// targetName names a link's target note in a message.
func targetName(r vault.Resolution) string {
	if r.By == vault.BySelf {
		return "this note"
	}
	return fmt.Sprintf("%q", r.File.Path)
}

// quoteList renders names as `"a"`, `"a" or "b"`, `"a", "b" or "c"`, and
// with more > 0 as `"a", "b" or 2 more`.
func quoteList(names []string, more int) string {
	items := make([]string, 0, len(names)+1)
	for _, s := range names {
		items = append(items, fmt.Sprintf("%q", s))
	}
	if more > 0 {
		items = append(items, fmt.Sprintf("%d more", more))
	}
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
