package vault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/text/unicode/norm"
)

// syscallNonblock lets opening a FIFO named ".md" return at once instead
// of waiting for a writer; the Stat that follows then refuses it.
const syscallNonblock = syscall.O_NONBLOCK

// walker lists the vault's files with several folders read at once. It
// never follows a symlink: one that leaves the vault would let links reach
// outside it, and one that points back in would list files twice or loop
// (links.md 1).
type walker struct {
	root     string
	mu       sync.Mutex
	files    []*File
	problems []Problem
	wg       sync.WaitGroup
	sem      chan struct{}
	// collect picks hidden names to list in collected (see
	// Options.CollectHidden).
	collect   func(name string) bool
	collected []string
}

func (w *walker) walk(ctx context.Context) {
	w.sem = make(chan struct{}, runtime.GOMAXPROCS(0)*2)
	w.wg.Add(1)
	go w.dir(ctx, "", "")
	w.wg.Wait()
}

func (w *walker) problem(rel string, err error) {
	w.mu.Lock()
	w.problems = append(w.problems, Problem{rel, err})
	w.mu.Unlock()
}

// dir lists the folder at vault path rel, named disk on disk: the two
// differ when a name on disk is not NFC (macOS writes NFD).
func (w *walker) dir(ctx context.Context, rel, disk string) {
	defer w.wg.Done()
	if ctx.Err() != nil {
		return
	}
	w.sem <- struct{}{}
	entries, err := os.ReadDir(filepath.Join(w.root, filepath.FromSlash(disk)))
	<-w.sem
	if err != nil {
		w.problem(displayDir(rel), fmt.Errorf("cannot read folder: %w", unwrapPathError(err)))
	}
	var files []*File
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			if w.collect != nil && w.collect(name) {
				// Listed as named on disk: callers remove these files.
				p := name
				if disk != "" {
					p = disk + "/" + name
				}
				w.mu.Lock()
				w.collected = append(w.collected, p)
				w.mu.Unlock()
			}
			continue
		}
		dp := name
		if disk != "" {
			dp = disk + "/" + name
		}
		if !norm.NFC.IsNormalString(name) {
			name = norm.NFC.String(name)
		}
		p := name
		if rel != "" {
			p = rel + "/" + name
		}
		t := e.Type()
		switch {
		case t&os.ModeSymlink != 0:
			w.problem(p, w.symlinkReason(dp))
		case e.IsDir():
			w.wg.Add(1)
			go w.dir(ctx, p, dp)
		case t.IsRegular():
			info, err := e.Info()
			var size int64
			if err == nil {
				size = info.Size()
			}
			f := &File{Path: p, Size: size}
			if dp != p {
				f.disk = dp
			}
			files = append(files, f)
		default:
			if IsNotePath(p) {
				w.problem(p, fmt.Errorf("not a regular file (%s): skipped", fileType(t)))
			}
		}
	}
	if len(files) > 0 {
		w.mu.Lock()
		w.files = append(w.files, files...)
		w.mu.Unlock()
	}
}

func displayDir(rel string) string {
	if rel == "" {
		return "."
	}
	return rel
}

func (w *walker) symlinkReason(rel string) error {
	abs := filepath.Join(w.root, filepath.FromSlash(rel))
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return fmt.Errorf("symlink not followed: %w", unwrapPathError(err))
	}
	r, err := filepath.Rel(w.root, target)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return fmt.Errorf("symlink to %s, outside the vault: not followed", target)
	}
	return fmt.Errorf("symlink to %s, inside the vault: not followed (Obsidian lists it once, at its real place)", filepath.ToSlash(r))
}
