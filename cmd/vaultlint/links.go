package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/vaultlint/vaultlint/vault"
)

const linksUsage = `vaultlint links [flags] NOTE

Lists the outgoing links of NOTE (a path relative to the vault root or to
the working directory): wikilinks, embeds, Markdown links and images, and
frontmatter links, each with its line:column, its text as written, and what
it resolves to as Obsidian resolves it: the file, the rule that picked it,
and for a subpath the heading or block found. With --broken, only the links
that resolve to no file or whose heading or block is missing; the exit
status is then 1 when there is any.`

func runLinks(args []string, e *env) int {
	fs := newFlags("links", linksUsage, e)
	vaultDir := fs.String("vault", "", "vault root `DIR` (default: the nearest folder upward holding .obsidian/)")
	format := fs.String("format", "text", "output format: text or json")
	broken := fs.Bool("broken", false, "only the links that do not resolve, or whose heading or block is missing")
	if st, ok := parseFlags(fs, args, e); !ok {
		return st
	}
	st, err := links(context.Background(), *vaultDir, *format, *broken, fs.Args(), e)
	return finish(st, err, e)
}

func links(ctx context.Context, vaultDir, format string, broken bool, args []string, e *env) (int, error) {
	if err := checkFormat(format); err != nil {
		return 0, err
	}
	if len(args) != 1 {
		return 0, usagef("links takes one NOTE; run 'vaultlint links --help' for usage")
	}
	v, err := openVault(ctx, vaultDir, args[0])
	if err != nil {
		return 0, err
	}
	f, err := vaultFile(v, args[0])
	if err != nil {
		return 0, err
	}
	n, err := noteOf(v, f)
	if err != nil {
		return 0, err
	}
	var out []linkInfo
	for i := range n.Links {
		li := describeLink(v, n, &n.Links[i], true)
		if !broken || li.broken() {
			out = append(out, li)
		}
	}
	sortLinks(out)
	if format == "json" {
		if out == nil {
			out = []linkInfo{}
		}
		err = writeJSON(e.stdout, struct {
			Version int        `json:"version"`
			Note    string     `json:"note"`
			Links   []linkInfo `json:"links"`
		}{1, n.Path, out})
	} else {
		for _, li := range out {
			_, err = fmt.Fprintf(e.stdout, "%s:%d:%d: %s %s -> %s\n", n.Path, li.Line, li.Column, li.Kind, li.Raw, li.resolutionText())
			if err != nil {
				break
			}
		}
	}
	if err != nil {
		return 0, err
	}
	if broken && len(out) > 0 {
		return exitProblems, nil
	}
	return exitOK, nil
}

// linkInfo is one link and what it resolves to, as resolve, links and
// backlinks print it (and, in JSON, exactly so).
type linkInfo struct {
	Note      string  `json:"note,omitempty"` // the note holding the link (backlinks)
	Line      int     `json:"line,omitempty"`
	Column    int     `json:"column,omitempty"`
	EndLine   int     `json:"end_line,omitempty"`
	EndColumn int     `json:"end_column,omitempty"`
	Kind      string  `json:"kind"`
	Raw       string  `json:"raw"`
	Path      string  `json:"path"`
	Subpath   *string `json:"subpath,omitempty"`
	Display   *string `json:"display,omitempty"`
	External  bool    `json:"external,omitempty"`
	InComment bool    `json:"in_comment,omitempty"`
	// Resolved is false for a link that names no file, and for a URL,
	// which is not a vault link (Rule "external").
	Resolved   bool       `json:"resolved"`
	File       *string    `json:"file"`
	Rule       string     `json:"rule"`
	Candidates []string   `json:"candidates"`
	Match      *matchInfo `json:"match,omitempty"`
	// AliasOf lists, for an unresolved link, the notes that have its path
	// as an alias: aliases never resolve links (links.md 19), but they
	// tell what the link most likely means.
	AliasOf []string `json:"alias_of,omitempty"`
}

// matchInfo is what a link's subpath found in its target note.
type matchInfo struct {
	Kind  string `json:"kind"` // "heading" or "block"
	Name  string `json:"name"` // the subpath as written in the link
	Found bool   `json:"found"`
	Text  string `json:"text,omitempty"` // the heading's text, or the block id, as written in the target
	Line  int    `json:"line,omitempty"`
}

