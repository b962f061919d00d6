// Macros for walk_wasm.s and tokenize_block_wasm.s. Registers (R0-R15)
// are wasm i64 locals; a boolean pushed for If or BrIf is an i32.

// ARG loads the argument at NAME (such as norm+0) into register R.
#define ARG(NAME, R) I64Load NAME(FP); Set R

// INC adds N to register R.
#define INC(R, N) Get R; I64Const $N; I64Add; Set R

// BYTE_AT pushes the byte at BASE+IDX (registers).
#define BYTE_AT(BASE, IDX) Get BASE; Get IDX; I64Add; I32WrapI64; I64Load8U $0

// LOOKUP replaces the byte on the stack with its entry in the 256-byte
// table TABLE; push I64Const $TABLE before the byte.
#define LOOKUP I64Add; I32WrapI64; I64Load8U $0

// IS pushes whether register R holds C.
#define IS(R, C) Get R; I64Const $C; I64Eq

// NOT_ALNUM pushes whether the byte in register R is not a letter or a
// digit of the folded text (a-z, 0-9).
#define NOT_ALNUM(R) Get R; I64Const $97; I64Sub; I64Const $26; I64LtU; Get R; I64Const $48; I64Sub; I64Const $10; I64LtU; I32Or; I32Eqz

// PUT32 stores register V as an int32 at the address in register P and
// moves P on.
#define PUT32(P, V) Get P; I32WrapI64; Get V; I64Store32 $0; INC(P, 4)

// IN_SET pushes whether a word is in a bit set (a []uint64 of word ids):
// SETPTR pushes the set's words, WORD the word (it runs twice).
#define IN_SET(SETPTR, WORD) SETPTR; WORD; I64Const $6; I64ShrU; I64Const $3; I64Shl; I64Add; I32WrapI64; I64Load $0; WORD; I64ShrU; I64Const $1; I64And; I64Eqz; I32Eqz
