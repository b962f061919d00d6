package policy

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// refMerge merges b (sorted) into a as combine once did.
func refMerge(a, b []hit) []hit {
	var out []hit
	for len(a) > 0 && len(b) > 0 {
		if hitLess(&b[0], &a[0]) {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// insertHits must place each extra hit where the merge did, ties and hits
// with one start in any order of ends included.
func TestInsertHitsAsMerge(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 2000; n++ {
		var a, b []hit
		ns := int32(0)
		for range r.IntN(12) {
			ns += int32(r.IntN(3))
			a = append(a, hit{pat: int32(len(a)), ns: ns, ne: ns + int32(r.IntN(4))})
		}
		for range r.IntN(4) {
			s := int32(r.IntN(int(ns) + 3))
			b = append(b, hit{pat: -1 - int32(len(b)), ns: s, ne: s + int32(r.IntN(4))})
		}
		slices.SortStableFunc(b, func(x, y hit) int {
			if hitLess(&x, &y) {
				return -1
			}
			if hitLess(&y, &x) {
				return 1
			}
			return 0
		})
		want := refMerge(a, b)
		got := insertHits(slices.Clone(a), b)
		if !slices.Equal(got, want) {
			t.Fatalf("insertHits(%v, %v) = %v, want %v", a, b, got, want)
		}
	}
}
