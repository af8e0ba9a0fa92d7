package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vaultlint/vaultlint/vault"
)

const resolveUsage = `vaultlint resolve [flags] [--from NOTE] LINK

Shows what LINK resolves to, and why, as Obsidian resolves it. LINK is
written as in a note: [[X#H|y]], ![[img.png|100]], [t](a%20b.md),
[t](<a b.md>), or a bare X#H (read as [[X#H]]); quote it for the shell.
It is read as a link of a one-line note at NOTE's path (default: a note at
the vault root), so the same-folder rule and ./ and ../ work from there.

Prints the file picked, the rule that picked it (exact path, same folder,
unique name, shortest path, relative path, self), the other candidates,
and for a subpath the heading or block found with its line, or missing.
Exit status: 0 resolved (or a URL), 1 unresolved, a missing heading or
block, or not a link at all; 2 usage error.`

func runResolve(args []string, e *env) int {
	fs := newFlags("resolve", resolveUsage, e)
	vaultDir := fs.String("vault", "", "vault root `DIR` (default: the nearest folder upward holding .obsidian/)")
	from := fs.String("from", "", "resolve as a link written in `NOTE` (default: a note at the vault root)")
	format := fs.String("format", "text", "output format: text or json")
	if st, ok := parseFlags(fs, args, e); !ok {
		return st
	}
	st, err := resolve(context.Background(), *vaultDir, *from, *format, fs.Args(), e)
	return finish(st, err, e)
}

func resolve(ctx context.Context, vaultDir, from, format string, args []string, e *env) (int, error) {
	if err := checkFormat(format); err != nil {
		return 0, err
	}
	if len(args) != 1 {
		return 0, usagef("resolve takes one LINK (quote it for the shell); run 'vaultlint resolve --help' for usage")
	}
	input := strings.TrimSpace(args[0])
	if input == "" || strings.ContainsAny(input, "\r\n") {
		return 0, usagef("LINK must be one line of text, such as '[[Note#Heading]]'")
	}
	v, err := openVault(ctx, vaultDir, from)
	if err != nil {
		return 0, err
	}
	fromPath := ""
	if from != "" {
		f, err := vaultFile(v, from)
		if err != nil {
			return 0, err
		}
		fromPath = f.Path
	}
	n, l, err := parseLink(fromPath, input)
	if err != nil {
		return 0, err
	}
	if l != nil && l.Path == "" && l.HasSubpath && fromPath == "" {
		return 0, usagef("%s names the note it is written in; give that note with --from NOTE", input)
	}
	var li *linkInfo
	if l != nil {
		d := describeLink(v, n, l, false)
		li = &d
	}
	if format == "json" {
		var fromJSON *string
		if fromPath != "" {
			fromJSON = &fromPath
		}
		err = writeJSON(e.stdout, struct {
			Version int       `json:"version"`
			Input   string    `json:"input"`
			From    *string   `json:"from"`
			Link    *linkInfo `json:"link"`
		}{1, input, fromJSON, li})
	} else {
		err = printResolution(e, v, input, fromPath, li)
	}
	if err != nil {
		return 0, err
	}
	if li == nil || li.broken() {
		return exitProblems, nil
	}
	return exitOK, nil
}

// parseLink reads input as Obsidian would read it in a one-line note at
// fromPath, with vault.Parse, so that it splits exactly as links in notes
// do. Text that holds no link and does not look like Markdown link syntax
// is taken for a bare link path and read as [[input]]. It returns a nil
// link when input is not a link (code, a Markdown link with a raw space).
func parseLink(fromPath, input string) (*vault.Note, *vault.Link, error) {
	n := vault.Parse(fromPath, []byte(input))
	if len(n.Links) == 0 && !strings.HasPrefix(input, "[") && !strings.HasPrefix(input, "![") &&
		!strings.Contains(input, "](") && !strings.ContainsAny(input, "`") && !strings.Contains(input, "%%") {
		n = vault.Parse(fromPath, []byte("[["+input+"]]"))
	}
	switch len(n.Links) {
	case 0:
		return n, nil, nil
	case 1:
		return n, &n.Links[0], nil
	}
	var raws []string
	for _, l := range n.Links {
		raws = append(raws, string(n.Src[l.Span.Start:l.Span.End]))
	}
	return nil, nil, usagef("%s holds %d links (%s); give one", input, len(n.Links), strings.Join(raws, ", "))
}

func printResolution(e *env, v *vault.Vault, input, fromPath string, li *linkInfo) error {
	var b strings.Builder
	row := func(k, v string) { fmt.Fprintf(&b, "%-11s %s\n", k, v) }
	if li == nil {
		fmt.Fprintf(&b, "%s is not a link: Obsidian reads it as text or code\n", input)
		_, err := fmt.Fprint(e.stdout, b.String())
		return err
	}
	row("link", li.Raw)
	if fromPath != "" {
		row("from", fromPath)
	}
	row("kind", li.Kind)
	switch {
	case li.Path == "":
		row("path", "(none)")
	case strings.TrimSpace(li.Path) != li.Path:
		row("path", strconv.Quote(li.Path)) // show the spaces Obsidian trims
	default:
		row("path", li.Path)
	}
	if li.Subpath != nil {
		row("subpath", *li.Subpath)
	}
	if li.Display != nil {
		k := "display"
		if li.Kind == "embed" || li.Kind == "image" {
			k = "alt/size"
		}
		row(k, *li.Display)
	}
	switch {
	case li.External:
		row("file", "none: an external URL, not a vault link")
	case li.Rule == "empty":
		row("file", "none: an empty link names no file")
	case !li.Resolved:
		row("file", "none: unresolved")
		for _, a := range li.AliasOf {
			row("alias of", fmt.Sprintf("%s (aliases do not resolve links; [[%s|%s]] would)", a, v.LinkText(fromPath, v.File(a)), li.Path))
		}
	default:
		row("file", *li.File)
		rule := li.Rule
		if li.Rule == "shortest path" {
			rule += " (ambiguous: Obsidian falls back to the shortest of several paths)"
		}
		row("rule", rule)
		if len(li.Candidates) > 1 {
			row("others", strings.Join(li.Candidates[1:], ", "))
		}
	}
	if m := li.Match; m != nil {
		switch {
		case !m.Found:
			row(m.Kind, m.Name+": missing")
		case m.Kind == "block":
			row("block", fmt.Sprintf("^%s (line %d)", m.Text, m.Line))
		default:
			row("heading", fmt.Sprintf("%s (line %d)", m.Text, m.Line))
		}
	} else if li.Resolved && li.Subpath != nil && *li.Subpath != "" && li.File != nil && !vault.IsNotePath(*li.File) {
		row("match", "not checked: the file is not a note")
	}
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}
