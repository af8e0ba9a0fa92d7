package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressWanted(t *testing.T) {
	for _, tc := range []struct {
		terminal bool
		ci, term string
		quiet    bool
		want     bool
	}{
		{terminal: true, term: "xterm-256color", want: true},
		{terminal: true, want: true}, // TERM unset: still a terminal
		{terminal: false, term: "xterm-256color"},
		{terminal: true, ci: "true", term: "xterm-256color"},
		{terminal: true, ci: "1"},
		{terminal: true, term: "dumb"},
		{terminal: true, term: "xterm", quiet: true},
		{terminal: false, ci: "true", term: "dumb", quiet: true},
	} {
		if got := progressWanted(tc.terminal, tc.ci, tc.term, tc.quiet); got != tc.want {
			t.Errorf("progressWanted(terminal=%v, CI=%q, TERM=%q, quiet=%v) = %v, want %v",
				tc.terminal, tc.ci, tc.term, tc.quiet, got, tc.want)
		}
	}
}

// syncBuffer is a bytes.Buffer the test can read while the painter
// writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls until the output holds want: the painter runs on its own
// clock.
func waitFor(t *testing.T, b *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the output after 10s; got %q", want, b.String())
		}
		time.Sleep(time.Millisecond)
	}
}

func TestProgressQuickRunPrintsNothing(t *testing.T) {
	var out syncBuffer
	p := startProgress(&out, time.Hour, time.Millisecond)
	for range 100 {
		p.parse.note(100)
		p.check.note(100)
	}
	p.Stop()
	p.Stop()
	if out.String() != "" {
		t.Errorf("a run shorter than the delay printed %q", out.String())
	}
	select {
	case <-p.exited:
	default:
		t.Error("the painter is still running after Stop")
	}
}

func TestProgressLine(t *testing.T) {
	var out syncBuffer
	p := startProgress(&out, time.Millisecond, time.Millisecond)
	p.parse.note(3)
	p.parse.note(3)
	waitFor(t, &out, clearLine+"vaultlint: parsing notes 2/3")
	p.parse.note(3)
	for range 5 {
		p.check.note(5)
	}
	waitFor(t, &out, clearLine+"vaultlint: checking notes 5/5")
	p.Stop()
	got := out.String()
	if !strings.HasSuffix(got, "checking notes 5/5"+clearLine) {
		t.Errorf("Stop did not erase the line; output ends %q", got[max(0, len(got)-40):])
	}
	if strings.Contains(got, "\n") {
		t.Errorf("the progress line wrote a line break: %q", got)
	}
	p.Stop()
	if out.String() != got {
		t.Errorf("a second Stop wrote %q", out.String()[len(got):])
	}
}

// Messages printed while the line is up (a cache warning, a fix that
// could not be written) must start on a clean line.
func TestProgressPause(t *testing.T) {
	var out syncBuffer
	p := startProgress(&out, time.Millisecond, time.Millisecond)
	p.parse.note(10)
	waitFor(t, &out, "parsing notes 1/10")
	pe := p.env(&env{stdout: &out, stderr: &out})
	if _, err := pe.stderr.Write([]byte("vaultlint: warning: something\n")); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "parsing notes 1/10"+clearLine+"vaultlint: warning: something\n") {
		t.Errorf("the message was not written on an erased line: %q", out.String())
	}
	p.parse.note(10)
	waitFor(t, &out, "something\n"+clearLine+"vaultlint: parsing notes 2/10")
	p.Stop()
	var nilProgress *progress
	e := &env{}
	if nilProgress.env(e) != e {
		t.Error("a nil progress changed the env")
	}
	nilProgress.Stop()
}

func TestProgressConcurrent(t *testing.T) {
	p := startProgress(&syncBuffer{}, time.Millisecond, time.Millisecond)
	const workers, each = 8, 1000
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				p.parse.note(workers * each)
			}
		})
	}
	wg.Wait()
	p.Stop()
	if done, total := p.parse.count(); done != workers*each || total != workers*each {
		t.Errorf("parse count = %d/%d, want %d/%d", done, total, workers*each, workers*each)
	}
	if got := p.parse.done.Load(); got != workers*each {
		t.Errorf("%d notes counted, want %d", got, workers*each)
	}
}

// Batches one after the other each count from zero: a Load with PATHs
// parses the named notes and then their link targets, and fix checks the
// vault once per round.
func TestProgressBatches(t *testing.T) {
	var p progress
	want := func(wantLine string) {
		t.Helper()
		if got := p.line(); got != wantLine {
			t.Errorf("line = %q, want %q", got, wantLine)
		}
	}
	want("")
	for range 3 {
		p.parse.note(3)
	}
	want("vaultlint: parsing notes 3/3")
	p.parse.note(2)
	want("vaultlint: parsing notes 1/2")
	p.parse.note(2)
	want("vaultlint: parsing notes 2/2")
	for round := range 3 {
		for range 4 {
			p.check.note(4)
		}
		want("vaultlint: checking notes 4/4")
		if round < 2 {
			p.check.note(4)
			want("vaultlint: checking notes 1/4")
			for range 3 {
				p.check.note(4)
			}
		}
	}
	p.parse.note(1) // a cached run parses more after checking began
	want("vaultlint: parsing notes 1/1")
}

// With stderr not a terminal (a file here, a pipe or buffer in the other
// tests) no progress is started and no progress bytes are written, even
// for a run long enough to show one.
func TestProgressNotOnAFile(t *testing.T) {
	t.Setenv("CI", "")
	t.Setenv("TERM", "xterm")
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if p := startProgressFor(&env{stderr: f}, false); p != nil {
		p.Stop()
		t.Fatal("progress started on a regular file")
	}
	var out bytes.Buffer
	example := filepath.Join("..", "..", "testdata", "vault")
	run([]string{"check", "--no-cache", example}, nil, &out, f)
	var buf bytes.Buffer
	run([]string{"fix", "--diff", example}, nil, &out, &buf)
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	for _, stderr := range []string{string(b), buf.String()} {
		if strings.ContainsAny(stderr, "\r\033") || strings.Contains(stderr, "parsing notes") || strings.Contains(stderr, "checking notes") {
			t.Errorf("progress bytes on a stderr that is not a terminal: %q", stderr)
		}
	}
	if len(b) == 0 {
		t.Error("check wrote no summary to stderr; the test is not looking at the right output")
	}
}
