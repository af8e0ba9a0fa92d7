// Command vaultbench runs the side-by-side comparison of issue 7: vaultlint
// against the floor (a bare parallel goldmark parse, ./floor), rumdl's
// native binary and markdownlint-cli2, on generated vaults of 5,000 and
// 20,000 notes. It builds vaultlint and the floor, installs rumdl and
// markdownlint-cli2 from npm into its work folder, times every tool with
// hyperfine (with a warmup run), measures peak RSS with GNU time, and
// prints medians, ratios to vaultlint and the targets of issue 7 as a
// Markdown report.
//
// Run it from the repository with run.sh beside this file, which installs
// hyperfine and GNU time first (Debian packages), or directly:
//
//	go run ./cmd/vaultbench [-sizes 5000,20000] [-seed 1] [-big 100000]
//
// It needs go, npm and node, hyperfine and /usr/bin/time. Vaults are
// cached in the temporary folder (see internal/bench.CachedVault); npm
// packages and binaries go to -work.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/vaultlint/vaultlint/internal/bench"
	"github.com/vaultlint/vaultlint/internal/vaultgen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "vaultbench: %v\n", err)
		os.Exit(1)
	}
}

type config struct {
	sizes        []int
	big          int
	seed         uint64
	work         string
	out          string
	runs         int
	slowRuns     int
	warmup       int
	slowWarmup   int
	bigRuns      int
	rumdlVersion string
	mdlVersion   string
	skipSlow     bool
}

func run(args []string) error {
	fs := flag.NewFlagSet("vaultbench", flag.ContinueOnError)
	var c config
	var sizes string
	fs.StringVar(&sizes, "sizes", "5000,20000", "vault sizes in notes, comma-separated; the first is the one the targets are read on")
	fs.IntVar(&c.big, "big", 0, "also time vaultlint alone on a vault of this many notes (issue 7: 100000 in at most 10 s)")
	fs.Uint64Var(&c.seed, "seed", 1, "vault generator seed")
	fs.StringVar(&c.work, "work", filepath.Join(os.TempDir(), "vaultbench"), "work `DIR` for binaries, npm packages and hyperfine exports")
	fs.StringVar(&c.out, "o", "", "also write the report to `FILE`")
	fs.IntVar(&c.runs, "runs", 10, "hyperfine runs of the fast tools (vaultlint, floor, rumdl)")
	fs.IntVar(&c.slowRuns, "slow-runs", 3, "hyperfine runs of markdownlint-cli2, which takes tens of seconds")
	fs.IntVar(&c.warmup, "warmup", 1, "hyperfine warmup runs of the fast tools")
	fs.IntVar(&c.slowWarmup, "slow-warmup", 0, "hyperfine warmup runs of markdownlint-cli2 (the fast tools' runs already warm the page cache)")
	fs.IntVar(&c.bigRuns, "big-runs", 3, "hyperfine runs on the -big vault (after one warmup run)")
	fs.StringVar(&c.rumdlVersion, "rumdl", "0.2.75", "rumdl version from npm")
	fs.StringVar(&c.mdlVersion, "markdownlint-cli2", "0.24.1", "markdownlint-cli2 version from npm")
	fs.BoolVar(&c.skipSlow, "skip-slow", false, "leave markdownlint-cli2 out")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, f := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("-sizes %q: want note counts separated by commas", sizes)
		}
		c.sizes = append(c.sizes, n)
	}
	for _, tool := range []string{"go", "npm", "node", "hyperfine", "/usr/bin/time"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found: run cmd/vaultbench/run.sh, which installs hyperfine and time (Debian packages)", tool)
		}
	}
	if err := os.MkdirAll(c.work, 0o755); err != nil {
		return err
	}
	c.work, _ = filepath.Abs(c.work)

	tools, err := prepare(c)
	if err != nil {
		return err
	}
	var rep bytes.Buffer
	w := io.MultiWriter(os.Stdout, &rep)
	fmt.Fprintf(w, "# vaultbench: %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	machine(w)
	fmt.Fprintf(w, "\nTools: vaultlint %s; rumdl %s (native binary %s); markdownlint-cli2 %s on node %s.\n",
		tools.vaultlintVersion, tools.rumdlVersion, filepath.Base(tools.rumdl), tools.mdlVersion, tools.nodeVersion)
	fmt.Fprintf(w, "Each tool: %d warmup run(s) and %d timed runs with hyperfine (markdownlint-cli2: %d and %d), each run under GNU time for its peak RSS (the highest of all runs is shown).\n",
		c.warmup, c.runs, c.slowWarmup, c.slowRuns)

	var first *sizeResult
	for _, n := range c.sizes {
		r, err := measure(c, tools, n, !c.skipSlow, w)
		if err != nil {
			return err
		}
		if first == nil {
			first = r
		}
	}
	var big *sizeResult
	if c.big > 0 {
		big, err = measureBig(c, tools, c.big, w)
		if err != nil {
			return err
		}
	}
	targets(w, first, big)
	if c.out != "" {
		return os.WriteFile(c.out, rep.Bytes(), 0o644)
	}
	return nil
}

