//go:build !wasm

package policy

import "unsafe"

// flatExtend: native builds recurse (extend); policy.wasm walks the
// matches with a stack in assembly (extend_wasm.s), where calls are dear.
const flatExtend = false

func extendFlat(norm, lex unsafe.Pointer, nlex int, slots unsafe.Pointer, nslots, k, pos, from int, stack unsafe.Pointer) int32 {
	panic("policy: extendFlat is policy.wasm's")
}
