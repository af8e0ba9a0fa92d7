package rules

import (
	"cmp"
	"math"
	"math/bits"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/vaultlint/vaultlint/vault"
)

// nameTable indexes a vault's file names for broken-link's fixes and
// suggestions. It is built once per vault, the first time a broken link
// needs it, and is then used by many goroutines at once.
type nameTable struct {
	byName map[string][]keyedFile   // nameKey of the file name → files
	byStem map[string][]*vault.File // attachments by name without extension
	// keys are the distinct name keys, ordered by length in runes (then
	// by key), so that the keys of one length are a range of ids:
	// lenStart[l] is the first id of a key of l runes or more.
	keys     []string
	lenStart []int32
	postings map[trigram]posting // trigram → the keys holding it
	// info and text are what closeKeys reads of each key, by id, packed
	// so that a candidate costs two cache misses: its info, then its
	// bytes. (Read through a []rune per key, it cost three, and in a
	// vault of 100,000 notes the misses were most of the time taken.)
	// A key's signature is in its postings instead (posting.sigs).
	info []keyInfo
	text []byte // the keys' bytes, one after another

	nearCache sync.Map  // name key → near's answer
	scratch   sync.Pool // *nearScratch, for closeKeys
}

// posting lists the ids of the keys holding a trigram, ascending, so by
// length, and their signatures. A long list also has byLen: byLen[l] is
// the index of its first key of l runes or more, for l up to the longest
// key's length + 1.
//
// The signatures are here, one copy per trigram a key holds, rather than
// once per key: closeKeys checks the signature of every key it counts,
// about 1,300 keys per name at 100,000 names, and read by id each was a
// miss in the caches (most of what a name's suggestions cost); read
// beside the ids, they come in order.
type posting struct {
	ids   []int32
	sigs  []signature
	byLen []int32
}

// longPosting is the length from which a posting has byLen.
const longPosting = 64

// withLength returns the ids and signatures of p of keys of lo to hi-1
// runes, whose ids are loID to hiID-1.
func (p *posting) withLength(lo, hi int, loID, hiID int32) ([]int32, []signature) {
	var from, to int
	if p.byLen != nil {
		last := len(p.byLen) - 1
		from, to = int(p.byLen[max(0, min(lo, last))]), int(p.byLen[max(0, min(hi, last))])
	} else {
		from, _ = slices.BinarySearch(p.ids, loID)
		to, _ = slices.BinarySearch(p.ids, hiID)
	}
	return p.ids[from:to], p.sigs[from:to]
}

type keyedFile struct {
	f   *vault.File
	key string // nameKey of the whole path
}

// keyInfo is what the filters of closeKeys read of a key, in 16 bytes.
type keyInfo struct {
	mask  uint64 // runeMask of its runes
	off   uint32 // where its bytes start in text; they end where the next key's start
	runes uint32 // its length in runes
}

// keyText returns the bytes of key id.
func (t *nameTable) keyText(id int32) []byte {
	end := len(t.text)
	if int(id)+1 < len(t.info) {
		end = int(t.info[id+1].off)
	}
	return t.text[t.info[id].off:end]
}

// nameTables holds each vault's name table.
var nameTables perVault[*nameTable]

func namesOf(v *vault.Vault) *nameTable { return nameTables.get(v, buildNameTable) }

