//go:build wasm

package policy

import "unsafe"

// walkStarts walks the trie from each of the n starts (int32 norm offsets)
// and writes the words found to out, which has room for all of them; it
// returns how many it wrote. In walk_wasm.s.
//
//go:noescape
func walkStarts(cells, norm, ends, starts unsafe.Pointer, n int, out unsafe.Pointer) int
