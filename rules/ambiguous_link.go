package rules

import (
	"fmt"

	"github.com/vaultlint/vaultlint/vault"
)

// AmbiguousLink flags links that Obsidian resolves only by its
// shortest-path fallback.
var AmbiguousLink = Register(&Rule{
	ID:      "ambiguous-link",
	Summary: "a link whose path matches several files, so Obsidian guesses",
	Doc: `When a link's path matches several files and neither an exact vault path
nor the linking note's own folder decides, Obsidian picks the file with the
shortest path. The link then points wherever that guess lands, and moves
when a file is added or renamed. Obsidian itself never writes such a link:
its "shortest" link format adds folders until the path finds one file.

The fix writes that path for the file Obsidian picks today, and keeps what
the link shows by adding the old text as its display. It is unsafe: the
author may have meant one of the other files.`,
	Before:       "[[Note]] (in q.md, with zzzz/Note.md and a/b/Note.md)",
	After:        "[[b/Note|Note]]",
	Severity:     Warning,
	ReadsTargets: true,
	Fix:          UnsafeFix,
	MayReport: func(l *vault.Link, r *vault.Resolution) bool {
		return r != nil && isVaultLink(l) && l.Path != "" && r.By == vault.ByShortest
	},
	Run: runAmbiguousLink,
})

func runAmbiguousLink(p *Pass) {
	const listed = 3
	n := p.Note
	for i := range n.Links {
		l := &n.Links[i]
		if !isVaultLink(l) || l.Path == "" {
			continue
		}
		r := p.Resolution(i)
		f, by, cands := r.File, r.By, r.Candidates
		if by != vault.ByShortest {
			continue
		}
		var others []string
		for _, c := range cands[1:min(len(cands), listed+1)] {
			others = append(others, c.Path)
		}
		msg := fmt.Sprintf("%q matches %d files; Obsidian picks %q (shortest path), not %s",
			l.Path, len(cands), f.Path, quoteList(others, len(cands)-1-len(others)))
		edits := retarget(p, l, f, l.Path)
		p.Report(l.Span, msg, edits...)
	}
}