func buildNameTable(v *vault.Vault) *nameTable {
	t := &nameTable{byName: map[string][]keyedFile{}, byStem: map[string][]*vault.File{}}
	for _, f := range v.Files {
		key := nameKey(f.Path)
		name := path.Base(key)
		if _, seen := t.byName[name]; !seen {
			t.keys = append(t.keys, name)
		}
		t.byName[name] = append(t.byName[name], keyedFile{f, key})
		if !f.IsNote() {
			if dot := strings.LastIndexByte(name, '.'); dot > 0 {
				t.byStem[name[:dot]] = append(t.byStem[name[:dot]], f)
			}
		}
	}
	// Sorted with each key's length beside it: looked up in a map per
	// comparison, the lengths cost a third of building the table.
	type sized struct {
		runes int
		key   string
	}
	byLen := make([]sized, len(t.keys))
	for i, k := range t.keys {
		byLen[i] = sized{utf8.RuneCountInString(k), k}
	}
	slices.SortFunc(byLen, func(x, y sized) int {
		return cmp.Or(cmp.Compare(x.runes, y.runes), strings.Compare(x.key, y.key))
	})
	for i := range byLen {
		t.keys[i] = byLen[i].key
	}
	maxLen := 0
	if len(byLen) > 0 {
		maxLen = byLen[len(byLen)-1].runes
	}
	t.lenStart = make([]int32, maxLen+2)
	id := 0
	for l := range t.lenStart {
		for id < len(byLen) && byLen[id].runes < l {
			id++
		}
		t.lenStart[l] = int32(id)
	}
	var grams []trigram
	var rs []rune
	lists := map[trigram][]int32{}
	t.info = make([]keyInfo, len(t.keys))
	sigs := make([]signature, len(t.keys)) // of each key: its trigrams
	for id, k := range t.keys {
		rs = append(rs[:0], []rune(k)...)
		info := &t.info[id]
		info.mask, info.off, info.runes = runeMask(rs), uint32(len(t.text)), uint32(len(rs))
		t.text = append(t.text, k...)
		grams = distinctTrigrams(grams[:0], rs)
		for _, g := range grams {
			lists[g] = append(lists[g], int32(id))
			sigs[id].set(g)
		}
	}
	t.postings = make(map[trigram]posting, len(lists))
	for g, ids := range lists {
		p := posting{ids: ids, sigs: make([]signature, len(ids))}
		for i, id := range ids {
			p.sigs[i] = sigs[id]
		}
		if len(ids) >= longPosting {
			p.byLen = make([]int32, len(t.lenStart))
			i := 0
			for l := range p.byLen {
				for i < len(ids) && int(t.info[ids[i]].runes) < l {
					i++
				}
				p.byLen[l] = int32(i)
			}
		}
		t.postings[g] = p
	}
	n := len(t.keys)
	t.scratch.New = func() any { return &nearScratch{counts: make([]uint16, n)} }
	return t
}

// near returns the names of files whose name key is base, or is base
// without an attachment's extension, or is a few edits from base, nearest
// first. The same unresolved name tends to recur in many notes, so the
// answer is kept.
func (t *nameTable) near(base string) []string {
	if names, ok := t.nearCache.Load(base); ok {
		return names.([]string)
	}
	type near struct {
		name string
		dist int
	}
	best := map[string]int{}
	add := func(f *vault.File, d int) {
		name := f.Basename()
		if old, ok := best[name]; !ok || d < old {
			best[name] = d
		}
	}
	for _, e := range t.byName[base] {
		add(e.f, 0)
	}
	for _, f := range t.byStem[base] {
		add(f, 0) // [[image]] for image.png
	}
	for _, key := range t.closeKeys(base) {
		for _, e := range t.byName[key.key] {
			add(e.f, key.dist)
		}
	}
	ns := make([]near, 0, len(best))
	for name, d := range best {
		ns = append(ns, near{name, d})
	}
	sort.Slice(ns, func(i, j int) bool {
		if ns[i].dist != ns[j].dist {
			return ns[i].dist < ns[j].dist
		}
		return ns[i].name < ns[j].name
	})
	names := make([]string, len(ns))
	for i, x := range ns {
		names[i] = x.name
	}
	t.nearCache.Store(base, names)
	return names
}

type keyDist struct {
	key  string
	dist int
}

// The work of one closeKeys call is bounded, whatever the vault: at most
// maxScanned entries of postings read (and as many signatures) and at
// most maxCompared edit distances.
// Within both it finds every key within the limit; beyond them it may
// miss some, deterministically: suggestions are hints. (In the
// 100,000-note vault internal/vaultgen makes, a broken link's name reads
// 3,200 entries and computes 61 distances on average, and no cap applies
// to any of its 50,803 names.)
const (
	maxScanned  = 20000
	maxCompared = 2000
)

