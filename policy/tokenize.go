package policy

import "unsafe"

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
		// Room first for what the next block can add: each turn of
		// tokenizeBlock moves i on and adds at most one token, start or end.
		if cap(toks)-len(toks) <= tokenBlock {
			toks = growTokens(toks)
		}
		if cap(ends)-len(ends) <= tokenBlock {
			ends = growInt32s(ends)
		}
		if cap(starts)-len(starts) <= tokenBlock {
			starts = growInt32s(starts)
		}
		var nt, ns, ne int
		i, nt, ns, ne = tokenizeBlock(np, len(n), i, min(len(n), i+tokenBlock),
			unsafe.Add(unsafe.Pointer(unsafe.SliceData(toks)), len(toks)*int(unsafe.Sizeof(token{}))),
			unsafe.Add(unsafe.Pointer(unsafe.SliceData(starts)), len(starts)*4),
			unsafe.Add(unsafe.Pointer(unsafe.SliceData(ends)), len(ends)*4))
		toks, starts, ends = toks[:len(toks)+nt], starts[:len(starts)+ns], ends[:len(ends)+ne]
	}
	if len(ends) == 0 || ends[len(ends)-1] != int32(len(n)) {
		ends = append(ends, int32(len(n)))
	}
	l.toks, l.sentEnds, l.starts = toks, ends, starts
}

// tokenBlock is how many bytes tokenizeBlock is given at a time.
const tokenBlock = 256

// growTokens and growInt32s make room for more than tokenBlock more.
//
//go:noinline
func growTokens(t []token) []token {
	return append(t[:cap(t)], make([]token, max(2*tokenBlock, cap(t)))...)[:len(t)]
}

//go:noinline
func growInt32s(t []int32) []int32 {
	return append(t[:cap(t)], make([]int32, max(2*tokenBlock, cap(t)))...)[:len(t)]
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
