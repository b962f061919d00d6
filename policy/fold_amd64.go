//go:build !purego

package policy

import "unsafe"

// foldPlain folds src to dst sixteen bytes at a time while each sixteen
// are plain ASCII that reset would fold without bookkeeping: printable,
// tabs and line feeds (no other control character), no '<' or '&', and no
// capital touching another (prevUpper: the byte before src is a capital).
// Capitals are lowered, and the line feeds' offsets (src offset + at) are
// written to lines, which has room for room of them. It returns how many
// bytes it folded, a multiple of sixteen at most n, and how many line
// feeds it wrote. In fold_amd64.s: SSE2 tests sixteen bytes in the
// instructions reset's word-at-a-time path takes for eight. Call it only
// where no run of capitals is open (reset's run == 0).
//
//go:noescape
func foldPlain(dst, src unsafe.Pointer, n int, prevUpper bool, lines unsafe.Pointer, room, at int) (done, lfs int)

const haveFoldPlain = true
