//go:build !purego

package policy

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// TestFoldPlain holds foldPlain (assembly) to what it promises: it stops
// at the first sixteen bytes that are not plain, or that hold a line feed
// when lines has room for fewer than sixteen, and folds the ones before,
// listing their line feeds.
func TestFoldPlain(t *testing.T) {
	isUpper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	ref := func(src []byte, prevUpper bool, room, at int) (int, []byte, []int32) {
		done := 0
		var lfs []int32
		for ; done+16 <= len(src); done += 16 {
			ok := true
			var chunk []int32
			for k, c := range src[done : done+16] {
				before := prevUpper
				if done+k > 0 {
					before = isUpper(src[done+k-1])
				}
				if c < 0x20 && c != '\t' && c != '\n' || c >= 0x80 || c == '<' || c == '&' || isUpper(c) && before {
					ok = false
				}
				if c == '\n' {
					chunk = append(chunk, int32(at+done+k))
				}
			}
			if !ok || len(chunk) > 0 && room-len(lfs) < 16 {
				break
			}
			lfs = append(lfs, chunk...)
		}
		return done, []byte(strings.ToLower(string(src[:done]))), lfs
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("abcxyz AZMQ09.,@[`{~\x7f\x1f\x00\t\n\n\r<&\x80\xc3\xff")
	for round := range 20000 {
		src := make([]byte, r.IntN(120))
		for k := range src {
			// Mostly letters and spaces, so long plain stretches happen.
			if r.IntN(12) == 0 {
				src[k] = alphabet[r.IntN(len(alphabet))]
			} else {
				src[k] = "abcdefgh ijklmnoP"[r.IntN(17)]
			}
		}
		prev, room, at := round%3 == 0, 16+r.IntN(24), r.IntN(1000)
		wantN, want, wantLFs := ref(src, prev, room, at)
		dst := make([]byte, len(src))
		lines := make([]int32, room)
		n, lfs := foldPlain(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)), len(src), prev,
			unsafe.Pointer(&lines[0]), room, at)
		if n != wantN || string(dst[:n]) != string(want) || !slices.Equal(lines[:lfs], wantLFs) {
			t.Fatalf("foldPlain(%q, prevUpper %v, room %d, at %d) = %d %q %v, want %d %q %v",
				src, prev, room, at, n, dst[:n], lines[:lfs], wantN, want, wantLFs)
		}
	}
}