// nearScratch is one closeKeys call's working memory, pooled: counts
// (one per key id, all zero between calls) and the ids it made nonzero.
type nearScratch struct {
	counts  []uint16 // small, to stay in the CPU's caches; saturating
	touched []int32
	sigs    []signature // of each of touched
	cands   []int32
	grams   []gramPostings // by trigram
	order   []uint64       // postings<<32 | index in grams, ascending
	rows    []int
	key     []rune // the key being compared
	tris    []trigram
	pat     pattern
	touch   byte // what the reads that bring keys into the caches read
}

// gramPostings is one distinct trigram of the query: how many of the
// query's padded trigrams it is, and its postings among keys of a length
// that can be within the limit.
type gramPostings struct {
	gram trigram
	mult uint32
	ids  []int32
	sigs []signature // of each of ids
}

// closeStats says how much work a closeKeys call did.
type closeStats struct {
	scanned   int  // steps over postings, counted against maxScanned
	compared  int  // edit distances computed
	truncated bool // a cap left out keys the filters alone would have kept
}

// closeKeys returns the name keys within a few edits (Levenshtein) of
// base: none under five runes, where too much is near, then one edit per
// four runes, at most three. The order of the answer is unspecified.
func (t *nameTable) closeKeys(base string) []keyDist {
	out, _ := t.closeKeysStats(base)
	return out
}

