// tokenize's scanner for policy.wasm, written by hand for the same reason
// as walk_wasm.s. tokenize_block.go is the same in Go, and the tests hold
// both to the tokenizer's references (make policy-wasm-test runs them
// compiled for wasm).

#include "go_asm.h"
#include "textflag.h"

// func tokenizeBlock(norm unsafe.Pointer, n, lim int, c *tokCursor)
//
// R0 norm, R1 n, R2 i, R3 lim, R4 the next token, R5 start, R6 end,
// R7 number index, R8 link index (where each goes), R9 c.runEnd,
// R10 kind or byte, R11 j, R12 the token's start,
// R13 its digits, R14 w or a byte, R15 scratch.
TEXT ·tokenizeBlock(SB), NOSPLIT, $0-32
	I64Load norm+0(FP)
	Set R0
	I64Load n+8(FP)
	Set R1
	I64Load lim+16(FP)
	Set R3
	I64Load c+24(FP)
	I32WrapI64
	I64Load $tokCursor_i
	Set R2
	I64Load c+24(FP)
	I32WrapI64
	I64Load $tokCursor_runEnd
	Set R9
	I64Load c+24(FP)
	I32WrapI64
	I64Load $tokCursor_toks
	Set R4
	I64Load c+24(FP)
	I32WrapI64
	I64Load $tokCursor_starts
	Set R5
	I64Load c+24(FP)
	I32WrapI64
	I64Load $tokCursor_ends
	Set R6
	I64Load c+24(FP)
	I32WrapI64
	I64Load $tokCursor_nums
	Set R7
	I64Load c+24(FP)
	I32WrapI64
	I64Load $tokCursor_links
	Set R8

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
			Else
				Get R2
				Get R9
				I64GeS
				If // a new run of . ! ? " )
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
					Get R11
					Set R9
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
					End
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

		// toks: {start, i, digits, i-start-digits}
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
		// starts: start
		Get R5
		I32WrapI64
		Get R12
		I64Store32 $0
		Get R5
		I64Const $4
		I64Add
		Set R5

		// nums: the index of an all-digit token
		Get R13
		Get R2
		Get R12
		I64Sub
		I64Eq
		If
			Get R7
			I32WrapI64
			// the token's index: its distance from c.tok0
			Get R4
			I64Const $16
			I64Sub
			I64Load c+24(FP)
			I32WrapI64
			I64Load $tokCursor_tok0
			I64Sub
			I64Const $4
			I64ShrU
			I64Store32 $0
			Get R7
			I64Const $4
			I64Add
			Set R7
		End

		// links: the index of a token a link may start with (linkAfter):
		// '.', '[', '(', '{' or '-' follows, or a space and then one of
		// '.', '[', '(', '{', ' ', the end, or the word "dot". Most tokens
		// are followed by a space and a letter other than 'd': ruled out
		// first.
		Block // not a link
			Get R2
			Get R1
			I64GeS
			BrIf $0
			Get R0
			Get R2
			I64Add
			I32WrapI64
			I64Load8U $0
			Tee R10
			I64Const $32
			I64Eq
			If
				Get R2
				I64Const $1
				I64Add
				Get R1
				I64LtS
				If
					Get R0
					Get R2
					I64Add
					I32WrapI64
					I64Load8U $1
					Tee R14
					I64Const $97
					I64Sub
					I64Const $26
					I64LtU
					Get R14
					I64Const $100 // d
					I64Ne
					I32And
					BrIf $2 // a word follows
					Get R14
					I64Const $46 // .
					I64Eq
					Get R14
					I64Const $91 // [
					I64Eq
					I32Or
					Get R14
					I64Const $40 // (
					I64Eq
					I32Or
					Get R14
					I64Const $123 // {
					I64Eq
					I32Or
					Get R14
					I64Const $32 // space
					I64Eq
					I32Or
					// "dot" as a word
					Get R14
					I64Const $100 // d
					I64Eq
					Get R0
					Get R2
					I64Add
					I32WrapI64
					I64Load8U $2
					I64Const $111 // o
					I64Eq
					I32And
					Get R0
					Get R2
					I64Add
					I32WrapI64
					I64Load8U $3
					I64Const $116 // t
					I64Eq
					I32And
					Get R0
					Get R2
					I64Add
					I32WrapI64
					I64Load8U $4
					Tee R15
					I64Const $97
					I64Sub
					I64Const $26
					I64LtU
					Get R15
					I64Const $48
					I64Sub
					I64Const $10
					I64LtU
					I32Or
					I32Eqz
					I32And
					I32Or
					I32Eqz
					BrIf $2 // not a link
				End
			Else
				Get R10
				I64Const $46 // .
				I64Eq
				Get R10
				I64Const $91 // [
				I64Eq
				I32Or
				Get R10
				I64Const $40 // (
				I64Eq
				I32Or
				Get R10
				I64Const $123 // {
				I64Eq
				I32Or
				Get R10
				I64Const $45 // -
				I64Eq
				I32Or
				I32Eqz
				BrIf $1 // not a link
			End
			Get R8
			I32WrapI64
			// the token's index: its distance from c.tok0
			Get R4
			I64Const $16
			I64Sub
			I64Load c+24(FP)
			I32WrapI64
			I64Load $tokCursor_tok0
			I64Sub
			I64Const $4
			I64ShrU
			I64Store32 $0
			Get R8
			I64Const $4
			I64Add
			Set R8
		End
		Br $0 // next turn
	End
	End

	I64Load c+24(FP)
	I32WrapI64
	Get R2
	I64Store $tokCursor_i
	I64Load c+24(FP)
	I32WrapI64
	Get R9
	I64Store $tokCursor_runEnd
	I64Load c+24(FP)
	I32WrapI64
	Get R4
	I64Store $tokCursor_toks
	I64Load c+24(FP)
	I32WrapI64
	Get R5
	I64Store $tokCursor_starts
	I64Load c+24(FP)
	I32WrapI64
	Get R6
	I64Store $tokCursor_ends
	I64Load c+24(FP)
	I32WrapI64
	Get R7
	I64Store $tokCursor_nums
	I64Load c+24(FP)
	I32WrapI64
	Get R8
	I64Store $tokCursor_links
	RET
