// matchFirst for policy.wasm, by hand; see match_wasm.go. It is
// match_other.go's loop over the words without the calls: the candidates
// it writes are what that loop would hand to longest, or to a hit at once.

#include "go_asm.h"
#include "textflag.h"
#include "wasm_asm.h"

// LEX(IDX, FIELD) pushes lex[IDX].FIELD (an int32) for lex in R1.
#define LEX(IDX, FIELD) Get R1; Get IDX; I64Const $lexeme__size; I64Mul; I64Add; I32WrapI64; I64Load32S $FIELD

// func matchFirst(norm, lex unsafe.Pointer, nlex, from, to int, words, firsts, seqs, out unsafe.Pointer) int
//
// R0 norm, R1 lex, R2 nlex, R3 words, R4 firsts, R5 seqs, R6 where the
// next candidate goes, R7 i, R8 &words[lex[i].word] then j, R9 sequences
// left, R10 the next in firsts, R11 a, R12 b, R13 the signatures of
// lex[a:b], R14 pos then si, R15 where the next word starts, then the
// sequence's signature, then &seqs[si].
TEXT ·matchFirst(SB), NOSPLIT, $0-80
	ARG(norm+0, R0)
	ARG(lex+8, R1)
	ARG(nlex+16, R2)
	ARG(from+24, R7)
	ARG(words+40, R3)
	ARG(firsts+48, R4)
	ARG(seqs+56, R5)
	ARG(out+64, R6)

	Block // done
	Loop // each word, lex[i], i in [from, to)
		Get R7
		I64Load to+32(FP)
		I64GeU
		BrIf $1

		// ws = &words[lex[i].word]; no sequence begins with it: next.
		Get R3
		LEX(R7, lexeme_word)
		I64Const $wordSeqs__size
		I64Mul
		I64Add
		Tee R8
		I32WrapI64
		I64Load16U $wordSeqs_n
		Tee R9
		I64Eqz
		If
			INC(R7, 1)
			Br $1 // next word
		End

		// The words that start right after lex[i] (lex[a:b]) and their
		// signatures, when a sequence wants them.
		I64Const $0
		Set R11
		I64Const $0
		Set R12
		I64Const $0
		Set R13
		Get R8
		I32WrapI64
		I64Load8U $wordSeqs_want
		I64Eqz
		I32Eqz
		If
			// nextWord: past separators and apostrophes from pos.
			LEX(R7, lexeme_ne)
			Tee R14
			Set R15
			Block
			Loop
				I64Const $·classOf(SB)
				BYTE_AT(R0, R15)
				LOOKUP
				I64Const $const_clsSep
				I64LtU
				BrIf $1
				INC(R15, 1)
				Br $0
			End
			End
			// ok: at > pos, or a word boundary on either side.
			Get R15
			Get R14
			I64GtU
			Get R0
			Get R14
			I64Add
			I64Const $1
			I64Sub
			I32WrapI64
			I64Load8U $0
			Set R10
			NOT_ALNUM(R10)
			I32Or
			BYTE_AT(R0, R15)
			Set R10
			NOT_ALNUM(R10)
			I32Or
			If
				// a = i+1, on past the words that start before at.
				Get R7
				Set R11
				INC(R11, 1)
				Block
				Loop
					Get R11
					Get R2
					I64GeU
					BrIf $1
					LEX(R11, lexeme_ns)
					Get R15
					I64GeS
					BrIf $1
					INC(R11, 1)
					Br $0
				End
				End
				// b: past the words that start at at, taking their
				// signatures (bit word%64).
				Get R11
				Set R12
				Block
				Loop
					Get R12
					Get R2
					I64GeU
					BrIf $1
					LEX(R12, lexeme_ns)
					Get R15
					I64Ne
					BrIf $1
					Get R13
					I64Const $1
					LEX(R12, lexeme_word)
					I64Shl
					I64Or
					Set R13
					INC(R12, 1)
					Br $0
				End
				End
			End
			// Every sequence needs one of ws.need's words next: none
			// there, next word.
			Get R8
			I32WrapI64
			I64Load $wordSeqs_need
			Tee R14
			I64Eqz
			I32Eqz
			Get R14
			Get R13
			I64And
			I64Eqz
			I32And
			If
				INC(R7, 1)
				Br $2 // next word
			End
		End

		// R10 = &firsts[ws.first]
		Get R4
		Get R8
		I32WrapI64
		I64Load32S $wordSeqs_first
		I64Const $firstSeq__size
		I64Mul
		I64Add
		Set R10

		Block // sequences done
		Loop // each sequence, firsts[...]
			Get R9
			I64Eqz
			BrIf $1
			INC(R9, -1)
			Get R10
			I32WrapI64
			I64Load32U $firstSeq_si
			Set R14
			Get R10
			I32WrapI64
			I64Load $firstSeq_sig
			Set R15
			INC(R10, firstSeq__size)

			// A second word must follow: one with the signature, then one
			// of sq.second.
			Get R15
			I64Eqz
			I32Eqz
			If
				Get R15
				Get R13
				I64And
				I64Eqz
				BrIf $1 // no signature in common: next sequence
				Get R5
				Get R14
				I64Const $seq__size
				I64Mul
				I64Add
				Set R15

				// j from a to b: is lex[j].word in sq.second?
				Get R11
				Set R8
				Block // found
				Loop
					Get R8
					Get R12
					I64GeU
					BrIf $3 // none: next sequence
					IN_SET(Get R15; I32WrapI64; I64Load $seq_second, LEX(R8, lexeme_word))
					BrIf $1
					INC(R8, 1)
					Br $0
				End
				End
			End

			// A candidate: {i, si}.
			Get R6
			I32WrapI64
			Get R7
			I64Store32 $matchCand_i
			Get R6
			I32WrapI64
			Get R14
			I64Store32 $matchCand_si
			INC(R6, matchCand__size)
			Br $0
		End
		End

		INC(R7, 1)
		Br $0
	End
	End

	Get SP
	Get R6
	I64Load out+64(FP)
	I64Sub
	I64Const $matchCand__size
	I64DivU
	I64Store ret+72(FP)
	RET
