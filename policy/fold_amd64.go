//go:build !purego

package policy

import "unsafe"

// foldPlain folds src to dst sixteen bytes at a time while each sixteen
// are plain ASCII that reset's word-at-a-time path would fold without
// bookkeeping: printable (no control character, so no line break), no '<'
// or '&', and no capital touching another (prevUpper: the byte before src
// is a capital). Capitals are lowered. It returns how many bytes it
// folded, a multiple of sixteen, at most n. In fold_amd64.s: SSE2 tests
// sixteen bytes in the instructions the word-at-a-time tests take for
// eight. Call it only where no run of capitals is open (reset's run == 0).
//
//go:noescape
func foldPlain(dst, src unsafe.Pointer, n int, prevUpper bool) int
