package policy

import (
	"strings"
	"unicode/utf8"
)

// Recognisers that read the seller's text as typed (case, symbols, line
// breaks), not the folded view: emoji and emoticons, HTML, blank lines and
// shouting.

// isEmojiBase reports pictographic code points (Unicode's
// Extended_Pictographic, trimmed to what renders as emoji by default).
func isEmojiBase(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF:
		return !(r >= 0x1F100 && r <= 0x1F1E5) // enclosed alphanumerics are text
	case r >= 0x2600 && r <= 0x27BF:
		return true
	case r == 0x231A, r == 0x231B, r >= 0x23E9 && r <= 0x23F3, r >= 0x23F8 && r <= 0x23FA:
		return true
	case r >= 0x2B05 && r <= 0x2B07, r == 0x2B1B, r == 0x2B1C, r == 0x2B50, r == 0x2B55:
		return true
	case r == 0x3030, r == 0x303D, r == 0x3297, r == 0x3299:
		return true
	}
	return false
}

// isEmojiTail reports code points that continue an emoji cluster.
func isEmojiTail(r rune) bool {
	return r == 0xFE0F || r == 0x20E3 || r == 0x200D || (r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F)
}

// checkEmoji finds pictographic emoji (ASCII emoticons are phrases, see
// emoticon).
func (l *linter) checkEmoji() {
	if !l.nt.nonASCII {
		return
	}
	src := l.nt.src
	// Only multi-byte runes can be emoji: visit those the normaliser saw
	// rather than every byte.
	i := 0
	for _, w := range l.nt.wide {
		if int(w) < i {
			continue // inside the emoji sequence just reported
		}
		i = int(w)
		r, size := utf8.DecodeRuneInString(src[i:])
		if isEmojiTail(r) {
			continue // a stray tail; keycaps are handled below
		}
		if !isEmojiBase(r) {
			// A text symbol followed by U+FE0F asks for emoji presentation
			// ("❤️", "©️"), and a keycap ends in U+20E3.
			if r2, _ := utf8.DecodeRuneInString(src[i+size:]); !(r2 == 0xFE0F && r != 0xFE0F) && r2 != 0x20E3 {
				continue
			}
		}
		start := i
		j := i + size
		for j < len(src) {
			r2, s2 := utf8.DecodeRuneInString(src[j:])
			if isEmojiTail(r2) {
				j += s2
				if r2 == 0x200D && j < len(src) {
					r3, s3 := utf8.DecodeRuneInString(src[j:])
					if isEmojiBase(r3) {
						j += s3
					}
				}
				continue
			}
			// Regional indicator pairs (flags).
			if r >= 0x1F1E6 && r <= 0x1F1FF && r2 >= 0x1F1E6 && r2 <= 0x1F1FF && j == i+size {
				j += s2
				continue
			}
			break
		}
		s, e := withSpace(src, start, j)
		l.add("emoji", Error, s, e, "Emoji are not allowed in buyer messages; Amazon asks for plain, professional text.", &Fix{Replacement: ""})
		i = j
	}
	// Keycaps "1️⃣": the digit is ASCII, caught here. They begin with a
	// multi-byte rune (U+FE0F), so only those the normaliser saw are
	// looked at, not every byte.
	const keycap = "\ufe0f\u20e3"
	for _, w := range l.nt.wide {
		if k := int(w); strings.HasPrefix(src[k:], keycap) && k > 0 && (isDigitByte(src[k-1]) || src[k-1] == '#' || src[k-1] == '*') {
			l.add("emoji", Error, k-1, k+len(keycap), "Emoji are not allowed in buyer messages; Amazon asks for plain, professional text.", &Fix{Replacement: ""})
		}
	}
}

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// emoticon reports an emoticon hit that stands alone: ":)" but not the
// ":3" of "16:3" or the ":/" of "https://".
func (l *linter) emoticon(h *hit) {
	n := l.nt.norm
	if h.ns > 0 {
		if p := n[h.ns-1]; isAlnum(p) || p == ':' || p == '/' || p == '<' || p == '=' || p == '^' || p == '_' || p == ';' {
			return
		}
	}
	if int(h.ne) < len(n) {
		if p := n[h.ne]; isAlnum(p) || p == '/' || p == '_' || p == '(' || p == ')' || p == ':' {
			return
		}
	}
	s, e := l.nt.span(int(h.ns), int(h.ne))
	s, e = withSpace(l.nt.src, s, e)
	l.add("emoji", Error, s, e, "Emoticons are not allowed in buyer messages; Amazon asks for plain, professional text.", &Fix{Replacement: ""})
}

