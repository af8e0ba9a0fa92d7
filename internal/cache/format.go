package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math"

	"github.com/vaultlint/vaultlint/fix"
	"github.com/vaultlint/vaultlint/rules"
	"github.com/vaultlint/vaultlint/vault"
)

// The cache file is a small binary format rather than gob or JSON: it is
// read on every run, so it must decode in a few milliseconds, and it must
// stay well under the size of the vault's Markdown even when a note has
// thousands of findings. Its layout:
//
//	magic, format version (uvarint), run key (32 bytes)
//	number of files (uvarint)
//	string table: count, then each string (rule ids, messages and fix
//	texts, each stored once: a note with 200,000 identical findings
//	stores its message once)
//	one entry per file of the vault's index, in index order (files are
//	named by their index: the run key covers the sorted list of paths)
//	sha256 of everything above
//
// Integers are varints, strings a length and the bytes; a diagnostic's
// offsets and positions are deltas from the one before, so most take a
// byte. The trailing checksum makes a truncated or damaged file an error
// rather than wrong findings.
const (
	magic         = "vaultlint cache\n"
	formatVersion = 1
)

type hash = [sha256.Size]byte

// Kinds of file entry.
const (
	kindNone       = iota // nothing known: the file was never read under this run key
	kindNote              // a note that parsed
	kindSkipped           // a note that could not be read as one (binary, too large, unreadable)
	kindAttachment        // any other file
)

// Modes index entry.sets: a whole-vault run and a run limited by PATHs
// can differ for one note (vault-wide rules run only on the first, and a
// suppression of every rule is judged only when every rule ran), so each
// keeps its own findings.
const (
	modeWhole = iota
	modePartial
	modes
)

// data is a cache file in memory.
type data struct {
	key   hash
	files []entry // aligned with the vault's Files
}

// entry is what is known about one file.
type entry struct {
	kind uint8
	// For notes (kindNote and kindSkipped): the file's size and
	// modification time when read, and the sha256 of its bytes (zero for
	// a note that could not be read or was over the size limit: see
	// noteState).
	size  int64
	mtime int64 // Unix nanoseconds
	hash  hash
	// For kindNote: facts of the content that other notes' findings and
	// the summary need without parsing the note again.
	links   int      // len(Note.Links)
	aliases []string // Note.Aliases()
	deps    []int32  // the other notes its links resolve to, by index, ascending
	// Findings per mode; nil when not computed for the current content.
	sets [modes]*set
}

// set is a file's final diagnostics in one mode (after suppressions, in
// the order a cold run reports them), with what they were computed from
// besides the note itself.
type set struct {
	// depDigest is the sha256 of the deps' content hashes at the time
	// (see depDigest): their headings and blocks decide broken-heading
	// and broken-block-ref.
	depDigest hash
	// aliasDigest is the vault's alias table at the time, when diags hold
	// a broken-link finding (whose message and fix name alias owners);
	// zero when there is none, or it was not known.
	aliasDigest hash
	diags       []rules.Diagnostic
}

func (s *set) hasBrokenLink() bool {
	for i := range s.diags {
		if s.diags[i].Rule == brokenLink {
			return true
		}
	}
	return false
}

const brokenLink = "broken-link"

// encode writes d.
func (d *data) encode() []byte {
	var body writer
	body.buf = make([]byte, 0, 64+len(d.files)*128)
	strs := map[string]int{}
	var table []string
	str := func(s string) uint64 {
		i, ok := strs[s]
		if !ok {
			i = len(table)
			strs[s] = i
			table = append(table, s)
		}
		return uint64(i)
	}
	for i := range d.files {
		e := &d.files[i]
		body.buf = append(body.buf, e.kind)
		if e.kind == kindNone {
			continue
		}
		if e.kind == kindNote || e.kind == kindSkipped {
			body.uint(uint64(e.size))
			body.int(e.mtime)
			body.buf = append(body.buf, e.hash[:]...)
		}
		if e.kind == kindNote {
			body.uint(uint64(e.links))
			body.uint(uint64(len(e.aliases)))
			for _, a := range e.aliases {
				body.str(a)
			}
			body.uint(uint64(len(e.deps)))
			prev := int32(-1)
			for _, dep := range e.deps {
				body.uint(uint64(dep - prev)) // ascending: deltas are small
				prev = dep
			}
		}
		for _, s := range e.sets {
			if s == nil {
				body.buf = append(body.buf, 0)
				continue
			}
			flags := byte(1)
			if s.aliasDigest != (hash{}) {
				flags |= 2
			}
			body.buf = append(body.buf, flags)
			if e.kind == kindNote {
				body.buf = append(body.buf, s.depDigest[:]...)
			}
			if flags&2 != 0 {
				body.buf = append(body.buf, s.aliasDigest[:]...)
			}
			body.uint(uint64(len(s.diags)))
			var prev rules.Diagnostic
			for j := range s.diags {
				body.diag(&s.diags[j], &prev, str)
				prev = s.diags[j]
			}
		}
	}
	var w writer
	w.buf = make([]byte, 0, len(body.buf)+len(table)*48+128)
	w.buf = append(w.buf, magic...)
	w.uint(formatVersion)
	w.buf = append(w.buf, d.key[:]...)
	w.uint(uint64(len(d.files)))
	w.uint(uint64(len(table)))
	for _, s := range table {
		w.str(s)
	}
	w.buf = append(w.buf, body.buf...)
	sum := sha256.Sum256(w.buf)
	return append(w.buf, sum[:]...)
}

