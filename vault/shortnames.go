package vault

import (
	"hash/maphash"
	"math/bits"
	"strings"
)

// shortNames is the index of the files of every name key of up to
// shortKeyLen bytes: what resolving a bare link path ("Note": no folder,
// no ".md") reads, which is most links.
//
// It is a table of its own rather than a Go map for two reasons. A slot
// holds the key's bytes and the answer, so that a lookup reads one cache
// line (a map[string] compares the key's bytes, held elsewhere, then the
// file and its path were read, each a cache miss in a vault of 100,000
// notes). And a note's links can be looked up in two passes, the first
// only reading each link's slot (Vault.WarmLinks): those reads do not
// wait on each other, where the lookups of a map, one after the other,
// waited on each miss in turn.
type shortNames struct {
	slots []shortSlot // a power of two long, at most half full
	seed  maphash.Seed
}

// shortSlot is one name key and its file; n == 0 marks an empty slot
// (no key is empty).
type shortSlot struct {
	n     uint8
	key   [shortKeyLen]byte
	note  bool  // file is a note
	file  *File // nil for a key of several files
	first int32 // the file's index in index.files
	dir   int32 // file.dir
}

// shortKeyLen is the longest name key shortNames holds: nearly every
// file name is shorter, and a slot is then 64 bytes, one cache line
// (the slots are one allocation, aligned to a page). Both keys of a
// name written with ".md" (its stem, and the name itself for a note
// named "x.md.md") must fit for shortPath to answer.
const shortKeyLen = 46

func newShortNames(keys int) *shortNames {
	size := 1 << bits.Len(uint(max(2*keys, 8)-1))
	return &shortNames{slots: make([]shortSlot, size), seed: maphash.MakeSeed()}
}

// slot returns where key is, or the empty slot where it would go.
func (t *shortNames) slot(key string) *shortSlot {
	mask := uint64(len(t.slots) - 1)
	for i := maphash.String(t.seed, key) & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.n == 0 || int(s.n) == len(key) && string(s.key[:s.n]) == key {
			return s
		}
	}
}

// add records file f, the first'th of the index, in folder dir, under
// key, which fits.
func (t *shortNames) add(key string, f *File, first, dir int32) {
	s := t.slot(key)
	if s.n != 0 {
		s.file, s.first = nil, -1 // a second file of this name
		return
	}
	s.n = uint8(len(key))
	copy(s.key[:], key)
	s.file, s.first, s.dir, s.note = f, first, dir, IsNotePath(f.lower)
}

// get returns the slot of key, and false when no file has that key.
func (t *shortNames) get(key string) (*shortSlot, bool) {
	s := t.slot(key)
	return s, s.n != 0
}

// WarmLinks brings into the CPU's caches what resolving the paths of
// links, written in note from, will first read of the vault's index. It
// changes nothing. In a large vault each lookup is a cache miss; made
// here for a note's links together, the misses overlap, and resolving
// the links after it finds what it reads in the caches.
func (v *Vault) WarmLinks(from *Note, links []Link) {
	t := v.index.short
	if t == nil {
		return
	}
	// The slots are found first, then read in a loop of nothing else: a
	// read per few instructions, so that many are under way at once.
	var at [32]uint64
	var sum uint8
	var buf [shortKeyLen]byte
	mask := uint64(len(t.slots) - 1)
	for len(links) > 0 {
		n := 0
		for len(links) > 0 && n < len(at) {
			l := &links[0]
			links = links[1:]
			if key, ok := shortKeyOf(buf[:0], l); ok {
				at[n] = maphash.String(t.seed, key) & mask
				n++
			}
		}
		for _, i := range at[:n] {
			sum += t.slots[i].n
		}
	}
	keep(sum)
}

// shortKeyOf returns the key shortNames would look link l's path up by,
// in buf, when it is an ASCII path of up to shortKeyLen bytes; not all
// such are bare names, which is no matter for warming.
func shortKeyOf(buf []byte, l *Link) (string, bool) {
	if l.External || len(l.Path) > shortKeyLen+8 {
		return "", false
	}
	p := strings.TrimSpace(l.Path)
	if len(p) == 0 || len(p) > shortKeyLen {
		return "", false
	}
	return asciiLower(buf, p)
}

// keep uses b, so that the reads that made it are not optimised away.
//
//go:noinline
func keep(b uint8) { _ = b }
