package vault

import (
	"io/fs"
	"path"
	"strings"
	"time"
)

// File is one file of the vault: a note or an attachment.
type File struct {
	Path string // vault-relative, '/'-separated, NFC
	Size int64
	// ModTime and Mode are the note's state when it was read (zero for
	// attachments): a fix refuses to write a file that changed since.
	ModTime time.Time
	Mode    fs.FileMode
	// Note is the parsed note for a Markdown file that was parsed; nil for
	// attachments and for notes that were skipped or not loaded.
	Note *Note
	// Excluded marks files matched by userIgnoreFilters or ignore globs.
	Excluded bool
	// Canvas is what a canvas file shows, when Options.Canvases had it
	// read; nil otherwise.
	Canvas *Canvas

	lower string // strings.ToLower(Path), for case-insensitive lookups
	dir   int32  // the number of its lower-cased folder (index.dirs)
	idx   int32  // its place in index.files
	disk  string // the path as named on disk, when not NFC; else ""
}

// DiskPath returns the vault-relative path as the file is named on disk
// ('/'-separated). It differs from Path when the name on disk is not
// NFC, as macOS writes names: open and write the file by this path.
func (f *File) DiskPath() string {
	if f.disk != "" {
		return f.disk
	}
	return f.Path
}

// IsNote reports whether the file is a Markdown note.
func (f *File) IsNote() bool { return IsNotePath(f.Path) }

// Dir returns the folder of the file ("" at the vault root).
func (f *File) Dir() string { return dir(f.Path) }

// Name returns the file name with its extension.
func (f *File) Name() string { return path.Base(f.Path) }

// Basename returns the name Obsidian shows: without ".md" for notes.
func (f *File) Basename() string {
	if f.IsNote() {
		return f.Name()[:len(f.Name())-3]
	}
	return f.Name()
}

// IsNotePath reports whether p names a Markdown note (".md", any case).
func IsNotePath(p string) bool {
	return len(p) > 3 && strings.EqualFold(p[len(p)-3:], ".md")
}

func dir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}
