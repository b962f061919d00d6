package policy

import "unsafe"

// tokenize finds the tokens, the sentence ends, the places a phrase may
// start (each token, and each punctuation mark a pattern begins with, such
// as ":)" or "% off"), the all-digit tokens and the tokens a link may start
// with, in one pass, so the trie walk and the recognisers need no pass of
// their own to find where to look.
//
// A sentence ends at a newline, or at . ! ? followed by a space, a newline or
// the end (so "3.5", "example.com" and "e.g." inside a word do not split).
func (l *linter) tokenize() {
	toks, ends, starts := l.toks[:0], l.sentEnds[:0], l.starts[:0]
	nums, links := l.nums[:0], l.linkCands[:0]
	n := l.nt.norm
	var c tokCursor
	for c.i < len(n) {
		// Room first for what the next block can add: each turn of
		// tokenizeBlock moves on a byte at least and adds at most one of each.
		if cap(toks)-len(toks) <= tokenBlock {
			toks = growTokens(toks)
		}
		ends, starts = growInt32sFor(ends), growInt32sFor(starts)
		nums, links = growInt32sFor(nums), growInt32sFor(links)
		c.tok0 = unsafe.Pointer(unsafe.SliceData(toks))
		c.toks = unsafe.Add(c.tok0, len(toks)*int(unsafe.Sizeof(token{})))
		c.starts, c.ends = end32(starts), end32(ends)
		c.nums, c.links = end32(nums), end32(links)
		tokenizeBlock(unsafe.Pointer(unsafe.SliceData(n)), len(n), min(len(n), c.i+tokenBlock), &c)
		toks = toks[:int(uintptr(c.toks)-uintptr(c.tok0))/int(unsafe.Sizeof(token{}))]
		starts, ends = upTo32(starts, c.starts), upTo32(ends, c.ends)
		nums, links = upTo32(nums, c.nums), upTo32(links, c.links)
	}
	if len(ends) == 0 || ends[len(ends)-1] != int32(len(n)) {
		ends = append(ends, int32(len(n)))
	}
	l.toks, l.sentEnds, l.starts, l.nums, l.linkCands = toks, ends, starts, nums, links
}

// tokCursor is where tokenizeBlock is and where its outputs go.
type tokCursor struct {
	i      int // the next byte to look at
	runEnd int // the stops before runEnd belong to a run already looked at
	// Where the next token, start, sentence end, all-digit token index and
	// link candidate index go.
	toks, starts, ends, nums, links unsafe.Pointer
	// The first token: a token's index is its distance from tok0.
	tok0 unsafe.Pointer
}

func growInt32sFor(s []int32) []int32 {
	if cap(s)-len(s) <= tokenBlock {
		return growInt32s(s)
	}
	return s
}

// end32 is where the next int32 of s goes.
func end32(s []int32) unsafe.Pointer {
	return unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), len(s)*4)
}

// upTo32 extends s to the int32s written before p.
func upTo32(s []int32, p unsafe.Pointer) []int32 {
	return s[:int(uintptr(p)-uintptr(unsafe.Pointer(unsafe.SliceData(s))))/4]
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
