// The trie walk of scan for policy.wasm, written by hand: Go's wasm output
// sends every turn of every loop through the function's jump table and keeps
// its variables in memory across calls, which made this loop about four
// times dearer than it needs to be under wazero. walk.go holds the same walk
// in Go, which the native build runs; both are tested against refScan.

#include "go_asm.h"
#include "textflag.h"
#include "wasm_asm.h"

// PUT_LEXEME writes {word W, start R7, end E} (registers) at R5, moves R5
// on and counts it in R6.
#define PUT_LEXEME(W, E) Get R5; I32WrapI64; Get W; I64Store32 $0; Get R5; I32WrapI64; Get R7; I64Store32 $4; Get R5; I32WrapI64; Get E; I64Store32 $8; INC(R5, 12); INC(R6, 1)

// func walkStarts(cells, norm, ends, starts unsafe.Pointer, n int, out unsafe.Pointer) int
//
// R0 cells, R1 norm, R2 ends, R3 the next start, R4 starts left,
// R5 where the next lexeme goes, R6 lexemes written, R7 the start s,
// R8 j, R9 node (its base), R10 e then x, R11 e's owner ^ node then a
// word, R12 the end of a prefix word.
TEXT ·walkStarts(SB), NOSPLIT, $0-56
	ARG(cells+0, R0)
	ARG(norm+8, R1)
	ARG(ends+16, R2)
	ARG(starts+24, R3)
	ARG(n+32, R4)
	ARG(out+40, R5)
	I64Const $0
	Set R6

	Block // done
	Loop // each start
		Get R4
		I64Eqz
		BrIf $1

		// s = *starts; starts++; n--
		Get R3
		I32WrapI64
		I64Load32S $0
		Tee R7
		Set R8
		INC(R3, 4)
		INC(R4, -1)
		I64Const $0
		Set R9

		Block // the walk ends
		Loop // each step
			// e = cells[node + classOf[norm[j]]]
			Get R0
			Get R9
			I64Const $·classOf(SB)
			BYTE_AT(R1, R8)
			LOOKUP
			I64Add
			I64Const $2
			I64Shl
			I64Add
			I32WrapI64
			I64Load32U $0
			Tee R10
			Get R9
			I64Xor
			I64Const $0xFFFF
			I64And
			Tee R11 // e's owner ^ node: 0 on a plain step, endsWord where words end
			I64Eqz
			If // a plain step
				Get R10
				I64Const $16
				I64ShrU
				Set R9
				INC(R8, 1)
				Br $1 // next step
			End
			Get R11
			I64Const $const_endsWord
			I64Ne
			If // no way on: the walk ends, but on an apostrophe
				BYTE_AT(R1, R8)
				I64Const $39 // '\''
				I64Eq
				If // the node stays put
					INC(R8, 1)
					Br $2 // next step
				End
				Br $2 // the walk ends
			End
			INC(R8, 1)
			Get R10
			I64Const $16
			I64ShrU
			Set R9

			// x = ends[node], for a leaf ends[the index its cell names]
			Get R2
			Get R9
			I64Const $0x7FFF
			I64And
			I64Const $2
			I64Shl
			I64Add
			I32WrapI64
			I64Load32U $0
			Set R10

			// The exact word, if any, when it needs no boundary or
			// norm[j] is not a letter or digit (norm is followed by zero
			// bytes, so norm[j] can always be read).
			Get R10
			I64Const $0x7FFF
			I64And
			I64Eqz
			I32Eqz
			If
				Get R10
				I64Const $0x8000
				I64And
				I64Eqz
				BYTE_AT(R1, R8)
				Set R11
				NOT_ALNUM(R11)
				I32Or
				If
					Get R10
					I64Const $0x7FFF
					I64And
					I64Const $1
					I64Sub
					Set R11
					PUT_LEXEME(R11, R8)
				End
			End

			// The prefix word, if any: it ends where the letters and
			// digits from j end.
			Get R10
			I64Const $16
			I64ShrU
			I64Eqz
			I32Eqz
			If
				Get R8
				Set R12
				Block
				Loop
					BYTE_AT(R1, R12)
					Set R11
					NOT_ALNUM(R11)
					BrIf $1
					INC(R12, 1)
					Br $0
				End
				End
				Get R10
				I64Const $16
				I64ShrU
				I64Const $1
				I64Sub
				Set R11
				PUT_LEXEME(R11, R12)
			End
			Get R9
			I64Const $const_leafNode
			I64And
			I64Eqz
			BrIf $0 // next step
			Br $1 // a leaf: no way on, the walk ends
		End
		End
		Br $0 // next start
	End
	End

	Get SP
	Get R6
	I64Store ret+48(FP)
	RET