// closeKeysStats is closeKeys, and what it cost.
//
// Candidates come from postings, filtered by length, by the trigrams they
// share with base, and by rune classes, before the edit distance (the
// bit-parallel one, or editDistance for names over 64 runes).
// The work per call depends on base and on how many keys hold its
// trigrams, up to the caps below, not on how many keys there are: a vault
// has many broken links, and their names are mostly distinct.
//
// Length: a key within limit edits has len(base)±limit runes; keys are
// numbered by length, so those are one range of ids, and of each posting
// list only that range is read.
//
// Shared trigrams (the q-gram lemma): base padded with two NULs at each
// end has len(base)+2 trigram positions. One edit (substituting, deleting
// or inserting a rune) changes at most the 3 positions whose trigram
// overlaps it; every other position's trigram appears in the key as
// well. So a key within limit edits lacks the trigrams of at most
// 3*limit positions. Postings hold each distinct trigram once per key, so
// count per distinct trigram g its multiplicity m(g), the number of
// positions of base it occupies: if the key lacks g, all m(g) positions
// were changed. Summing over a set S of base's distinct trigrams whose
// postings were read in full, W(S) = Σ m(g), a key within limit edits has
//
//	shared(key) = Σ m(g) over g in S that the key holds ≥ W(S) - 3*limit.
//
// Hence (prefix filter) once W(S) ≥ 3*limit+1 every key within limit edits
// is in the postings of S, and (count filter) only keys with
// shared ≥ W(S) - 3*limit need their distance computed. The rarest
// trigrams are read until W(S) ≥ 3*limit+1: the keys they hold are the
// candidates. Over all of base's trigrams W is len(base)+2, so a
// candidate must share len(base)+2-3*limit; the trigrams not read are
// counted by signature instead of postings: each key keeps its trigrams
// hashed into 64 bits, and the bits it shares with the trigrams not
// read, weighted by their multiplicities, bound from above what it
// shares with them (a shared bit may be two different trigrams, never
// the other way round). Reading those postings instead cost twice as
// much at 100,000 names, most of it in binary searches.
//
// Caps: if the rarest trigrams reaching W(S) ≥ 3*limit+1 hold more than
// maxScanned entries in all, only the first maxScanned are read (keys
// in no entry read are missed, and the signatures are not used); if
// more than maxCompared keys pass the filters, those sharing the most
// (by the bound) are compared (ties in the order the postings were
// read). Both choices depend only on the table and base,
// never on other calls running at the same time.
func (t *nameTable) closeKeysStats(base string) ([]keyDist, closeStats) {
	var st closeStats
	a := []rune(base)
	limit := min((len(a)-1)/4, 3)
	if limit <= 0 || len(t.keys) == 0 {
		return nil, st
	}
	// The ids of keys of len(a)±limit runes.
	lenID := func(l int) int32 { return t.lenStart[max(0, min(l, len(t.lenStart)-1))] }
	lo, hi := lenID(len(a)-limit), lenID(len(a)+limit+1)
	if lo >= hi {
		return nil, st
	}
	s := t.scratch.Get().(*nearScratch)
	defer t.scratch.Put(s)

	// base's distinct trigrams with their multiplicities and postings in
	// the length range, rarest first.
	s.tris = trigrams(s.tris[:0], a)
	slices.Sort(s.tris)
	s.grams = s.grams[:0]
	for i, g := range s.tris {
		if i > 0 && g == s.tris[i-1] {
			s.grams[len(s.grams)-1].mult++
			continue
		}
		p := t.postings[g]
		ids, sigs := p.withLength(len(a)-limit, len(a)+limit+1, lo, hi)
		s.grams = append(s.grams, gramPostings{g, 1, ids, sigs})
	}
	s.order = s.order[:0]
	for i, g := range s.grams {
		s.order = append(s.order, uint64(len(g.ids))<<32|uint64(i))
	}
	slices.Sort(s.order) // by postings, then by trigram

	// Read the rarest trigrams' postings until W(S) ≥ 3*limit+1,
	// counting per key the multiplicities of those it holds: the keys
	// counted are all that can be within limit.
	budget := maxScanned
	need := uint32(3*limit + 1)
	var weight uint32 // W(S) of the trigrams read in full
	// Every entry is written to the end of touched and sigs, which
	// grow by one only for a key not counted before: a branch on that
	// was mispredicted about every other entry, and the entries read
	// are most of what a call costs. At most maxScanned are read, so
	// that much room is enough.
	if cap(s.touched) < maxScanned {
		s.touched, s.sigs = make([]int32, maxScanned), make([]signature, maxScanned)
	}
	touched, sigs := s.touched[:maxScanned], s.sigs[:maxScanned]
	nt := 0
	i := 0
	for ; i < len(s.order) && weight < need; i++ {
		g := &s.grams[uint32(s.order[i])]
		ids := g.ids
		if len(ids) > budget {
			ids = ids[:budget]
			st.truncated = true
		}
		gs := g.sigs[:len(ids)]
		for k, id := range ids {
			c := s.counts[id]
			touched[nt], sigs[nt] = id, gs[k]
			if c == 0 {
				nt++
			}
			s.counts[id] = uint16(min(uint32(c)+g.mult, math.MaxUint16))
		}
		budget -= len(ids)
		if st.truncated {
			break
		}
		weight += g.mult
	}
	s.touched, s.sigs = touched[:nt], sigs[:nt]

	// The candidates: keys sharing enough with the trigrams read, and
	// possibly enough with all of base's, by their signatures: shared
	// (over all of base's trigrams) is at most the count over those read
	// plus, for the others, the multiplicities of the signature bits the
	// key has. A key within limit edits shares at least len(a)+2-3*limit.
	lost := uint32(3 * limit)
	atLeast := max(weight, lost+1) - lost
	var rest signature
	var extra uint32 // multiplicities beyond one per bit of rest
	for j := i; j < len(s.order); j++ {
		g := s.grams[uint32(s.order[j])]
		if rest.has(g.gram) {
			extra += g.mult
		} else {
			rest.set(g.gram)
			extra += g.mult - 1
		}
	}
	total := uint32(len(a) + 2)
	s.cands = s.cands[:0]
	for k, id := range s.touched {
		c := uint32(s.counts[id])
		if c < atLeast {
			continue
		}
		if !st.truncated {
			c += rest.shared(&s.sigs[k]) + extra
			if c+lost < total {
				continue
			}
			s.counts[id] = uint16(min(c, math.MaxUint16))
		}
		s.cands = append(s.cands, id)
	}
	st.scanned = maxScanned - budget

	// Rune classes: each class one of the two has and the other lacks
	// costs at least one edit.
	mask := runeMask(a)
	s.cands = slices.DeleteFunc(s.cands, func(id int32) bool {
		c := &t.info[id]
		return bits.OnesCount64(mask&^c.mask) > limit || bits.OnesCount64(c.mask&^mask) > limit
	})
	if len(s.cands) > maxCompared {
		s.cands = mostShared(s.cands, s.counts, maxCompared)
		st.truncated = true
	}
	for _, id := range s.touched {
		s.counts[id] = 0
	}
	// Bring the candidates' bytes into the caches together: compared one
	// by one below, each key read was a cache miss in turn (a third of
	// the time at 100,000 names), and these reads do not wait on each
	// other.
	var touch byte
	for _, id := range s.cands {
		if off := t.info[id].off; int(off) < len(t.text) {
			touch += t.text[off]
		}
	}
	s.touch = touch

	var out []keyDist
	if len(s.cands) == 0 {
		return out, st
	}
	if s.pat.set(a) {
		for _, id := range s.cands {
			st.compared++
			// An ASCII key (as many bytes as runes) is compared as it is
			// stored, without decoding it into runes first.
			var d int
			if text := t.keyText(id); len(text) == int(t.info[id].runes) {
				d = patternDistance(&s.pat, text, limit)
			} else {
				s.key = appendRunes(s.key[:0], text)
				d = patternDistance(&s.pat, s.key, limit)
			}
			if d <= limit {
				out = append(out, keyDist{t.keys[id], d})
			}
		}
		return out, st
	}
	if need := 2 * (len(a) + limit + 1); cap(s.rows) < need {
		s.rows = make([]int, need)
	}
	for _, id := range s.cands {
		st.compared++
		s.key = appendRunes(s.key[:0], t.keyText(id))
		if d := editDistance(a, s.key, limit, s.rows); d <= limit {
			out = append(out, keyDist{t.keys[id], d})
		}
	}
	return out, st
}

