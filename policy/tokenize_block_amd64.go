//go:build !purego

package policy

import "unsafe"

// tokenizeBlock is tokenize's scanner (see tokenizeBlockGo, which it must
// match; TestTokenizeBlockMatchesGo holds it to that). In
// tokenize_block_amd64.s: with SSE2 a token's end and its digits come from
// one sixteen-byte compare where the Go loop tests eight bytes a turn, and
// the cursor stays in registers, where the Go compiler spills it.
//
//go:noescape
func tokenizeBlock(norm unsafe.Pointer, n, lim int, c *tokCursor)
