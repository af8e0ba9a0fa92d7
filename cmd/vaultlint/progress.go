package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// A large vault takes seconds to parse and check; without a sign of life
// that looks like a hang. The progress line is for a person watching a
// terminal only: in CI logs and pipes every repaint would be kept as
// noise, so it is never written there.

const (
	// progressDelay keeps quick runs, the usual case, free of any flicker.
	progressDelay = time.Second
	// progressInterval bounds the repaints: more than ten a second is
	// unreadable and costs terminal time for nothing.
	progressInterval = 100 * time.Millisecond
	// clearLine returns to the start of the line and erases it, so a
	// shorter line leaves no tail of the longer one before it.
	clearLine = "\r\033[K"
)

// progressWanted decides whether the progress line is shown, from the
// facts that matter: stderr must be a terminal, CI must be unset (CI
// runners often give a pseudo-terminal whose output is still a log), a
// dumb terminal cannot erase a line, and --quiet asks for diagnostics
// only.
func progressWanted(stderrIsTerminal bool, ci, termName string, quiet bool) bool {
	return stderrIsTerminal && ci == "" && termName != "dumb" && !quiet
}

// startProgressFor starts the progress line on e's stderr if it is
// wanted, and else returns nil, which every method of *progress accepts.
func startProgressFor(e *env, quiet bool) *progress {
	f, ok := e.stderr.(*os.File)
	if !progressWanted(ok && term.IsTerminal(int(f.Fd())), os.Getenv("CI"), os.Getenv("TERM"), quiet) {
		return nil
	}
	return startProgress(e.stderr, progressDelay, progressInterval)
}

// progressStage counts the notes of one stage (parsing or checking). The
// vault and rules hooks call note once per note from many goroutines, so
// it takes no lock and allocates nothing. A stage may run in several
// batches one after the other (a Load with PATHs parses the named notes,
// then the notes they link to; fix checks the vault once per round), each
// with its own total, so the count starts again with each batch.
type progressStage struct {
	done  atomic.Int64 // notes counted over every batch so far
	base  atomic.Int64 // done when the current batch began
	total atomic.Int64 // the current batch's size
}

func (s *progressStage) note(total int) {
	t := int64(total)
	if s.total.Load() != t {
		s.total.Store(t)
	}
	// Only the last note of a batch sees n-base == t; batches do not
	// overlap (each ends with a Wait), so the next batch sees its base.
	if n := s.done.Add(1); n-s.base.Load() == t {
		s.base.Store(n)
	}
}

// count is how far the current batch is. Between batches it shows the
// finished one as complete rather than as 0 of its total.
func (s *progressStage) count() (done, total int64) {
	base := s.base.Load()
	n := s.done.Load()
	total = s.total.Load()
	done = n - base
	if (done <= 0 && n > 0) || done > total {
		done = total
	}
	return done, total
}

// progress paints a single line on a terminal, "vaultlint: parsing notes
// 1234/5000", repainted in place until Stop erases it.
type progress struct {
	parse, check progressStage

	w        io.Writer
	delay    time.Duration
	interval time.Duration
	stop     chan struct{}
	exited   chan struct{}
	stopOnce sync.Once

	// mu orders the painter's writes with the messages written through
	// pauseWriter, which share the terminal.
	mu    sync.Mutex
	shown bool   // a line is on the screen
	last  string // the last line painted, not painted again after a pause

	// seen is the painter's own record of each stage's count, to tell
	// which stage is running now.
	seenParse, seenCheck int64
	checking             bool
}

// startProgress paints on w after delay, at most once per interval.
func startProgress(w io.Writer, delay, interval time.Duration) *progress {
	p := &progress{w: w, delay: delay, interval: interval, stop: make(chan struct{}), exited: make(chan struct{})}
	go p.run()
	return p
}

func (p *progress) run() {
	defer close(p.exited)
	wait := time.NewTimer(p.delay)
	defer wait.Stop()
	select {
	case <-wait.C:
	case <-p.stop:
		return
	}
	tick := time.NewTicker(p.interval)
	defer tick.Stop()
	for {
		p.paint()
		select {
		case <-tick.C:
		case <-p.stop:
			return
		}
	}
}

// line is what the progress line says now; "" before any note is done.
func (p *progress) line() string {
	parsed, checked := p.parse.done.Load(), p.check.done.Load()
	// Whichever stage moved last is the one running. Cached runs parse
	// a few notes again after checking starts; checking wins a tie.
	switch {
	case checked != p.seenCheck:
		p.checking = true
	case parsed != p.seenParse:
		p.checking = false
	}
	p.seenParse, p.seenCheck = parsed, checked
	if p.checking {
		done, total := p.check.count()
		return fmt.Sprintf("vaultlint: checking notes %d/%d", done, total)
	}
	if parsed == 0 {
		return ""
	}
	done, total := p.parse.count()
	return fmt.Sprintf("vaultlint: parsing notes %d/%d", done, total)
}

func (p *progress) paint() {
	s := p.line()
	p.mu.Lock()
	defer p.mu.Unlock()
	if s == "" || s == p.last {
		return
	}
	// A failed write to a terminal leaves nothing to do: the run goes on
	// and its report says what it has to.
	_, _ = io.WriteString(p.w, clearLine+s)
	p.shown, p.last = true, s
}

// eraseLocked removes the line from the screen; p.mu is held.
func (p *progress) eraseLocked() {
	if p.shown {
		_, _ = io.WriteString(p.w, clearLine)
		p.shown = false
	}
}

// Stop ends the painting and erases the line if one was painted, so that
// nothing written afterwards lands beside it. It waits for the painter to
// exit and may be called any number of times.
func (p *progress) Stop() {
	if p == nil {
		return
	}
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.exited
	p.mu.Lock()
	p.eraseLocked()
	p.mu.Unlock()
}

// env returns an env whose stdout and stderr erase the progress line
// before each write, for the warnings and diffs printed while notes are
// still loaded and checked. The painter paints again when the count
// moves. A nil p returns e itself.
func (p *progress) env(e *env) *env {
	if p == nil {
		return e
	}
	return &env{stdin: e.stdin, stdout: pauseWriter{p, e.stdout}, stderr: pauseWriter{p, e.stderr}}
}

type pauseWriter struct {
	p *progress
	w io.Writer
}

func (pw pauseWriter) Write(b []byte) (int, error) {
	pw.p.mu.Lock()
	defer pw.p.mu.Unlock()
	pw.p.eraseLocked()
	return pw.w.Write(b)
}
