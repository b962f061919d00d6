// extendFlat for policy.wasm: extend (matcher.go) without recursion, with a
// stack of partial matches. Only the longest end is kept, so the order in
// which the partial matches are followed does not matter. The policy tests
// run it compiled for wasm (make policy-wasm-test) against the same golden
// files and corpus as the recursive extend.

#include "go_asm.h"
#include "textflag.h"
#include "wasm_asm.h"

// PUSH stores the partial match {K, POS, FROM} (registers) on the stack.
#define PUSH(K, POS, FROM) Get R6; I32WrapI64; Get K; I64Store32 $partial_k; Get R6; I32WrapI64; Get POS; I64Store32 $partial_pos; Get R6; I32WrapI64; Get FROM; I64Store32 $partial_from; INC(R6, partial__size)

// func extendFlat(norm, lex unsafe.Pointer, nlex int, slots unsafe.Pointer, nslots, k, pos, from int, stack unsafe.Pointer) int32
//
// R0 norm, R1 lex, R2 nlex, R3 slots, R4 nslots, R5 the stack's bottom,
// R6 its top, R7 the longest end, R8 k, R9 pos, R10 from, R11 where the
// next word starts, R12 j, R13 slots[k], R14 lex[j], R15 scratch.
TEXT ·extendFlat(SB), NOSPLIT, $0-76
	ARG(norm+0, R0)
	ARG(lex+8, R1)
	ARG(nlex+16, R2)
	ARG(slots+24, R3)
	ARG(nslots+32, R4)
	I64Load stack+64(FP)
	Tee R5
	Set R6
	I64Const $-1
	Set R7
	ARG(k+40, R8)
	ARG(pos+48, R9)
	ARG(from+56, R10)
	PUSH(R8, R9, R10)

	Block // done
	Loop // each partial match
		Get R6
		Get R5
		I64Eq
		BrIf $1
		Get R6
		I64Const $partial__size
		I64Sub
		Set R6
		Get R6
		I32WrapI64
		I64Load32S $partial_k
		Set R8
		Get R6
		I32WrapI64
		I64Load32S $partial_pos
		Set R9
		Get R6
		I32WrapI64
		I64Load32S $partial_from
		Set R10

		// every slot matched: a whole match, ending at pos
		Get R8
		Get R4
		I64Eq
		If
			Get R9
			Get R7
			Get R9
			Get R7
			I64GtS
			Select
			Set R7
			Br $1 // next partial match
		End

		// slots[k]
		Get R3
		Get R8
		I64Const $slot__size
		I64Mul
		I64Add
		Set R13

		// next: past separators and apostrophes (nextWord)
		Get R9
		Set R11
		Block
		Loop
			I64Const $·classOf(SB)
			BYTE_AT(R0, R11)
			LOOKUP
			I64Const $const_clsSep
			I64LtU
			BrIf $1
			INC(R11, 1)
			Br $0
		End
		End

		// ... at a word boundary: words found there may follow
		Get R11
		Get R9
		I64GtS
		Get R9
		I64Const $1
		I64Sub
		Set R15
		BYTE_AT(R0, R15)
		Set R15
		NOT_ALNUM(R15)
		I32Or
		BYTE_AT(R0, R11)
		Set R15
		NOT_ALNUM(R15)
		I32Or
		If
			Get R10
			Set R12
			Block
			Loop
				Get R12
				Get R2
				I64GeS
				BrIf $1
				// lex[j]
				Get R1
				Get R12
				I64Const $lexeme__size
				I64Mul
				I64Add
				Tee R14
				I32WrapI64
				I64Load32S $lexeme_ns
				Tee R15
				Get R11
				I64GtS
				BrIf $1 // past next: no more
				Get R15
				Get R11
				I64Eq
				If
					// slots[k].bits has lex[j].word?
					Get R14
					I32WrapI64
					I64Load32S $lexeme_word
					Set R15
					IN_SET(Get R13; I32WrapI64; I64Load $slot_bits, Get R15)
					If
						INC(R8, 1)
						Get R14
						I32WrapI64
						I64Load32S $lexeme_ne
						Set R15
						INC(R12, 1)
						PUSH(R8, R15, R12)
						INC(R12, -1)
						INC(R8, -1)
					End
				End
				INC(R12, 1)
				Br $0
			End
			End
		End

		// an optional slot may be skipped
		Get R13
		I32WrapI64
		I64Load8U $slot_opt
		I32WrapI64
		If
			INC(R8, 1)
			PUSH(R8, R9, R10)
		End
		Br $0 // next partial match
	End
	End

	Get SP
	Get R7
	I64Store32 ret+72(FP)
	RET
