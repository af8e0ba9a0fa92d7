package vault

import "unsafe"

// bytesString returns b's bytes as a string without copying them.
//
// A note's strings (link paths, labels, tags, block ids, headings) are
// views of its source: copying them was a third of the objects a loaded
// vault keeps alive, and the garbage collector's work grows with those.
// It is safe because nothing writes to a note's source once it is parsed:
// Load reads each note into a buffer of its own, and fixes build new
// buffers (fix.Apply) rather than editing the old ones. Parse documents
// that its caller must not modify src afterwards.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// sameString reports whether a and b are the same bytes in memory, not
// merely equal.
func sameString(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}
