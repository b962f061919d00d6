//go:build !wasm

package policy

import (
	"math/bits"
	"unsafe"
)

// tokenizeBlock is tokenize's scanner: from c.i until it passes lim, it
// writes the tokens, the starts (tokens and punctuation a phrase may begin
// with), the sentence ends, and the indexes of the all-digit tokens and of
// the tokens a link may start with (linkAfter), where c points, moving c on.
// Each output has room for one more than there are bytes in [c.i, lim). A
// token that begins before lim is finished even if it ends after.
//
// norm (n bytes) is followed by eight zero bytes, so a word may be read at
// any offset below its end. policy.wasm has this function in assembly
// (tokenize_block_wasm.s): keep the two the same.
func tokenizeBlock(norm unsafe.Pointer, n, lim int, c *tokCursor) {
	at := func(k int) byte { return *(*byte)(unsafe.Add(norm, k)) }
	put := func(p *unsafe.Pointer, v int) { *(*int32)(*p) = int32(v); *p = unsafe.Add(*p, 4) }
	i := c.i
	for i < lim {
		k := byteKind[at(i)]
		if k == kindOther {
			i++
			continue
		}
		if k == kindPunct {
			put(&c.starts, i)
			i++
			continue
		}
		if k == kindStop {
			if at(i) == '\n' {
				put(&c.ends, i+1)
			} else if i >= c.runEnd {
				// A run of . ! ? " ) ends a sentence when a space, a line
				// break or the end follows. Its bytes are still visited
				// one by one: ')' may start a phrase.
				j := i + 1
				for j < n && (at(j) == '.' || at(j) == '!' || at(j) == '?' || at(j) == '"' || at(j) == ')') {
					j++
				}
				c.runEnd = j
				if j == n || at(j) == ' ' || at(j) == '\n' || at(j) == '\t' {
					put(&c.ends, j)
				}
			}
			i++
			continue
		}
		// A token: its end eight bytes at a time. Flags (0x80 in a byte)
		// for digits 0x30..0x39 and letters 0x61..0x7A; exact, as folded
		// bytes are at most 0x80.
		start, digits := i, 0
		for {
			w := *(*uint64)(unsafe.Add(norm, i))
			dg := (w + 0x50*ones) &^ (w + 0x46*ones) &^ w & highs
			an := (w+0x1F*ones)&^(w+0x05*ones)&^w&highs | dg
			k := bits.TrailingZeros64(^an&highs) >> 3
			digits += bits.OnesCount64(dg & (1<<(8*uint(k)) - 1))
			i += k
			if k < 8 {
				break
			}
		}
		index := int(uintptr(c.toks)-uintptr(c.tok0)) / int(unsafe.Sizeof(token{}))
		*(*token)(c.toks) = token{ns: int32(start), ne: int32(i), digits: int32(digits), letters: int32(i - start - digits)}
		c.toks = unsafe.Add(c.toks, unsafe.Sizeof(token{}))
		put(&c.starts, start)
		if digits == i-start {
			put(&c.nums, index)
		}
		if linkAfter(norm, n, i) {
			put(&c.links, index)
		}
	}
	c.i = i
}

// linkAfter reports whether a token ending at norm offset ne may be a
// domain's first label: a dot separator must follow ('.', "[.]", " dot "
// and the like; see dotAfter). Most words are followed by a space and a
// word, and are ruled out here. norm (n bytes) is followed by zero bytes.
func linkAfter(norm unsafe.Pointer, n, ne int) bool {
	at := func(k int) byte { return *(*byte)(unsafe.Add(norm, k)) }
	if ne >= n {
		return false
	}
	switch at(ne) {
	case '.', '[', '(', '{', '-':
		return true
	case ' ':
		if ne+1 >= n {
			return true
		}
		switch c := at(ne + 1); c {
		case '.', '[', '(', '{', ' ':
			return true
		case 'd': // " dot ", as a word (the zero bytes after norm are no letters)
			return at(ne+2) == 'o' && at(ne+3) == 't' && !isAlnum(at(ne+4))
		}
	}
	return false
}
