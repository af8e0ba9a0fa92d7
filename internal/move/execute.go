package move

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/vaultlint/vaultlint/fix"
)

// failAt is a test hook: called before each step of Execute ("write
// PATH", "rename"), an error it returns makes that step fail, so that
// tests can check the rollback at every point.
var failAt func(step string) error

func hook(step string) error {
	if failAt != nil {
		return failAt(step)
	}
	return nil
}

// Execute carries out the plan: it writes every edited note in place
// (atomically, refusing a note that changed on disk since it was read),
// then renames the file or folder, creating the folders the new path
// needs. A note that is both moved and edited is edited first, so that
// the write goes through the checks of fix.Write at the path the note was
// read from. If any step fails, what was done is undone (the rename
// reversed, the notes written back with their original bytes, the new
// folders removed) and the error says what failed, and what could not
// be undone if anything.
func (p *Plan) Execute() error {
	if len(p.Conflicts) > 0 {
		return fmt.Errorf("%d links cannot be kept pointing where they do; nothing moved", len(p.Conflicts))
	}
	if p.Root == "" {
		return errors.New("the plan has no vault folder to work in")
	}
	src := filepath.Join(p.Root, filepath.FromSlash(p.fromDisk))
	dst := filepath.Join(p.Root, filepath.FromSlash(p.To))
	if err := p.checkDisk(src, dst); err != nil {
		return err
	}
	var u undo
	fail := func(err error) error {
		if rerr := u.run(p.Root); rerr != nil {
			return fmt.Errorf("%w; undoing it failed too, the vault is half moved: %w", err, rerr)
		}
		return fmt.Errorf("%w; nothing was moved or rewritten", err)
	}
	created, err := mkdirs(p.Root, p.To)
	u.dirs = created
	if err != nil {
		return fail(err)
	}
	for _, c := range p.Changes {
		rel := c.file.DiskPath()
		if err := hook("write " + c.Path); err != nil {
			return fail(fmt.Errorf("%s: %w", c.Path, err))
		}
		snap := fix.Snapshot{Size: c.file.Size, ModTime: c.file.ModTime, Mode: c.file.Mode, Hash: sha256.Sum256(c.Before)}
		if err := fix.Write(p.Root, rel, snap, c.After); err != nil {
			return fail(err)
		}
		// What was just written, so that undoing it is refused in turn if
		// someone edits the note in the meantime.
		now, err := fix.Take(filepath.Join(p.Root, filepath.FromSlash(rel)), c.After)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", c.Path, err))
		}
		u.written = append(u.written, written{c, rel, now})
	}
	if err := hook("rename"); err != nil {
		return fail(fmt.Errorf("rename %s to %s: %w", p.From, p.To, err))
	}
	// The last look before the rename: a file created at the new path
	// since the first check would be replaced by os.Rename.
	if _, err := os.Lstat(dst); err == nil && !p.caseOnly {
		return fail(fmt.Errorf("%s already exists; not moved", p.To))
	}
	if err := os.Rename(src, dst); err != nil {
		return fail(fmt.Errorf("rename %s to %s: %w", p.From, p.To, unwrapPath(err)))
	}
	syncDir(filepath.Dir(src))
	syncDir(filepath.Dir(dst))
	return nil
}

// checkDisk makes sure, before anything is done, that what is moved is
// still there and the new path is free, inside the vault, and reached
// through real folders only (a symlink could lead outside the vault).
func (p *Plan) checkDisk(src, dst string) error {
	st, err := os.Lstat(src)
	if err != nil {
		return fmt.Errorf("%s: %w", p.From, unwrapPath(err))
	}
	if p.Folder != st.IsDir() || st.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s: changed on disk since the vault was read; not moved", p.From)
	}
	if dst2, err := os.Lstat(dst); err == nil {
		if !p.caseOnly || !os.SameFile(st, dst2) {
			return fmt.Errorf("%s already exists; not moved", p.To)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", p.To, unwrapPath(err))
	}
	cur := p.Root
	parts := strings.Split(p.To, "/")
	for i, part := range parts[:len(parts)-1] {
		cur = filepath.Join(cur, part)
		st, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", strings.Join(parts[:i+1], "/"), unwrapPath(err))
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symlink; not moved through it", strings.Join(parts[:i+1], "/"))
		}
		if !st.IsDir() {
			return fmt.Errorf("%s is not a folder; not moved", strings.Join(parts[:i+1], "/"))
		}
	}
	return nil
}

// mkdirs creates the missing folders of the new path's parent, and
// returns those it created, deepest last, for undoing.
func mkdirs(root, to string) ([]string, error) {
	var created []string
	cur := root
	parts := strings.Split(to, "/")
	for _, part := range parts[:len(parts)-1] {
		cur = filepath.Join(cur, part)
		if err := os.Mkdir(cur, 0o755); err != nil {
			if errors.Is(err, fs.ErrExist) {
				continue
			}
			return created, fmt.Errorf("create folder %s: %w", filepath.ToSlash(strings.TrimPrefix(cur, root+string(filepath.Separator))), unwrapPath(err))
		}
		created = append(created, cur)
	}
	return created, nil
}

type written struct {
	c    *Change
	rel  string
	snap fix.Snapshot
}

// undo records what Execute did, to reverse it.
type undo struct {
	dirs    []string
	written []written
}

// run reverses the writes and removes the folders created. The rename is
// the last step of Execute, so when undo runs it has not happened.
func (u *undo) run(root string) error {
	var errs []error
	for i := len(u.written) - 1; i >= 0; i-- {
		w := u.written[i]
		if err := fix.Write(root, w.rel, w.snap, w.c.Before); err != nil {
			errs = append(errs, fmt.Errorf("restore %s: %w", w.c.Path, err))
		}
	}
	for i := len(u.dirs) - 1; i >= 0; i-- {
		// Only an empty folder goes: anything put there meanwhile stays.
		_ = os.Remove(u.dirs[i])
	}
	return errors.Join(errs...)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable; not all systems allow it
		_ = d.Close()
	}
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
