//go:build !amd64 || purego

package policy

import "unsafe"

// foldPlain folds nothing here: reset's word-at-a-time path does it all.
// On amd64 it is in assembly (fold_amd64.go).
func foldPlain(dst, src unsafe.Pointer, n int, prevUpper bool, lines unsafe.Pointer, room, at int) (done, lfs int) {
	return 0, 0
}

// haveFoldPlain is false, so reset leaves out the call and its set-up.
const haveFoldPlain = false
