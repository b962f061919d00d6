//go:build !purego

#include "textflag.h"

// BROADCAST puts byte B in every byte of X (via BX).
#define BROADCAST(B, X) MOVQ $(B*0x0101010101010101), BX; MOVQ BX, X; PUNPCKLQDQ X, X

// func foldPlain(dst, src unsafe.Pointer, i, n, run, capsRun int, lines unsafe.Pointer, room int) (done, lfs, runOut, capsRunOut int)
//
// Sixteen bytes a turn, SSE2 only (every amd64 has it). Signed byte
// compares: bytes from 0x80 up are negative, so "greater than 0x1F" is
// false for control characters and non-ASCII alike.
//
// DI dst, SI src, R11 i, AX done, DX run, R9 capsRun, R8 lines, R10 room,
// R13 lfs; BX, CX, R12 and R14 are scratch.
TEXT ·foldPlain(SB), NOSPLIT, $0-96
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ i+16(FP), R11
	MOVQ run+32(FP), DX
	MOVQ capsRun+40(FP), R9
	MOVQ lines+48(FP), R8
	MOVQ room+56(FP), R10
	XORQ AX, AX
	XORQ R13, R13

	BROADCAST(0x1F, X8)
	BROADCAST(0x3C, X9)  // '<'
	BROADCAST(0x26, X10) // '&'
	BROADCAST(0x40, X11) // capitals are above 0x40 ...
	BROADCAST(0x5A, X12) // ... and not above 'Z'
	BROADCAST(0x20, X13) // what lowering adds
	BROADCAST(0x0A, X14) // line feed
	BROADCAST(0x09, X7)  // tab

loop:
	LEAQ  16(R11)(AX*1), BX
	CMPQ  BX, n+24(FP)
	JA    done
	LEAQ  (SI)(R11*1), BX
	MOVOU (BX)(AX*1), X0

	// Plain: printable ASCII, a tab or a line feed, and neither '<' nor '&'.
	MOVO     X0, X1
	PCMPGTB  X8, X1  // above 0x1F
	MOVO     X0, X6
	PCMPEQB  X14, X6 // X6: the line feeds
	POR      X6, X1
	MOVO     X0, X2
	PCMPEQB  X7, X2
	POR      X2, X1
	MOVO     X0, X2
	PCMPEQB  X9, X2
	MOVO     X0, X3
	PCMPEQB  X10, X3
	POR      X3, X2
	PANDN    X1, X2 // X2: plain
	PMOVMSKB X2, BX
	CMPL     BX, $0xFFFF
	JNE      done

	// Room for the line feeds, if any.
	PMOVMSKB X6, R12
	TESTL    R12, R12
	JZ       capitals
	CMPQ     R10, $16
	JLT      done

capitals:
	MOVO     X0, X4
	PCMPGTB  X11, X4 // above 0x40
	MOVO     X0, X5
	PCMPGTB  X12, X5 // above 'Z'
	PANDN    X4, X5  // X5: a capital
	PMOVMSKB X5, R14
	TESTL    R14, R14
	JZ       lf

capital: // each capital in turn, at src offset BX, as reset's byte path counts runs
	BSFL R14, BX
	ADDQ AX, BX
	ADDQ R11, BX
	TESTQ BX, BX
	JZ   lowerBefore
	MOVBLZX -1(SI)(BX*1), CX
	SUBL $0x41, CX
	CMPL CX, $26
	JAE  lowerBefore
	INCQ DX // after a capital: the run grows
	CMPQ DX, R9
	CMOVQGT DX, R9
	JMP  nextCapital

lowerBefore: // a lower-case letter among the four bytes before ends the run
	LEAQ -1(BX), R12
	SUBQ $4, BX

lowerBeforeLoop:
	CMPQ    R12, BX
	JLT     runEnds
	TESTQ   R12, R12
	JLT     runEnds
	MOVBLZX (SI)(R12*1), CX
	SUBL    $0x61, CX
	CMPL    CX, $26
	JB      runEnds   // lower case
	ADDL    $0x20, CX // now byte - 'A'
	CMPL    CX, $26
	JB      nextCapital // a capital: the run goes on
	DECQ    R12
	JMP     lowerBeforeLoop

runEnds:
	XORL DX, DX

nextCapital:
	LEAL -1(R14), R12
	ANDL R12, R14
	JNZ  capital

lf: // the line feeds' offsets to lines
	PMOVMSKB X6, R14
	TESTL    R14, R14
	JZ       fold

lfLoop:
	BSFL R14, R12
	ADDQ AX, R12
	ADDQ R11, R12
	MOVL R12, (R8)(R13*4)
	INCQ R13
	DECQ R10
	LEAL -1(R14), R12
	ANDL R12, R14
	JNZ  lfLoop

fold:
	PAND  X13, X5
	PADDB X5, X0
	MOVOU X0, (DI)(AX*1)
	ADDQ  $16, AX
	JMP   loop

done:
	MOVQ AX, done+64(FP)
	MOVQ R13, lfs+72(FP)
	MOVQ DX, runOut+80(FP)
	MOVQ R9, capsRunOut+88(FP)
	RET
