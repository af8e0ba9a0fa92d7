package fix

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	st, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file; not written", rel)
	}
	if st.Size() != snap.Size || !st.ModTime().Equal(snap.ModTime) {
		return fmt.Errorf("%s: %w", rel, ErrChanged)
	}
	cur, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if sha256.Sum256(cur) != snap.Hash {
		return fmt.Errorf("%s: %w", rel, ErrChanged)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, TempPrefix+"*"+TempSuffix)
	if err != nil {
		return fmt.Errorf("%s: cannot write: %w", rel, err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(tmpName)
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
	if st2, err := os.Lstat(path); err != nil || st2.Size() != snap.Size || !st2.ModTime().Equal(snap.ModTime) {
		return fmt.Errorf("%s: %w", rel, ErrChanged)
	}
	if cur2, err := os.ReadFile(path); err != nil || !bytes.Equal(cur2, cur) {
		return fmt.Errorf("%s: %w", rel, ErrChanged)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("%s: cannot replace: %w", rel, err)
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable; not all systems allow it
		_ = d.Close()
	}
	return nil
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
