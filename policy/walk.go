//go:build !wasm

package policy

import "unsafe"

// walkStarts walks the trie from each of the n starts (int32 norm offsets)
// and writes the words found to out, which has room for all of them; it
// returns how many it wrote. policy.wasm has it in assembly (walk_wasm.s):
// keep the two the same.
//
// next is the trie's transition table, ends its packed word ends (see
// trie), and norm the folded text, followed by zero bytes, which no
// transition takes: every walk ends without a bounds test.
func walkStarts(next, norm, ends, starts unsafe.Pointer, n int, out unsafe.Pointer) int {
	w := 0
	put := func(word int32, s, e int32) {
		*(*lexeme)(unsafe.Add(out, w*int(unsafe.Sizeof(lexeme{})))) = lexeme{word: word, ns: s, ne: e}
		w++
	}
	for k := 0; k < n; k++ {
		s := *(*int32)(unsafe.Add(starts, k*4))
		st, j := 0, int(s)
		for {
			e := *(*uint16)(unsafe.Add(next, (st*numClasses+int(classOf[*(*byte)(unsafe.Add(norm, j))]))*2))
			j++
			if e-1 < endsWord-1 { // a plain step (no word ends): take the next at once
				st = int(e)
				e = *(*uint16)(unsafe.Add(next, (st*numClasses+int(classOf[*(*byte)(unsafe.Add(norm, j))]))*2))
				j++
				if e-1 < endsWord-1 {
					st = int(e)
					continue
				}
			}
			if e == 0 {
				break
			}
			st = int(e &^ endsWord)
			if e&endsWord == 0 {
				continue
			}
			// Words end at node st, at j.
			x := *(*uint32)(unsafe.Add(ends, st*4))
			if word := int32(x&0x7FFF) - 1; word >= 0 && (x&0x8000 == 0 || !isAlnum(*(*byte)(unsafe.Add(norm, j)))) {
				put(word, s, int32(j))
			}
			if word := int32(x>>16) - 1; word >= 0 {
				end := j
				for isAlnum(*(*byte)(unsafe.Add(norm, end))) {
					end++
				}
				put(word, s, int32(end))
			}
		}
	}
	return w
}
