package cache_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/vaultlint/vaultlint/internal/bench"
	"github.com/vaultlint/vaultlint/internal/cache"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// BenchmarkCheck compares, in one run so that the ratio can be read off,
// a check of a generated vault (5,000 notes with defects, or
// VAULTLINT_BENCH_NOTES) without the cache, through it when it is empty
// (the first run, which also hashes and writes), and through it when
// nothing changed, the case issue 7 wants at most 10% of the first:
//
//	go test ./internal/cache -run XXX -bench Check -benchtime 10x
//
// The vault is generated once and kept in the temporary folder
// (internal/bench.CachedVault), so that CI's -benchtime 1x stays quick.
func BenchmarkCheck(b *testing.B) {
	n := 5000
	if s := os.Getenv("VAULTLINT_BENCH_NOTES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("VAULTLINT_BENCH_NOTES=%q: want one note count", s)
		}
	}
	dir, st, err := bench.CachedVault(n, 1, false)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	cfg := rules.Config{WholeVault: true}
	opts := func(file string) cache.Options {
		return cache.Options{File: file, Version: "bench", Check: cfg,
			Warn: func(err error) { b.Fatalf("cache: %v", err) }}
	}
	b.Run(fmt.Sprintf("notes=%d/nocache", n), func(b *testing.B) {
		b.SetBytes(st.MarkdownBytes)
		for b.Loop() {
			v, err := vault.Load(ctx, dir, vault.Options{})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := rules.Check(ctx, v, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run(fmt.Sprintf("notes=%d/cold", n), func(b *testing.B) {
		b.SetBytes(st.MarkdownBytes)
		file := filepath.Join(b.TempDir(), cache.FileName)
		for b.Loop() {
			b.StopTimer()
			_ = os.Remove(file)
			b.StartTimer()
			res, err := cache.Check(ctx, dir, opts(file))
			if err != nil {
				b.Fatal(err)
			}
			if !res.Stats.Cold || !res.Stats.Wrote {
				b.Fatalf("%+v: want a cold run that writes", res.Stats)
			}
		}
	})
	b.Run(fmt.Sprintf("notes=%d/warm", n), func(b *testing.B) {
		b.SetBytes(st.MarkdownBytes)
		file := filepath.Join(b.TempDir(), cache.FileName)
		if _, err := cache.Check(ctx, dir, opts(file)); err != nil {
			b.Fatal(err)
		}
		if fi, err := os.Stat(file); err == nil {
			b.ReportMetric(float64(fi.Size())/float64(st.MarkdownBytes), "cache/markdown")
		}
		for b.Loop() {
			res, err := cache.Check(ctx, dir, opts(file))
			if err != nil {
				b.Fatal(err)
			}
			if res.Stats.Cold || res.Stats.Checked != 0 {
				b.Fatalf("%+v: want everything from the cache", res.Stats)
			}
		}
	})
}
