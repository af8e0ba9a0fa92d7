// Package bench holds what vaultlint's benchmarks and the side-by-side
// comparison (cmd/vaultbench) share: generated vaults cached between runs,
// and the floor, a bare parallel goldmark parse of every note that no
// linter built on goldmark can beat.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/text"
	"golang.org/x/sync/errgroup"

	"github.com/vaultlint/vaultlint/internal/vaultgen"
)

// CachedVault returns a generated vault of n notes (with defects unless
// clean) from seed, generating it only when no earlier run left one in
// the temporary folder: os.TempDir()/vaultlint-bench-<n>-<seed>[-clean]
// plus the generator's version, so that a changed generator never serves
// a stale vault. The vault is generated beside its final name and renamed
// into place, so an interrupted run never leaves half a vault behind.
func CachedVault(n int, seed uint64, clean bool) (string, vaultgen.Stats, error) {
	name := fmt.Sprintf("vaultlint-bench-%d-%d", n, seed)
	if clean {
		name += "-clean"
	}
	name += fmt.Sprintf("-g%d", vaultgen.Version)
	dir := filepath.Join(os.TempDir(), name)
	statsFile := dir + ".json"
	if st, err := readStats(statsFile); err == nil {
		if _, err := os.Stat(dir); err == nil {
			return dir, st, nil
		}
	}
	tmp, err := os.MkdirTemp(os.TempDir(), name+".tmp-")
	if err != nil {
		return "", vaultgen.Stats{}, err
	}
	defer os.RemoveAll(tmp)
	st, err := vaultgen.Generate(filepath.Join(tmp, "vault"), vaultgen.Options{Notes: n, Seed: seed, Defects: !clean})
	if err != nil {
		return "", vaultgen.Stats{}, err
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return "", vaultgen.Stats{}, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "stats.json"), b, 0o644); err != nil {
		return "", vaultgen.Stats{}, err
	}
	// Another process (a benchmark and vaultbench at once) may have
	// finished the same vault meanwhile: keep it, it is the same bytes.
	if st, err := readStats(statsFile); err == nil {
		if _, err := os.Stat(dir); err == nil {
			return dir, st, nil
		}
	}
	// A leftover vault without its stats is from an interrupted run.
	if err := os.RemoveAll(dir); err != nil {
		return "", vaultgen.Stats{}, err
	}
	if err := os.Rename(filepath.Join(tmp, "vault"), dir); err != nil {
		return "", vaultgen.Stats{}, err
	}
	if err := os.Rename(filepath.Join(tmp, "stats.json"), statsFile); err != nil {
		return "", vaultgen.Stats{}, err
	}
	return dir, st, nil
}

func readStats(path string) (vaultgen.Stats, error) {
	var st vaultgen.Stats
	b, err := os.ReadFile(path)
	if err != nil {
		return st, err
	}
	err = json.Unmarshal(b, &st)
	return st, err
}

// FloorResult is what the floor read and parsed.
type FloorResult struct {
	Notes int
	Bytes int64
}

// ParseFloor walks the vault as vault.Load does (skipping dot files and
// folders), then reads and parses every note with goldmark's default
// CommonMark parser on as many goroutines as there are CPUs, and keeps
// nothing. It is the least work any goldmark-based linter must do.
func ParseFloor(ctx context.Context, dir string) (FloorResult, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && strings.EqualFold(filepath.Ext(p), ".md") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return FloorResult{}, err
	}
	p := goldmark.DefaultParser()
	workers := runtime.GOMAXPROCS(0)
	sizes := make([]int64, workers)
	var next atomic.Int64 // the workers take the notes in turn: big ones do not pile up on one
	g, ctx := errgroup.WithContext(ctx)
	for w := range workers {
		g.Go(func() error {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(paths) {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				src, err := os.ReadFile(paths[i])
				if err != nil {
					return err
				}
				p.Parse(text.NewReader(src))
				sizes[w] += int64(len(src))
			}
		})
	}
	if err := g.Wait(); err != nil {
		return FloorResult{}, err
	}
	r := FloorResult{Notes: len(paths)}
	for _, s := range sizes {
		r.Bytes += s
	}
	return r, nil
}