// toolset is what prepare built and installed.
type toolset struct {
	vaultlint, floor, rumdl, mdl   string
	vaultlintVersion, rumdlVersion string
	mdlVersion, nodeVersion        string
	noCache                        bool // vaultlint check has --no-cache
	vaultlintArgs                  []string
}

func prepare(c config) (*toolset, error) {
	t := &toolset{}
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(c.work, "bin")
	t.vaultlint, t.floor = filepath.Join(bin, "vaultlint"), filepath.Join(bin, "floor")
	for pkg, out := range map[string]string{"./cmd/vaultlint": t.vaultlint, "./cmd/vaultbench/floor": t.floor} {
		step("go build %s", pkg)
		cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
		cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go build %s: %w", pkg, err)
		}
	}
	t.vaultlintVersion = strings.TrimPrefix(strings.TrimSpace(output(t.vaultlint, "version")), "vaultlint ")
	// The comparison is of cold runs: once vaultlint has its cache
	// (issue 7), turn it off as rumdl's is.
	t.noCache = strings.Contains(output(t.vaultlint, "check", "--help"), "--no-cache")
	t.vaultlintArgs = []string{"check"}
	if t.noCache {
		t.vaultlintArgs = append(t.vaultlintArgs, "--no-cache")
	}

	npmDir := filepath.Join(c.work, "npm")
	arch := map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	t.rumdl = filepath.Join(npmDir, "node_modules", "@rumdl", "cli-linux-"+arch, "rumdl")
	t.mdl = filepath.Join(npmDir, "node_modules", ".bin", "markdownlint-cli2")
	t.rumdlVersion = packageVersion(filepath.Join(npmDir, "node_modules", "rumdl"))
	t.mdlVersion = packageVersion(filepath.Join(npmDir, "node_modules", "markdownlint-cli2"))
	if t.rumdlVersion != c.rumdlVersion || t.mdlVersion != c.mdlVersion || !exists(t.rumdl) || !exists(t.mdl) {
		step("npm install rumdl@%s markdownlint-cli2@%s", c.rumdlVersion, c.mdlVersion)
		if err := os.MkdirAll(npmDir, 0o755); err != nil {
			return nil, err
		}
		cmd := exec.Command("npm", "install", "--prefix", npmDir, "--no-audit", "--no-fund", "--no-save",
			"rumdl@"+c.rumdlVersion, "markdownlint-cli2@"+c.mdlVersion)
		cmd.Dir, cmd.Stdout, cmd.Stderr = npmDir, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("npm install: %w", err)
		}
		t.rumdlVersion = packageVersion(filepath.Join(npmDir, "node_modules", "rumdl"))
		t.mdlVersion = packageVersion(filepath.Join(npmDir, "node_modules", "markdownlint-cli2"))
	}
	if !exists(t.rumdl) {
		return nil, fmt.Errorf("rumdl's native binary is not at %s (npm view @rumdl/cli-linux-%s)", t.rumdl, arch)
	}
	t.nodeVersion = strings.TrimSpace(output("node", "--version"))
	return t, nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run vaultbench inside the vaultlint repository")
	}
	return filepath.Dir(mod), nil
}

