package policy

import "unicode/utf8"

// normText is the input folded once for matching: ASCII lower case, full-width
// and look-alike letters mapped to ASCII, zero-width characters dropped. Every
// rule reads this one view, and orig maps each byte back to the input so spans
// point at what the seller actually typed.
type normText struct {
	src  string
	norm []byte  // folded text
	orig []int32 // orig[i] = byte offset in src of norm[i]; orig[len(norm)] = len(src)
}

// placeholder for a rune we do not fold (CJK, emoji, symbols): a non-word byte.
const otherByte = 0x80

// Look-alike letters spammers use to dodge filters ("аmazon" with Cyrillic а).
var confusables = map[rune]byte{
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ӏ': 'l', 'ɡ': 'g',
	'А': 'a', 'В': 'b', 'Е': 'e', 'К': 'k', 'М': 'm', 'Н': 'h', 'О': 'o', 'Р': 'p', 'С': 'c', 'Т': 't',
	'Х': 'x', 'І': 'i', 'Ј': 'j', 'Ѕ': 's', 'У': 'y',
	// Greek
	'α': 'a', 'ο': 'o', 'ε': 'e', 'ρ': 'p', 'ν': 'v', 'τ': 't', 'ι': 'i', 'κ': 'k', 'υ': 'u',
	'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'i', 'Κ': 'k', 'Μ': 'm', 'Ν': 'n',
	'Ο': 'o', 'Ρ': 'p', 'Τ': 't', 'Υ': 'y', 'Χ': 'x',
	// Punctuation that stands in for ASCII
	'‘': '\'', '’': '\'', '‚': '\'', '‛': '\'', '′': '\'', '“': '"', '”': '"', '„': '"',
	'‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '−': '-',
	'․': '.', '。': '.', '﹒': '.', '·': '.', '﹫': '@', '⁄': '/', '∕': '/',
	'\u00a0': ' ', '\u2000': ' ', '\u2001': ' ', '\u2002': ' ', '\u2003': ' ', '\u2004': ' ',
	'\u2005': ' ', '\u2006': ' ', '\u2007': ' ', '\u2008': ' ', '\u2009': ' ', '\u200a': ' ',
	'\u202f': ' ', '\u205f': ' ', '\u3000': ' ', '\u2028': '\n', '\u2029': '\n',
}

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

func (n *normText) reset(src string) {
	n.src = src
	n.norm = n.norm[:0]
	n.orig = n.orig[:0]
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != '\r' {
				n.norm = append(n.norm, c)
				n.orig = append(n.orig, int32(i))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if b, ok := foldRune(r); ok {
			n.norm = append(n.norm, b)
			n.orig = append(n.orig, int32(i))
		}
		i += size
	}
	n.orig = append(n.orig, int32(len(src)))
}

// span returns the source byte span of norm[ns:ne].
func (n *normText) span(ns, ne int) (int, int) {
	s := int(n.orig[ns])
	if ne <= ns {
		return s, s
	}
	// End just after the last rune that produced norm[ne-1].
	last := int(n.orig[ne-1])
	_, size := utf8.DecodeRuneInString(n.src[last:])
	return s, last + size
}

func isAlnum(b byte) bool   { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }
func isDigit(b byte) bool   { return b >= '0' && b <= '9' }
func isLetter(b byte) bool  { return b >= 'a' && b <= 'z' }
func isSpaceB(b byte) bool  { return b == ' ' || b == '\t' || b == '\n' }
func isWordish(b byte) bool { return isAlnum(b) || b == otherByte }
