// encodeFinding for policy.wasm, by hand; see finding_wasm.go.
//
// It writes {"rule":"R","severity":"S","start":N,"end":N,"line":N,
// "col":N,"message":"M"} with ,"fix":{"replacement":"X"} before the last
// brace when there is a fix: AppendFinding's output for plain strings.

#include "go_asm.h"
#include "textflag.h"

// INC adds N to register R.
#define INC(R, N) Get R; I64Const $N; I64Add; Set R

// PUT8 stores the eight bytes W at the cursor (R0); PUTKEY stores a key of
// up to 8 bytes, or 16 with PUTKEY2, and moves the cursor past it. The
// bytes stored past a key's end are overwritten by what follows.
#define PUT8(OFF, W) Get R0; I32WrapI64; I64Const $W; I64Store $OFF
#define PUTKEY(LEN, W1) PUT8(0, W1); INC(R0, LEN)
#define PUTKEY2(LEN, W1, W2) PUT8(0, W1); PUT8(8, W2); INC(R0, LEN)

// FAIL gives up: AppendFinding takes over.
#define FAIL Get SP; I64Const $-1; I64Store ret+16(FP); RET

// HZ pushes (x - ones) &^ x for the x in R6: the top bit of a byte is set
// where x has a zero byte (and perhaps above one, which changes nothing
// here: the flags only say whether any byte is to escape).
#define HZ Get R6; I64Const $0x0101010101010101; I64Sub; Get R6; I64Const $-1; I64Xor; I64And

// COPY copies the string whose header is at BASE+OFF (BASE a register) to
// the cursor, eight bytes at a time while it can, failing on any byte JSON
// must escape: non-ASCII, a control character, '"', '&', '<', '>', '\\'.
// ('"' and '&' differ in one bit, as do '<' and '>': or-ing that bit in
// tests each pair at once.)
#define COPY(BASE, OFF) \
	Get BASE; I32WrapI64; I64Load $(OFF); Set R2; \
	Get BASE; I32WrapI64; I64Load $(OFF+8); Set R3; \
	Block; Loop; \
		Get R3; I64Const $8; I64LtU; BrIf $1; \
		Get R2; I32WrapI64; I64Load $0; Set R5; \
		Get R5; Get R5; I64Const $0x2020202020202020; I64Sub; Get R5; I64Const $-1; I64Xor; I64And; I64Or; \
		Get R5; I64Const $0x0404040404040404; I64Or; I64Const $0x2626262626262626; I64Xor; Set R6; HZ; I64Or; \
		Get R5; I64Const $0x0202020202020202; I64Or; I64Const $0x3E3E3E3E3E3E3E3E; I64Xor; Set R6; HZ; I64Or; \
		Get R5; I64Const $0x5C5C5C5C5C5C5C5C; I64Xor; Set R6; HZ; I64Or; \
		I64Const $-0x7f7f7f7f7f7f7f80; I64And; I64Eqz; I32Eqz; If; FAIL; End; \
		Get R0; I32WrapI64; Get R5; I64Store $0; \
		INC(R0, 8); INC(R2, 8); INC(R3, -8); Br $0; \
	End; End; \
	Block; Loop; \
		Get R3; I64Eqz; BrIf $1; \
		Get R2; I32WrapI64; I64Load8U $0; Set R5; \
		I64Const $·plainJSON(SB); Get R5; I64Add; I32WrapI64; I64Load8U $0; I64Eqz; If; FAIL; End; \
		Get R0; I32WrapI64; Get R5; I64Store8 $0; \
		INC(R0, 1); INC(R2, 1); INC(R3, -1); Br $0; \
	End; End

// GE pushes 1 (an i64) if R7 >= N, else 0.
#define GE(N) Get R7; I64Const $N; I64GeU; I64ExtendI32U

// NUM writes the int at R1+OFF in decimal; it fails unless 0 <= n < 2^32,
// where n/10 is (n * 0xCCCCCCCD) >> 35 exactly.
#define NUM(OFF) \
	Get R1; I32WrapI64; I64Load $(OFF); Set R7; \
	Get R7; I64Const $0x100000000; I64GeU; If; FAIL; End; \
	I64Const $1; GE(10); I64Add; GE(100); I64Add; GE(1000); I64Add; GE(10000); I64Add; GE(100000); I64Add; \
	GE(1000000); I64Add; GE(10000000); I64Add; GE(100000000); I64Add; GE(1000000000); I64Add; Set R8; \
	Get R0; Get R8; I64Add; Set R0; \
	Get R0; Set R9; \
	Loop; \
		INC(R9, -1); \
		Get R7; I64Const $0xCCCCCCCD; I64Mul; I64Const $35; I64ShrU; Set R10; \
		Get R9; I32WrapI64; Get R7; Get R10; I64Const $10; I64Mul; I64Sub; I64Const $48; I64Add; I64Store8 $0; \
		Get R10; Set R7; \
		Get R7; I64Eqz; I32Eqz; BrIf $0; \
	End

// func encodeFinding(dst, f unsafe.Pointer) int
//
// R0 the cursor, R1 f, R2 and R3 the string being copied (its next byte,
// bytes left), R4 the start, R5 a word or byte, R6 scratch, R7 a number,
// R8 its digits, R9 where its next digit goes, R10 n/10, R11 f.Fix.
TEXT ·encodeFinding(SB), NOSPLIT, $0-24
	I64Load dst+0(FP)
	Tee R0
	Set R4
	I64Load f+8(FP)
	Set R1

	PUTKEY2(9, 0x3a22656c7572227b, 0x22) // {"rule":"
	COPY(R1, findingLayout_Rule)
	PUTKEY2(14, 0x7265766573222c22, 0x223a22797469) // ","severity":"
	COPY(R1, findingLayout_Severity)
	PUTKEY2(10, 0x7472617473222c22, 0x3a22) // ","start":
	NUM(findingLayout_Start)
	PUTKEY(7, 0x3a22646e65222c) // ,"end":
	NUM(findingLayout_End)
	PUTKEY(8, 0x3a22656e696c222c) // ,"line":
	NUM(findingLayout_Line)
	PUTKEY(7, 0x3a226c6f63222c) // ,"col":
	NUM(findingLayout_Col)
	PUTKEY2(12, 0x67617373656d222c, 0x223a2265) // ,"message":"
	COPY(R1, findingLayout_Message)

	Get R1
	I32WrapI64
	I64Load $findingLayout_Fix
	Tee R11
	I64Eqz
	If
		PUTKEY(2, 0x7d22) // "}
	Else
		PUT8(0, 0x3a22786966222c22) // ","fix":{"replacement":"
		PUT8(8, 0x63616c706572227b)
		PUT8(16, 0x223a22746e656d65)
		INC(R0, 24)
		COPY(R11, fixLayout_Replacement)
		PUTKEY(3, 0x7d7d22) // "}}
	End

	Get SP
	Get R0
	Get R4
	I64Sub
	I64Store ret+16(FP)
	RET
