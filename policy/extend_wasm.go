//go:build wasm

package policy

import "unsafe"

// partial is a way to match a sequence partly: the slots before k matched,
// ending at norm offset pos, the next words to be looked for from lex[from].
// extend_wasm.s keeps them on a stack.
type partial struct{ k, pos, from int32 }

// extendStack bounds the partial matches extendFlat keeps: each slot adds
// at most extension.room, and the sequences have a few slots.
const extendStack = 128

// extendScratch is extendFlat's stack: policy.wasm runs one lint at a time,
// and extendFlat never yields.
var extendScratch [extendStack]partial

// longest returns the end of the longest match of x.sq.slots[1:] from norm
// offset pos, lex[from:] onwards, or -1. In policy.wasm the assembly
// (extend_wasm.s) follows the matches with a stack instead of recursing:
// each call of a Go function costs a hundred-odd instructions under
// wazero. A sequence that could need more stack than there is recurses.
func (x *extension) longest(pos int32, from int) int32 {
	if len(x.sq.slots)*x.room > extendStack {
		return x.extend(1, pos, from)
	}
	return extendFlat(unsafe.Pointer(unsafe.SliceData(x.norm)), unsafe.Pointer(unsafe.SliceData(x.lex)), len(x.lex),
		unsafe.Pointer(unsafe.SliceData(x.sq.slots)), len(x.sq.slots), 1, int(pos), from, unsafe.Pointer(&extendScratch))
}

// extendFlat is extend over slots[k:nslots] (of type slot) from norm
// offset pos, looking in lex[from:nlex]: it returns the end of the longest
// match, or -1. stack has room for extendStack partial matches.
//
//go:noescape
func extendFlat(norm, lex unsafe.Pointer, nlex int, slots unsafe.Pointer, nslots, k, pos, from int, stack unsafe.Pointer) int32