func isAlnumASCII(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// withSpace widens [s, e) to take one neighbouring space, so deleting it
// leaves "mug and" rather than "mug  and".
func withSpace(src string, s, e int) (int, int) {
	if s > 0 && src[s-1] == ' ' && (e == len(src) || src[e] == ' ' || src[e] == '\n' || src[e] == '\r' || strings.IndexByte(".,!?;:", src[e]) >= 0) {
		return s - 1, e
	}
	if s == 0 && e < len(src) && src[e] == ' ' {
		return s, e + 1
	}
	return s, e
}

// htmlEntity returns the plain text for an HTML entity (lower case), or
// false. A switch, not a map literal, which would become init code.
func htmlEntity(ent string) (string, bool) {
	switch ent {
	case "&nbsp;":
		return " ", true
	case "&amp;":
		return "&", true
	case "&lt;":
		return "<", true
	case "&gt;":
		return ">", true
	case "&quot;":
		return "\"", true
	case "&apos;", "&#39;":
		return "'", true
	case "&ndash;", "&mdash;":
		return "-", true
	case "&hellip;":
		return "...", true
	}
	return "", false
}

func (l *linter) checkHTML() {
	if !l.nt.markup {
		return
	}
	src := l.nt.src
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '<':
			j := i + 1
			if j < len(src) && src[j] == '/' {
				j++
			}
			if j >= len(src) || !(src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] == '!') {
				continue
			}
			name := j
			for j < len(src) && isAlnumASCII(src[j]) {
				j++
			}
			tagName := asciiLower(src[name:j])
			if j < len(src) && !(src[j] == '>' || src[j] == ' ' || src[j] == '/' || src[j] == '\n' || src[j] == '\t') && tagName != "!--" {
				continue
			}
			end := strings.IndexByte(src[j:], '>')
			if end < 0 || end > 500 || strings.IndexByte(src[j:j+end], '<') >= 0 {
				continue
			}
			e := j + end + 1
			repl := ""
			if tagName == "br" || tagName == "p" && src[i+1] == '/' {
				repl = "\n"
			}
			l.add("html-markup", Error, i, e, "HTML tags are not allowed in buyer messages; Amazon shows them as raw text. Write plain text instead.", &Fix{Replacement: repl})
			i = e - 1
		case '&':
			semi := strings.IndexByte(src[i:min(len(src), i+10)], ';')
			if semi < 0 {
				continue
			}
			ent := src[i : i+semi+1]
			repl, ok := htmlEntity(asciiLower(ent))
			if !ok && !(len(ent) > 3 && ent[1] == '#') {
				continue
			}
			l.add("html-markup", Error, i, i+semi+1, "HTML entities are not allowed in buyer messages; write the character itself.", &Fix{Replacement: repl})
			i += semi
		}
	}
}

const excessBreaks = "More than one blank line in a row. Amazon asks sellers to avoid excessive line breaks; one blank line between paragraphs is enough."

// blank reports whether s holds only spaces and tabs.
func blank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return false
		}
	}
	return true
}