func packageVersion(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return ""
	}
	var p struct{ Version string }
	_ = json.Unmarshal(b, &p) // a broken package.json reads as no version: reinstall
	return p.Version
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// output runs a command for a line of information; failures read as "".
func output(name string, args ...string) string {
	out, _ := exec.Command(name, args...).Output()
	return string(out)
}

func step(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "\n== "+format+"\n", args...)
}

// machine describes where the numbers come from: they mean little
// without it.
func machine(w io.Writer) {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^model name\s*:\s*(.+)$`).FindSubmatch(b); m != nil {
			cpu = string(m[1])
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if m := regexp.MustCompile(`(?m)^MemTotal:\s*(\d+) kB`).FindSubmatch(b); m != nil {
			kb, _ := strconv.Atoi(string(m[1]))
			mem = fmt.Sprintf(", %.0f GB RAM", float64(kb)/1e6)
		}
	}
	fmt.Fprintf(w, "Machine: %s, %d CPUs%s; %s; %s.\n", cpu, runtime.NumCPU(), mem,
		strings.TrimSpace(output("uname", "-srm")), strings.TrimSpace(output("go", "version")))
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

type timing struct {
	name           string
	median, mean   float64
	stddev         float64
	min, max       float64
	cpu            float64 // mean user + system time: what contention for the CPUs changes least
	runs           int
	rssKB          int64
	command        []string
	vaultlintRatio float64 // this tool's median ÷ vaultlint's
}

type sizeResult struct {
	notes   int
	stats   vaultgen.Stats
	timings map[string]*timing
}

func measure(c config, t *toolset, n int, slow bool, w io.Writer) (*sizeResult, error) {
	step("vault of %d notes", n)
	start := time.Now()
	dir, st, err := bench.CachedVault(n, c.seed, false)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "%s (ready in %.1fs)\n", dir, time.Since(start).Seconds())
	r := &sizeResult{notes: n, stats: st, timings: map[string]*timing{}}
	fast := []*timing{
		{name: "vaultlint", command: append(append([]string{t.vaultlint}, t.vaultlintArgs...), dir)},
		{name: "floor", command: []string{t.floor, dir}},
		{name: "rumdl", command: []string{t.rumdl, "check", "--no-cache", dir}},
	}
	loadBefore := loadAvg()
	if err := hyperfine(fast, c.warmup, c.runs, c.work, fmt.Sprintf("hyperfine-%d.json", n)); err != nil {
		return nil, err
	}
	all := fast
	if slow {
		mdl := []*timing{{name: "markdownlint-cli2", command: []string{t.mdl, dir + "/**/*.md"}}}
		if err := hyperfine(mdl, c.slowWarmup, c.slowRuns, c.work, fmt.Sprintf("hyperfine-%d-slow.json", n)); err != nil {
			return nil, err
		}
		all = append(all, mdl...)
	}
	for _, tm := range all {
		r.timings[tm.name] = tm
	}
	base := r.timings["vaultlint"].median
	for _, tm := range all {
		tm.vaultlintRatio = tm.median / base
	}

	fmt.Fprintf(w, "\n## %d notes\n\n", n)
	fmt.Fprintf(w, "Vault: `vaultgen -n %d -seed %d`: %d notes in %d folders, %.1f MB of Markdown, %d links, %d attachments. Load average before: %s.\n\n",
		n, c.seed, st.Notes, st.Folders, float64(st.MarkdownBytes)/1e6, st.Links, st.Attachments, loadBefore)
	fmt.Fprintf(w, "| tool | median | mean ± σ | min … max | runs | time ÷ vaultlint's | CPU (user+sys) | peak RSS | RSS ÷ Markdown |\n")
	fmt.Fprintf(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, tm := range all {
		fmt.Fprintf(w, "| %s | %.3f s | %.3f ± %.3f s | %.3f … %.3f s | %d | %.2f× | %.2f s | %.0f MB | %.2f× |\n",
			tm.name, tm.median, tm.mean, tm.stddev, tm.min, tm.max, tm.runs, tm.vaultlintRatio, tm.cpu,
			float64(tm.rssKB)/1e3, float64(tm.rssKB)*1e3/float64(st.MarkdownBytes))
	}
	fmt.Fprintf(w, "\nvaultlint takes %.2f× the floor's time (%.2f× its CPU time); rumdl takes %.2f× vaultlint's",
		base/r.timings["floor"].median, r.timings["vaultlint"].cpu/r.timings["floor"].cpu, r.timings["rumdl"].vaultlintRatio)
	if m := r.timings["markdownlint-cli2"]; m != nil {
		fmt.Fprintf(w, ", markdownlint-cli2 %.1f×", m.vaultlintRatio)
	}
	fmt.Fprintf(w, ".\n\nCommands:\n\n```\n")
	for _, tm := range all {
		fmt.Fprintf(w, "%s\n", shellJoin(tm.command))
	}
	fmt.Fprintf(w, "```\n")
	return r, nil
}

