//go:build !wasm

package policy

import "unsafe"

// walkStarts walks the trie from each of the n starts (int32 norm offsets)
// and writes the words found to out, which has room for all of them; it
// returns how many it wrote. policy.wasm has it in assembly (walk_wasm.s):
// keep the two the same.
//
// cells and ends are the trie's (see trie), and norm the folded text,
// followed by zero bytes, which no transition takes: every walk ends
// without a bounds test.
func walkStarts(cells, norm, ends, starts unsafe.Pointer, n int, out unsafe.Pointer) int {
	w := 0
	put := func(word int32, s, e int32) {
		*(*lexeme)(unsafe.Add(out, w*int(unsafe.Sizeof(lexeme{})))) = lexeme{word: word, ns: s, ne: e}
		w++
	}
	step := func(st, j int) uint32 {
		return *(*uint32)(unsafe.Add(cells, (st+int(classOf[*(*byte)(unsafe.Add(norm, j))]))*4))
	}
	for k := 0; k < n; k++ {
		s := *(*int32)(unsafe.Add(starts, k*4))
		st, j := 0, int(s)
		for {
			e := step(st, j)
			j++
			if uint16(e) == uint16(st) { // a plain step (no word ends): take the next at once
				st = int(e >> 16)
				e = step(st, j)
				j++
				if uint16(e) == uint16(st) {
					st = int(e >> 16)
					continue
				}
			}
			if uint16(e) != uint16(st|endsWord) {
				// No way on; but a node stays put on an apostrophe
				// ("don't" walks as "dont"; the only byte of class
				// clsSkip). Tested here, once a walk, rather than as a
				// self-loop in every node's cells, which would double
				// them. The root never sees one: no walk starts at an
				// apostrophe (tokenize).
				if *(*byte)(unsafe.Add(norm, j-1)) == '\'' {
					continue
				}
				break
			}
			// Words end at the node e leads to, at j.
			st = int(e >> 16)
			x := *(*uint32)(unsafe.Add(ends, (st&^leafNode)*4))
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
			if st&leafNode != 0 {
				break // a leaf: no way on
			}
		}
	}
	return w
}
