package policy

import (
	"math/bits"
	"unsafe"
)

// tokenize finds the tokens, the sentence ends and the places a phrase may
// start (each token, and each punctuation mark a pattern begins with, such
// as ":)" or "% off") in one pass, so the trie walk (scan) needs no pass of
// its own to find them.
//
// A sentence ends at a newline, or at . ! ? followed by a space, a newline or
// the end (so "3.5", "example.com" and "e.g." inside a word do not split).
func (l *linter) tokenize() {
	toks, ends, starts := l.toks[:0], l.sentEnds[:0], l.starts[:0]
	n := l.nt.norm
	np := unsafe.Pointer(unsafe.SliceData(n))
	for i := 0; i < len(n); {
		// Room first for what the next 64 bytes can add (each turn of the loop
		// below moves i on and adds at most one token or end): with no call in
		// it, the loop keeps its variables in registers, where policy.wasm
		// would otherwise store and reload them every turn.
		if cap(toks)-len(toks) < 65 {
			toks = growTokens(toks)
		}
		if cap(ends)-len(ends) < 65 {
			ends = growInt32s(ends)
		}
		if cap(starts)-len(starts) < 65 {
			starts = growInt32s(starts)
		}
		for lim := min(len(n), i+64); i < lim; {
			k := byteKind[*(*byte)(unsafe.Add(np, i))]
			if k == kindOther {
				i++
				continue
			}
			if k == kindPunct {
				starts = starts[:len(starts)+1]
				starts[len(starts)-1] = int32(i)
				i++
				continue
			}
			if k == kindStop {
				if c := n[i]; c == '\n' {
					ends = ends[:len(ends)+1]
					ends[len(ends)-1] = int32(i + 1)
				} else {
					j := i + 1
					for j < len(n) && (n[j] == '.' || n[j] == '!' || n[j] == '?' || n[j] == '"' || n[j] == ')') {
						j++
					}
					if j == len(n) || n[j] == ' ' || n[j] == '\n' || n[j] == '\t' {
						ends = ends[:len(ends)+1]
						ends[len(ends)-1] = int32(j)
						i = j
						continue
					}
				}
				i++
				continue
			}
			// The token's end, eight bytes at a time: most tokens end within
			// the first word, and in policy.wasm a turn of a byte loop costs
			// far more than the bit tricks. norm is followed by eight zero
			// bytes (reset), so a word may be read at any offset below its end.
			for {
				start, digits := i, 0
				for {
					w := *(*uint64)(unsafe.Add(np, i))
					// Flags (0x80 in a byte) for digits 0x30..0x39 and letters
					// 0x61..0x7A; exact, as folded bytes are at most 0x80.
					dg := (w + 0x50*ones) &^ (w + 0x46*ones) &^ w & highs
					an := (w+0x1F*ones)&^(w+0x05*ones)&^w&highs | dg
					k := bits.TrailingZeros64(^an&highs) >> 3
					digits += bits.OnesCount64(dg & (1<<(8*uint(k)) - 1))
					i += k
					if k < 8 {
						break
					}
				}
				toks = toks[:len(toks)+1]
				toks[len(toks)-1] = token{ns: int32(start), ne: int32(i), digits: int32(digits), letters: int32(i - start - digits)}
				starts = starts[:len(starts)+1]
				starts[len(starts)-1] = int32(start)
				// Most words are followed by one space and the next word:
				// go on to it here rather than round the outer loop.
				if i+1 >= lim || *(*byte)(unsafe.Add(np, i)) != ' ' || byteKind[*(*byte)(unsafe.Add(np, i+1))] > kindDigit {
					break
				}
				i++
			}
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != int32(len(n)) {
		ends = append(ends, int32(len(n)))
	}
	l.toks, l.sentEnds, l.starts = toks, ends, starts
}

// byteKind sorts folded bytes for tokenize: letters and digits make tokens,
// stops may end a sentence, and the punctuation with a trie class of its
// own may start a phrase.
const (
	kindLetter = 1
	kindDigit  = 2
	kindOther  = 3
	kindStop   = 4
	kindPunct  = 5
)

var byteKind = func() (t [256]uint8) {
	for i := range t {
		switch b := byte(i); {
		case b >= 'a' && b <= 'z':
			t[i] = kindLetter
		case b >= '0' && b <= '9':
			t[i] = kindDigit
		case b == '.' || b == '!' || b == '?' || b == '\n':
			t[i] = kindStop
		case classOf[b] > 36 && classOf[b] < clsSep:
			t[i] = kindPunct
		default:
			t[i] = kindOther
		}
	}
	return t
}()

//go:noinline
func growTokens(t []token) []token {
	return append(t[:cap(t)], make([]token, max(128, cap(t)))...)[:len(t)]
}

//go:noinline
func growInt32s(t []int32) []int32 {
	return append(t[:cap(t)], make([]int32, max(128, cap(t)))...)[:len(t)]
}
