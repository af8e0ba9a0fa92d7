package rules

import (
	"fmt"
	"strings"

	"github.com/vaultlint/vaultlint/vault"
)

// CaseConflict flags paths that differ only in letter case.
var CaseConflict = Register(&Rule{
	ID:      "case-conflict",
	Summary: "two paths that differ only in letter case",
	Doc: `macOS and Windows do not tell "Note.md" from "note.md": a vault that
holds both (synced from Linux, or from a Git repository) loses one of them
there, or mixes their contents. Folders collide the same way: the files of
"Projects/" and "projects/" end up in one folder.

Each file or folder after the first of its spelling (in path order) is
reported, naming the first; a folder on the first file below it, and only
once, without repeating the collision for every file inside. There is no
fix: which name to keep, and whether to merge the two files, is the
writer's choice.`,
	Before:   "Projects/Plan.md\nprojects/Budget.md",
	After:    "Projects/Plan.md\nProjects/Budget.md",
	Severity: Error,
	Fix:      NoFix,
	RunVault: runCaseConflict,
})

func runCaseConflict(p *VaultPass) {
	// first maps a path element, lower-cased, under its exact parent
	// folder to the first path spelled so. Comparing each element under
	// its exact parent reports a folder collision once, at the folder,
	// and not again for every pair of files inside the two spellings.
	first := map[string]string{}
	reported := map[string]bool{} // folders already reported
	for _, f := range p.Vault.Files {
		elems := strings.Split(f.Path, "/")
		parent := ""
		for i, e := range elems {
			here := e
			if parent != "" {
				here = parent + "/" + e
			}
			key := parent + "/" + strings.ToLower(e)
			other, seen := first[key]
			switch {
			case !seen:
				first[key] = here
			case other == here:
			case i == len(elems)-1:
				p.Report(f.Path, vault.Span{}, fmt.Sprintf("path differs only in letter case from %q", other))
			case !reported[here]:
				reported[here] = true
				p.Report(f.Path, vault.Span{}, fmt.Sprintf("folder %q differs only in letter case from %q", here, other))
			}
			parent = here
		}
	}
}
