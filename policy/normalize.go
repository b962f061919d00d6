package policy

import (
	"math/bits"
	"slices"
	"unicode/utf8"
	"unsafe"
)

// normText is the input folded once for matching: ASCII lower case, full-width
// and look-alike letters mapped to ASCII, zero-width characters dropped. Every
// rule reads this one view, and shifts map its offsets back to the input so spans
// point at what the seller actually typed.
type normText struct {
	src  string
	norm []byte // folded text; cap(norm) >= len(norm)+normPad, and norm[len(norm):][:normPad] are zeros
	// shifts map norm offsets back to src: from shifts[k].at on, src offset
	// = norm offset + shifts[k].delta (0 before the first). Folding keeps
	// offsets except at multi-byte runes and dropped characters, so plain
	// text has no shifts and the fast path writes none.
	shifts []shift

	// Facts gathered on the way, so checks with nothing to find are skipped.
	capsRun  int     // most adjacent-capital pairs with no lower-case letter between ("USPS" has 3)
	nonASCII bool    // any multi-byte rune
	wide     []int32 // src offset of every multi-byte rune, in order
	markup   bool    // any '<' or '&'
	breaks   int     // line-break characters
	lines    []int32 // src offset of every '\n', in order
}

type shift struct{ at, delta int32 }

// normPad is how many zero bytes follow the folded text, so scanners may
// read a word (eight bytes) or, on amd64, sixteen at any offset before its
// end without a bounds test.
const normPad = 16

// placeholder for a rune we do not fold (CJK, emoji, symbols): a non-word byte.
const otherByte = 0x80

// Look-alike letters spammers use to dodge filters ("аmazon" with Cyrillic а).
// confusablePairs lists look-alike characters spammers use to dodge filters
// ("аmazon" with a Cyrillic а) as pairs: the character, then its ASCII
// stand-in. A string, not a map literal: map literals become init code,
// which policy.wasm's size budget cannot afford.
const confusablePairs = "аaвbеeкkмmнhоoрpсcтtуyхxіiјjѕsԁdӏlɡgАaВbЕeКkМmНhОoРpСcТtХxІiЈjЅsУyαaοoεeρpνvτtιiκkυuΑaΒbΕeΖzΗhΙiΚkΜmΝnΟoΡpΤtΥyΧx\u2018'\u2019'\u201a'\u201b'\u2032'\u201c\"\u201d\"\u201e\"\u2010-\u2011-\u2012-\u2013-\u2014-\u2015-\u2212-\u2024.\u3002.﹒.·.﹫@\u2044/\u2215/\u00a0 \u2000 \u2001 \u2002 \u2003 \u2004 \u2005 \u2006 \u2007 \u2008 \u2009 \u200a \u202f \u205f \u3000 \u2028\n\u2029\n"

// confusables is built by a variable initialiser rather than init(), so it
// is ready before any init in the package runs.
var confusables = func() map[rune]byte {
	m := map[rune]byte{}
	rs := []rune(confusablePairs)
	for i := 0; i+1 < len(rs); i += 2 {
		m[rs[i]] = byte(rs[i+1])
	}
	return m
}()

// latin1Fold folds U+00C0..U+00FF to a base letter ('.' = no fold).
const latin1Fold = "aaaaaaaceeeeiiiidnooooo.ouuuuyts" + "aaaaaaaceeeeiiiidnooooo.ouuuuyty"

func foldRune(r rune) (byte, bool) {
	switch {
	case r < utf8.RuneSelf:
		b := byte(r)
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		return b, true
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return foldRune(r - 0xFEE0)
	case r >= 0xC0 && r <= 0xFF:
		if c := latin1Fold[r-0xC0]; c != '.' {
			return c, true
		}
	case r >= 0x100 && r <= 0x17F: // Latin Extended-A
		return latinExtA[r-0x100], true
	case isZeroWidth(r):
		return 0, false
	}
	if b, ok := confusables[r]; ok {
		return b, true
	}
	return otherByte, true
}

// latinExtA folds U+0100..U+017F to a base letter, one byte per code point.
const latinExtA = "aaaaaaccccccccdd" + "ddeeeeeeeeeegggg" + "gggghhhhiiiiiiii" + "iiiijjkkklllllll" +
	"lllnnnnnnnnnoooo" + "oooorrrrrrssssss" + "sstttttt" + "uuuuuuuu" + "uuuuwwyyyzzzzzzs"

