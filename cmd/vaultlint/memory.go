package main

import (
	"math"
	"os"
	"runtime/debug"
)

// gcPercent is the GOGC a run uses under memoryLimit.
const gcPercent = 300

// memoryLimit is the soft limit on the Go heap for a run that parses
// notes of this many bytes, or 0 to leave the runtime's settings alone.
//
// A check keeps every note's bytes and what was parsed from them (about
// twice the Markdown), and parsing makes garbage many times that. Left to
// GOGC=100 alone, the heap grows to twice the live data before each
// collection: 5 to 6 times the Markdown at peak, and the collector runs
// often while the live data is still small. Instead a run sets GOGC=300,
// so that it collects rarely, and a soft limit of 4 times the Markdown,
// which makes it collect as often as needed once the heap nears the
// limit. On the 5,000-note vault of docs/performance.md that took 6% off
// the time of GOGC=100 and a fifth off its peak memory; a limit of 3.5
// times cost 13% more CPU for a quarter less memory, so 4 it is. The
// limit never goes under 64 MiB, where the runtime's own footprint
// dominates. GOGC or GOMEMLIMIT in the environment leave it all to the
// user.
func memoryLimit(noteBytes int64, env func(string) string) int64 {
	const floor = 64 << 20
	if env("GOMEMLIMIT") != "" || env("GOGC") != "" {
		return 0 // the user has chosen
	}
	if noteBytes < 0 || float64(noteBytes) > math.MaxInt64/8 {
		return 0
	}
	return max(noteBytes*4+8<<20, floor)
}

// limitMemory sets the garbage collector up for a run over notes of
// noteBytes; it is a vault.Options.BeforeParse.
func limitMemory(_ int, noteBytes int64) {
	if limit := memoryLimit(noteBytes, os.Getenv); limit > 0 {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(gcPercent)
	}
}
