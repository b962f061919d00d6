//go:build !purego

package policy

import "unsafe"

// foldPlain folds src[i:] to dst sixteen bytes at a time while each
// sixteen are plain ASCII: printable, tabs and line feeds (no other control
// character), and no '<' or '&'. It does for them what reset's byte path
// would: lowers the capitals, counts runs of touching capitals (run and
// capsRun in, their new values out), and writes the line feeds' src
// offsets to lines, which has room for room of them. It returns how many
// bytes it folded, a multiple of sixteen with i+done <= n = len(src), and
// how many line feeds it wrote. In fold_amd64.s: SSE2 tests sixteen bytes
// in the instructions reset's word-at-a-time path takes for eight.
//
//go:noescape
func foldPlain(dst, src unsafe.Pointer, i, n, run, capsRun int, lines unsafe.Pointer, room int) (done, lfs, runOut, capsRunOut int)

const haveFoldPlain = true