// decode reads a cache file; files are the vault's, to name diagnostics'
// paths. It returns errBadKey, without decoding further, when the file
// was written for another run key or format.
func decode(b []byte, key hash, files []*vault.File) (*data, error) {
	if len(b) < len(magic)+sha256.Size || !bytes.HasPrefix(b, []byte(magic)) {
		return nil, errors.New("not a vaultlint cache file")
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if sha256.Sum256(body) != hash(sum) {
		return nil, errors.New("damaged (checksum mismatch)")
	}
	r := reader{buf: body[len(magic):]}
	if v := r.uint(); v != formatVersion {
		if r.err != nil {
			return nil, r.err
		}
		return nil, errBadKey
	}
	d := &data{}
	copy(d.key[:], r.bytes(sha256.Size))
	if r.err == nil && d.key != key {
		return nil, errBadKey
	}
	if n := r.uint(); r.err == nil && n != uint64(len(files)) {
		return nil, errors.New("damaged (wrong number of files)")
	}
	r.table = make([]string, r.count())
	for i := range r.table {
		r.table[i] = r.str()
	}
	d.files = make([]entry, len(files))
	for i := 0; i < len(files) && r.err == nil; i++ {
		e := &d.files[i]
		e.kind = r.byte()
		switch e.kind {
		case kindNone:
			continue
		case kindNote, kindSkipped, kindAttachment:
		default:
			r.fail()
		}
		if e.kind == kindNote || e.kind == kindSkipped {
			e.size = int64(r.uint())
			e.mtime = r.int()
			copy(e.hash[:], r.bytes(sha256.Size))
		}
		if e.kind == kindNote {
			e.links = int(r.uint())
			if n := r.count(); n > 0 {
				e.aliases = make([]string, n)
				for j := range e.aliases {
					e.aliases[j] = r.str()
				}
			}
			if n := r.count(); n > 0 {
				e.deps = make([]int32, n)
				prev := int64(-1)
				for j := range e.deps {
					prev += int64(r.uint())
					if prev < 0 || prev >= int64(len(files)) {
						r.fail()
						break
					}
					e.deps[j] = int32(prev)
				}
			}
		}
		for m := range e.sets {
			flags := r.byte()
			if flags == 0 {
				continue
			}
			s := &set{}
			if e.kind == kindNote {
				copy(s.depDigest[:], r.bytes(sha256.Size))
			}
			if flags&2 != 0 {
				copy(s.aliasDigest[:], r.bytes(sha256.Size))
			}
			if n := r.count(); n > 0 {
				s.diags = make([]rules.Diagnostic, n)
				var prev rules.Diagnostic
				for j := range s.diags {
					r.diag(&s.diags[j], &prev, files[i].Path)
					prev = s.diags[j]
				}
			}
			e.sets[m] = s
		}
	}
	if r.err == nil && len(r.buf) != 0 {
		r.fail()
	}
	if r.err != nil {
		return nil, r.err
	}
	return d, nil
}

var (
	errBadKey  = errors.New("written for another run")
	errDamaged = errors.New("damaged (bad encoding)")
)

type writer struct{ buf []byte }

func (w *writer) uint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *writer) int(v int64)   { w.buf = binary.AppendVarint(w.buf, v) }
func (w *writer) str(s string) {
	w.uint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// diag writes a diagnostic without its path (the entry's), its strings
// as indexes into the string table, and its numbers as deltas from prev,
// the diagnostic before it in the same set: findings come in order, so
// the deltas are small.
func (w *writer) diag(d, prev *rules.Diagnostic, str func(string) uint64) {
	w.uint(str(d.Rule))
	w.buf = append(w.buf, byte(d.Severity))
	w.uint(str(d.Message))
	w.int(int64(d.Span.Start - prev.Span.Start))
	w.int(int64(d.Span.End - d.Span.Start))
	w.int(int64(d.Line - prev.Line))
	if d.Line == prev.Line {
		w.int(int64(d.Column - prev.Column)) // thousands of findings on one long line
	} else {
		w.int(int64(d.Column))
	}
	w.int(int64(d.EndLine - d.Line))
	w.int(int64(d.EndColumn - d.Column))
	switch {
	case d.Fix == nil:
		w.buf = append(w.buf, 0)
		return
	case d.Fix.Safe:
		w.buf = append(w.buf, 2)
	default:
		w.buf = append(w.buf, 1)
	}
	w.uint(uint64(len(d.Fix.Edits)))
	for _, e := range d.Fix.Edits {
		w.int(int64(e.Start - d.Span.Start))
		w.int(int64(e.End - e.Start))
		w.uint(str(e.New))
	}
}

// reader decodes what writer wrote; the first error sticks, and every
// read after it returns zero values, so callers check err once.
type reader struct {
	buf   []byte
	table []string
	err   error
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errDamaged
	}
	r.buf = nil
}

