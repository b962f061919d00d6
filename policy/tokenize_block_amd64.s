//go:build !purego

// tokenize's scanner for amd64: tokenizeBlockGo (tokenize_block.go) in
// assembly, which TestTokenizeBlockMatchesGo holds it to. SSE2 only
// (every amd64 has it): a token's end and digits come from one
// sixteen-byte compare, and the cursor stays in registers.

#include "go_asm.h"
#include "textflag.h"

// IS_ALNUM_JMP jumps to L when the byte in R (a 32-bit register) is a
// folded letter or digit; T is scratch.
#define IS_ALNUM_JMP(R, T, L) LEAL -0x61(R), T; CMPL T, $26; JB L; LEAL -0x30(R), T; CMPL T, $10; JB L

// TOKEN_INDEX_TO(FIELD) appends the index of the token just written (its
// distance from c.tok0) to the cursor's output FIELD.
#define TOKEN_INDEX_TO(FIELD) MOVQ R11, BX; SUBQ tokCursor_tok0(R13), BX; SHRQ $4, BX; DECQ BX; MOVQ FIELD(R13), CX; MOVL BX, (CX); ADDQ $4, CX; MOVQ CX, FIELD(R13)

// func tokenizeBlock(norm unsafe.Pointer, n, lim int, c *tokCursor)
//
// DI norm, R8 n, R9 lim, SI i, R10 c.runEnd, R11 the next token, R12 the
// next start, R13 c. Sentence ends, numbers and links are rarer: they are
// written through c. AX, BX, CX, DX and R14 are scratch.
TEXT ·tokenizeBlock(SB), NOSPLIT, $0-32
	MOVQ norm+0(FP), DI
	MOVQ n+8(FP), R8
	MOVQ lim+16(FP), R9
	MOVQ c+24(FP), R13
	MOVQ tokCursor_i(R13), SI
	MOVQ tokCursor_runEnd(R13), R10
	MOVQ tokCursor_toks(R13), R11
	MOVQ tokCursor_starts(R13), R12

	// The bounds of the letters and digits in every byte, for signed
	// compares (folded bytes are at most 0x80, which is below them all).
	MOVQ $0x6060606060606060, AX
	MOVQ AX, X8
	PUNPCKLQDQ X8, X8
	MOVQ $0x7A7A7A7A7A7A7A7A, AX
	MOVQ AX, X9
	PUNPCKLQDQ X9, X9
	MOVQ $0x2F2F2F2F2F2F2F2F, AX
	MOVQ AX, X10
	PUNPCKLQDQ X10, X10
	MOVQ $0x3939393939393939, AX
	MOVQ AX, X11
	PUNPCKLQDQ X11, X11

next:
	CMPQ SI, R9
	JGE  done
	MOVBLZX (DI)(SI*1), AX
	IS_ALNUM_JMP(AX, BX, token)
	LEAQ ·byteKind(SB), BX
	MOVBLZX (BX)(AX*1), BX
	CMPL BX, $const_kindOther
	JNE  notOther
	INCQ SI
	JMP  next

notOther:
	CMPL BX, $const_kindPunct
	JNE  stop
	MOVL SI, (R12) // a mark a phrase may start with
	ADDQ $4, R12
	INCQ SI
	JMP  next

stop: // . ! ? or a line feed
	CMPL AX, $0x0A
	JNE  stopRun
	LEAQ 1(SI), DX // a line feed ends a sentence after it
	JMP  putEnd

stopRun:
	CMPQ SI, R10
	JLT  stopDone // in a run already looked at
	// A run of . ! ? " ) ends a sentence when a space, a line break or
	// the end follows. Its bytes are still visited one by one: ')' may
	// start a phrase.
	LEAQ 1(SI), DX

runLoop:
	CMPQ DX, R8
	JGE  runEnd
	MOVBLZX (DI)(DX*1), AX
	CMPL AX, $0x2E // .
	JEQ  runMore
	CMPL AX, $0x21 // !
	JEQ  runMore
	CMPL AX, $0x3F // ?
	JEQ  runMore
	CMPL AX, $0x22 // "
	JEQ  runMore
	CMPL AX, $0x29 // )
	JNE  runEnd

runMore:
	INCQ DX
	JMP  runLoop

runEnd:
	MOVQ DX, R10
	CMPQ DX, R8
	JEQ  putEnd
	MOVBLZX (DI)(DX*1), AX
	CMPL AX, $0x20
	JEQ  putEnd
	CMPL AX, $0x0A
	JEQ  putEnd
	CMPL AX, $0x09
	JNE  stopDone

putEnd: // a sentence ends at DX
	MOVQ tokCursor_ends(R13), CX
	MOVL DX, (CX)
	ADDQ $4, CX
	MOVQ CX, tokCursor_ends(R13)

stopDone:
	INCQ SI
	JMP  next

