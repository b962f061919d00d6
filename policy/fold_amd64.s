//go:build !purego

#include "textflag.h"

// BROADCAST puts byte B in every byte of X (via BX).
#define BROADCAST(B, X) MOVQ $(B*0x0101010101010101), BX; MOVQ BX, X; PUNPCKLQDQ X, X

// func foldPlain(dst, src unsafe.Pointer, n int, prevUpper bool, lines unsafe.Pointer, room, at int) (done, lfs int)
//
// Sixteen bytes a turn, SSE2 only (every amd64 has it). Signed byte
// compares: bytes from 0x80 up are negative, so "greater than 0x1F" is
// false for control characters and non-ASCII alike.
//
// DI dst, SI src, CX n, AX done, DX whether the byte before is a capital,
// R8 lines, R10 room, R11 at, R13 lfs; BX, R9 and R12 are scratch.
TEXT ·foldPlain(SB), NOSPLIT, $0-72
	MOVQ    dst+0(FP), DI
	MOVQ    src+8(FP), SI
	MOVQ    n+16(FP), CX
	MOVBLZX prevUpper+24(FP), DX
	MOVQ    lines+32(FP), R8
	MOVQ    room+40(FP), R10
	MOVQ    at+48(FP), R11
	XORQ    AX, AX
	XORQ    R13, R13

	BROADCAST(0x1F, X8)
	BROADCAST(0x3C, X9)  // '<'
	BROADCAST(0x26, X10) // '&'
	BROADCAST(0x40, X11) // capitals are above 0x40 ...
	BROADCAST(0x5A, X12) // ... and not above 'Z'
	BROADCAST(0x20, X13) // what lowering adds
	BROADCAST(0x0A, X14) // line feed
	BROADCAST(0x09, X7)  // tab

loop:
	LEAQ  16(AX), BX
	CMPQ  BX, CX
	JA    done
	MOVOU (SI)(AX*1), X0

	// Plain: printable ASCII, a tab or a line feed, and neither '<' nor '&'.
	MOVO    X0, X1
	PCMPGTB X8, X1  // above 0x1F
	MOVO    X0, X6
	PCMPEQB X14, X6 // X6: the line feeds
	POR     X6, X1
	MOVO    X0, X2
	PCMPEQB X7, X2
	POR     X2, X1
	MOVO    X0, X2
	PCMPEQB X9, X2
	MOVO    X0, X3
	PCMPEQB X10, X3
	POR     X3, X2
	PANDN   X1, X2  // X2: plain
	PMOVMSKB X2, BX
	CMPL    BX, $0xFFFF
	JNE     done

	// Capitals, none touching another (nor the byte before).
	MOVO     X0, X4
	PCMPGTB  X11, X4 // above 0x40
	MOVO     X0, X5
	PCMPGTB  X12, X5 // above 'Z'
	PANDN    X4, X5  // X5: a capital
	PMOVMSKB X5, BX
	MOVL     BX, R12
	SHLL     $1, R12
	ORL      DX, R12
	TESTL    BX, R12
	JNZ      done

	// Line feeds: their offsets to lines, while it has room for sixteen.
	PMOVMSKB X6, R9
	TESTL    R9, R9
	JZ       fold
	CMPQ     R10, $16
	JLT      done

lf:
	BSFL R9, R12
	ADDQ AX, R12
	ADDQ R11, R12
	MOVL R12, (R8)(R13*4)
	INCQ R13
	DECQ R10
	LEAL -1(R9), R12
	ANDL R12, R9
	JNZ  lf

fold:
	MOVL  BX, DX
	SHRL  $15, DX // the last byte a capital?
	PAND  X13, X5
	PADDB X5, X0
	MOVOU X0, (DI)(AX*1)
	ADDQ  $16, AX
	JMP   loop

done:
	MOVQ AX, done+56(FP)
	MOVQ R13, lfs+64(FP)
	RET
