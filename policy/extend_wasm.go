//go:build wasm

package policy

import "unsafe"

// flatExtend: policy.wasm follows a sequence's matches with a stack, in
// assembly (extend_wasm.s), instead of recursing: each call of a Go
// function costs a hundred-odd instructions under wazero.
const flatExtend = true

// extendFlat is extend over slots[k:nslots] (of type slot) from norm
// offset pos, looking in lex[from:nlex]: it returns the end of the longest
// match, or -1. stack has room for extendStack partial matches.
//
//go:noescape
func extendFlat(norm, lex unsafe.Pointer, nlex int, slots unsafe.Pointer, nslots, k, pos, from int, stack unsafe.Pointer) int32
