//go:build !wasm && (!amd64 || purego)

package policy

import "unsafe"

// tokenizeBlock is tokenizeBlockGo here; amd64 and wasm builds have it in
// assembly.
func tokenizeBlock(norm unsafe.Pointer, n, lim int, c *tokCursor) { tokenizeBlockGo(norm, n, lim, c) }