// describeLink resolves l, a link of n, and gathers what to print.
// withPos adds where the link is in n (not for resolve, whose note is the
// command line).
func describeLink(v *vault.Vault, n *vault.Note, l *vault.Link, withPos bool) linkInfo {
	li := linkInfo{
		Kind: l.Kind.String(), Raw: string(n.Src[l.Span.Start:l.Span.End]), Path: l.Path,
		External: l.External, InComment: l.InComment, Candidates: []string{},
	}
	if withPos {
		li.Line, li.Column = n.Position(l.Span.Start)
		li.EndLine, li.EndColumn = n.Position(l.Span.End)
	}
	if l.HasSubpath {
		li.Subpath = &l.Subpath
	}
	if l.HasDisplay {
		li.Display = &l.Display
	}
	if l.External {
		li.Rule = "external"
		return li
	}
	if isEmptyLink(l) {
		li.Rule = "empty"
		return li
	}
	r := v.Resolve(n, l)
	li.Rule = r.By.String()
	for _, c := range r.Candidates {
		li.Candidates = append(li.Candidates, c.Path)
	}
	if r.File != nil {
		li.Resolved = true
		li.File = &r.File.Path
	} else if p := strings.TrimSpace(l.Path); p != "" {
		for _, a := range v.NotesWithAlias(p) {
			li.AliasOf = append(li.AliasOf, a.Path)
		}
	}
	if r.SubpathChecked {
		target := n
		if r.File != nil && r.File.Note != nil {
			target = r.File.Note
		}
		m := &matchInfo{Kind: "heading", Name: l.Subpath, Found: r.SubpathFound}
		switch {
		case r.Block != nil:
			m.Kind, m.Text = "block", r.Block.ID
			m.Line, _ = target.Position(r.Block.Span.Start)
		case r.Heading != nil:
			m.Text = r.Heading.Text
			m.Line, _ = target.Position(r.Heading.Span.Start)
		case strings.HasPrefix(l.Subpath, "^"):
			m.Kind = "block"
		}
		li.Match = m
	}
	return li
}

// isEmptyLink reports whether l names nothing at all ("[[]]", "[t]()"):
// unlike "[[#Heading]]" it is no link to its own note, and empty-link
// reports it.
func isEmptyLink(l *vault.Link) bool {
	return strings.TrimSpace(l.Path) == "" && !l.HasSubpath && !l.Reference
}

// broken reports whether the link is one links --broken lists: a vault
// link that names no file, or a heading or block that is not there.
func (li linkInfo) broken() bool {
	if li.External {
		return false
	}
	return !li.Resolved || li.Match != nil && !li.Match.Found
}

// resolutionText says in a few words what the link resolves to.
func (li linkInfo) resolutionText() string {
	if li.External {
		return "external URL"
	}
	if li.Rule == "empty" {
		return "empty: names no file"
	}
	if !li.Resolved {
		if len(li.AliasOf) > 0 {
			return "unresolved (an alias of " + strings.Join(li.AliasOf, ", ") + "; aliases do not resolve links)"
		}
		return "unresolved"
	}
	var b strings.Builder
	b.WriteString(*li.File)
	b.WriteString(" (" + li.Rule)
	if others := li.Candidates[min(1, len(li.Candidates)):]; len(others) > 0 {
		b.WriteString("; also " + strings.Join(others, ", "))
	}
	b.WriteString(")")
	if m := li.Match; m != nil {
		b.WriteString(", " + m.describe())
	}
	return b.String()
}

func (m *matchInfo) describe() string {
	switch {
	case !m.Found:
		return fmt.Sprintf("%s %q missing", m.Kind, m.Name)
	case m.Kind == "block":
		return fmt.Sprintf("block ^%s at line %d", m.Text, m.Line)
	}
	return fmt.Sprintf("heading %q at line %d", m.Text, m.Line)
}

func sortLinks(ls []linkInfo) {
	sort.SliceStable(ls, func(i, j int) bool {
		a, b := ls[i], ls[j]
		if a.Note != b.Note {
			return a.Note < b.Note
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

func checkFormat(format string) error {
	if format != "text" && format != "json" {
		return usagef("unknown --format %q (want text or json)", format)
	}
	return nil
}

// finish maps a command's outcome to its exit status, printing the error:
// a usage error or an unreadable vault is 2 (cli.md).
func finish(status int, err error, e *env) int {
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	return status
}

// openVault finds the vault as check does (--vault, else upward from
// first, which may be "" for the working directory) and loads it.
func openVault(ctx context.Context, vaultDir, first string) (*vault.Vault, error) {
	var paths []string
	if first != "" {
		paths = []string{first}
	}
	root, err := vaultRoot(vaultDir, paths)
	if err != nil {
		return nil, err
	}
	v, err := vault.Load(ctx, root, vault.Options{})
	if err != nil {
		return nil, fmt.Errorf("cannot read the vault: %w", err)
	}
	return v, nil
}

// vaultFile finds the file of the vault a NOTE argument names, relative
// to the working directory or to the vault root.
func vaultFile(v *vault.Vault, arg string) (*vault.File, error) {
	rel, err := vaultRel(v.Root, arg)
	if err != nil {
		return nil, err
	}
	p := norm.NFC.String(rel)
	f := v.File(p)
	if f == nil {
		if st, err := os.Stat(filepath.Join(v.Root, filepath.FromSlash(rel))); err == nil && st.IsDir() {
			return nil, usagef("%s is a folder, not a file of the vault", arg)
		}
		return nil, usagef("%s is not a file of the vault (hidden, or not a regular file)", arg)
	}
	return f, nil
}

// noteOf returns the parsed note of f, or why there is none.
func noteOf(v *vault.Vault, f *vault.File) (*vault.Note, error) {
	if f.Note != nil {
		return f.Note, nil
	}
	if !f.IsNote() {
		return nil, usagef("%s is an attachment, not a note: it holds no links", f.Path)
	}
	for _, p := range v.Problems {
		if p.Path == f.Path {
			return nil, fmt.Errorf("%s: %w", f.Path, p.Err)
		}
	}
	return nil, fmt.Errorf("%s: not read", f.Path)
}

func writeJSON(w io.Writer, x any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(x)
}
