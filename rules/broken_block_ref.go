package rules

import (
	"fmt"
	"strings"

	"github.com/vaultlint/vaultlint/vault"
)

// BrokenBlockRef flags links to a block id that the target note lacks.
var BrokenBlockRef = Register(&Rule{
	ID:      "broken-block-ref",
	Summary: "a link to a block id that is not in the target note",
	Doc: `[[Note#^id]] and ![[Note#^id]] name a paragraph or list item marked
" ^id" in the target note. When the note has no such id (it was renamed,
or the block deleted), Obsidian opens the note at its top or embeds
nothing, and says nothing. Ids are matched ignoring case. There is no fix:
only the author knows which block was meant.`,
	Before:       "As she said: ![[Interview#^quote-1]]",
	After:        "As she said: ![[Interview#^quote-2]] (the id the note defines)",
	Severity:     Warning,
	ReadsTargets: true,
	MayReport: func(l *vault.Link, r *vault.Resolution) bool {
		return isVaultLink(l) && len(l.Subpath) > 1 && l.Subpath[0] == '^' && (r == nil || subpathLooked(l, r))
	},
	Run: runBrokenBlockRef,
})

func runBrokenBlockRef(p *Pass) {
	n := p.Note
	for i := range n.Links {
		l := &n.Links[i]
		id, ok := strings.CutPrefix(l.Subpath, "^")
		if !isVaultLink(l) || !ok || id == "" {
			continue
		}
		r := p.Resolution(i)
		if r.SubpathChecked && !r.SubpathFound {
			p.Report(l.Span, fmt.Sprintf("block %q not found in %s", l.Subpath, targetName(*r)))
		}
	}
}
