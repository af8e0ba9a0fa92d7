package main

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/internal/vaultgen"
)

// TestCrashSafety kills `vaultlint fix` with SIGKILL at random moments
// and checks the promise of fix.Write: after any kill, every file of the
// vault is byte for byte either what it was before or what a finished
// fix makes it, never a mix, never empty, never gone; stray files can
// only be fix's temporary files; and the next run removes those.
//
// A generated vault of 3,000 notes, 40 planted defects of each kind, is
// fixed once to completion on a copy, which gives the expected result
// and how long a run takes. Then the vault is fixed and killed ten times
// in a row, each run taking up the work the last one left (and the notes
// put back as they were when a run finished the job). Three kills come at
// a random moment of the run (loading, fixing in memory or writing); the
// others at a random moment of the writing, which is when a kill can do
// harm: the test watches the folders to know writing has begun. A last
// run finishes the job; its result must equal the expected one, with no
// temporary file left.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and fixes a 3,000-note vault a dozen times")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "vaultlint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cur := filepath.Join(dir, "cur")
	if _, err := vaultgen.Generate(cur, vaultgen.Options{Notes: 3000, Seed: 8, Defects: true, DefectsPerRule: 40}); err != nil {
		t.Fatal(err)
	}
	before, dots := readVault(t, cur), dotFiles(cur)
	env := append(os.Environ(), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"), "NO_COLOR=1")
	fixCmd := func(vault string) *exec.Cmd {
		c := exec.Command(bin, "fix", "--quiet", vault)
		c.Env = env
		return c
	}

	// The expected result, and how long a run and its writing take.
	ref := filepath.Join(dir, "ref")
	if err := os.CopyFS(ref, os.DirFS(cur)); err != nil {
		t.Fatal(err)
	}
	r := startRun(t, fixCmd(ref), ref)
	werr := r.wait()
	total := time.Since(r.start)
	firstWrite, ok := <-r.writing
	if !ok {
		t.Fatalf("the test did not see the reference fix write")
	}
	if werr != nil && !isExit(werr, 1) {
		t.Fatalf("reference fix: %v", werr)
	}
	want := readVault(t, ref)
	changed := 0
	for p, b := range before {
		if !bytes.Equal(b, want[p]) {
			changed++
		}
	}
	if changed < 200 {
		t.Fatalf("the reference fix changed %d files: too few for the kills to land among writes", changed)
	}
	t.Logf("reference fix: %v, writing from %v on; %d of %d files changed", total.Round(time.Millisecond), firstWrite.Round(time.Millisecond), changed, len(before))

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 8))
	t.Logf("kill delays drawn with seed %d", seed)
	midWrite := 0
	for i := range 10 {
		r := startRun(t, fixCmd(cur), cur)
		if i < 3 {
			// Any moment of the run.
			r.sleepOrExit(time.Duration(rng.Float64() * float64(total)))
		} else if _, ok := <-r.writing; ok {
			// A moment of the writing.
			r.sleepOrExit(time.Duration(rng.Float64() * float64(total-firstWrite)))
		}
		at := time.Since(r.start)
		_ = r.cmd.Process.Kill() // SIGKILL; an error means the run had ended
		err := r.wait()
		killed := err != nil && strings.Contains(err.Error(), "killed")
		got := readVault(t, cur)
		fixed, temps := 0, 0
		for p, b := range got {
			switch o, ok := before[p]; {
			case !ok && fix.IsTemp(filepath.Base(p)):
				temps++
			case !ok:
				t.Errorf("kill %d: %s is new and not a temporary file of fix", i, p)
			case bytes.Equal(b, o):
			case bytes.Equal(b, want[p]):
				fixed++
			default:
				t.Errorf("kill %d: %s is neither as it was nor as fixed (%d bytes, was %d, fixed %d)", i, p, len(b), len(o), len(want[p]))
			}
		}
		for p := range before {
			if _, ok := got[p]; !ok {
				t.Errorf("kill %d: %s is gone", i, p)
			}
		}
		if temps > 0 {
			midWrite++
		}
		t.Logf("kill %d after %v (killed: %v): %d of %d files fixed, %d temporary files left", i, at.Round(time.Millisecond), killed, fixed, changed, temps)
		if fixed == changed && i < 9 {
			// Nothing left to write: start again from the original
			// notes (the last run below is the one that must clean up
			// the temporary files, so they are removed here).
			for p, b := range got {
				var err error
				if o, ok := before[p]; !ok {
					err = os.Remove(filepath.Join(cur, filepath.FromSlash(p)))
				} else if !bytes.Equal(b, o) {
					err = os.WriteFile(filepath.Join(cur, filepath.FromSlash(p)), o, 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if midWrite == 0 {
		t.Logf("no kill left a temporary file: none landed in the middle of a write this time")
	}

	// The next run cleans up and finishes. So that it has something to
	// clean up whatever the last kill did, a half-written temporary file
	// is planted, as a kill between its creation and its rename leaves.
	planted := filepath.Join(cur, filepath.Dir(filepath.FromSlash(firstPath(before))), fix.TempPrefix+"planted"+fix.TempSuffix)
	if err := os.WriteFile(planted, []byte("half a no"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := fixCmd(cur).Run(); err != nil && !isExit(err, 1) {
		t.Fatalf("last fix: %v", err)
	}
	got := readVault(t, cur)
	for p, b := range want {
		if !bytes.Equal(got[p], b) {
			t.Errorf("after the last run, %s differs from the reference fix", p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("after the last run, %s is left over", p)
		}
	}
	// Dot files are not part of the vault (fix's temporary files are
	// named so for that): none may be left that the vault did not have.
	for p := range dotFiles(cur) {
		if !dots[p] {
			t.Errorf("dot file left: %s", p)
		}
	}
}

// firstPath returns the first path of a note in files, in sorted order.
func firstPath(files map[string][]byte) string {
	first := ""
	for p := range files {
		if strings.HasSuffix(p, ".md") && (first == "" || p < first) {
			first = p
		}
	}
	return first
}

// dotFiles lists the files and folders under dir whose name starts with
// a dot, by path relative to dir.
func dotFiles(dir string) map[string]bool {
	out := map[string]bool{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && p != dir && strings.HasPrefix(d.Name(), ".") {
			rel, _ := filepath.Rel(dir, p)
			out[rel] = true
		}
		return nil
	})
	return out
}

// fixRun is a run of fix being watched.
type fixRun struct {
	cmd     *exec.Cmd
	start   time.Time
	exited  chan struct{} // closed when the process has exited
	err     error         // its exit, once exited is closed
	writing chan time.Duration
}

// startRun starts c and watches dir: writing receives how long after
// the start fix first created a file (writing had begun), and is closed
// then, or without a value when the run ends first.
func startRun(t *testing.T, c *exec.Cmd, dir string) *fixRun {
	t.Helper()
	r := &fixRun{cmd: c, exited: make(chan struct{}), writing: make(chan time.Duration, 1)}
	// Writing a note creates a temporary file in its folder, which
	// changes the folder's modification time: watching the folders is
	// cheap enough not to slow the run down, as listing every file would.
	dirs := folderTimes(dir)
	r.start = time.Now()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r.err = c.Wait()
		close(r.exited)
	}()
	go func() {
		defer close(r.writing)
		for {
			select {
			case <-r.exited:
				return
			case <-time.After(2 * time.Millisecond):
			}
			for d, mt := range dirs {
				if st, err := os.Stat(d); err == nil && !st.ModTime().Equal(mt) {
					r.writing <- time.Since(r.start)
					return
				}
			}
		}
	}()
	return r
}

// sleepOrExit waits d, or until the run exits.
func (r *fixRun) sleepOrExit(d time.Duration) {
	select {
	case <-time.After(d):
	case <-r.exited:
	}
}

func (r *fixRun) wait() error {
	<-r.exited
	return r.err
}

// folderTimes maps every folder under dir to its modification time.
func folderTimes(dir string) map[string]time.Time {
	out := map[string]time.Time{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if st, err := os.Stat(p); err == nil {
				out[p] = st.ModTime()
			}
		}
		return nil
	})
	return out
}

// readVault reads every regular file under dir, by '/'-separated path.
func readVault(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// isExit reports whether err is an exit with the given status (fix exits
// 1 when problems remain, which generated defects ensure).
func isExit(err error, status int) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee) && ee.ExitCode() == status
}
