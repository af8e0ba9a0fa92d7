package rules_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
	"gopkg.in/yaml.v3"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// corporaDir holds real public vaults (../shared/corpora/README.md);
// the test reads them and skips when they are absent.
const corporaDir = "../../shared/corpora"

// TestCorporaFix runs every fix, unsafe ones included, over a copy of
// each real vault, as `vaultlint fix --unsafe-fixes` does, and checks
// what a user trusts fix with:
//
//   - it neither panics nor loops: the fix loop settles;
//   - every fix is written to disk through fix.Write, and a second run
//     over the vault read back from disk has nothing left to change;
//   - a note whose frontmatter was valid YAML still has valid YAML;
//   - nothing outside the fixed spans changes: every line of a note that
//     no diagnostic (nor any of its fix's edits) touched in the first
//     round is still in the fixed note, unchanged and in order.
func TestCorporaFix(t *testing.T) {
	if testing.Short() {
		t.Skip("copies, fixes and rewrites 2,500 notes")
	}
	entries, err := os.ReadDir(corporaDir)
	if err != nil {
		t.Skipf("no corpora at %s: %v", corporaDir, err)
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel() // most of the time goes to waiting for the disk
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join(corporaDir, e.Name()))); err != nil {
				t.Fatal(err)
			}
			fixCorpus(t, dir)
		})
	}
}

func fixCorpus(t *testing.T, dir string) {
	ctx := context.Background()
	v, err := vault.Load(ctx, dir, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := rules.Config{WholeVault: true}
	before := map[string]*vault.Note{}
	for _, n := range v.Notes {
		before[n.Path] = n
	}
	// The lines each note's first-round diagnostics and fixes touch.
	first, err := rules.Check(ctx, v, cfg)
	if err != nil {
		t.Fatal(err)
	}
	touched := map[string]map[int]bool{}
	for _, d := range first {
		n := before[d.Path]
		if n == nil {
			continue
		}
		if touched[d.Path] == nil {
			touched[d.Path] = map[int]bool{}
		}
		markLines(touched[d.Path], n.Src, d.Span)
		if d.Fix == nil {
			continue
		}
		for _, e := range d.Fix.Edits {
			markLines(touched[d.Path], n.Src, vault.Span{Start: e.Start, End: e.End})
		}
	}

	start := time.Now()
	res, err := rules.FixAll(ctx, v, cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	applied := 0
	for _, c := range res.Applied {
		applied += c
	}
	t.Logf("%d notes: %d fixes applied to %d notes in %v; %d dropped as harmful, %d diagnostics left",
		len(v.Notes), applied, len(res.Fixed), elapsed.Round(time.Millisecond), len(res.Rejected), len(res.Remaining))
	for _, d := range res.Rejected {
		t.Logf("fix dropped: %s:%d: %s: %s", d.Path, d.Line, d.Rule, d.Message)
	}
	if len(res.Unconverged) > 0 {
		t.Errorf("fixes did not settle in %q", res.Unconverged)
	}

	// Written as vaultlint fix writes: atomically, refusing a file that
	// changed since it was read; several at once, as each waits for the
	// disk to sync.
	var g errgroup.Group
	g.SetLimit(16)
	for p, out := range res.Fixed {
		orig := before[p]
		if !bytes.Equal(res.Original[p], orig.Src) {
			t.Errorf("%s: FixResult.Original is not what was read", p)
		}
		checkYAMLKept(t, p, orig, out)
		checkLinesKept(t, p, orig.Src, out, touched[p])
		f := v.File(p)
		snap := fix.Snapshot{Size: f.Size, ModTime: f.ModTime, Mode: f.Mode, Hash: sha256.Sum256(orig.Src)}
		g.Go(func() error { return fix.Write(v.Root, f.DiskPath(), snap, out) })
	}
	if err := g.Wait(); err != nil {
		t.Errorf("write: %v", err)
	}

	// Idempotent, on disk: the vault read back has nothing to fix.
	again, err := vault.Load(ctx, dir, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range again.Notes {
		want, ok := res.Fixed[n.Path]
		if !ok {
			want = before[n.Path].Src
		}
		if !bytes.Equal(n.Src, want) {
			t.Errorf("%s on disk is not what fix made it", n.Path)
		}
	}
	res2, err := rules.FixAll(ctx, again, cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	for p, out := range res2.Fixed {
		t.Errorf("a second fix changed %s:\n%s", p, lineDiff(res.Fixed[p], out))
	}
}

// markLines marks the 1-based lines of src that span s covers or
// borders: an edit that ends at a line's start may join it to the line
// before, and an insertion touches the line it is on.
func markLines(lines map[int]bool, src []byte, s vault.Span) {
	first, _ := vault.Position(src, s.Start)
	last, _ := vault.Position(src, s.End)
	for l := first; l <= last; l++ {
		lines[l] = true
	}
}

// checkLinesKept fails unless every line of orig not in touched appears
// in fixed, unchanged and in the same order.
func checkLinesKept(t *testing.T, path string, orig, fixed []byte, touched map[int]bool) {
	t.Helper()
	out := strings.Split(string(fixed), "\n")
	j := 0
	for i, line := range strings.Split(string(orig), "\n") {
		if touched[i+1] {
			continue
		}
		for j < len(out) && out[j] != line {
			j++
		}
		if j == len(out) {
			t.Errorf("%s:%d: a line no fix was for is gone or changed: %q", path, i+1, line)
			return
		}
		j++
	}
}

// checkYAMLKept fails when a note whose frontmatter was valid YAML (or
// that had none) leaves fix with frontmatter that is not, as read by
// vault.Parse and by yaml.v3 on its own.
func checkYAMLKept(t *testing.T, path string, orig *vault.Note, fixed []byte) {
	t.Helper()
	if fm := orig.Frontmatter; fm != nil && fm.Err != nil {
		return
	}
	n := vault.Parse(path, fixed)
	fm := n.Frontmatter
	if fm == nil {
		if orig.Frontmatter != nil {
			t.Errorf("%s: fix removed the frontmatter", path)
		}
		return
	}
	if fm.Err != nil {
		t.Errorf("%s: fix broke the frontmatter: %v", path, fm.Err)
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(fixed[fm.Content.Start:fm.Content.End], &doc); err != nil {
		t.Errorf("%s: the fixed frontmatter is not YAML: %v", path, err)
	}
}

// lineDiff shows the lines of b that differ from a, for a failure.
func lineDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "-"+x, "+"+y)
		}
		if len(out) > 20 {
			break
		}
	}
	return strings.Join(out, "\n")
}
