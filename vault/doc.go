// Package vault loads an Obsidian vault and resolves its links the way
// Obsidian does.
//
// Load walks a vault folder, parses every Markdown note once (frontmatter
// with yaml.v3, body with goldmark) into a compact Note that keeps the
// note's bytes and what rules need of its structure (links, headings,
// block ids, tags, and the ranges of code, math, comments and HTML) but
// no syntax tree. Resolve picks the file a link points at with Obsidian's
// rules (exact path, then the linking note's folder, then the shortest
// path) and checks its heading or block subpath.
//
// The package reads files and never writes them; every position it hands
// out is a byte offset into the note's original bytes.
package vault
