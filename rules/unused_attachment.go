package rules

import "github.com/vaultlint/vaultlint/vault"

// UnusedAttachment flags attachments that no note links to.
var UnusedAttachment = Register(&Rule{
	ID:      "unused-attachment",
	Summary: "a non-Markdown file that no note links to or embeds",
	Doc: `Images, PDFs and other attachments that no note links to or embeds
take space and sync time, and are often left behind when a note is
deleted or a pasted image replaced. Every link of every note counts
(excluded notes, frontmatter links and "%%" comments too), resolved as
Obsidian resolves it, and so does every file a canvas shows as a card.
Canvas (".canvas") and base (".base") files count as attachments
themselves: one that nothing links to is reported. Links written in a
canvas's text cards are not read, nor are HTML tags such as
"<img src=…>", so a file used only there is reported too.

Off by default, since some vaults keep files on purpose that no note
shows. It only runs when the whole vault is checked. There is no fix:
deleting files is for the owner to decide.`,
	Before:    "attachments/Pasted image 20240105.png  (no note embeds it)",
	After:     "(the file deleted, or embedded: ![[Pasted image 20240105.png]])",
	Severity:  Off,
	Fix:       NoFix,
	VaultWide: true,
	RunVault:  runUnusedAttachment,
})

func runUnusedAttachment(p *VaultPass) {
	linked := linkedFiles(p.Vault)
	for _, f := range p.Vault.Files {
		if f.Canvas == nil {
			continue
		}
		for _, shown := range f.Canvas.Files {
			// Canvases name files by their whole vault path.
			if t := p.Vault.File(shown); t != nil && t != f {
				linked[t] = true
			}
		}
	}
	for _, f := range p.Vault.Files {
		if !f.IsNote() && !linked[f] {
			p.Report(f.Path, vault.Span{}, "no note links to or embeds this file")
		}
	}
}
