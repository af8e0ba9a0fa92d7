package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/vaultlint/vaultlint/internal/move"
)

const mvUsage = `vaultlint mv [flags] OLD NEW

Moves or renames a note, an attachment or a folder, and rewrites every link
in the vault that resolved to it, in every form (wikilinks, embeds,
Markdown links, frontmatter links, ./ and ../ links), keeping subpaths,
display text, image sizes, table-escaped \| and %20 or <…> encoding as
written. New link text follows .obsidian/app.json's newLinkFormat
(shortest by default). Links that the move would make resolve to another
file (a new duplicate name, the same-folder rule) are rewritten to keep
their file; all other links stay byte for byte.

OLD and NEW are paths relative to the working directory or to the vault
root; NEW naming an existing folder (or ending in /) moves OLD into it.
Nothing is written when NEW exists, leaves the vault, or when any link
cannot be kept; if a write fails midway, what was done is undone.
Exit status: 0 moved (or --dry-run), 1 refused or failed, 2 usage error.`

func runMv(args []string, e *env) int {
	fs := newFlags("mv", mvUsage, e)
	vaultDir := fs.String("vault", "", "vault root `DIR` (default: the nearest folder upward holding .obsidian/)")
	dryRun := fs.Bool("dry-run", false, "print the rename and a unified diff of every rewritten note; write nothing")
	if st, ok := parseFlags(fs, args, e); !ok {
		return st
	}
	if fs.NArg() != 2 {
		e.errorf("mv takes OLD and NEW; run 'vaultlint mv --help' for usage")
		return exitUsage
	}
	return mv(context.Background(), *vaultDir, *dryRun, fs.Arg(0), fs.Arg(1), e)
}

func mv(ctx context.Context, vaultDir string, dryRun bool, oldArg, newArg string, e *env) int {
	v, err := openVault(ctx, vaultDir, oldArg)
	if err != nil {
		return finish(0, err, e)
	}
	oldRel, err := vaultRel(v.Root, oldArg)
	if err != nil {
		return finish(0, err, e)
	}
	if oldRel == "" {
		return finish(0, usagef("%s is the vault itself; it cannot be moved into itself", oldArg), e)
	}
	newRel, err := destRel(v.Root, oldArg, oldRel, newArg)
	if err != nil {
		return finish(0, err, e)
	}
	p, err := move.New(v, norm.NFC.String(oldRel), norm.NFC.String(newRel))
	if err != nil {
		return finish(0, &usageError{err.Error()}, e)
	}
	for _, u := range p.Unread {
		e.errorf("%s: could not be read, so its links are not rewritten (see 'vaultlint check')", u)
	}
	if len(p.Conflicts) > 0 {
		for _, c := range p.Conflicts {
			fmt.Fprintf(e.stderr, "%s\n", c)
		}
		e.errorf("not moved: %d %s cannot be kept pointing where %s", len(p.Conflicts), plural(len(p.Conflicts), "link"), pluralVerb(len(p.Conflicts)))
		return exitProblems
	}
	for _, r := range p.Revived {
		fmt.Fprintf(e.stderr, "%s: resolves to no file now; after the move, to %s\n", r.LinkRef, r.File)
	}
	if dryRun {
		if err := p.Diff(e.stdout); err != nil {
			e.errorf("%v", err)
			return exitProblems
		}
		return exitOK
	}
	if err := p.Execute(); err != nil {
		e.errorf("%v", err)
		return exitProblems
	}
	links := 0
	for _, c := range p.Changes {
		links += c.Links
	}
	fmt.Fprintf(e.stderr, "Moved %s to %s; rewrote %d %s in %d %s.\n", p.From, p.To,
		links, plural(links, "link"), len(p.Changes), plural(len(p.Changes), "note"))
	return exitOK
}

func pluralVerb(n int) string {
	if n == 1 {
		return "it points"
	}
	return "they point"
}

// destRel turns the NEW argument into a vault path. It is read from the
// same place OLD was found from (the working directory, or else the vault
// root), so "mv a.md b.md" means the same in both cases. NEW naming an
// existing folder, or ending in a slash, means into that folder, as mv(1)
// has it; a folder that only differs from OLD in letter case is OLD itself
// on macOS and Windows, and renaming it is what is asked.
func destRel(root, oldArg, oldRel, newArg string) (string, error) {
	if newArg == "" {
		return "", usagef("NEW is empty")
	}
	into := strings.HasSuffix(newArg, "/") || strings.HasSuffix(newArg, string(filepath.Separator))
	var abs string
	switch {
	case filepath.IsAbs(newArg):
		abs = filepath.Clean(newArg)
	case fileExists(oldArg):
		a, err := filepath.Abs(newArg)
		if err != nil {
			return "", usagef("%s: %v", newArg, err)
		}
		abs = a
	default:
		abs = filepath.Join(root, newArg)
	}
	real, err := realPath(abs)
	if err != nil {
		return "", usagef("%s: %v", newArg, err)
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", usagef("%s is not inside the vault %s", newArg, root)
	}
	rel = filepath.ToSlash(rel)
	if rel == "." {
		rel, into = "", true
	}
	if st, err := os.Stat(real); err == nil && st.IsDir() {
		old, oerr := os.Stat(filepath.Join(root, filepath.FromSlash(oldRel)))
		if oerr != nil || !os.SameFile(st, old) {
			into = true
		}
	}
	if into {
		rel = path.Join(rel, path.Base(oldRel))
	}
	return rel, nil
}

// realPath resolves the symlinks of the longest part of p that exists
// (the vault root may be reached through one, as /tmp is on macOS) and
// keeps the rest, which does not exist yet.
func realPath(p string) (string, error) {
	var rest []string
	for cur := p; ; {
		real, err := filepath.EvalSymlinks(cur)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return "", err
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
		cur = parent
	}
}
