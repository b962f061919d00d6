//go:build !purego

package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"
)

// TestFoldPlain holds foldPlain (assembly on amd64) to what it promises:
// it stops at the first sixteen bytes that are not plain and folds the ones
// before.
func TestFoldPlain(t *testing.T) {
	ref := func(src []byte, prevUpper bool) (int, []byte) {
		isUpper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
		done := 0
		for ; done+16 <= len(src); done += 16 {
			ok := true
			for k, c := range src[done : done+16] {
				before := prevUpper
				if done+k > 0 {
					before = isUpper(src[done+k-1])
				}
				if c < 0x20 || c >= 0x80 || c == '<' || c == '&' || isUpper(c) && before {
					ok = false
				}
			}
			if !ok {
				break
			}
		}
		out := []byte(strings.ToLower(string(src[:done])))
		return done, out
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("abcxyz AZMQ09.,@[`{~\x7f\x1f\x00\t\n\r<&\x80\xc3\xff")
	for round := range 20000 {
		src := make([]byte, r.IntN(80))
		for k := range src {
			// Mostly letters and spaces, so long plain stretches happen.
			if r.IntN(12) == 0 {
				src[k] = alphabet[r.IntN(len(alphabet))]
			} else {
				src[k] = "abcdefgh ijklmnoP"[r.IntN(17)]
			}
		}
		prev := round%3 == 0
		wantN, want := ref(src, prev)
		dst := make([]byte, len(src))
		n := foldPlain(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), len(src), prev)
		if n != wantN || string(dst[:n]) != string(want) {
			t.Fatalf("foldPlain(%q, prevUpper %v) = %d %q, want %d %q", src, prev, n, dst[:n], wantN, want)
		}
	}
}
