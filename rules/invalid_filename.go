package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vaultlint/vaultlint/vault"
)

// InvalidFilename flags file and folder names that links or other
// systems cannot handle.
var InvalidFilename = Register(&Rule{
	ID:      "invalid-filename",
	Summary: "a file or folder name with characters links or other systems cannot handle",
	Doc: `A wikilink cannot name a file whose name holds "#", "^", "[", "]" or
"|": Obsidian reads them as a heading, a block, the link's brackets or its
label. Names with "\", ":", "*", "?", '"', "<" or ">" cannot be stored on
Windows or Android and break sync between devices.

Each offending name is reported once: a file's own name on that file, a
folder's name on the first file below it. There is no fix: renaming a
file is best done in Obsidian, which updates the links to it.`,
	Before:   "Meeting 2024-01-05: Q&A #1.md",
	After:    "Meeting 2024-01-05 - Q&A no. 1.md",
	Severity: Warning,
	Fix:      NoFix,
	RunVault: runInvalidFilename,
})

const (
	unlinkableChars = "#^[]|"
	unportableChars = `\:*?"<>`
)

func runInvalidFilename(p *VaultPass) {
	reported := map[string]bool{} // folders already reported
	for _, f := range p.Vault.Files {
		if f.Excluded {
			continue
		}
		elems := strings.Split(f.Path, "/")
		for i, e := range elems {
			msg := badNameMessage(e)
			if msg == "" {
				continue
			}
			if i == len(elems)-1 {
				p.Report(f.Path, vault.Span{}, fmt.Sprintf("file name %q %s", e, msg))
				continue
			}
			folder := strings.Join(elems[:i+1], "/")
			if reported[folder] {
				continue
			}
			reported[folder] = true
			p.Report(f.Path, vault.Span{}, fmt.Sprintf("folder name %q %s", e, msg))
		}
	}
}

// badNameMessage says what is wrong with a name, or "" when nothing is.
func badNameMessage(name string) string {
	unlinkable, unportable := charsIn(name, unlinkableChars), charsIn(name, unportableChars)
	switch {
	case unlinkable != "" && unportable != "":
		return fmt.Sprintf("holds %s, which links cannot name, and %s, which other systems cannot store", unlinkable, unportable)
	case unlinkable != "":
		return fmt.Sprintf("holds %s, which links cannot name", unlinkable)
	case unportable != "":
		return fmt.Sprintf("holds %s, which other systems cannot store", unportable)
	}
	return ""
}

// charsIn lists the characters of set that occur in s, each quoted, in
// the order of set.
func charsIn(s, set string) string {
	var found []string
	for _, c := range set {
		if strings.ContainsRune(s, c) {
			found = append(found, strconv.Quote(string(c)))
		}
	}
	if len(found) < 2 {
		return strings.Join(found, "")
	}
	return strings.Join(found[:len(found)-1], ", ") + " and " + found[len(found)-1]
}
