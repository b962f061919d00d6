package policy

import "strings"

// Numbers: Amazon order ids, and phone numbers written with any separators,
// without crying wolf on the many other numbers sellers write: order ids,
// tracking numbers, part and model numbers, prices, dates, times,
// measurements, ZIP codes and RMA numbers.

// numRun is a run of digit-only tokens joined by phone-like separators.
type numRun struct {
	first, last int // token indexes
	groups      []int
	digits      int
	plus        bool   // written with a leading '+'
	seps        []byte // the separators, concatenated
}

// onlyHyphens reports whether every separator is '-' (or there are none).
func onlyHyphens(seps []byte) bool {
	for _, c := range seps {
		if c != '-' {
			return false
		}
	}
	return true
}

func (l *linter) isNumTok(i int) bool { return l.toks[i].letters == 0 }

// phoneSep reports whether a gap can sit inside a phone number.
func phoneSep(g string) bool {
	if len(g) == 0 || len(g) > 3 {
		return false
	}
	if g == "." {
		return true
	}
	for i := 0; i < len(g); i++ {
		switch g[i] {
		case ' ', '-', '(', ')', '/':
		default:
			return false
		}
	}
	return true
}

func (l *linter) checkNumbers() {
	done := -1 // the last token of the last run
	for _, k := range l.nums {
		i := int(k)
		if i <= done {
			continue
		}
		if i > 0 && l.gap(i-1) == "." && !l.isNumTok(i-1) {
			continue // "v.2", "No.5"
		}
		// groups and seps reuse the linter's buffers: no allocation per number.
		r := numRun{first: i, last: i, groups: append(l.groupBuf[:0], int(l.toks[i].digits)), digits: int(l.toks[i].digits), seps: l.sepBuf[:0]}
		for r.last+1 < len(l.toks) && l.isNumTok(r.last+1) && phoneSep(l.gap(r.last)) {
			r.seps = append(r.seps, l.gap(r.last)...)
			r.last++
			d := int(l.toks[r.last].digits)
			r.groups = append(r.groups, d)
			r.digits += d
		}
		l.groupBuf, l.sepBuf = r.groups[:0], r.seps[:0]
		ns := l.toks[r.first].ns
		if ns > 0 && l.nt.norm[ns-1] == '+' {
			r.plus = true
		}
		done = r.last
		if l.checkOrderID(r) {
			continue
		}
		l.checkPhone(r)
	}
}

// checkOrderID recognises 3-7-7 order ids (valid) and near misses
// (invalid-order-id). It reports whether the run was an order id shape.
func (l *linter) checkOrderID(r numRun) bool {
	ns, ne := l.toks[r.first].ns, l.toks[r.last].ne
	g := r.groups
	if len(g) == 3 && g[0] == 3 && g[1] == 7 && g[2] == 7 {
		if string(r.seps) == "--" {
			l.orderIDs = append(l.orderIDs, span{ns, ne})
			return true
		}
		digits := l.digitsOf(r)
		l.addNorm("invalid-order-id", Warning, ns, ne,
			"Amazon order ids are written 123-1234567-1234567, with hyphens.",
			&Fix{Replacement: digits[:3] + "-" + digits[3:10] + "-" + digits[10:]})
		return true
	}
	if len(g) == 1 && g[0] == 17 && l.orderWordBefore(ns) {
		digits := l.digitsOf(r)
		l.addNorm("invalid-order-id", Warning, ns, ne,
			"Amazon order ids are written 123-1234567-1234567, with hyphens.",
			&Fix{Replacement: digits[:3] + "-" + digits[3:10] + "-" + digits[10:]})
		return true
	}
	// Near misses: three hyphenated groups shaped like an order id but with
	// the wrong lengths (a digit dropped or doubled while copying).
	if len(g) == 3 && string(r.seps) == "--" && g[0] >= 2 && g[0] <= 4 && g[1] >= 5 && g[1] <= 9 && g[2] >= 5 && g[2] <= 9 && g[1]+g[2] >= 12 && g[1]+g[2] <= 16 {
		l.addNorm("invalid-order-id", Warning, ns, ne,
			"This looks like an order id but does not have the 3-7-7 digits of an Amazon order id (123-1234567-1234567); check it was copied correctly.", nil)
		return true
	}
	return false
}

func (l *linter) digitsOf(r numRun) string {
	var b strings.Builder
	for i := r.first; i <= r.last; i++ {
		b.WriteString(l.tokText(i))
	}
	return b.String()
}

// orderWordBefore reports "order", "order #", "order number:" just before ns.
func (l *linter) orderWordBefore(ns int32) bool {
	for _, h := range l.hitsIn(l.sentenceOf(ns)) {
		if h.tag == tagNotPhoneCtx && h.ne <= ns && ns-h.ne <= 3 && strings.HasPrefix(l.normS[h.ns:h.ne], "order") {
			return true
		}
	}
	return false
}

// contextBefore reports a label like "part number", "tracking #", "RMA" that
// ends just before ns, separated by punctuation or "is"/"was".
func (l *linter) contextBefore(ns int32) bool {
	for _, h := range l.hitsIn(l.sentenceOf(ns)) {
		if h.tag != tagNotPhoneCtx || h.ne > ns || ns-h.ne > 10 {
			continue
		}
		// "RMA 1234-5678", "part no.: 12 345 678", "parcel number is 1234 5678 9012"
		switch strings.Trim(l.normS[h.ne:ns], " :#.-(") {
		case "", "is", "was", "are", "will be":
			return true
		}
	}
	return false
}