token: // a token starts at SI
	MOVQ SI, DX // its start
	XORL AX, AX // its digits

tokLoop: // sixteen bytes: how many more letters and digits, and which are digits
	MOVOU   (DI)(SI*1), X0
	MOVO    X0, X1
	PCMPGTB X8, X1     // above 0x60
	MOVO    X0, X2
	PCMPGTB X9, X2     // above 'z'
	PANDN   X1, X2     // a letter
	MOVO    X0, X3
	PCMPGTB X10, X3    // above 0x2F
	PCMPGTB X11, X0    // above '9'
	PANDN   X3, X0     // a digit
	POR     X0, X2
	PMOVMSKB X2, CX
	PMOVMSKB X0, BX
	NOTL    CX
	BSFL    CX, CX     // k: the letters and digits before the first other byte (16: all)
	MOVL    $1, R14
	SHLL    CX, R14
	DECL    R14
	ANDL    R14, BX    // the digits among those k
	ADDQ    CX, SI
	TESTL   BX, BX
	JZ      tokCounted // most tokens have no digit
	MOVL    CX, R14
	// Count BX's bits (16 at most) by halves, as POPCNT is not in
	// amd64's baseline.
	MOVL BX, CX
	SHRL $1, CX
	ANDL $0x5555, CX
	SUBL CX, BX
	MOVL BX, CX
	SHRL $2, CX
	ANDL $0x3333, CX
	ANDL $0x3333, BX
	ADDL CX, BX
	MOVL BX, CX
	SHRL $4, CX
	ADDL CX, BX
	ANDL $0x0F0F, BX
	MOVL BX, CX
	SHRL $8, CX
	ADDL CX, BX
	ANDL $0x1F, BX
	ADDL BX, AX
	MOVL R14, CX

tokCounted:
	CMPL CX, $16
	JEQ  tokLoop

	// The token is [DX, SI) with AX digits.
	MOVL DX, token_ns(R11)
	MOVL SI, token_ne(R11)
	MOVL AX, token_digits(R11)
	MOVQ SI, BX
	SUBQ DX, BX // its length
	MOVQ BX, CX
	SUBQ AX, CX
	MOVL CX, token_letters(R11)
	ADDQ $token__size, R11
	MOVL DX, (R12)
	ADDQ $4, R12
	CMPQ AX, BX
	JNE  tokAfter
	TOKEN_INDEX_TO(tokCursor_nums) // all digits

tokAfter:
	// Most tokens are followed by a space and a word: no link, and the
	// next token starts right after the space.
	MOVBLZX (DI)(SI*1), AX
	CMPL    AX, $0x20
	JNE     linkAfter
	MOVBLZX 1(DI)(SI*1), AX
	CMPL    AX, $0x64 // d: perhaps " dot "
	JEQ     linkAfter
	SUBL    $0x61, AX
	CMPL    AX, $26
	JAE     linkAfter
	LEAQ    1(SI), AX
	CMPQ    AX, R9
	JGE     next
	MOVQ    AX, SI
	JMP     token

linkAfter: // linkAfter(norm, n, SI): may the token be a domain's first label?
	CMPQ    SI, R8
	JGE     next
	MOVBLZX (DI)(SI*1), AX
	CMPL    AX, $0x2E // .
	JEQ     linkDot
	CMPL    AX, $0x5B // [
	JEQ     link
	CMPL    AX, $0x28 // (
	JEQ     link
	CMPL    AX, $0x7B // {
	JEQ     link
	CMPL    AX, $0x2D // -
	JEQ     link
	CMPL    AX, $0x20
	JNE     next
	LEAQ    1(SI), BX
	CMPQ    BX, R8
	JGE     link // a space at the end
	MOVBLZX 1(DI)(SI*1), AX
	CMPL    AX, $0x2E
	JEQ     link
	CMPL    AX, $0x5B
	JEQ     link
	CMPL    AX, $0x28
	JEQ     link
	CMPL    AX, $0x7B
	JEQ     link
	CMPL    AX, $0x20
	JEQ     link
	CMPL    AX, $0x64 // " dot ", as a word
	JNE     next
	CMPB    2(DI)(SI*1), $0x6F
	JNE     next
	CMPB    3(DI)(SI*1), $0x74
	JNE     next
	MOVBLZX 4(DI)(SI*1), AX
	IS_ALNUM_JMP(AX, BX, next)
	JMP     link

linkDot: // "a.b": a full stop before a space ends a sentence, not a label
	MOVBLZX 1(DI)(SI*1), AX
	IS_ALNUM_JMP(AX, BX, link)
	JMP     next

link:
	TOKEN_INDEX_TO(tokCursor_links)
	JMP next

done:
	MOVQ SI, tokCursor_i(R13)
	MOVQ R10, tokCursor_runEnd(R13)
	MOVQ R11, tokCursor_toks(R13)
	MOVQ R12, tokCursor_starts(R13)
	RET