func (r *reader) uint() uint64 {
	v, n := binary.Uvarint(r.buf)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *reader) int() int64 {
	v, n := binary.Varint(r.buf)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

// add returns base+delta, failing when the sum leaves the int32 range
// that offsets and positions live in.
func (r *reader) add(base int, delta int64) int {
	v := int64(base) + delta
	if delta < math.MinInt32 || delta > math.MaxInt32 || v < math.MinInt32 || v > math.MaxInt32 {
		r.fail()
		return 0
	}
	return int(v)
}

// count reads a length, refusing one longer than what is left to read
// (each element takes at least a byte), so that a damaged length cannot
// make decode allocate gigabytes.
func (r *reader) count() int {
	n := r.uint()
	if n > uint64(len(r.buf)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *reader) byte() byte {
	if len(r.buf) == 0 {
		r.fail()
		return 0
	}
	b := r.buf[0]
	r.buf = r.buf[1:]
	return b
}

func (r *reader) bytes(n int) []byte {
	if len(r.buf) < n {
		r.fail()
		return make([]byte, n)
	}
	b := r.buf[:n]
	r.buf = r.buf[n:]
	return b
}

func (r *reader) str() string {
	n := r.count()
	return string(r.bytes(n))
}

// ref reads an index into the string table.
func (r *reader) ref() string {
	i := r.uint()
	if i >= uint64(len(r.table)) {
		r.fail()
		return ""
	}
	return r.table[i]
}

// diag reads a diagnostic of the file at path that follows prev.
func (r *reader) diag(d, prev *rules.Diagnostic, path string) {
	d.Rule = r.ref()
	d.Path = path
	sev := rules.Severity(r.byte())
	if sev > rules.Error {
		r.fail()
	}
	d.Severity = sev
	d.Message = r.ref()
	d.Span.Start = r.add(prev.Span.Start, r.int())
	d.Span.End = r.add(d.Span.Start, r.int())
	d.Line = r.add(prev.Line, r.int())
	if d.Line == prev.Line {
		d.Column = r.add(prev.Column, r.int())
	} else {
		d.Column = r.add(0, r.int())
	}
	d.EndLine = r.add(d.Line, r.int())
	d.EndColumn = r.add(d.Column, r.int())
	switch r.byte() {
	case 0:
		return
	case 1:
		d.Fix = &rules.Fix{}
	case 2:
		d.Fix = &rules.Fix{Safe: true}
	default:
		r.fail()
		return
	}
	if n := r.count(); n > 0 {
		d.Fix.Edits = make([]fix.Edit, n)
		for i := range d.Fix.Edits {
			e := &d.Fix.Edits[i]
			e.Start = r.add(d.Span.Start, r.int())
			e.End = r.add(e.Start, r.int())
			e.New = r.ref()
		}
	}
}