// units after a number make it a measurement, not a phone number. Only
// units that are not also words: "call 555-0187 in the morning" is a phone.
var units = setOf("cm mm km inch inches ft feet foot yd yards kg gram grams mg lb lbs pound pounds oz ounce ounces " +
	"ml liter liters litre litres gal gallon gallons watt watts kw volt volts mah ah hz khz mhz ghz gb mb tb kb pcs " +
	"sq degrees psi rpm dpi px mph kmh kcal calories")

func isYear(s string) bool {
	return len(s) == 4 && (s[:2] == "19" || s[:2] == "20")
}

func (l *linter) checkPhone(r numRun) {
	if r.digits < 7 || r.digits > 15 {
		return
	}
	g := r.groups
	ns, ne := l.toks[r.first].ns, l.toks[r.last].ne
	sentence := l.sentenceOf(ns)
	switch {
	case len(g) == 1:
		// An unbroken run is a phone only when introduced as one ("call
		// 02079460958") or written with a leading '+'.
		if !r.plus && !(r.digits >= 8 && r.digits <= 13 && l.phoneWordBefore(ns, sentence)) {
			return
		}
	default:
		longest, short := 0, 0
		for _, d := range g {
			if d > longest {
				longest = d
			}
			if d <= 2 {
				short++
			}
		}
		if longest > 8 || (longest > 5 && len(g) > 2) {
			return
		}
		// Mostly one- and two-digit groups are lists or sizes, not phones,
		// unless they are the French "01 23 45 67 89" form.
		if longest < 3 && !(len(g) >= 4 && r.digits >= 9) && !r.plus {
			return
		}
		if len(g) == 2 && !r.plus && (g[0] < 3 || g[1] < 3) {
			return
		}
		// "5500-1183-02": hyphenated codes ending in a short group are part
		// and revision numbers; phones written with hyphens end in 3-4 digits.
		if !r.plus && g[len(g)-1] <= 2 && longest >= 3 && onlyHyphens(r.seps) {
			return
		}
	}
	first, last := l.tokText(r.first), l.tokText(r.last)
	switch {
	case len(g) == 3 && (g[0] == 4 && g[1] == 2 && g[2] == 2 && isYear(first)),
		len(g) == 3 && g[0] <= 2 && g[1] <= 2 && g[2] == 4 && isYear(last):
		return // a date
	case len(g) == 2 && g[0] == 4 && g[1] == 4 && isYear(first) && isYear(last):
		return // a year range
	case len(g) == 2 && g[0] == 5 && g[1] == 4 && string(r.seps) == "-":
		return // ZIP+4
	}
	if l.contextBefore(ns) {
		return
	}
	// "Part number 5500-1183-02 replaces 5500-1183-01": a sentence about part,
	// model or order numbers with no word of calling is not about a phone.
	if l.has(sentence, tagNotPhoneCtx) && !l.phoneWordBefore(ns, sentence) && !r.plus && !l.has(sentence, tagCarrierMaker) {
		return
	}
	// Money: "$1 299 000", "€ 1.234.567".
	s, _ := l.nt.span(int(ns), int(ne))
	for k := s - 1; k >= 0 && k >= s-4; k-- {
		c := l.nt.src[k]
		if c == ' ' {
			continue
		}
		if c == '$' || strings.HasPrefix(l.nt.src[k:], "€") || c == 0xAC || c == 0xA3 || c == 0xA5 {
			return
		}
		break
	}
	// Measurements: "1 200 000 mAh".
	if r.last+1 < len(l.toks) && l.toks[r.last+1].ns-ne <= 1 && units.has(l.tokText(r.last+1)) {
		return
	}
	if r.plus {
		ns--
	}
	// "(312) 555-0187": take the opening bracket too.
	if ns > 0 && l.nt.norm[ns-1] == '(' {
		ns--
	}
	if l.has(sentence, tagCarrierMaker) {
		l.addNorm("phone-number", Warning, ns, ne,
			"A carrier's or manufacturer's phone number can help the buyer, but Amazon prefers that you keep contact in Buyer-Seller Messaging; make sure it is not your own number.", nil)
		return
	}
	l.addNorm("phone-number", Error, ns, ne,
		"This is a phone number. Amazon does not allow phone numbers in buyer messages; keep the conversation in Buyer-Seller Messaging.", nil)
}

// phoneWordBefore: "call", "phone", "text", "WhatsApp" earlier in the sentence.
func (l *linter) phoneWordBefore(ns int32, sentence int32) bool {
	if !l.has(sentence, tagPhoneCtx) {
		return false
	}
	for _, h := range l.hitsIn(sentence) {
		if h.tag == tagPhoneCtx && h.ne <= ns && !l.insideLabel(h) {
			return true
		}
	}
	return false
}

// insideLabel: the "number" of "RMA number" is not a word about phoning.
func (l *linter) insideLabel(p hit) bool {
	for _, h := range l.hitsIn(p.sentence) {
		if h.tag == tagNotPhoneCtx && h.ns <= p.ns && h.ne >= p.ne && h.ne-h.ns > p.ne-p.ns {
			return true
		}
	}
	return false
}
