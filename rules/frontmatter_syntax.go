package rules

import "github.com/vaultlint/vaultlint/vault"

// FrontmatterSyntax flags frontmatter that Obsidian cannot read.
var FrontmatterSyntax = Register(&Rule{
	ID:      "frontmatter-syntax",
	Summary: "frontmatter must be closed, valid YAML and a mapping of properties",
	Doc: `When the YAML between the "---" lines does not parse, Obsidian shows
none of the note's properties: its aliases, tags and links in properties
are lost to search, the graph and every plugin that reads them. The same
happens when the block is never closed, when a property is written twice,
or when the top level is a list or a single value instead of "key: value"
lines. The diagnostic points at the line YAML stumbled on. There is no
fix: only the author knows what was meant. Other frontmatter rules skip a
note until this is repaired.

Template placeholders such as "created: {{date}}" are valid YAML (a
mapping inside a mapping), so they are not reported here.`,
	Before: `---
title: Meeting notes
tags: [work, meetings
---`,
	After: `---
title: Meeting notes
tags: [work, meetings]
---`,
	Severity: Error,
	Fix:      NoFix,
	Run:      runFrontmatterSyntax,
})

func runFrontmatterSyntax(p *Pass) {
	fm := p.Note.Frontmatter
	if fm == nil || fm.Err == nil {
		return
	}
	off := fm.Err.Offset
	p.Report(vault.Span{Start: off, End: vault.LineEnd(p.Note.Src, off)}, fm.Err.Msg)
}
