//go:build !purego

package policy

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// tokOut is what tokenizeBlock writes, gathered over a whole text.
type tokOut struct {
	toks                      []token
	starts, ends, nums, links []int32
	cursors                   []int // c.i and c.runEnd after each call
}

func (o tokOut) equal(p tokOut) bool {
	return slices.Equal(o.toks, p.toks) && slices.Equal(o.starts, p.starts) && slices.Equal(o.ends, p.ends) &&
		slices.Equal(o.nums, p.nums) && slices.Equal(o.links, p.links) && slices.Equal(o.cursors, p.cursors)
}

// runBlocks runs a scanner over norm (already padded with normPad zero
// bytes) in blocks whose sizes come from sizes, as tokenize does.
func runBlocks(scan func(unsafe.Pointer, int, int, *tokCursor), norm []byte, n int, sizes []int) tokOut {
	room := n + 1
	toks := make([]token, room)
	i32 := func() []int32 { return make([]int32, room) }
	starts, ends, nums, links := i32(), i32(), i32(), i32()
	c := tokCursor{tok0: unsafe.Pointer(&toks[0]), toks: unsafe.Pointer(&toks[0]),
		starts: unsafe.Pointer(&starts[0]), ends: unsafe.Pointer(&ends[0]),
		nums: unsafe.Pointer(&nums[0]), links: unsafe.Pointer(&links[0])}
	var out tokOut
	for k := 0; c.i < n; k++ {
		scan(unsafe.Pointer(&norm[0]), n, min(n, c.i+sizes[k%len(sizes)]), &c)
		out.cursors = append(out.cursors, c.i, c.runEnd)
	}
	count := func(p, base unsafe.Pointer, size uintptr) int { return int((uintptr(p) - uintptr(base)) / size) }
	out.toks = toks[:count(c.toks, c.tok0, unsafe.Sizeof(token{}))]
	out.starts = starts[:count(c.starts, unsafe.Pointer(&starts[0]), 4)]
	out.ends = ends[:count(c.ends, unsafe.Pointer(&ends[0]), 4)]
	out.nums = nums[:count(c.nums, unsafe.Pointer(&nums[0]), 4)]
	out.links = links[:count(c.links, unsafe.Pointer(&links[0]), 4)]
	return out
}

// TestTokenizeBlockMatchesGo holds the assembly scanner to
// tokenizeBlockGo on random folded texts, cut into random blocks, with
// tokens longer than sixteen bytes, digits at every place, runs of stops,
// " dot " and the other link separators.
func TestTokenizeBlockMatchesGo(t *testing.T) {
	pieces := []string{"a", "z", "0", "9", "q7", " ", "  ", ".", "!", "?", "\"", ")", "(", "[", "{", "-", "\n", "\t", ",",
		"%", ":", "#", "'", "`", "/", "@", "\x80", "\x01", "\x7f", " dot ", " dotx", " d", "d", "dot", " .", " [",
		"abcdefghijklmnopq", "0123456789012345678", "1z999aa10123456784", "example.com", "a.b", "e.g.", "?!\")", ". "}
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 5000 {
		var text []byte
		for want := r.IntN(120); len(text) < want; {
			text = append(text, pieces[r.IntN(len(pieces))]...)
		}
		n := len(text)
		norm := append(text, make([]byte, normPad)...)
		sizes := []int{1 + r.IntN(40), 1 + r.IntN(8), 256}
		got := runBlocks(tokenizeBlock, norm, n, sizes)
		want := runBlocks(tokenizeBlockGo, norm, n, sizes)
		if !got.equal(want) {
			t.Fatalf("round %d, %q in blocks of %v:\nassembly %+v\n      Go %+v", round, text, sizes, got, want)
		}
	}
}

// FuzzTokenizeBlockMatchesGo compares the two scanners on the folded form
// of any text, in blocks of a size the input picks.
func FuzzTokenizeBlockMatchesGo(f *testing.F) {
	for _, s := range []string{"Visit oakridge dot com. Call 1-800-555-0199!", "a.b (c) [d] {e} -f", "1Z999AA10123456784 x"} {
		f.Add(s, uint8(7))
	}
	f.Fuzz(func(t *testing.T, s string, size uint8) {
		var nt normText
		nt.reset(s)
		n := len(nt.norm)
		norm := nt.norm[:n+normPad]
		sizes := []int{1 + int(size), 256}
		got := runBlocks(tokenizeBlock, norm, n, sizes)
		want := runBlocks(tokenizeBlockGo, norm, n, sizes)
		if !got.equal(want) {
			t.Fatalf("%q in blocks of %v:\nassembly %+v\n      Go %+v", s, sizes, got, want)
		}
	})
}
