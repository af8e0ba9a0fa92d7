package rules

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/vault"
)

// BrokenLink flags links to vault paths that resolve to no file.
var BrokenLink = Register(&Rule{
	ID:      "broken-link",
	Summary: "a link or embed that resolves to no file in the vault",
	Doc: `A wikilink, embed, Markdown link or frontmatter link whose path names no
file of the vault, resolved exactly as Obsidian does: case-insensitively,
".md" optional for notes but extensions required for attachments, "../"
never leaving the vault. Aliases do not resolve links. Links inside %%
comments count, as they do for Obsidian; URLs are not vault links.

The message names up to three existing notes or files with a close name.
The fix is offered only when one target is certain: exactly one note has
the link's path as an alias ([[envoy]] becomes [[Special Envoy|envoy]],
keeping what the reader sees), or exactly one file matches once differences
Obsidian does not forgive are ignored (%20 for a space in a wikilink, a
stray ".md", doubled spaces, Unicode compatibility forms). The fix changes
where the link points, so it is unsafe.`,
	Before:       "The [[envoy]] met the [[Prime%20Minister]]. (Special Envoy.md has the alias envoy)",
	After:        "The [[Special Envoy|envoy]] met the [[Prime Minister]].",
	Severity:     Error,
	ReadsTargets: true,
	Fix:          UnsafeFix,
	Options: []Option{{
		Name:    "allow-unwritten",
		Default: false,
		Doc: "links to notes that do not exist yet are fine (Obsidian's way of noting a page to write); " +
			"links to missing attachments, and missing headings and blocks, are still reported",
	}},
	MayReport: func(l *vault.Link, r *vault.Resolution) bool {
		return r != nil && isVaultLink(l) && r.File == nil && strings.TrimSpace(l.Path) != ""
	},
	Run:     runBrokenLink,
	Prepare: func(v *vault.Vault) { namesOf(v) },
})

func runBrokenLink(p *Pass) {
	n := p.Note
	for i := range n.Links {
		l := &n.Links[i]
		if !isVaultLink(l) || strings.TrimSpace(l.Path) == "" {
			continue
		}
		if p.Resolution(i).File != nil {
			continue
		}
		if p.Bool("allow-unwritten") && namesNote(l.Path) {
			continue
		}
		likely, edits := brokenLinkFix(p, l)
		v := p.Vault
		p.reportLater(l.Span, func() string {
			msg := fmt.Sprintf("%q does not resolve to any file in the vault", l.Path)
			if names := suggestNames(v, l, likely); len(names) > 0 {
				msg += "; did you mean " + quoteList(names, 0) + "?"
			}
			return msg
		}, edits...)
	}
}

// brokenLinkFix returns the files a broken link may mean, most certain
// first, and the edits that point the link at the one it certainly means
// when there is one and they can be written.
func brokenLinkFix(p *Pass, l *vault.Link) ([]*vault.File, []fix.Edit) {
	if owners := aliasOwners(p.Vault, l); len(owners) > 0 {
		if len(owners) > 1 {
			return owners, nil
		}
		edits := retarget(p, l, owners[0], l.Path)
		return owners, edits
	}
	if f := normalizedTarget(p.Vault, l); f != nil {
		edits := retarget(p, l, f, "")
		return []*vault.File{f}, edits
	}
	return nil, nil
}

// aliasOwners returns the notes that have the link's path as an alias.
func aliasOwners(v *vault.Vault, l *vault.Link) []*vault.File {
	name := l.Path
	if l.Markdown && vault.IsNotePath(name) {
		name = name[:len(name)-len(".md")]
	}
	var out []*vault.File
	for _, n := range v.NotesWithAlias(name) {
		if f := n.File(); f != nil && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// normalizedTarget returns the one file whose path equals the link's path
// once both are normalised with nameKey. A relative link ("./", "../",
// "/") is left alone: the rewrite would also change how its path is
// written.
func normalizedTarget(v *vault.Vault, l *vault.Link) *vault.File {
	if p := l.Path; p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") {
		return nil
	}
	key := linkKey(l)
	var found *vault.File
	for _, e := range namesOf(v).byName[path.Base(key)] {
		if e.key == key || strings.HasSuffix(e.key, "/"+key) {
			if found != nil {
				return nil
			}
			found = e.f
		}
	}
	return found
}

// suggestNames returns up to three names of existing files: those of the
// likely files first, then those close to the link's file name.
func suggestNames(v *vault.Vault, l *vault.Link, likely []*vault.File) []string {
	const limit = 3
	var out []string
	for _, f := range likely {
		if name := f.Basename(); !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	for _, name := range namesOf(v).near(path.Base(linkKey(l))) {
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out[:min(len(out), limit)]
}

// nameKey normalises a path for matching what Obsidian does not forgive:
// Unicode compatibility forms (NFKC, which also turns a no-break space
// into a space), case, runs of whitespace, spaces around '/' and a
// trailing ".md".
func nameKey(p string) string {
	p = strings.ToLower(norm.NFKC.String(p))
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = strings.Join(strings.Fields(s), " ")
	}
	p = strings.Join(parts, "/")
	return strings.TrimSuffix(p, ".md")
}

// linkKey is the nameKey of a link's path. Wikilinks are not
// percent-decoded by Obsidian, so "%20" written in one is decoded here.
func linkKey(l *vault.Link) string {
	p := l.Path
	if !l.Markdown && strings.Contains(p, "%") {
		if d, err := url.PathUnescape(p); err == nil {
			p = d
		}
	}
	return nameKey(p)
}

// namesNote reports whether a link path names a note rather than an
// attachment: no extension, or ".md". A dot inside a name ("v1.2 plan")
// is taken for an extension only when what follows looks like one.
func namesNote(p string) bool {
	ext := path.Ext(strings.TrimSpace(p))
	if ext == "" || strings.EqualFold(ext, ".md") {
		return true
	}
	for _, r := range ext[1:] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return true
		}
	}
	return len(ext) > 6 || strings.ContainsAny(ext[1:2], "0123456789")
}