// mostShared keeps, in place, the n ids of the highest counts, keeping
// the order of ids among equal counts.
func mostShared(ids []int32, counts []uint16, n int) []int32 {
	// The cut: the count c such that fewer than n ids have more than c,
	// and at least n have c or more.
	hist := map[uint16]int{}
	for _, id := range ids {
		hist[counts[id]]++
	}
	levels := make([]uint16, 0, len(hist))
	for c := range hist {
		levels = append(levels, c)
	}
	slices.Sort(levels)
	above, cut := 0, uint16(0)
	for i := len(levels) - 1; i >= 0; i-- {
		cut = levels[i]
		if above+hist[cut] >= n {
			break
		}
		above += hist[cut]
	}
	atCut := n - above // ids of count cut to keep, the first ones
	out := ids[:0]
	for _, id := range ids {
		switch c := counts[id]; {
		case c > cut:
			out = append(out, id)
		case c == cut && atCut > 0:
			out = append(out, id)
			atCut--
		}
	}
	return out
}

// signature is a set of trigrams in 64 bits, one bit per trigram by a
// hash: two sets share at most as many trigrams as bits, or more where
// trigrams of one share a bit.
type signature uint64

func sigBit(g trigram) uint { return uint(uint64(g) * 0x9e3779b97f4a7c15 >> 58) }

func (s *signature) set(g trigram) { *s |= 1 << sigBit(g) }

func (s *signature) has(g trigram) bool { return *s&(1<<sigBit(g)) != 0 }

// shared counts the bits set in both.
func (s *signature) shared(o *signature) uint32 { return uint32(bits.OnesCount64(uint64(*s & *o))) }

// appendRunes appends the runes of UTF-8 text b to dst.
func appendRunes(dst []rune, b []byte) []rune {
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf {
			dst = append(dst, rune(c))
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		dst = append(dst, r)
		i += size
	}
	return dst
}

// trigram is a run of three runes, packed 21 bits each.
type trigram uint64

// trigrams appends to dst the runs of three runes of s padded with two
// NULs at each end, one per occurrence: len(s)+2 of them.
func trigrams(dst []trigram, s []rune) []trigram {
	const runeBits, keep = 21, 1<<63 - 1
	var g trigram
	for _, r := range s {
		g = (g<<runeBits | trigram(r)&(1<<runeBits-1)) & keep
		dst = append(dst, g)
	}
	for range 2 {
		g = g << runeBits & keep
		dst = append(dst, g)
	}
	return dst
}