// isZeroWidth reports characters that render as nothing: spammers put them
// inside words ("ama\u200bzon") to hide them from filters.
func isZeroWidth(r rune) bool {
	switch {
	case r == 0x00AD, r >= 0x200B && r <= 0x200F, r >= 0x2060 && r <= 0x2064, r == 0xFEFF:
		return true
	case r >= 0x0300 && r <= 0x036F: // combining diacritics: "e\u0301" matches "e"
		return true
	case r >= 0xFE00 && r <= 0xFE0F: // variation selectors
		return true
	}
	return false
}

// asciiFold[c] is c folded (lower case); asciiPlain marks the bytes that
// fold to themselves: ASCII but not capitals, line breaks, '<' or '&'.
var asciiFold, asciiPlain = makeASCIITables()

func makeASCIITables() (fold [128]byte, plain [256]byte) {
	for c := 0; c < 128; c++ {
		fold[c] = byte(c)
		plain[c] = 1
		switch {
		case c >= 'A' && c <= 'Z':
			fold[c] = byte(c) + 'a' - 'A'
			plain[c] = 0
		case c == '\r', c == '\n', c == '<', c == '&':
			plain[c] = 0
		}
	}
	return fold, plain
}

func (n *normText) reset(src string) {
	n.src = src
	if cap(n.norm) < len(src)+normPad {
		n.norm = make([]byte, 0, len(src)+len(src)/4+normPad)
	}
	norm := n.norm[:len(src)+normPad]
	n.capsRun, n.nonASCII, n.markup, n.breaks = 0, false, false, 0
	n.wide, n.shifts, n.lines = n.wide[:0], n.shifts[:0], n.lines[:0]
	run := 0
	j := 0
	delta := 0 // src offset - norm offset, as of the last shift
	sp := unsafe.StringData(src)
	np := unsafe.Pointer(&norm[0])
outer:
	for i := 0; i < len(src); {
		if i-j != delta {
			delta = i - j
			n.shifts = append(n.shifts, shift{int32(j), int32(delta)})
		}
		// Sixteen bytes at a time where the machine can (foldPlain: SSE2
		// on amd64), then the word-at-a-time path below.
		if haveFoldPlain && i+16 <= len(src) && src[i] < utf8.RuneSelf {
			if cap(n.lines)-len(n.lines) < 16 {
				n.lines = slices.Grow(n.lines, 64)
			}
			room := n.lines[len(n.lines):cap(n.lines)]
			var k, lfs int
			k, lfs, run, n.capsRun = foldPlain(unsafe.Add(np, j), unsafe.Pointer(sp), i, len(src), run, n.capsRun,
				unsafe.Pointer(unsafe.SliceData(room)), len(room))
			n.lines = n.lines[:len(n.lines)+lfs]
			n.breaks += lfs
			i += k
			j += k
		}
		// Eight bytes at a time while they are plain: ASCII that folds to
		// itself. policy.wasm pays dozens of instructions per loop
		// iteration, so testing and copying words instead of bytes is most
		// of this function's speed. The first special byte, if any, is the
		// lowest flagged one: the tests flag no byte below a true one.
		for i+8 <= len(src) {
			w := *(*uint64)(unsafe.Add(unsafe.Pointer(sp), i))
			*(*uint64)(unsafe.Add(np, j)) = w
			if m := specialBytes(w); m != 0 {
				// Capitals and line feeds are folded here too, a word at a
				// time, when that is all the word holds, no two capitals
				// touch and no run of capitals is open: then the byte path's
				// bookkeeping for shouting (runs of touching capitals) has
				// nothing to do. Tests for single bytes are exact here: with
				// every high bit set first, no subtraction borrows across bytes.
				if run == 0 && w&highs == 0 {
					x := w | highs
					upper := (x - 0x41*ones) &^ (x - 0x5B*ones) & highs
					lf := (x - 0x0A*ones) &^ (x - 0x0B*ones) & highs
					other := (x-0x0D*ones)&^(x-0x0E*ones) | (x-0x3C*ones)&^(x-0x3D*ones) | (x-0x26*ones)&^(x-0x27*ones)
					if other&highs == 0 && upper&(upper<<8) == 0 &&
						(upper&0x80 == 0 || i == 0 || src[i-1] < 'A' || src[i-1] > 'Z') {
						*(*uint64)(unsafe.Add(np, j)) = w + upper>>2
						if lf != 0 {
							n.breaks += bits.OnesCount64(lf)
							for ; lf != 0; lf &= lf - 1 {
								n.lines = append(n.lines, int32(i+bits.TrailingZeros64(lf)>>3))
							}
						}
						i += 8
						j += 8
						continue outer
					}
				}
				k := bits.TrailingZeros64(m) >> 3
				i += k
				j += k
				break
			}
			i += 8
			j += 8
		}
		if i+8 > len(src) { // the tail, a byte at a time
			for i < len(src) && asciiPlain[src[i]] != 0 {
				norm[j] = src[i]
				i++
				j++
			}
			if i >= len(src) {
				break
			}
		}
		c := src[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'A' && c <= 'Z':
				if i > 0 && src[i-1] >= 'A' && src[i-1] <= 'Z' {
					run++
					n.capsRun = max(n.capsRun, run)
				} else if lowerBefore(src, i) {
					run = 0
				}
			case c == '\r':
				n.breaks++
				i++
				continue
			case c == '\n':
				n.breaks++
				n.lines = append(n.lines, int32(i))
			case c == '<', c == '&':
				n.markup = true
			}
			norm[j] = asciiFold[c]
			j++
			i++
			continue
		}
		n.nonASCII = true
		n.wide = append(n.wide, int32(i))
		r, size := utf8.DecodeRuneInString(src[i:])
		if b, ok := foldRune(r); ok {
			norm[j] = b
			j++
		}
		i += size
	}
	if len(src)-j != delta {
		n.shifts = append(n.shifts, shift{int32(j), int32(len(src) - j)})
	}
	clear(norm[j : j+normPad])
	n.norm = norm[:j]
}

