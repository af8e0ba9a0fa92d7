package vault

import (
	"testing"
	"unsafe"
)

// TestShortSlotSize: a slot of the short-name table is one cache line, so
// that a lookup reads one (shortKeyLen says why).
func TestShortSlotSize(t *testing.T) {
	if n := unsafe.Sizeof(shortSlot{}); n != 64 {
		t.Errorf("a shortSlot is %d bytes, not 64: fit shortKeyLen to the other fields", n)
	}
}
