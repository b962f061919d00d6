//go:build !wasm

package policy

import (
	"math/bits"
	"unsafe"
)

// tokenizeBlockGo is tokenize's scanner: from c.i until it passes lim, it
// writes the tokens, the starts (tokens and punctuation a phrase may begin
// with), the sentence ends, and the indexes of the all-digit tokens and of
// the tokens a link may start with (linkAfter), where c points, moving c on.
// Each output has room for one more than there are bytes in [c.i, lim). A
// token that begins before lim is finished even if it ends after.
//
// norm (n bytes) is followed by normPad zero bytes, so a word may be read
// at any offset below its end. policy.wasm (tokenize_block_wasm.s) and
// amd64 builds (tokenize_block_amd64.s) have it in assembly as
// tokenizeBlock: keep the three the same. Elsewhere tokenizeBlock calls
// this (tokenize_block_other.go).
func tokenizeBlockGo(norm unsafe.Pointer, n, lim int, c *tokCursor) {
	at := func(k int) byte { return *(*byte)(unsafe.Add(norm, k)) }
	// The cursor in locals, written back at the end: through c, every
	// write would be a store and every read a load.
	i, runEnd := c.i, c.runEnd
	toks, starts, ends, nums, links := c.toks, c.starts, c.ends, c.nums, c.links
	put := func(p unsafe.Pointer, v int) unsafe.Pointer { *(*int32)(p) = int32(v); return unsafe.Add(p, 4) }
	for i < lim {
		k := byteKind[at(i)]
		if k == kindOther {
			i++
			continue
		}
		if k == kindPunct {
			starts = put(starts, i)
			i++
			continue
		}
		if k == kindStop {
			if at(i) == '\n' {
				ends = put(ends, i+1)
			} else if i >= runEnd {
				// A run of . ! ? " ) ends a sentence when a space, a line
				// break or the end follows. Its bytes are still visited
				// one by one: ')' may start a phrase.
				j := i + 1
				for j < n && (at(j) == '.' || at(j) == '!' || at(j) == '?' || at(j) == '"' || at(j) == ')') {
					j++
				}
				runEnd = j
				if j == n || at(j) == ' ' || at(j) == '\n' || at(j) == '\t' {
					ends = put(ends, j)
				}
			}
			i++
			continue
		}
		// A token: its end eight bytes at a time. Flags (0x80 in a byte)
		// for digits 0x30..0x39 and letters 0x61..0x7A; exact, as folded
		// bytes are at most 0x80.
	token:
		start, digits := i, 0
		for {
			w := *(*uint64)(unsafe.Add(norm, i))
			dg := (w + 0x50*ones) &^ (w + 0x46*ones) &^ w & highs
			an := (w+0x1F*ones)&^(w+0x05*ones)&^w&highs | dg
			k := bits.TrailingZeros64(^an&highs) >> 3
			if dg != 0 { // most words have no digit
				digits += bits.OnesCount64(dg & (1<<(8*uint(k)) - 1))
			}
			i += k
			if k < 8 {
				break
			}
		}
		*(*token)(toks) = token{ns: int32(start), ne: int32(i), digits: int32(digits), letters: int32(i - start - digits)}
		toks = unsafe.Add(toks, unsafe.Sizeof(token{}))
		starts = put(starts, start)
		if digits == i-start {
			nums = put(nums, int(uintptr(toks)-uintptr(c.tok0))/int(unsafe.Sizeof(token{}))-1)
		}
		// Most tokens are followed by a space and a word: no link, and the
		// next token starts right after the space.
		if at(i) == ' ' && at(i+1)-'a' < 26 && at(i+1) != 'd' {
			if i+1 < lim {
				i++
				goto token
			}
		} else if linkAfter(norm, n, i) {
			links = put(links, int(uintptr(toks)-uintptr(c.tok0))/int(unsafe.Sizeof(token{}))-1)
		}
	}
	c.i, c.runEnd = i, runEnd
	c.toks, c.starts, c.ends, c.nums, c.links = toks, starts, ends, nums, links
}

// linkAfter reports whether a token ending at norm offset ne may be a
// domain's first label: a dot separator must follow (".x", "[.]", " dot "
// and the like; see dotAfter). Most words are followed by a space and a
// word, and are ruled out here. norm (n bytes) is followed by zero bytes.
func linkAfter(norm unsafe.Pointer, n, ne int) bool {
	at := func(k int) byte { return *(*byte)(unsafe.Add(norm, k)) }
	if ne >= n {
		return false
	}
	switch at(ne) {
	case '.': // "a.b": a full stop before a space ends a sentence, not a label
		return isAlnum(at(ne + 1))
	case '[', '(', '{', '-':
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