// measureBig times vaultlint, and the floor right after it, on a big
// vault: the other tools would take minutes, and the target is
// vaultlint's own. The floor says how fast the machine was meanwhile: on
// a shared machine the same build's time at this size has moved by a
// third from one run to the next.
func measureBig(c config, t *toolset, n int, w io.Writer) (*sizeResult, error) {
	step("vault of %d notes (vaultlint and the floor)", n)
	dir, st, err := bench.CachedVault(n, c.seed, false)
	if err != nil {
		return nil, err
	}
	tm := &timing{name: "vaultlint", command: append(append([]string{t.vaultlint}, t.vaultlintArgs...), dir)}
	fl := &timing{name: "floor", command: []string{t.floor, dir}}
	loadBefore := loadAvg()
	if err := hyperfine([]*timing{tm, fl}, 1, c.bigRuns, c.work, fmt.Sprintf("hyperfine-%d.json", n)); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "\n## %d notes, vaultlint and the floor\n\n", n)
	fmt.Fprintf(w, "Vault: %d notes, %.0f MB of Markdown, %d links. Load average before: %s.\n\n",
		st.Notes, float64(st.MarkdownBytes)/1e6, st.Links, loadBefore)
	for _, x := range []*timing{tm, fl} {
		fmt.Fprintf(w, "- %s: median %.2f s (%.2f … %.2f s, %d runs; CPU %.2f s), peak RSS %.0f MB (%.2f× the Markdown).\n",
			x.name, x.median, x.min, x.max, x.runs, x.cpu, float64(x.rssKB)/1e3, float64(x.rssKB)*1e3/float64(st.MarkdownBytes))
	}
	fmt.Fprintf(w, "\nvaultlint takes %.2f× the floor's time (%.2f× its CPU time).\n", tm.median/fl.median, tm.cpu/fl.cpu)
	return &sizeResult{notes: n, stats: st, timings: map[string]*timing{"vaultlint": tm, "floor": fl}}, nil
}

