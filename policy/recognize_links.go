package policy

import "strings"

// Links and email addresses, including the ways spammers write them to slip
// past filters: "shop dot com", "shop [.] com", "name (at) shop (dot) co
// (dot) uk", full-width or Cyrillic letters (folded by normalize), and
// spaces around the dots.

// Top-level domains we recognise. File extensions that are also TLDs (md,
// py, sh, zip, mov) are left out: "see readme.md" is not a link.
var tlds = setOf("com net org info biz io co uk de fr it es nl se pl be ie tr ae sa eg za in jp au sg ca mx br us eu " +
	"shop store online site xyz me tv app dev ly gl gg cc ws club top vip live ru cn ch at dk no fi pt cz gr hu ro nz " +
	"ar cl pe kr tw hk my ph th vn id link page blog tech ai biz pro mobi name ltd llc inc company today world space " +
	"website net email digital life market deals sale help global")

// Second-level registries: in "shop.co.uk" the name is "shop".
var secondLevel = setOf("co com org net ac gov edu ne or")

var amazonNames = setOf("amazon amzn")

var carrierNames = setOf("ups usps fedex dhl royalmail canadapost evri hermesworld myhermes dpd gls-group gls postnl correos " +
	"laposte colissimo deutschepost japanpost auspost ontrac lasership purolator tnt yodel parcelforce bluedart delhivery " +
	"aramex inpost chronopost poste sfexpress yamato-hd sagawa-exp kuronekoyamato post")

// Local parts that are ordinary words, so "we at shop dot com" is not an
// email address even when "at" is spelled out.
var notLocal = setOf("we us me you i it is are was be am they them he she our my your at to in on and or the a an " +
	"here there this that arrived delivered stay home look available find see visit")

var mailProviders = setOf("gmail yahoo hotmail outlook live icloud aol gmx web mail protonmail proton yandex qq 163 126 " +
	"comcast msn me mac btinternet orange free laposte t-online")

func (l *linter) tokText(i int) string {
	t := l.toks[i]
	return l.normS[t.ns:t.ne]
}

// gap returns the normalised text between token i and token i+1.
func (l *linter) gap(i int) string {
	if i < 0 || i+1 >= len(l.toks) {
		return ""
	}
	return l.normS[l.toks[i].ne:l.toks[i+1].ns]
}

// dotAfter reports whether token i is followed by a dot separator and
// returns the index of the token that follows the separator.
//
//	"a.b"  "a . b"  "a[.]b"  "a (.) b"  "a dot b"  "a (dot) b"  "a [dot] b"
func (l *linter) dotAfter(i int) (next int, obfuscated, ok bool) {
	if i+1 >= len(l.toks) {
		return 0, false, false
	}
	// Fast path for the common gaps: one space or one punctuation mark.
	if a, b := l.toks[i].ne, l.toks[i+1].ns; b-a == 1 {
		switch l.nt.norm[a] {
		case '.':
			return i + 1, false, true
		case ' ', '(', '[', '{':
			t := l.toks[i+1]
			if t.ne-t.ns != 3 || l.normS[t.ns:t.ne] != "dot" {
				return 0, false, false
			}
		default:
			return 0, false, false
		}
	}
	g := l.gap(i)
	switch g {
	case ".":
		return i + 1, false, true
	case " . ", "[.]", "(.)", "{.}", " [.] ", " (.) ", " {.} ", "[ . ]", "( . )":
		return i + 1, true, true
	}
	// "dot" spelled out, optionally bracketed.
	if i+2 < len(l.toks) && l.tokText(i+1) == "dot" {
		before, after := strings.TrimSpace(g), strings.TrimSpace(l.gap(i+1))
		if g != "" && l.gap(i+1) != "" && (before == "" && after == "" ||
			before == "(" && after == ")" || before == "[" && after == "]" || before == "{" && after == "}") {
			return i + 2, true, true
		}
	}
	return 0, false, false
}

// maxLabels bounds the labels of a domain we look at ("a.b.c.co.uk").
const maxLabels = 8

// domain is a parsed host name: tokens first..last (inclusive). Labels are
// slices of the folded text, so parsing allocates nothing.
type domain struct {
	first, last int
	labels      [maxLabels]string
	n           int
	obfuscated  bool
}

// parseDomain reads "label(.label)+" starting at token i and returns the
// longest form ending in a known TLD.
func (l *linter) parseDomain(i int) (domain, bool) {
	var d, best domain
	d.first = i
	found := false
	j := i
	d.labels[0], d.n = l.labelAt(&j), 1
	for d.n < maxLabels {
		next, obf, ok := l.dotAfter(j)
		if !ok {
			break
		}
		k := next
		lab := l.labelAt(&k)
		d.labels[d.n] = lab
		d.n++
		d.obfuscated = d.obfuscated || obf
		j = k
		if tlds.has(lab) && l.plausibleTLD(next, obf) {
			best, found = d, true
			best.last = j
		}
	}
	return best, found
}

// labelAt reads one label (tokens joined by single hyphens) at *j and leaves
// *j on its last token.
func (l *linter) labelAt(j *int) string {
	start := l.toks[*j].ns
	for *j+1 < len(l.toks) && l.toks[*j+1].ns-l.toks[*j].ne == 1 && l.nt.norm[l.toks[*j].ne] == '-' {
		*j++
	}
	return l.normS[start:l.toks[*j].ne]
}

