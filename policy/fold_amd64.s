//go:build !purego

#include "textflag.h"

// func foldPlain(dst, src unsafe.Pointer, n int, prevUpper bool) int
//
// Sixteen bytes a turn, SSE2 only (every amd64 has it). Signed byte
// compares: bytes from 0x80 up are negative, so "greater than 0x1F" is
// false for control characters and non-ASCII alike.
TEXT ·foldPlain(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVBLZX prevUpper+24(FP), DX // bit 0: the byte before is a capital
	XORQ AX, AX                  // bytes folded

	// Each constant in every byte of its register.
	MOVQ $0x1F1F1F1F1F1F1F1F, BX
	MOVQ BX, X8
	PUNPCKLQDQ X8, X8
	MOVQ $0x3C3C3C3C3C3C3C3C, BX // '<'
	MOVQ BX, X9
	PUNPCKLQDQ X9, X9
	MOVQ $0x2626262626262626, BX // '&'
	MOVQ BX, X10
	PUNPCKLQDQ X10, X10
	MOVQ $0x4040404040404040, BX // capitals are above 0x40 ...
	MOVQ BX, X11
	PUNPCKLQDQ X11, X11
	MOVQ $0x5A5A5A5A5A5A5A5A, BX // ... and not above 'Z'
	MOVQ BX, X12
	PUNPCKLQDQ X12, X12
	MOVQ $0x2020202020202020, BX // what lowering adds
	MOVQ BX, X13
	PUNPCKLQDQ X13, X13

loop:
	LEAQ 16(AX), BX
	CMPQ BX, CX
	JA   done
	MOVOU (SI)(AX*1), X0

	// Plain: printable ASCII, and neither '<' nor '&'.
	MOVO    X0, X1
	PCMPGTB X8, X1 // X1: byte > 0x1F
	MOVO    X0, X2
	PCMPEQB X9, X2
	MOVO    X0, X3
	PCMPEQB X10, X3
	POR     X3, X2
	PANDN   X1, X2 // X2: printable and not '<' or '&'
	PMOVMSKB X2, BX
	CMPL    BX, $0xFFFF
	JNE     done

	// Capitals, none touching another (nor the byte before).
	MOVO    X0, X4
	PCMPGTB X11, X4 // byte > 0x40
	MOVO    X0, X5
	PCMPGTB X12, X5 // byte > 'Z'
	PANDN   X4, X5  // X5: a capital
	PMOVMSKB X5, BX
	MOVL    BX, R8
	SHLL    $1, R8
	ORL     DX, R8
	TESTL   BX, R8
	JNZ     done
	MOVL    BX, DX
	SHRL    $15, DX // the last byte a capital?

	PAND  X13, X5
	PADDB X5, X0
	MOVOU X0, (DI)(AX*1)
	ADDQ  $16, AX
	JMP   loop

done:
	MOVQ AX, ret+32(FP)
	RET
