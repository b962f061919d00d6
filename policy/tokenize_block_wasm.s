// tokenize's scanner for policy.wasm, written by hand for the same reason
// as walk_wasm.s. tokenize_block.go is the same in Go, and the tests hold
// both to the byte-at-a-time reference (make policy-wasm-test runs them
// compiled for wasm).

#include "go_asm.h"
#include "textflag.h"

// func tokenizeBlock(norm unsafe.Pointer, n, i, lim int, toks, starts, ends unsafe.Pointer) (next, nt, ns, ne int)
//
// R0 norm, R1 n, R2 i, R3 lim, R4 where the next token goes, R5 the next
// start, R6 the next end, R7 tokens written, R8 starts, R9 ends,
// R10 kind or byte, R11 j, R12 token start, R13 digits, R14 w, R15 scratch.
TEXT ·tokenizeBlock(SB), NOSPLIT, $0-88
	I64Load norm+0(FP)
	Set R0
	I64Load n+8(FP)
	Set R1
	I64Load i+16(FP)
	Set R2
	I64Load lim+24(FP)
	Set R3
	I64Load toks+32(FP)
	Set R4
	I64Load starts+40(FP)
	Set R5
	I64Load ends+48(FP)
	Set R6
	I64Const $0
	Set R7
	I64Const $0
	Set R8
	I64Const $0
	Set R9

	Block // done
	Loop // each turn
		Get R2
		Get R3
		I64GeS
		BrIf $1

		// kind = byteKind[norm[i]]
		I64Const $·byteKind(SB)
		Get R0
		Get R2
		I64Add
		I32WrapI64
		I64Load8U $0
		I64Add
		I32WrapI64
		I64Load8U $0
		Tee R10

		// other: i++
		I64Const $const_kindOther
		I64Eq
		If
			Get R2
			I64Const $1
			I64Add
			Set R2
			Br $1 // next turn
		End

		// punctuation: a start
		Get R10
		I64Const $const_kindPunct
		I64Eq
		If
			Get R5
			I32WrapI64
			Get R2
			I64Store32 $0
			Get R5
			I64Const $4
			I64Add
			Set R5
			Get R8
			I64Const $1
			I64Add
			Set R8
			Get R2
			I64Const $1
			I64Add
			Set R2
			Br $1
		End

		// a stop: . ! ? or a line feed
		Get R10
		I64Const $const_kindStop
		I64Eq
		If
			Get R0
			Get R2
			I64Add
			I32WrapI64
			I64Load8U $0
			I64Const $10
			I64Eq
			If
				// a line feed ends a sentence after it
				Get R6
				I32WrapI64
				Get R2
				I64Const $1
				I64Add
				I64Store32 $0
				Get R6
				I64Const $4
				I64Add
				Set R6
				Get R9
				I64Const $1
				I64Add
				Set R9
			Else
				// j past the run of . ! ? " )
				Get R2
				I64Const $1
				I64Add
				Set R11
				Block
				Loop
					Get R11
					Get R1
					I64GeS
					BrIf $1
					Get R0
					Get R11
					I64Add
					I32WrapI64
					I64Load8U $0
					Tee R10
					I64Const $46 // .
					I64Eq
					Get R10
					I64Const $33 // !
					I64Eq
					I32Or
					Get R10
					I64Const $63 // ?
					I64Eq
					I32Or
					Get R10
					I64Const $34 // "
					I64Eq
					I32Or
					Get R10
					I64Const $41 // )
					I64Eq
					I32Or
					I32Eqz
					BrIf $1
					Get R11
					I64Const $1
					I64Add
					Set R11
					Br $0
				End
				End
				// a sentence ends at j if the text does or a space follows
				Get R11
				Get R1
				I64Eq
				Get R0
				Get R11
				I64Add
				I32WrapI64
				I64Load8U $0
				Tee R10
				I64Const $32
				I64Eq
				I32Or
				Get R10
				I64Const $10
				I64Eq
				I32Or
				Get R10
				I64Const $9
				I64Eq
				I32Or
				If
					Get R6
					I32WrapI64
					Get R11
					I64Store32 $0
					Get R6
					I64Const $4
					I64Add
					Set R6
					Get R9
					I64Const $1
					I64Add
					Set R9
					Get R11
					Set R2
					Br $3 // next turn, at j
				End
			End
			Get R2
			I64Const $1
			I64Add
			Set R2
			Br $1 // next turn
		End

		// A token: its end eight bytes at a time (see tokenize_block.go).
		Get R2
		Set R12
		I64Const $0
		Set R13
		Block
		Loop
			Get R0
			Get R2
			I64Add
			I32WrapI64
			I64Load $0
			Tee R14
			// dg = (w + 0x50..) &^ (w + 0x46..) &^ w & highs
			I64Const $0x5050505050505050
			I64Add
			Get R14
			I64Const $0x4646464646464646
			I64Add
			I64Const $-1
			I64Xor
			I64And
			Get R14
			I64Const $-1
			I64Xor
			I64And
			I64Const $-0x7f7f7f7f7f7f7f80 // 0x8080808080808080
			I64And
			Set R10
			// an = (w + 0x1F..) &^ (w + 0x05..) &^ w & highs | dg
			Get R14
			I64Const $0x1F1F1F1F1F1F1F1F
			I64Add
			Get R14
			I64Const $0x0505050505050505
			I64Add
			I64Const $-1
			I64Xor
			I64And
			Get R14
			I64Const $-1
			I64Xor
			I64And
			I64Const $-0x7f7f7f7f7f7f7f80
			I64And
			Get R10
			I64Or
			// k = ctz(^an & highs) >> 3
			I64Const $-1
			I64Xor
			I64Const $-0x7f7f7f7f7f7f7f80
			I64And
			I64Ctz
			I64Const $3
			I64ShrU
			Tee R15
			I64Const $8
			I64Eq
			If
				// all eight bytes are the token's
				Get R13
				Get R10
				I64Popcnt
				I64Add
				Set R13
				Get R2
				I64Const $8
				I64Add
				Set R2
				Br $1 // eight more
			End
			// digits += popcount(dg & (1<<(8k) - 1)); i += k
			Get R13
			Get R10
			I64Const $1
			Get R15
			I64Const $3
			I64Shl
			I64Shl
			I64Const $1
			I64Sub
			I64And
			I64Popcnt
			I64Add
			Set R13
			Get R2
			Get R15
			I64Add
			Set R2
		End
		End

		// toks[nt] = {start, i, digits, i-start-digits}
		Get R4
		I32WrapI64
		Get R12
		I64Store32 $0
		Get R4
		I32WrapI64
		Get R2
		I64Store32 $4
		Get R4
		I32WrapI64
		Get R13
		I64Store32 $8
		Get R4
		I32WrapI64
		Get R2
		Get R12
		I64Sub
		Get R13
		I64Sub
		I64Store32 $12
		Get R4
		I64Const $16
		I64Add
		Set R4
		Get R7
		I64Const $1
		I64Add
		Set R7
		// starts[ns] = start
		Get R5
		I32WrapI64
		Get R12
		I64Store32 $0
		Get R5
		I64Const $4
		I64Add
		Set R5
		Get R8
		I64Const $1
		I64Add
		Set R8
		Br $0 // next turn
	End
	End

	Get SP
	Get R2
	I64Store next+56(FP)
	Get SP
	Get R7
	I64Store nt+64(FP)
	Get SP
	Get R8
	I64Store ns+72(FP)
	Get SP
	Get R9
	I64Store ne+80(FP)
	RET
