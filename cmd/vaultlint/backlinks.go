package main

import (
	"context"
	"fmt"

	"github.com/vaultlint/vaultlint/vault"
)

const backlinksUsage = `vaultlint backlinks [flags] NOTE

Lists every link in the vault that resolves to NOTE (a note or an
attachment, relative to the vault root or to the working directory), as
Obsidian resolves it: wikilinks, embeds, Markdown links and images, and
frontmatter links, also inside %% comments, and the note's links to
itself. A link that only looks alike but resolves to another file is not
listed. Sorted by note, line and column.`

func runBacklinks(args []string, e *env) int {
	fs := newFlags("backlinks", backlinksUsage, e)
	vaultDir := fs.String("vault", "", "vault root `DIR` (default: the nearest folder upward holding .obsidian/)")
	format := fs.String("format", "text", "output format: text or json")
	if st, ok := parseFlags(fs, args, e); !ok {
		return st
	}
	return finish(exitOK, backlinks(context.Background(), *vaultDir, *format, fs.Args(), e), e)
}

func backlinks(ctx context.Context, vaultDir, format string, args []string, e *env) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	if len(args) != 1 {
		return usagef("backlinks takes one NOTE; run 'vaultlint backlinks --help' for usage")
	}
	v, err := openVault(ctx, vaultDir, args[0])
	if err != nil {
		return err
	}
	target, err := vaultFile(v, args[0])
	if err != nil {
		return err
	}
	out := []linkInfo{}
	for _, n := range v.Notes {
		for i := range n.Links {
			l := &n.Links[i]
			if l.External || isEmptyLink(l) {
				continue
			}
			// Resolving the path alone first keeps the common case (a link
			// elsewhere) from looking up headings.
			if f, _, _ := v.ResolvePath(n.Path, l.Path); f != target {
				continue
			}
			li := describeLink(v, n, l, true)
			li.Note = n.Path
			out = append(out, li)
		}
	}
	sortLinks(out)
	for _, p := range v.Problems {
		if vault.IsNotePath(p.Path) {
			e.errorf("%s: not read, so its links are not listed: %v", p.Path, p.Err)
		}
	}
	if format == "json" {
		err = writeJSON(e.stdout, struct {
			Version   int        `json:"version"`
			Note      string     `json:"note"`
			Backlinks []linkInfo `json:"backlinks"`
		}{1, target.Path, out})
		return err
	}
	for _, li := range out {
		line := fmt.Sprintf("%s:%d:%d: %s %s", li.Note, li.Line, li.Column, li.Kind, li.Raw)
		if m := li.Match; m != nil {
			line += " (" + m.describe() + ")"
		}
		if _, err := fmt.Fprintln(e.stdout, line); err != nil {
			return err
		}
	}
	return nil
}
