package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/internal/vaultgen"
)

// TestChangedFilesSameFindings checks that naming a few notes gives, for
// those notes, exactly what a run over the whole vault gives for them,
// although a PATH run parses only those notes and their link targets.
func TestChangedFilesSameFindings(t *testing.T) {
	dir := t.TempDir()
	if _, err := vaultgen.Generate(dir, vaultgen.Options{Notes: 400, Seed: 7, Defects: true}); err != nil {
		t.Fatal(err)
	}
	type diag struct {
		Path, Rule, Message string
		Line, Column        int
		Fixable             bool
	}
	runJSON := func(args ...string) []diag {
		t.Helper()
		var out bytes.Buffer
		st := run(append([]string{"check", "--format", "json", "--vault", dir}, args...), nil, &out, io.Discard)
		if st == exitUsage {
			t.Fatalf("vaultlint %v: exit 2", args)
		}
		var doc struct{ Diagnostics []diag }
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Diagnostics
	}
	full := runJSON()
	seen := map[string]bool{}
	var paths []string
	for _, d := range full {
		if !seen[d.Path] {
			seen[d.Path] = true
			paths = append(paths, d.Path)
		}
	}
	if len(paths) < 10 {
		t.Fatalf("the generated vault has too few findings (%d notes with any) to test with", len(paths))
	}
	r := rand.New(rand.NewPCG(1, 2))
	render := func(ds []diag) string {
		var b strings.Builder
		for _, d := range ds {
			fmt.Fprintf(&b, "%s:%d:%d %s %s fixable=%v\n", d.Path, d.Line, d.Column, d.Rule, d.Message, d.Fixable)
		}
		return b.String()
	}
	for try := 0; try < 5; try++ {
		var pick []string
		for _, i := range r.Perm(len(paths))[:3] {
			pick = append(pick, filepath.Join(dir, filepath.FromSlash(paths[i])))
		}
		// The full run is sorted by path, line, column and rule; its
		// subset for the picked notes keeps that order.
		want := filterPaths(full, pick, dir, func(d diag) string { return d.Path }, func(d diag) bool {
			return d.Rule != "orphan-note" && d.Rule != "unused-attachment"
		})
		got := runJSON(pick...)
		if g, w := render(got), render(want); g != w {
			t.Errorf("run on %v differs from the full run\n--- got\n%s--- want\n%s", pick, g, w)
		}
	}
}

func filterPaths[T any](ds []T, abs []string, root string, path func(T) string, keep func(T) bool) []T {
	set := map[string]bool{}
	for _, a := range abs {
		rel, _ := filepath.Rel(root, a)
		set[filepath.ToSlash(rel)] = true
	}
	var out []T
	for _, d := range ds {
		if set[path(d)] && keep(d) {
			out = append(out, d)
		}
	}
	return out
}
