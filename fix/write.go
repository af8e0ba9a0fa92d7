package fix

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Snapshot is what a file was when it was read: a write is refused if
// the file no longer matches it.
type Snapshot struct {
	Size    int64
	ModTime time.Time
	Mode    fs.FileMode
	Hash    [sha256.Size]byte
}

// Take records the state of a file whose content was just read as src.
func Take(path string, src []byte) (Snapshot, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return Snapshot{}, err
	}
	return Snapshot{Size: st.Size(), ModTime: st.ModTime(), Mode: st.Mode(), Hash: sha256.Sum256(src)}, nil
}

// ErrChanged means the file changed on disk since it was read.
var ErrChanged = errors.New("changed on disk since it was read; not written")

// TempPrefix starts the name of every temporary file a write makes. The
// leading dot keeps it out of the vault (Obsidian and vaultlint skip dot
// files), so a file left by a killed run is never taken for a note.
const TempPrefix = ".vaultlint-"

// TempSuffix ends the name of every temporary file a write makes.
const TempSuffix = ".tmp"

// IsTemp reports whether a file name is one of our temporary files.
func IsTemp(name string) bool {
	return strings.HasPrefix(name, TempPrefix) && strings.HasSuffix(name, TempSuffix)
}

// beforeRename is a test hook run between the last check and the rename,
// to make a concurrent edit happen at the worst moment.
var beforeRename func(path string)

// Write replaces the file at rel (a '/'-separated path inside root) with
// data, atomically: a temporary file in the same folder is written,
// synced and renamed over the original, so a reader or a crash sees
// either the old file or the new one, never a mix. It keeps the file's
// mode. It refuses to write when the file changed since snap was taken,
// when rel leaves root, or when the file or any folder on the way is a
// symlink (which could lead outside the vault).
func Write(root, rel string, snap Snapshot, data []byte) error {
	path, err := confine(root, rel)
	if err != nil {
		return err
	}
	// Every step below goes through a handle on the note's folder, opened
	// through the vault's: a folder swapped for a symlink after confine
	// looked (out of the vault, say) cannot redirect the write, the
	// temporary file or the rename.
	dir, err := openFolder(root, rel)
	if err != nil {
		return err
	}
	defer dir.Close()
	base := filepath.Base(path)
	st, err := dir.Lstat(base)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file; not written", rel)
	}
	if st.Size() != snap.Size || !st.ModTime().Equal(snap.ModTime) {
		return fmt.Errorf("%s: %w", rel, ErrChanged)
	}
	cur, err := dir.ReadFile(base)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if sha256.Sum256(cur) != snap.Hash {
		return fmt.Errorf("%s: %w", rel, ErrChanged)
	}
	tmp, tmpName, err := createTemp(dir)
	if err != nil {
		return fmt.Errorf("%s: cannot write: %w", rel, err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = dir.Remove(tmpName)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("%s: cannot write: %w", rel, err)
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		return fmt.Errorf("%s: cannot keep the file mode: %w", rel, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("%s: cannot write: %w", rel, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: cannot write: %w", rel, err)
	}
	if beforeRename != nil {
		beforeRename(path)
	}
	// The last look: a change between the checks above and here is still
	// caught, except in the instant of the rename itself.
	if st2, err := dir.Lstat(base); err != nil || st2.Size() != snap.Size || !st2.ModTime().Equal(snap.ModTime) {
		return fmt.Errorf("%s: %w", rel, ErrChanged)
	}
	if cur2, err := dir.ReadFile(base); err != nil || !bytes.Equal(cur2, cur) {
		return fmt.Errorf("%s: %w", rel, ErrChanged)
	}
	if err := dir.Rename(tmpName, base); err != nil {
		return fmt.Errorf("%s: cannot replace: %w", rel, err)
	}
	ok = true
	if d, err := dir.Open("."); err == nil {
		_ = d.Sync() // make the rename durable; not all systems allow it
		_ = d.Close()
	}
	return nil
}

// openFolder opens the folder of the vault file rel as an os.Root,
// through the vault's own, which refuses any path that leaves the vault.
func openFolder(root, rel string) (*os.Root, error) {
	vr, err := os.OpenRoot(root)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot open the vault: %w", rel, err)
	}
	d := filepath.Dir(filepath.Clean(filepath.FromSlash(rel)))
	if d == "." {
		return vr, nil
	}
	defer vr.Close()
	dr, err := vr.OpenRoot(d)
	if err != nil {
		return nil, fmt.Errorf("%s: not written: %w", rel, err)
	}
	return dr, nil
}

// createTemp creates a new temporary file in dir, named TempPrefix, a
// random number and TempSuffix, as os.CreateTemp does in a plain folder.
func createTemp(dir *os.Root) (*os.File, string, error) {
	for range 100 {
		name := TempPrefix + strconv.FormatUint(rand.Uint64(), 36) + TempSuffix
		f, err := dir.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", errors.New("cannot find a free temporary file name")
}

// confine joins root and rel and makes sure the result stays inside root
// without passing through a symlink.
func confine(root, rel string) (string, error) {
	if rel == "" || filepath.IsAbs(rel) || strings.HasPrefix(rel, "/") {
		return "", fmt.Errorf("%s: not a path inside the vault", rel)
	}
	clean := filepath.Clean(filepath.FromSlash(rel))
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: outside the vault; not written", rel)
	}
	cur := root
	for _, part := range strings.Split(clean, string(filepath.Separator)) {
		cur = filepath.Join(cur, part)
		st, err := os.Lstat(cur)
		if err != nil {
			return "", fmt.Errorf("%s: %w", rel, err)
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return "", fmt.Errorf("%s: %s is a symlink; not written through", rel, filepath.ToSlash(strings.TrimPrefix(cur, root+string(filepath.Separator))))
		}
	}
	return cur, nil
}

// CleanTemp removes temporary files left in root's folders by a run that
// was killed mid-write; names are vault-relative paths of such files.
func CleanTemp(root string, names []string) []error {
	var errs []error
	for _, n := range names {
		if !IsTemp(filepath.Base(n)) {
			continue
		}
		p, err := confine(root, n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("%s: %w", n, err))
		}
	}
	return errs
}