// specialBytes flags (0x80 in its byte) each byte of w that is not plain:
// non-ASCII, a control character, a capital, '<' or '&'. Only the lowest
// flag is exact; higher ones may be false, which the caller never reads.
func specialBytes(w uint64) uint64 {
	ctl := (w - 0x20*ones) &^ w
	upper := (w + 0x3F*ones) &^ (w + 0x25*ones)
	return (w | ctl | upper | zeroBytes(w^0x3C*ones) | zeroBytes(w^0x26*ones)) & highs
}

// zeroBytes flags the zero bytes of x (exact up to the lowest one).
func zeroBytes(x uint64) uint64 { return (x - ones) &^ x & highs }

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// view returns norm as a string without copying it (a copy is an
// allocation per keystroke). The string changes with the next reset, so
// nothing taken from it may be kept.
func (n *normText) view() string {
	if len(n.norm) == 0 {
		return ""
	}
	return unsafe.String(&n.norm[0], len(n.norm))
}

// lowerBefore reports whether the last letter before src[i] (within a few
// bytes) is lower case, which ends a run of capitals.
func lowerBefore(src string, i int) bool {
	for k := i - 1; k >= 0 && k >= i-4; k-- {
		switch c := src[k]; {
		case c >= 'a' && c <= 'z':
			return true
		case c >= 'A' && c <= 'Z':
			return false
		}
	}
	return true
}

// srcOf returns the source byte offset of norm[p] (of the end, for p =
// len(norm)).
func (n *normText) srcOf(p int) int {
	sh := n.shifts
	lo, hi := 0, len(sh)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(sh[m].at) <= p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == 0 {
		return p
	}
	return p + int(sh[lo-1].delta)
}

// span returns the source byte span of norm[ns:ne].
func (n *normText) span(ns, ne int) (int, int) {
	s := n.srcOf(ns)
	if ne <= ns {
		return s, s
	}
	// End just after the last rune that produced norm[ne-1].
	last := n.srcOf(ne - 1)
	_, size := utf8.DecodeRuneInString(n.src[last:])
	return s, last + size
}

func isAlnum(b byte) bool  { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }
func isSpaceB(b byte) bool { return b == ' ' || b == '\t' || b == '\n' }
