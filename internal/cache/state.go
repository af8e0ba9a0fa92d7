package cache

import (
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/vaultlint/vaultlint/vault"
)

// noteState is a note as it is on disk now: what decides whether its
// cached findings still hold.
type noteState struct {
	size, mtime int64
	// hash is the sha256 of the note's bytes; zero when the note cannot
	// be read or is over the size limit, so that an unreadable note that
	// stays unreadable (and is skipped, with no findings of its own and no
	// headings for others) counts as unchanged.
	hash hash
	done bool
}

// readStates reads and hashes the notes at the given indexes of files
// that are not read yet, in parallel. Every note must be hashed for the
// cache to be exact (an edit can keep a note's size and modification
// time), so this is most of what a warm run costs.
//
// Notes are opened through an os.Root, as vault.Load reads them, so that
// a folder swapped for a symlink out of the vault during the run is not
// followed; one per folder, since opening a nested path through a Root
// costs a system call per folder on the way.
func readStates(root string, files []*vault.File, states []noteState, idx []int32, maxSize int64) {
	var todo []int32
	for _, i := range idx {
		if !states[i].done {
			todo = append(todo, i)
		}
	}
	slices.Sort(todo)
	todo = slices.Compact(todo) // each note is read by one goroutine
	if len(todo) == 0 {
		return
	}
	// Group the notes by folder: files are sorted by path, but a folder's
	// notes are not contiguous when it has subfolders.
	dirOf := func(i int32) string { return path.Dir(files[i].DiskPath()) }
	slices.SortStableFunc(todo, func(a, b int32) int {
		da, db := dirOf(a), dirOf(b)
		switch {
		case da < db:
			return -1
		case da > db:
			return 1
		}
		return 0
	})
	var groups [][]int32
	for start := 0; start < len(todo); {
		end := start + 1
		for end < len(todo) && dirOf(todo[end]) == dirOf(todo[start]) {
			end++
		}
		groups = append(groups, todo[start:end])
		start = end
	}
	vaultRoot, err := os.OpenRoot(root)
	if err != nil {
		for _, i := range todo {
			states[i] = noteState{done: true}
		}
		return
	}
	defer vaultRoot.Close()
	workers := min(runtime.GOMAXPROCS(0)*2, len(groups))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var buf []byte // reused: most notes are small, and there are many
			for {
				k := next.Add(1) - 1
				if k >= int64(len(groups)) {
					return
				}
				g := groups[k]
				dir := vaultRoot
				if d := dirOf(g[0]); d != "." {
					var err error
					if dir, err = vaultRoot.OpenRoot(filepath.FromSlash(d)); err != nil {
						for _, i := range g {
							states[i] = noteState{done: true}
						}
						continue
					}
				}
				for _, i := range g {
					states[i] = readState(dir, path.Base(files[i].DiskPath()), maxSize, &buf)
				}
				if dir != vaultRoot {
					dir.Close()
				}
			}
		})
	}
	wg.Wait()
}

// readState opens a note as vault.Load does (not blocking on a FIFO),
// and hashes it unless it is not a regular file or over maxSize.
func readState(dir *os.Root, name string, maxSize int64, buf *[]byte) noteState {
	f, err := dir.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return noteState{done: true}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return noteState{done: true}
	}
	s := noteState{size: st.Size(), mtime: st.ModTime().UnixNano(), done: true}
	if st.Size() > maxSize {
		return s
	}
	b, err := readAll(f, (*buf)[:0], st.Size())
	*buf = b
	if err != nil {
		return s
	}
	s.hash = sha256.Sum256(b)
	return s
}

// readAll reads the size bytes f held when stat'ed into b. A file that
// grew since is read as it was then (as if it changed just after the
// read: the next run sees the change); one that shrank, as far as it goes.
// Not reading on to the end saves a system call per note.
func readAll(f *os.File, b []byte, size int64) ([]byte, error) {
	if int64(cap(b)) < size {
		b = make([]byte, 0, size+size/8)
	}
	b = b[:size]
	n, err := io.ReadFull(f, b)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = nil
	}
	return b[:n], err
}

// hashNotes sets the content hash of every parsed note whose hash is not
// known yet, in parallel: what was parsed is what was checked, so that is
// what the cache records, even if the file changed since readStates.
func hashNotes(files []*vault.File, known []bool, sums []hash) {
	var todo []int
	for i, f := range files {
		if f.Note != nil && !known[i] {
			todo = append(todo, i)
			known[i] = true
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(todo))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				k := next.Add(1) - 1
				if k >= int64(len(todo)) {
					return
				}
				i := todo[k]
				sums[i] = sha256.Sum256(files[i].Note.Src)
			}
		})
	}
	wg.Wait()
}
