//go:build !amd64 || purego

package policy

import "unsafe"

// foldPlain folds nothing here: reset's word-at-a-time path does it all.
// On amd64 it is in assembly (fold_amd64.go).
func foldPlain(dst, src unsafe.Pointer, i, n, run, capsRun int, lines unsafe.Pointer, room int) (done, lfs, runOut, capsRunOut int) {
	return 0, 0, run, capsRun
}

// haveFoldPlain is false, so reset leaves out the call and its set-up.
const haveFoldPlain = false
