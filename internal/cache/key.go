package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// obsidianFiles are the files of .obsidian/ that vault.Load reads: which
// files are excluded, how links are written, and property types all come
// from them.
var obsidianFiles = [...]string{"app.json", "types.json"}

// readObsidian returns the bytes of obsidianFiles, nil for a missing one
// (an unreadable one makes vault.Load fail, so its error does not matter
// here).
func readObsidian(root string) [len(obsidianFiles)][]byte {
	var out [len(obsidianFiles)][]byte
	for i, name := range obsidianFiles {
		b, err := os.ReadFile(filepath.Join(root, ".obsidian", name))
		if err == nil {
			out[i] = b
		} else if !errors.Is(err, fs.ErrNotExist) {
			out[i] = []byte("\x00unreadable")
		}
	}
	return out
}

// runKey is the hash of everything besides the notes' contents that
// findings depend on. When it differs from the stored one, nothing stored
// is used. Each part is written with its length, so that no two
// different runs can write the same bytes.
func runKey(o *Options, root string, maxSize int64, rs []*rules.Rule, obsidian [len(obsidianFiles)][]byte, files []*vault.File) hash {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	num := func(v uint64) { h.Write(n[:binary.PutUvarint(n[:], v)]) }
	str := func(s string) {
		num(uint64(len(s)))
		h.Write([]byte(s))
	}
	opt := func(b []byte) {
		if b == nil {
			num(0)
			return
		}
		num(1)
		str(string(b))
	}
	num(formatVersion)
	str(o.Version)
	str(root)
	opt(o.Config)
	num(uint64(len(rs)))
	for _, r := range rs {
		str(r.ID)
	}
	num(uint64(maxSize))
	for _, b := range obsidian {
		opt(b)
	}
	// The file set decides every link's resolution, the vault-level
	// rules' findings and what links are rewritten to.
	num(uint64(len(files)))
	for _, f := range files {
		str(f.Path)
	}
	// What the canvases show (read when unused-attachment may run)
	// decides which attachments are used.
	for _, f := range files {
		if f.Canvas != nil {
			str(f.Path)
			num(uint64(len(f.Canvas.Files)))
			for _, p := range f.Canvas.Files {
				str(p)
			}
		}
	}
	var out hash
	h.Sum(out[:0])
	return out
}