// checkLineBreaks flags two or more blank lines in a row.
func (l *linter) checkLineBreaks() {
	if l.nt.breaks < 3 {
		return
	}
	src := l.nt.src
	if l.nt.breaks == len(l.nt.lines) {
		// No carriage return: the line feeds the normaliser listed are
		// all the breaks, and a run is the ones with only spaces and tabs
		// between (a scan of every byte for them cost 15k instructions
		// a lint in policy.wasm).
		lines := l.nt.lines
		for k := 0; k < len(lines); {
			start, last := int(lines[k]), int(lines[k])
			k++
			breaks := 1
			for ; k < len(lines) && blank(src[last+1:lines[k]]); k++ {
				last = int(lines[k])
				breaks++
			}
			if breaks >= 3 {
				l.add("excess-line-breaks", Warning, start, last+1, excessBreaks, &Fix{Replacement: "\n\n"})
			}
		}
		return
	}
	for i := 0; i < len(src); i++ {
		// Jump to the next line break (IndexByte is vectorised).
		k := strings.IndexByte(src[i:], '\n')
		if k < 0 {
			if strings.IndexByte(src[i:], '\r') < 0 {
				return
			}
			k = strings.IndexByte(src[i:], '\r')
		}
		i += k
		for i > 0 && src[i-1] == '\r' {
			i--
		}
		start, breaks, lastNL := i, 0, i
		j := i
		crlf := false
		for j < len(src) {
			switch src[j] {
			case '\n':
				breaks++
				lastNL = j
			case '\r':
				crlf = true
				if j+1 >= len(src) || src[j+1] != '\n' {
					breaks++ // a lone CR is a line break too
					lastNL = j
				}
			case ' ', '\t':
			default:
				goto done
			}
			j++
		}
	done:
		if breaks >= 3 {
			repl := "\n\n"
			if crlf {
				repl = "\r\n\r\n"
			}
			l.add("excess-line-breaks", Warning, start, lastNL+1, excessBreaks, &Fix{Replacement: repl})
		}
		i = j
	}
}

// acronyms are capitalised by convention, not for shouting.
var acronyms = setOf("usps ups dhl tba rma sku asin usb led lcd uk us usa eu vat gst hst pst pdf faq id ok tv pc ac dc " +
	"fba fbm mfn upc ean isbn diy xl xxl xs sm md lg am pm est pst cst utc gmt ce ul fcc rohs hdmi wifi gps ml mm cm kg lb oz " +
	"qty sn ref po co llc ltd inc gmbh ag sa srl nyc la dc iso ansi ip uv hd uhd ssd hdd ram cpu gpu diy aa aaa")

// checkShouting flags three or more all-capital words in a row.
func (l *linter) checkShouting() {
	src := l.nt.src
	runStart, runEnd, words, loud, letters := -1, -1, 0, 0, 0
	// Three capitalised words with ten letters hold at least seven pairs of
	// adjacent capitals with no lower-case letter between them; most texts
	// have none and skip the word walk.
	if l.nt.capsRun < 7 {
		return
	}
	flush := func() {
		if words >= 3 && loud >= 2 && letters >= 10 {
			l.add("shouting", Warning, runStart, runEnd,
				"Writing in capital letters reads as shouting. Amazon expects a courteous, professional tone; use sentence case.", nil)
		}
		runStart, runEnd, words, loud, letters = -1, -1, 0, 0, 0
	}
	for i := 0; i < len(src); {
		c := src[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			if c == '\n' || c == '.' || c == '?' {
				flush()
			}
			i++
			continue
		}
		j := i
		upper := 0
		for j < len(src) && (src[j] >= 'A' && src[j] <= 'Z' || src[j] >= 'a' && src[j] <= 'z' || src[j] == '\'') {
			if src[j] >= 'A' && src[j] <= 'Z' {
				upper++
			}
			j++
		}
		n := j - i
		switch {
		case n >= 2 && (upper == n || upper == n-strings.Count(src[i:j], "'")):
			if runStart < 0 {
				runStart = i
			}
			runEnd = j
			words++
			letters += n
			if !acronyms.has(asciiLower(src[i:j])) {
				loud++
			}
		case n == 1 && upper == 1:
			// "I", "A": neither loud nor quiet.
		default:
			flush()
		}
		i = j
	}
	flush()
}
