package vault_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/vault"
)

// corporaDir holds real public vaults (shared/README.md); tests read them
// in place and skip when they are absent.
const corporaDir = "../../shared/corpora"

func TestCorpora(t *testing.T) {
	entries, err := os.ReadDir(corporaDir)
	if err != nil {
		t.Skipf("no corpora at %s: %v", corporaDir, err)
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			checkCorpus(t, filepath.Join(corporaDir, e.Name()), e.Name() == "DND.SRD.Wiki")
		})
	}
}

func checkCorpus(t *testing.T, root string, allResolve bool) {
	v, err := vault.Load(context.Background(), root, vault.Options{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, p := range v.Problems {
		t.Logf("problem: %v", p)
	}

	// Every .md file a plain walk finds is a note, unless it is reported.
	reported := map[string]bool{}
	for _, p := range v.Problems {
		reported[p.Path] = true
	}
	want := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if d.Type().IsRegular() && vault.IsNotePath(p) && !reported[filepath.ToSlash(rel)] {
			want++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Notes) != want {
		t.Errorf("%d notes loaded, a plain walk finds %d", len(v.Notes), want)
	}

	for _, n := range v.Notes {
		checkInvariants(t, n)
		checkFrontmatterAgrees(t, n)
	}

	unresolved := map[vault.LinkKind]int{}
	var examples []string
	links, brokenSub := 0, 0
	for _, n := range v.Notes {
		for i := range n.Links {
			l := &n.Links[i]
			if l.External {
				continue
			}
			links++
			r := v.Resolve(n, l)
			if r.SubpathChecked && !r.SubpathFound {
				brokenSub++
			}
			if r.File == nil && r.By != vault.BySelf {
				unresolved[l.Kind]++
				if l.Kind == vault.WikiLink || l.Kind == vault.Embed {
					line, _ := n.Position(l.Span.Start)
					examples = append(examples, n.Path+":"+strconv.Itoa(line)+": "+string(n.Src[l.Span.Start:l.Span.End]))
				}
			}
		}
	}
	var kinds []string
	for k, c := range unresolved {
		kinds = append(kinds, k.String()+"="+strconv.Itoa(c))
	}
	sort.Strings(kinds)
	t.Logf("%d notes, %d files, %d vault links; unresolved: %s; missing headings or blocks: %d",
		len(v.Notes), len(v.Files), links, strings.Join(kinds, " "), brokenSub)
	if allResolve {
		if n := unresolved[vault.WikiLink] + unresolved[vault.Embed]; n > 0 {
			if len(examples) > 20 {
				examples = examples[:20]
			}
			t.Errorf("%d wikilinks and embeds do not resolve; the corpus README says all do:\n\t%s", n, strings.Join(examples, "\n\t"))
		}
	}
}

// checkFrontmatterAgrees fails when Parse rejects frontmatter that yaml.v3
// accepts on its own as a mapping; only a duplicate key, which yaml.v3
// lets through into a Node but Obsidian refuses, may differ.
func checkFrontmatterAgrees(t *testing.T, n *vault.Note) {
	t.Helper()
	fm := n.Frontmatter
	if fm == nil || fm.Err == nil {
		return
	}
	var doc yaml.Node
	if yaml.Unmarshal(n.Src[fm.Content.Start:fm.Content.End], &doc) != nil ||
		len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return
	}
	if strings.HasPrefix(fm.Err.Msg, "duplicate property") {
		return
	}
	t.Errorf("%s: frontmatter rejected (%s) though yaml.v3 reads it as a mapping", n.Path, fm.Err.Msg)
}
