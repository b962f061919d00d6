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
// when lines has room for fewer than sixteen, and folds the ones before as
// reset's byte path would: lower case, runs of capitals, line feeds.
func TestFoldPlain(t *testing.T) {
	isUpper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	type result struct {
		done         int
		folded       string
		lfs          []int32
		run, capsRun int
	}
	ref := func(src []byte, i, run, capsRun, room int) result {
		r := result{run: run, capsRun: capsRun}
		for ; i+r.done+16 <= len(src); r.done += 16 {
			chunk := src[i+r.done : i+r.done+16]
			var lfs []int32
			for k, c := range chunk {
				if c < 0x20 && c != '\t' && c != '\n' || c >= 0x80 || c == '<' || c == '&' {
					return r
				}
				if c == '\n' {
					lfs = append(lfs, int32(i+r.done+k))
				}
			}
			if len(lfs) > 0 && room-len(r.lfs) < 16 {
				return r
			}
			for k, c := range chunk {
				if p := i + r.done + k; isUpper(c) {
					if p > 0 && isUpper(src[p-1]) {
						r.run++
						r.capsRun = max(r.capsRun, r.run)
					} else if lowerBefore(string(src), p) {
						r.run = 0
					}
				}
			}
			r.lfs = append(r.lfs, lfs...)
			r.folded += strings.ToLower(string(chunk))
		}
		return r
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("abcxyz AZMQ09.,@[`{~\x7f\x1f\x00\t\n\n\r<&\x80\xc3\xff")
	for range 30000 {
		src := make([]byte, rnd.IntN(140))
		upper := rnd.IntN(3) // some texts shout
		for k := range src {
			switch {
			case rnd.IntN(12) == 0:
				src[k] = alphabet[rnd.IntN(len(alphabet))]
			case upper == 0 && rnd.IntN(3) == 0:
				src[k] = "ABCD EF.1"[rnd.IntN(9)]
			default:
				src[k] = "abcdefgh ijklmnoP"[rnd.IntN(17)]
			}
		}
		i := 0
		if len(src) > 0 {
			i = rnd.IntN(len(src))
		}
		run, capsRun, room := rnd.IntN(3), rnd.IntN(5), 16+rnd.IntN(24)
		want := ref(src, i, run, capsRun, room)
		dst := make([]byte, len(src))
		lines := make([]int32, room)
		var got result
		var lfs int
		got.done, lfs, got.run, got.capsRun = foldPlain(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(src)),
			i, len(src), run, capsRun, unsafe.Pointer(&lines[0]), room)
		got.folded, got.lfs = string(dst[:got.done]), lines[:lfs]
		if got.done != want.done || got.folded != want.folded || !slices.Equal(got.lfs, want.lfs) || got.run != want.run || got.capsRun != want.capsRun {
			t.Fatalf("foldPlain(%q from %d, run %d, capsRun %d, room %d)\n got %+v\nwant %+v", src, i, run, capsRun, room, got, want)
		}
	}
}
