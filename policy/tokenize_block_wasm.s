// tokenize's scanner for policy.wasm, written by hand for the same reason
// as walk_wasm.s. tokenize_block.go is the same in Go, and the tests hold
// both to the tokenizer's references (make policy-wasm-test runs them
// compiled for wasm).

#include "go_asm.h"
#include "textflag.h"
#include "wasm_asm.h"

// BYTES_IN pushes (w + A) &^ (w + B) &^ w & 0x8080808080808080 for w in
// register W: a flag in each byte of w that lies in the range A and B
// select (exact while the bytes are at most 0x80, as folded bytes are).
#define BYTES_IN(W, A, B) Get W; I64Const $A; I64Add; Get W; I64Const $B; I64Add; I64Const $-1; I64Xor; I64And; Get W; I64Const $-1; I64Xor; I64And; I64Const $-0x7f7f7f7f7f7f7f80; I64And

// DOT_OR_OPEN pushes whether register R holds '.', '[', '(' or '{'.
#define DOT_OR_OPEN(R) IS(R, 46); IS(R, 91); I32Or; IS(R, 40); I32Or; IS(R, 123); I32Or

// TOKEN_INDEX pushes the index of the token just written: its distance
// from c.tok0.
#define TOKEN_INDEX Get R4; I64Const $16; I64Sub; I64Load c+24(FP); I32WrapI64; I64Load $tokCursor_tok0; I64Sub; I64Const $4; I64ShrU

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
		BYTE_AT(R0, R2)
		LOOKUP
		Tee R10

		// other: i++
		I64Const $const_kindOther
		I64Eq
		If
			INC(R2, 1)
			Br $1 // next turn
		End

		// punctuation: a start
		Get R10
		I64Const $const_kindPunct
		I64Eq
		If
			PUT32(R5, R2)
			INC(R2, 1)
			Br $1
		End

		// a stop: . ! ? or a line feed
		Get R10
		I64Const $const_kindStop
		I64Eq
		If
			BYTE_AT(R0, R2)
			I64Const $10
			I64Eq
			If
				// a line feed ends a sentence after it
				Get R2
				I64Const $1
				I64Add
				Set R11
				PUT32(R6, R11)
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
						BYTE_AT(R0, R11)
						Set R10
						IS(R10, 46) // .
						IS(R10, 33) // !
						I32Or
						IS(R10, 63) // ?
						I32Or
						IS(R10, 34) // "
						I32Or
						IS(R10, 41) // )
						I32Or
						I32Eqz
						BrIf $1
						INC(R11, 1)
						Br $0
					End
					End
					Get R11
					Set R9
					// a sentence ends at j if the text does or a space follows
					Get R11
					Get R1
					I64Eq
					BYTE_AT(R0, R11)
					Set R10
					IS(R10, 32)
					I32Or
					IS(R10, 10)
					I32Or
					IS(R10, 9)
					I32Or
					If
						PUT32(R6, R11)
					End
				End
			End
			INC(R2, 1)
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
			Set R14
			// dg: the digits 0x30..0x39; an: those and the letters 0x61..0x7A
			BYTES_IN(R14, 0x5050505050505050, 0x4646464646464646)
			Set R10
			BYTES_IN(R14, 0x1F1F1F1F1F1F1F1F, 0x0505050505050505)
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
				INC(R2, 8)
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
		INC(R4, 16)
		// starts: start
		PUT32(R5, R12)

		// nums: the index of an all-digit token
		Get R13
		Get R2
		Get R12
		I64Sub
		I64Eq
		If
			TOKEN_INDEX
			Set R11
			PUT32(R7, R11)
		End

		// links: the index of a token a link may start with (linkAfter):
		// '.' and a letter or digit, '[', '(', '{' or '-' follows, or a space and then one of
		// '.', '[', '(', '{', ' ', the end, or the word "dot". Most tokens
		// are followed by a space and a letter other than 'd': ruled out
		// first.
		Block // not a link
			Get R2
			Get R1
			I64GeS
			BrIf $0
			BYTE_AT(R0, R2)
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
					DOT_OR_OPEN(R14)
					IS(R14, 32) // space
					I32Or
					// "dot" as a word
					IS(R14, 100) // d
					Get R0
					Get R2
					I64Add
					Tee R15 // norm+i, for norm[i+2..i+4]
					I32WrapI64
					I64Load8U $2
					I64Const $111 // o
					I64Eq
					I32And
					Get R15
					I32WrapI64
					I64Load8U $3
					I64Const $116 // t
					I64Eq
					I32And
					Get R15
					I32WrapI64
					I64Load8U $4
					Set R15
					NOT_ALNUM(R15)
					I32And
					I32Or
					I32Eqz
					BrIf $2 // not a link
				End
			Else
				IS(R10, 91) // [
				IS(R10, 40) // (
				I32Or
				IS(R10, 123) // {
				I32Or
				IS(R10, 45) // -
				I32Or
				// '.' before a letter or digit ("a.b"): a full stop
				// before a space ends a sentence, not a label
				IS(R10, 46)
				Get R0
				Get R2
				I64Add
				I32WrapI64
				I64Load8U $1
				Set R15
				NOT_ALNUM(R15)
				I32Eqz
				I32And
				I32Or
				I32Eqz
				BrIf $1 // not a link
			End
			TOKEN_INDEX
			Set R11
			PUT32(R8, R11)
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
