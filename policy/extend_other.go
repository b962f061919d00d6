//go:build !wasm

package policy

// longest returns the end of the longest match of x.sq.slots[1:] from norm
// offset pos, lex[from:] onwards, or -1. Native builds recurse (extend),
// which costs little there; policy.wasm follows the matches in assembly
// (extend_wasm.go).
func (x *extension) longest(pos int32, from int) int32 { return x.extend(1, pos, from) }
