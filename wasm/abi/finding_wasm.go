//go:build wasm

package abi

import (
	"unsafe"

	"github.com/replyguard/replyguard/policy"
)

// appendFinding is AppendFinding with a fast path in assembly: when no
// string needs escaping and the numbers are small and positive (nearly
// always), encodeFinding writes the whole object in one pass. In Go's wasm
// code each append and each loop turn costs a call or a jump table, and
// encoding cost about 9,000 instructions a finding under wazero, a seventh
// of a lint. Anything else goes to AppendFinding, which the asm's output
// is tested against (make policy-wasm-test runs this package's tests in
// wasm).
func appendFinding(dst []byte, f *policy.Finding) []byte {
	need := encodeRoom + len(f.Rule) + len(f.Severity) + len(f.Message)
	if f.Fix != nil {
		need += len(f.Fix.Replacement)
	}
	if cap(dst)-len(dst) < need {
		dst = append(make([]byte, 0, 2*cap(dst)+need), dst...)
	}
	n := encodeFinding(unsafe.Add(unsafe.Pointer(unsafe.SliceData(dst)), len(dst)), unsafe.Pointer(f))
	if n < 0 {
		return AppendFinding(dst, f)
	}
	return dst[:len(dst)+n]
}

// encodeRoom is what encodeFinding writes besides the strings: the keys
// (95 bytes with a fix), four numbers of at most 10 digits, and 8 bytes a
// key's last word may store past its end.
const encodeRoom = 95 + 4*10 + 8

// encodeFinding writes f (a *policy.Finding) as AppendFinding would at dst,
// which has room for encodeRoom bytes and the strings, and returns how
// many bytes it wrote; or -1, having written nothing that counts, when a
// string needs escaping or a number is negative or 2^32 or more. In
// finding_wasm.s.
//
//go:noescape
func encodeFinding(dst, f unsafe.Pointer) int
