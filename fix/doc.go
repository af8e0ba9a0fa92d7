// Package fix applies text edits to file contents. It knows bytes, not
// Markdown: an edit is a byte range of one file and the text to put there.
package fix
