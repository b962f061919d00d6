//go:build wasip1

// Command wasm is policy.wasm: the policy engine as a WASI reactor that the
// extension (V8) and the companion (wazero) load. The ABI is documented in
// README.md next to this file.
package main

import (
	"unicode/utf8"
	"unsafe"

	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/wasm/abi"
)

// main is never run: a c-shared (reactor) module only runs package
// initialisers, from _initialize.
func main() {}

var (
	// bufs pins the buffers handed to the host by alloc, keyed by address,
	// so the GC keeps them and so lint/classify only accept pointers that
	// came from alloc.
	bufs = map[uint32][]byte{}
	// out holds the last answer. It is reused across calls: the host must
	// copy it before calling in again.
	out = make([]byte, 0, 4096)
	// rulesJSON is the catalog, encoded once.
	rulesJSON []byte
	// found is lint's reused findings slice.
	found []policy.Finding
)

// alloc returns a buffer of size bytes in linear memory for the host to
// write into; it stays valid until free. Size 0 returns 0.
//
//go:wasmexport alloc
func alloc(size uint32) uint32 {
	if size == 0 {
		return 0
	}
	b := make([]byte, size)
	p := uint32(uintptr(unsafe.Pointer(&b[0])))
	bufs[p] = b
	return p
}

// free releases a buffer from alloc. Unknown pointers are ignored.
//
//go:wasmexport free
func free(ptr uint32) {
	delete(bufs, ptr)
}

// lint checks the UTF-8 text in [textPtr, textPtr+textLen) with the JSON
// context in [ctxPtr, ctxPtr+ctxLen) (length 0 means no context) and returns
// the answer {"findings":[...]} or {"error":"..."} as ptr<<32 | len.
//
//go:wasmexport lint
func lint(textPtr, textLen, ctxPtr, ctxLen uint32) (res uint64) {
	defer recoverInto(&res)
	text, err := input(textPtr, textLen, "text")
	if err != "" {
		return answer(abi.AppendError(out[:0], err))
	}
	if !utf8.Valid(text) {
		return answer(abi.AppendError(out[:0], "text is not valid UTF-8"))
	}
	raw, err := input(ctxPtr, ctxLen, "context")
	if err != "" {
		return answer(abi.AppendError(out[:0], err))
	}
	ctx, cerr := abi.DecodeContext(raw)
	if cerr != nil {
		return answer(abi.AppendError(out[:0], cerr.Error()))
	}
	// The text is read in place (the host's buffer is stable for the call,
	// and nothing keeps it after), and the findings slice is reused: each
	// allocation brings the next garbage collection, and its pause, closer.
	found = policy.AppendLint(found[:0], view(text), ctx)
	ans := answer(abi.AppendLint(out[:0], found))
	clear(found) // drop the messages and fixes for the collector
	return ans
}

// classify returns the scenario of the buyer message in
// [textPtr, textPtr+textLen) as a policy.Classification or {"error":"..."}.
//
//go:wasmexport classify
func classify(textPtr, textLen uint32) (res uint64) {
	defer recoverInto(&res)
	text, err := input(textPtr, textLen, "text")
	if err != "" {
		return answer(abi.AppendError(out[:0], err))
	}
	if !utf8.Valid(text) {
		return answer(abi.AppendError(out[:0], "text is not valid UTF-8"))
	}
	c := policy.Classify(string(text))
	return answer(abi.AppendClassification(out[:0], &c))
}

// rules returns {"version":"...","rules":[...]}: the catalog with rationale
// and examples.
//
//go:wasmexport rules
func rules() (res uint64) {
	defer recoverInto(&res)
	if rulesJSON == nil {
		rulesJSON = abi.AppendRules(nil, policy.Version, policy.Rules())
	}
	return pack(rulesJSON)
}

// version returns {"version":"<policy.Version>","abi":N}.
//
//go:wasmexport version
func version() uint64 {
	b := append(out[:0], `{"version":`...)
	b = abi.AppendString(b, policy.Version)
	b = append(b, `,"abi":`...)
	b = append(b, byte('0'+abi.Version))
	return answer(append(b, '}'))
}

// input returns the host's bytes; the pointer must be one alloc returned.
func input(ptr, n uint32, what string) ([]byte, string) {
	if n == 0 {
		return nil, ""
	}
	b, ok := bufs[ptr]
	if !ok {
		return nil, what + " pointer was not returned by alloc"
	}
	if int(n) > len(b) {
		return nil, what + " length is larger than its buffer"
	}
	return b[:n], ""
}

// view is b as a string, without a copy.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// answer keeps b as the reusable output buffer and returns it packed.
func answer(b []byte) uint64 {
	out = b
	return pack(b)
}

func pack(b []byte) uint64 {
	if len(b) == 0 {
		return 0
	}
	return uint64(uintptr(unsafe.Pointer(&b[0])))<<32 | uint64(len(b))
}

// recoverInto turns a panic in the engine into an error answer: a Go panic
// that escaped would exit the whole module and every later call would fail.
func recoverInto(res *uint64) {
	if r := recover(); r != nil {
		msg := "internal error in the policy engine"
		switch v := r.(type) {
		case error:
			msg += ": " + v.Error()
		case string:
			msg += ": " + v
		}
		*res = answer(abi.AppendError(out[:0], msg))
	}
}