// distinctTrigrams appends s's trigrams to dst, each once, sorted.
func distinctTrigrams(dst []trigram, s []rune) []trigram {
	n := len(dst)
	dst = trigrams(dst, s)
	slices.Sort(dst[n:])
	return append(dst[:n], slices.Compact(dst[n:])...)
}

// runeMask sets one of 64 bits for each rune of s (runes sharing a bit
// count as one class, which only weakens the bound it gives).
func runeMask(s []rune) uint64 {
	var m uint64
	for _, r := range s {
		m |= 1 << (uint32(r) % 64)
	}
	return m
}

// pattern is a string of at most 64 runes prepared for the bit-parallel
// edit distance of Myers (1999), in the form Hyyrö (2001) gives for the
// distance of two whole strings: for each rune, the bit set of the
// positions where the pattern has it.
type pattern struct {
	n     int
	ascii [128]uint64
	other []runeBits // runes beyond ASCII
}

type runeBits struct {
	r    rune
	bits uint64
}

// set prepares p for a, unless a is longer than 64 runes.
func (p *pattern) set(a []rune) bool {
	if len(a) > 64 {
		return false
	}
	p.ascii = [128]uint64{}
	p.other = p.other[:0]
	p.n = len(a)
	for i, r := range a {
		if r >= 0 && r < 128 {
			p.ascii[r] |= 1 << i
			continue
		}
		found := false
		for j := range p.other {
			if p.other[j].r == r {
				p.other[j].bits |= 1 << i
				found = true
			}
		}
		if !found {
			p.other = append(p.other, runeBits{r, 1 << i})
		}
	}
	return true
}

func (p *pattern) positions(r rune) uint64 {
	if r >= 0 && r < 128 {
		return p.ascii[r]
	}
	for _, o := range p.other {
		if o.r == r {
			return o.bits
		}
	}
	return 0
}

// distance is editDistance of the pattern and b. Bit i of pv (mv) says
// the distance from the pattern's first i+1 runes to b's first j rises
// (falls) by one from its first i; score is the distance from the whole
// pattern, which changes by at most one per rune of b, so once it exceeds
// limit by more than the runes of b left, it stays over limit.
func (p *pattern) distance(b []rune, limit int) int { return patternDistance(p, b, limit) }

// patternDistance is pattern.distance for b in runes, or in bytes when
// every rune of b is ASCII.
func patternDistance[T rune | byte](p *pattern, b []T, limit int) int {
	if d := p.n - len(b); d > limit || -d > limit {
		return limit + 1
	}
	if p.n == 0 {
		return len(b)
	}
	pv, mv := ^uint64(0), uint64(0)
	score := p.n
	last := uint64(1) << (p.n - 1)
	for j, r := range b {
		eq := p.positions(rune(r))
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		if ph&last != 0 {
			score++
		} else if mh&last != 0 {
			score--
		}
		ph = ph<<1 | 1 // the first row rises by one per rune of b
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
		if score-(len(b)-1-j) > limit {
			return limit + 1
		}
	}
	return min(score, limit+1)
}

// editDistance returns the Levenshtein distance of a and b, or limit+1 as
// soon as it is known to exceed limit. Only cells within limit of the
// diagonal can stay within limit, so only those are computed; rows is
// scratch space for two rows of len(b)+1.
func editDistance(a, b []rune, limit int, rows []int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	over := limit + 1
	prev, cur := rows[:len(b)+1], rows[len(b)+1:2*len(b)+2]
	for j := range prev {
		prev[j] = min(j, over)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		cur[lo-1] = over
		if lo == 1 {
			cur[0] = min(i, over)
		}
		low := cur[lo-1]
		for j := lo; j <= hi; j++ {
			d := prev[j-1]
			if a[i-1] != b[j-1] {
				d++
			}
			cur[j] = min(d, prev[j]+1, cur[j-1]+1, over)
			low = min(low, cur[j])
		}
		if hi < len(b) {
			cur[hi+1] = over // outside this row's band, read by the next
		}
		if low > limit {
			return over
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
