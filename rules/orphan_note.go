package rules

import "github.com/vaultlint/vaultlint/vault"

// OrphanNote flags notes that no other note links to.
var OrphanNote = Register(&Rule{
	ID:      "orphan-note",
	Summary: "a note that no other note links to or embeds",
	Doc: `A note nothing links to can only be found by searching or browsing
folders; in a vault meant to be navigated by links it is often forgotten
work, or a note whose links were lost in a rename. Every link counts as
Obsidian counts backlinks: wikilinks, embeds, Markdown links, links in
the frontmatter and in "%%" comments, from any note, excluded notes too.
A note's links to itself do not count. Canvas files and HTML are not
read, so a note used only there is reported.

Off by default: many vaults have notes that are meant to stand alone
(daily notes, an inbox). It only runs when the whole vault is checked.
There is no fix.`,
	Before:    "Ideas/Unlinked idea.md  (no note links to it)",
	After:     "Index.md: - [[Unlinked idea]]",
	Severity:  Off,
	Fix:       NoFix,
	VaultWide: true,
	RunVault:  runOrphanNote,
})

func runOrphanNote(p *VaultPass) {
	linked := linkedFiles(p.Vault)
	for _, f := range p.Vault.Files {
		if f.IsNote() && !linked[f] {
			p.Report(f.Path, vault.Span{}, "no other note links to or embeds this note")
		}
	}
}

// linkedFiles returns the files that some note links to or embeds, other
// than itself. Only the file a link resolves to matters here, not its
// heading or block, so the path alone is resolved.
func linkedFiles(v *vault.Vault) map[*vault.File]bool {
	linked := map[*vault.File]bool{}
	for _, n := range v.Notes {
		for i := range n.Links {
			l := &n.Links[i]
			if l.External || l.Path == "" {
				continue // a URL, or the note itself
			}
			if f, _, _ := v.ResolvePath(n.Path, l.Path); f != nil && f.Path != n.Path {
				linked[f] = true
			}
		}
	}
	return linked
}
