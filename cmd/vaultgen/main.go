// Command vaultgen writes a synthetic Obsidian vault for benchmarks and
// tests, deterministic from a seed:
//
//	vaultgen -n 5000 -seed 1 -o /tmp/vault [-clean]
//
// It prints what it wrote: notes, attachments, bytes, links by kind, and
// how many defects of each rule it planted (none with -clean).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/vaultlint/vaultlint/internal/vaultgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vaultgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o vaultgen.Options
	var out string
	var clean bool
	fs.IntVar(&o.Notes, "n", 1000, "number of notes")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed: the same seed writes the same vault")
	fs.StringVar(&out, "o", "", "output `DIR` (must be empty or not exist)")
	fs.BoolVar(&clean, "clean", false, "write a clean vault: no broken links, no defects")
	fs.IntVar(&o.Folders, "folders", 0, "number of folders (default: from -n)")
	fs.IntVar(&o.Attachments, "attachments", 0, "number of attachments (default: n/12)")
	fs.IntVar(&o.Sections, "sections", 0, "mean number of sections per note (default 4)")
	fs.IntVar(&o.DefectsPerRule, "defects", 0, "instances of each defect (default: max(3, n/250))")
	fs.Float64Var(&o.BrokenRate, "broken", 0, "share of broken links of each kind (default 0.03)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: vaultgen -n NOTES -seed SEED -o DIR [-clean]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if out == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	o.Defects = !clean
	start := time.Now()
	st, err := vaultgen.Generate(out, o)
	if err != nil {
		fmt.Fprintf(stderr, "vaultgen: %v\n", err)
		return 1
	}
	printStats(stdout, out, st, time.Since(start))
	return 0
}

func printStats(w io.Writer, dir string, st vaultgen.Stats, took time.Duration) {
	fmt.Fprintf(w, "vault        %s (written in %.1fs)\n", dir, took.Seconds())
	fmt.Fprintf(w, "notes        %d in %d folders\n", st.Notes, st.Folders)
	fmt.Fprintf(w, "markdown     %d bytes (%.1f MB, %.0f per note)\n", st.MarkdownBytes, float64(st.MarkdownBytes)/1e6, float64(st.MarkdownBytes)/float64(max(st.Notes, 1)))
	fmt.Fprintf(w, "attachments  %d (%d bytes)\n", st.Attachments, st.AttachmentBytes)
	fmt.Fprintf(w, "links        %d (%.1f per note)\n", st.Links, float64(st.Links)/float64(max(st.Notes, 1)))
	for _, k := range sortedKeys(st.LinksByKind) {
		fmt.Fprintf(w, "  %-12s %d (%d broken)\n", k, st.LinksByKind[k], st.BrokenByKind[k])
	}
	if len(st.Defects) == 0 {
		fmt.Fprintf(w, "defects      none\n")
		return
	}
	fmt.Fprintf(w, "defects planted, by rule:\n")
	for _, k := range sortedKeys(st.Defects) {
		fmt.Fprintf(w, "  %-22s %d\n", k, st.Defects[k])
	}
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
