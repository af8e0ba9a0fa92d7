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
// A streaming run (check, which lets each note's source go once the
// note's own rules ran: rules.Checker) keeps about as much as the
// Markdown; a run that keeps every note whole (fix, the cache) about
// twice as much.
//
// Parsing makes garbage many times what it keeps. Left to GOGC=100 alone,
// the heap grows to twice the live data before each collection, and the
// collector runs often while the live data is still small. Instead a run
// sets GOGC=300, so that it collects rarely, and a soft limit, which
// makes it collect as often as needed once the heap nears it: 2.5 times
// the Markdown for a streaming run, 4 times for the others. On the
// 5,000-note vault of docs/performance.md a streaming check then peaks
// at 2.8 times the Markdown in about the time it takes unbounded; for a
// run that keeps every note, a limit of 3.5 times cost 13% more CPU than
// 4. The limit never goes under 64 MiB, where the runtime's own footprint
// dominates. GOGC or GOMEMLIMIT in the environment leave it all to the
// user.
func memoryLimit(noteBytes int64, streaming bool, env func(string) string) int64 {
	const floor = 64 << 20
	if env("GOMEMLIMIT") != "" || env("GOGC") != "" {
		return 0 // the user has chosen
	}
	if noteBytes < 0 || float64(noteBytes) > math.MaxInt64/8 {
		return 0
	}
	limit := noteBytes * 4
	if streaming {
		limit = noteBytes * 5 / 2
	}
	return max(limit+8<<20, floor)
}

// limitMemory returns a vault.Options.BeforeParse that sets the garbage
// collector up for a run over the notes it is told of.
func limitMemory(streaming bool) func(notes int, noteBytes int64) {
	return func(_ int, noteBytes int64) {
		if limit := memoryLimit(noteBytes, streaming, os.Getenv); limit > 0 {
			debug.SetMemoryLimit(limit)
			debug.SetGCPercent(gcPercent)
		}
	}
}
