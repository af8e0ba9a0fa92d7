package bench_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/vaultlint/vaultlint/internal/bench"
	"github.com/vaultlint/vaultlint/internal/report"
	"github.com/vaultlint/vaultlint/internal/vaultgen"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// The benchmarks run on generated vaults (with defects, as a real vault
// has) of these sizes; VAULTLINT_BENCH_NOTES="5000" or "1000,100000"
// picks others, e.g. to profile on the 5,000-note vault of issue 7:
//
//	VAULTLINT_BENCH_NOTES=5000 go test ./internal/bench -run XXX \
//	    -bench CheckCommand -benchtime 5x -cpuprofile cpu.prof
//
// Every benchmark reports MB/s of Markdown, so their ratios to
// BenchmarkParseFloor read directly as "times the floor".
const seed = 1

func sizes(b *testing.B) []int {
	env := os.Getenv("VAULTLINT_BENCH_NOTES")
	if env == "" {
		return []int{1000, 10000}
	}
	var out []int
	for _, f := range strings.Split(env, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			b.Fatalf("VAULTLINT_BENCH_NOTES=%q: want note counts separated by commas", env)
		}
		out = append(out, n)
	}
	return out
}

// eachSize runs fn as a sub-benchmark per vault size, on a cached vault.
func eachSize(b *testing.B, fn func(b *testing.B, dir string, st vaultgen.Stats)) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("notes=%d", n), func(b *testing.B) {
			dir, st, err := bench.CachedVault(n, seed, false)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.MarkdownBytes)
			b.ReportAllocs()
			fn(b, dir, st)
		})
	}
}

func load(b *testing.B, dir string) *vault.Vault {
	b.Helper()
	v, err := vault.Load(context.Background(), dir, vault.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// BenchmarkParseFloor: walk, read and goldmark-parse every note in
// parallel, keeping nothing. vaultlint cannot be faster than this.
func BenchmarkParseFloor(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, st vaultgen.Stats) {
		for b.Loop() {
			r, err := bench.ParseFloor(context.Background(), dir)
			if err != nil {
				b.Fatal(err)
			}
			if r.Notes != st.Notes {
				b.Fatalf("floor parsed %d notes, the vault has %d", r.Notes, st.Notes)
			}
		}
	})
}

// BenchmarkLoad: walk, read, parse and index the vault.
func BenchmarkLoad(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, _ vaultgen.Stats) {
		for b.Loop() {
			load(b, dir)
		}
	})
}

// BenchmarkResolveAll: resolve every link of every note, subpaths
// included, on one goroutine; ns/link is the cost of one resolution.
func BenchmarkResolveAll(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, st vaultgen.Stats) {
		v := load(b, dir)
		links := 0
		for b.Loop() {
			links = 0
			for _, n := range v.Notes {
				for i := range n.Links {
					v.Resolve(n, &n.Links[i])
				}
				links += len(n.Links)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(links), "ns/link")
	})
}

// BenchmarkResolveFilesWarm: what a streaming check does with a note's
// links once it is parsed (rules.Checker): the paths of all, each note's
// first brought into the caches together (Vault.WarmLinks), or not.
func BenchmarkResolveFilesWarm(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, st vaultgen.Stats) {
		v := load(b, dir)
		for _, warm := range []bool{false, true} {
			b.Run(fmt.Sprintf("warm=%v", warm), func(b *testing.B) {
				links := 0
				for b.Loop() {
					links = 0
					for _, n := range v.Notes {
						if warm {
							v.WarmLinks(n, n.Links)
						}
						for i := range n.Links {
							v.ResolveFile(n, &n.Links[i])
						}
						links += len(n.Links)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(links), "ns/link")
			})
		}
	})
}

// BenchmarkCheck: every rule over a freshly loaded vault (rules keep
// per-vault tables, so reusing one vault would hide their cost); the
// load itself is not timed.
func BenchmarkCheck(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, _ vaultgen.Stats) {
		for b.Loop() {
			b.StopTimer()
			v := load(b, dir)
			b.StartTimer()
			if _, err := rules.Check(context.Background(), v, rules.Config{WholeVault: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCheckCommand: what "vaultlint check VAULT" does, from the walk
// to the text output (to io.Discard), each note checked as it is parsed
// (rules.Checker): the benchmark to profile.
func BenchmarkCheckCommand(b *testing.B) {
	eachSize(b, func(b *testing.B, dir string, _ vaultgen.Stats) {
		for b.Loop() {
			chk := rules.NewChecker(rules.Config{WholeVault: true})
			v, err := vault.Load(context.Background(), dir, vault.Options{Parsed: chk.Parsed})
			if err != nil {
				b.Fatal(err)
			}
			ds, err := chk.Finish(context.Background(), v)
			if err != nil {
				b.Fatal(err)
			}
			if err := report.Text(io.Discard, ds, false, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}