// hyperfine times the commands and, through GNU time wrapped around each
// run (one fork and exec more, well under a millisecond), records their
// peak RSS: a separate run for it would double the time of the slow
// tools.
func hyperfine(ts []*timing, warmup, runs int, work, exportName string) error {
	export := filepath.Join(work, exportName)
	args := []string{"-N", "-i", "--style", "basic", "--warmup", strconv.Itoa(warmup), "--runs", strconv.Itoa(runs), "--export-json", export}
	rssFiles := make([]string, len(ts))
	for i, t := range ts {
		rssFiles[i] = strings.TrimSuffix(export, ".json") + "-" + t.name + ".rss"
		if err := os.Remove(rssFiles[i]); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		wrapped := append([]string{"/usr/bin/time", "-f", "%M", "-a", "-o", rssFiles[i]}, t.command...)
		args = append(args, "-n", t.name, shellJoin(wrapped))
	}
	cmd := exec.Command("hyperfine", args...)
	// A neutral folder: no tool must pick up a config file of the
	// repository it is run from.
	cmd.Dir, cmd.Stdout, cmd.Stderr = work, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("hyperfine: %w", err)
	}
	b, err := os.ReadFile(export)
	if err != nil {
		return err
	}
	var res struct {
		Results []struct {
			Command string    `json:"command"`
			Mean    float64   `json:"mean"`
			Stddev  float64   `json:"stddev"`
			Median  float64   `json:"median"`
			Min     float64   `json:"min"`
			Max     float64   `json:"max"`
			User    float64   `json:"user"`
			System  float64   `json:"system"`
			Times   []float64 `json:"times"`
		} `json:"results"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return fmt.Errorf("%s: %w", export, err)
	}
	if len(res.Results) != len(ts) {
		return fmt.Errorf("%s: %d results for %d commands", export, len(res.Results), len(ts))
	}
	for i, r := range res.Results {
		t := ts[i]
		t.median, t.mean, t.stddev, t.min, t.max, t.runs = r.Median, r.Mean, r.Stddev, r.Min, r.Max, len(r.Times)
		t.cpu = r.User + r.System
		if t.rssKB, err = peakRSS(rssFiles[i]); err != nil {
			return err
		}
	}
	return nil
}

// peakRSS reads what GNU time appended to file, one line per run (kB),
// and returns the highest: the peak RSS of the tool over all its runs.
func peakRSS(file string) (int64, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, fmt.Errorf("peak RSS: %w", err)
	}
	var peak int64
	for _, line := range strings.Split(string(b), "\n") {
		// GNU time writes "Command exited with non-zero status 1" before
		// the figure when the tool fails, as linters do on findings.
		if kb, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64); err == nil {
			peak = max(peak, kb)
		}
	}
	if peak == 0 {
		return 0, fmt.Errorf("%s holds no peak RSS figure:\n%s", file, b)
	}
	return peak, nil
}

// shellJoin quotes a command for hyperfine, which splits it as a shell
// does (and for the report, to be pasted into one).
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@,+") == "" {
			q[i] = a
			continue
		}
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// targets prints issue 7's targets, read on the first size (5,000 notes),
// and whether this run meets them.
func targets(w io.Writer, r, big *sizeResult) {
	vl, fl, ru := r.timings["vaultlint"], r.timings["floor"], r.timings["rumdl"]
	mark := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**not met**"
	}
	fmt.Fprintf(w, "\n## Targets of issue 7 (on the %d-note vault)\n\n", r.notes)
	fmt.Fprintf(w, "| target | this run | |\n| --- | ---: | --- |\n")
	ratio := vl.median / fl.median
	fmt.Fprintf(w, "| vaultlint check ≤ 1.5× the floor | %.2f× (CPU time %.2f×) | %s |\n", ratio, vl.cpu/fl.cpu, mark(ratio <= 1.5))
	fmt.Fprintf(w, "| ≥ 3.5× faster than rumdl without cache | %.2f× (CPU time %.2f×) | %s |\n", ru.vaultlintRatio, ru.cpu/vl.cpu, mark(ru.vaultlintRatio >= 3.5))
	rss := float64(vl.rssKB) * 1e3 / float64(r.stats.MarkdownBytes)
	fmt.Fprintf(w, "| peak RSS ≤ 3× the Markdown bytes | %.2f× | %s |\n", rss, mark(rss <= 3))
	if big != nil {
		s := big.timings["vaultlint"].median
		if big.notes == 100000 {
			fmt.Fprintf(w, "| 100,000 notes in ≤ 10 s | %.2f s (the floor: %.2f s) | %s |\n", s, big.timings["floor"].median, mark(s <= 10))
		} else {
			fmt.Fprintf(w, "| 100,000 notes in ≤ 10 s | %d notes: %.2f s | not measured (-big 100000) |\n", big.notes, s)
		}
	}
}
