//go:build !wasm

package policy

import (
	"math/bits"
	"unsafe"
)

// tokenizeBlock is tokenize's scanner: from norm offset i until it passes
// lim, it writes the tokens, the starts (tokens and punctuation a phrase may
// begin with) and the sentence ends it finds to toks, starts and ends, which
// have room for one more each than there are bytes in [i, lim). It returns
// where it stopped and how many of each it wrote. A token, or a run of stops,
// that begins before lim is finished even if it ends after.
//
// norm (n bytes) is followed by eight zero bytes, so a word may be read at
// any offset below its end. policy.wasm has this function in assembly
// (tokenize_block_wasm.s): keep the two the same.
func tokenizeBlock(norm unsafe.Pointer, n, i, lim int, toks, starts, ends unsafe.Pointer) (next, nt, ns, ne int) {
	at := func(k int) byte { return *(*byte)(unsafe.Add(norm, k)) }
	for i < lim {
		k := byteKind[at(i)]
		if k == kindOther {
			i++
			continue
		}
		if k == kindPunct {
			*(*int32)(unsafe.Add(starts, ns*4)) = int32(i)
			ns++
			i++
			continue
		}
		if k == kindStop {
			if at(i) == '\n' {
				*(*int32)(unsafe.Add(ends, ne*4)) = int32(i + 1)
				ne++
			} else {
				j := i + 1
				for j < n && (at(j) == '.' || at(j) == '!' || at(j) == '?' || at(j) == '"' || at(j) == ')') {
					j++
				}
				if j == n || at(j) == ' ' || at(j) == '\n' || at(j) == '\t' {
					*(*int32)(unsafe.Add(ends, ne*4)) = int32(j)
					ne++
					i = j
					continue
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
		*(*token)(unsafe.Add(toks, nt*int(unsafe.Sizeof(token{})))) = token{ns: int32(start), ne: int32(i), digits: int32(digits), letters: int32(i - start - digits)}
		nt++
		*(*int32)(unsafe.Add(starts, ns*4)) = int32(start)
		ns++
	}
	return i, nt, ns, ne
}
