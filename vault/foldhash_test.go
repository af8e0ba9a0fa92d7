package vault

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// foldHash may tell two strings apart only when strings.EqualFold does.
func TestFoldHash(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aAbBkKsSzZ09 -_\u212a\u017f\u00e9\u00c9")
	word := func() string {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	for range 200000 {
		a, b := word(), word()
		fa, fb := foldHash(a), foldHash(b)
		if strings.EqualFold(a, b) && fa != 0 && fb != 0 && fa != fb {
			t.Fatalf("EqualFold(%q, %q) but foldHash %x != %x", a, b, fa, fb)
		}
	}
	if foldHash("Kelvin") != foldHash("kELVIN") {
		t.Error("ASCII case changed the hash")
	}
	if foldHash("\u212aelvin") != 0 {
		t.Error("a non-ASCII string got a hash")
	}
	if foldHash("") == 0 {
		t.Error("the empty string must hash, not ask for a comparison")
	}
}