// plausibleTLD rejects "Thanks.It works" (a missing space, not a domain):
// a TLD written with a plain dot must not be capitalised like a word.
func (l *linter) plausibleTLD(tok int, obfuscated bool) bool {
	if obfuscated {
		return true
	}
	s, _ := l.nt.span(int(l.toks[tok].ns), int(l.toks[tok].ne))
	src := l.nt.src
	if s+1 < len(src) && src[s] >= 'A' && src[s] <= 'Z' && src[s+1] >= 'a' && src[s+1] <= 'z' {
		return false
	}
	return true
}

func (d domain) name() string {
	n := d.n
	if n >= 3 && secondLevel.has(d.labels[n-2]) && tlds.has(d.labels[n-1]) {
		return d.labels[n-3]
	}
	return d.labels[n-2]
}

func (d domain) isAmazon() bool {
	if amazonNames.has(d.name()) {
		return true
	}
	return d.n == 2 && d.labels[0] == "a" && d.labels[1] == "co"
}

func (d domain) isCarrier() bool { return carrierNames.has(d.name()) }

// atBefore checks for an "at" separator just before token i: "@", "(at)",
// "[at]", " at ". It returns the token index of the local part's last token.
func (l *linter) atBefore(i int, d domain) (local int, ok bool) {
	if i < 1 {
		return 0, false
	}
	g := strings.TrimSpace(l.gap(i - 1))
	switch g {
	case "@", "(@)", "[@]", "{@}":
		return i - 1, true
	}
	if i >= 2 && l.tokText(i-1) == "at" {
		before, after := strings.TrimSpace(l.gap(i-2)), strings.TrimSpace(l.gap(i-1))
		bracketed := before == "(" && after == ")" || before == "[" && after == "]" || before == "{" && after == "}"
		plain := before == "" && after == "" && l.gap(i-2) != ""
		if bracketed {
			return i - 2, true
		}
		if plain && !notLocal.has(l.tokText(i-2)) && (d.obfuscated || mailProviders.has(d.labels[0])) {
			return i - 2, true
		}
	}
	return 0, false
}

// localStart walks back over "first.last_name+tag" (no spaces) from token j.
func (l *linter) localStart(j int) int {
	for j > 0 {
		switch l.gap(j - 1) {
		case ".", "_", "-", "+":
			j--
			continue
		}
		break
	}
	return j
}

func (l *linter) checkLinksAndEmails() {
	n := l.nt.norm
	done := -1 // the last token of the last link or address
	// Only tokens followed by a dot separator can start a domain; tokenize
	// listed them (linkAfter).
	for _, k := range l.linkCands {
		i := int(k)
		if i <= done {
			continue
		}
		// Labels start a domain only at a boundary: not after "." or "-".
		// (Tested before dotAfter, which would otherwise run for every part
		// of "114-3941689-8772232".)
		if i > 0 {
			if p := l.toks[i-1].ne; l.toks[i].ns-p == 1 && (n[p] == '.' || n[p] == '-') {
				continue
			}
		}
		if _, _, ok := l.dotAfter(i); !ok {
			// "oak-ridge.com": a hyphenated label needs a dot after it.
			j := i
			if l.labelAt(&j); j == i {
				continue
			}
			if _, _, ok := l.dotAfter(j); !ok {
				continue
			}
		}
		d, ok := l.parseDomain(i)
		if !ok {
			continue
		}
		if local, isEmail := l.atBefore(i, d); isEmail {
			ls := l.localStart(local)
			if !d.isAmazon() {
				l.addNorm("email-address", Error, l.toks[ls].ns, l.toks[d.last].ne,
					"This is an email address. Amazon does not allow email addresses in buyer messages; keep the conversation in Buyer-Seller Messaging.", nil)
			}
			done = d.last
			continue
		}
		ns, ne := l.toks[d.first].ns, l.toks[d.last].ne
		// Scheme: "http://" or "https://" just before.
		scheme := ""
		if ns >= 3 && string(n[ns-3:ns]) == "://" && d.first > 0 {
			if s := l.tokText(d.first - 1); s == "http" || s == "https" {
				scheme = s
				ns = l.toks[d.first-1].ns
			}
		}
		// Path, query, port: up to the next space.
		if int(ne) < len(n) && (n[ne] == '/' || n[ne] == '?' || n[ne] == '#' || n[ne] == ':') {
			for int(ne) < len(n) && !isSpaceB(n[ne]) && n[ne] != otherByte && n[ne] != '"' && n[ne] != ')' {
				ne++
			}
			for ne > ns && (n[ne-1] == '.' || n[ne-1] == ',' || n[ne-1] == '!' || n[ne-1] == '?' || n[ne-1] == ';' || n[ne-1] == ':') {
				ne--
			}
		}
		if scheme == "http" {
			s, e := l.nt.span(int(ns), int(ns)+4)
			l.add("insecure-link", Error, s, e,
				"This link is not secure (http). Amazon allows only secure https links, and only when needed to complete the order.",
				&Fix{Replacement: "https"})
		}
		switch {
		case d.isAmazon():
		case d.isCarrier():
			l.addNorm("external-link", Info, ns, ne,
				"A carrier tracking link is allowed when it helps complete the order; make sure it is https and points to the carrier itself.", nil)
		default:
			msg := "Links to websites outside Amazon are not allowed in buyer messages."
			if d.obfuscated {
				msg = "This is a website address written to dodge filters; Amazon treats it as a link to a site outside Amazon, which is not allowed."
			}
			l.addNorm("external-link", Error, ns, ne, msg, nil)
		}
		done = d.last
	}
}
