package main

import (
	"math"
	"os"
	"runtime/debug"
)

// memoryLimit is the soft limit on the Go heap for a run that parses
// notes of this many bytes, or 0 for none.
//
// A check keeps every note's bytes and what was parsed from them (about
// twice the Markdown), and parsing makes garbage many times that. Left to
// GOGC=100 alone, the heap grows to twice the live data before each
// collection: 5 to 6 times the Markdown at peak. A soft limit of 4 times
// the Markdown lets the collector run more often once the heap nears it.
// It is a compromise with speed: on the 5,000-note vault of
// docs/performance.md, 3.5 times cost 13% more CPU for a quarter less
// peak memory, 4 times a few percent for a tenth less. Small vaults get
// no limit: there the runtime's own footprint dominates and collecting
// more often only costs time.
func memoryLimit(noteBytes int64, env func(string) string) int64 {
	const floor = 64 << 20
	if env("GOMEMLIMIT") != "" || env("GOGC") == "off" {
		return 0 // the user has chosen
	}
	if noteBytes <= 0 || float64(noteBytes) > math.MaxInt64/4 {
		return 0
	}
	limit := noteBytes*4 + 8<<20
	if limit < floor {
		return 0
	}
	return limit
}

// limitMemory sets the soft memory limit for a run over notes of
// noteBytes; it is a vault.Options.BeforeParse.
func limitMemory(_ int, noteBytes int64) {
	if limit := memoryLimit(noteBytes, os.Getenv); limit > 0 {
		debug.SetMemoryLimit(limit)
	}
}
