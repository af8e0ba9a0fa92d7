package vault

import "strings"

// LinkText returns the path a link from the note at fromPath should hold
// to reach f, as Obsidian's "shortest" new-link format writes it: the bare
// name when that alone finds f from there (by exact path, the linking
// note's folder, or because no other file has the name), else the
// shortest trailing part of f's path that does ("b/Note", then
// "a/b/Note"), else f's whole path. Notes are named without ".md",
// attachments with their extension (links.md 14, 17).
//
// It never returns a path that Obsidian would resolve by its shortest-path
// fallback: that is the ambiguity ambiguous-link reports.
func (v *Vault) LinkText(fromPath string, f *File) string {
	p := f.Path
	if f.IsNote() {
		p = p[:len(p)-len(".md")]
	}
	for end := len(p); ; {
		slash := strings.LastIndexByte(p[:end], '/')
		try := p[slash+1:]
		if g, by, _ := v.ResolvePath(fromPath, try); g == f && (by == ByExact || by == BySameFolder || by == ByUnique) {
			return try
		}
		if slash < 0 {
			// Even the whole path without ".md" names another file, such
			// as an attachment "Readme" beside "Readme.md".
			return f.Path
		}
		end = slash
	}
}
