package policy

// tokenize finds the tokens and the sentence ends in one pass.
//
// A sentence ends at a newline, or at . ! ? followed by a space, a newline or
// the end (so "3.5", "example.com" and "e.g." inside a word do not split).
func (l *linter) tokenize() {
	toks, ends := l.toks[:0], l.sentEnds[:0]
	n := l.nt.norm
	for i := 0; i < len(n); {
		k := byteKind[n[i]]
		if k == kindOther {
			i++
			continue
		}
		if k == kindStop {
			if c := n[i]; c == '\n' {
				ends = append(ends, int32(i+1))
			} else {
				j := i + 1
				for j < len(n) && (n[j] == '.' || n[j] == '!' || n[j] == '?' || n[j] == '"' || n[j] == ')') {
					j++
				}
				if j == len(n) || n[j] == ' ' || n[j] == '\n' || n[j] == '\t' {
					ends = append(ends, int32(j))
					i = j
					continue
				}
			}
			i++
			continue
		}
		start, digits := i, 0
		for ; i < len(n); i++ {
			k := byteKind[n[i]]
			if k > kindDigit {
				break
			}
			digits += int(k) - 1 // letters 0, digits 1
		}
		toks = append(toks, token{ns: int32(start), ne: int32(i), digits: int32(digits), letters: int32(i - start - digits)})
	}
	if len(ends) == 0 || ends[len(ends)-1] != int32(len(n)) {
		ends = append(ends, int32(len(n)))
	}
	l.toks, l.sentEnds = toks, ends
}

// byteKind sorts folded bytes for tokenize: letters and digits make tokens,
// stops may end a sentence.
const (
	kindLetter = 1
	kindDigit  = 2
	kindOther  = 3
	kindStop   = 4
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
		default:
			t[i] = kindOther
		}
	}
	return t
}()
