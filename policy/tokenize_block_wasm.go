//go:build wasm

package policy

import "unsafe"

// tokenizeBlock is tokenize's scanner; see tokenize_block.go, which has
// the same in Go for native builds. In tokenize_block_wasm.s.
//
//go:noescape
func tokenizeBlock(norm unsafe.Pointer, n, lim int, c *tokCursor)
