package policy

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// checkPhrases turns phrase hits into findings. Most rules are one tag; the
// review rules combine tags within a sentence ("leave a review" + "gift
// card" = an incentive), which is what tells a bribe from a plain request.
func (l *linter) checkPhrases() {
	lastIncentive := int32(-1)
	for i := range l.hits {
		h := &l.hits[i]
		k := h.sentence
		switch h.tag {
		case tagPromo:
			l.addNorm("promotional-content", Error, h.ns, h.ne,
				"Marketing and promotions (discount codes, sales, clubs, other products) are not allowed in buyer messages.", nil)
		case tagOffSale:
			l.addNorm("off-amazon-sale", Error, h.ns, h.ne,
				"Steering the buyer to buy outside Amazon is prohibited; keep the sale on Amazon.", nil)
		case tagOffContact:
			if !l.negated(h.ns, k) && !l.onAmazonAfter(h.ne) {
				l.addNorm("off-amazon-contact", Error, h.ns, h.ne,
					"Asking the buyer to contact you outside Amazon (phone, social media, chat apps) is not allowed; reply through Buyer-Seller Messaging.", nil)
			}
		case tagExtraPay:
			if !l.negated(h.ns, k) {
				l.addNorm("extra-payment", Error, h.ns, h.ne,
					"Asking for payment outside Amazon (PayPal, bank transfer, \"send the difference\") is prohibited; all payments go through Amazon.", nil)
			}
		case tagOptOut:
			l.addNorm("opt-out-link", Error, h.ns, h.ne,
				"Opt-out or unsubscribe wording is not allowed: Amazon provides buyers' opt-out itself.", nil)
		case tagHostile:
			if !l.negated(h.ns, k) {
				l.addNorm("hostile-tone", Error, h.ns, h.ne,
					"This reads as accusing, insulting or threatening the buyer. Amazon requires a courteous tone; describe the facts and the next step instead.", nil)
			}
		case tagPII:
			if l.has(k, tagAskVerb) && !l.negated(h.ns, k) {
				l.addNorm("pii-request", Error, h.ns, h.ne,
					"Do not ask buyers for personal or payment details (phone, email, card, passwords, ID); Amazon shares what you need with the order.", nil)
			}
		case tagCancelAsk:
			l.addNorm("cancel-request-ask", Warning, h.ns, h.ne,
				"If you cannot fulfil the order, cancel it yourself rather than asking the buyer to: Amazon expects sellers to cancel orders they cannot ship.", nil)
		case tagOverpromise:
			if !l.negated(h.ns, k) {
				l.addNorm("overpromise", Warning, h.ns, h.ne,
					"Avoid promises you cannot control (guaranteed delivery dates, \"100%\"); a missed promise invites an A-to-z claim.", nil)
			}
		case tagMisspelling:
			l.misspelling(h)
		case tagEmoticon:
			l.emoticon(h)
		case tagPositiveReview:
			if !l.has(k, tagThanks) {
				l.positiveReview(h)
			}
		case tagOnlyIfHappy:
			if l.has(k, tagReviewAsk) || l.has(k, tagReviewNoun) {
				l.addNorm("review-manipulation", Error, h.ns, h.ne,
					"Asking only satisfied buyers for a review is review manipulation; ask every buyer the same neutral way, or use Amazon's Request a Review button.", nil)
			}
		case tagBeforeReview:
			if l.has(k, tagNegativeReview) || l.has(k, tagReviewNoun) {
				l.addNorm("review-manipulation", Error, h.ns, h.ne,
					"Diverting buyers from leaving a review (\"contact us before leaving negative feedback\") is review manipulation.", nil)
			}
		case tagFeedbackChange:
			l.feedbackChange(h)
		case tagReviewAsk:
			if k != lastIncentive && (l.has(k, tagIncentive) || l.has(k, tagRefund)) && !l.has(k, tagFeedbackChange) {
				lastIncentive = k
				ns, ne := h.ns, h.ne
				for _, o := range l.hitsIn(k) {
					if o.tag == tagIncentive || o.tag == tagRefund {
						ns, ne = min(ns, o.ns), max(ne, o.ne)
					}
				}
				l.addNorm("review-incentive", Error, ns, ne,
					"Offering anything (refunds, discounts, gifts, free products) for a review is prohibited and can get your account suspended.", nil)
			}
		}
	}
}

// onAmazonAfter reports a contact phrase followed by the permitted channel:
// "contact us directly on Amazon", "reach us via Buyer-Seller Messaging".
// Only spaces may stand between, so "WhatsApp.\n\nAmazon has ..." is not
// exempt.
func (l *linter) onAmazonAfter(ne int32) bool {
	i := sort.Search(len(l.toks), func(i int) bool { return l.toks[i].ns >= ne })
	for hop := 0; hop < 2 && i < len(l.toks); hop++ {
		if strings.Trim(l.normS[ne:l.toks[i].ns], " ") != "" {
			return false
		}
		switch l.tokText(i) {
		case "amazon", "buyer", "seller":
			return true
		case "on", "at", "via", "through", "here", "in":
			ne = l.toks[i].ne
			i++
			continue
		}
		return false
	}
	return false
}

func (l *linter) misspelling(h *hit) {
	s, e := l.nt.span(int(h.ns), int(h.ne))
	right := lintM.phrases[h.pat].payload
	typed := l.nt.src[s:e]
	if typed != "" && typed[0] >= 'A' && typed[0] <= 'Z' && right[0] >= 'a' && right[0] <= 'z' {
		right = string(right[0]-'a'+'A') + right[1:]
	}
	l.add("misspelling", Warning, s, e, "Possible misspelling: \""+typed+"\" is usually written \""+right+"\".", &Fix{Replacement: right})
}

// positiveReview flags "a 5-star review" and offers "a review".
func (l *linter) positiveReview(h *hit) {
	s, e := l.nt.span(int(h.ns), int(h.ne))
	src := l.nt.src
	var fix *Fix
	if lintM.phrases[h.pat].payload != "" {
		noun := lastWord(src[s:e])
		repl := noun
		// Take the article along so "an excellent review" becomes "a review".
		if !strings.HasSuffix(noun, "s") {
			lower := asciiLower(src[max(0, s-4):s])
			switch {
			case strings.HasSuffix(lower, " an ") || s == 3 && lower == "an ":
				s -= 3
				repl = "a " + noun
			case strings.HasSuffix(lower, " a ") || s == 2 && lower == "a ":
				s -= 2
				repl = "a " + noun
			}
		}
		fix = &Fix{Replacement: repl}
	}
	l.add("review-manipulation", Error, s, e,
		"Asking for a positive or 5-star review is review manipulation; you may only ask for an honest review, in neutral words.", fix)
}

// lastWord returns s after its last space, hyphen or no-break space
// ("5-star review" -> "review"). A loop of its own: strings.LastIndexAny
// with a non-ASCII character to look for decodes every rune, which costs
// 15k instructions in policy.wasm.
func lastWord(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if c := s[i]; c == ' ' || c == '-' || c == 0xA0 && i > 0 && s[i-1] == 0xC2 { // U+00A0 is C2 A0
			return s[i+1:]
		}
	}
	return s
}

// feedbackChange: asking a buyer to change or remove feedback is allowed
// only after the problem is resolved, and never in exchange for anything.
func (l *linter) feedbackChange(h *hit) {
	k := h.sentence
	// A refund, gift or discount in the same sentence, an explicit link ("so
	// you would update it") nearby, or a gift in the next or previous
	// sentence ("Would you update your review? We sent you a gift card.").
	// A refund in a neighbouring sentence is the ordinary "we resolved it,
	// would you reconsider" that Amazon permits.
	near := func(t tag) bool {
		return k > 0 && l.has(k-1, t) || int(k)+1 < len(l.sentMask) && l.has(k+1, t)
	}
	exchange := l.has(k, tagIncentive) || l.has(k, tagRefund) || l.has(k, tagExchangeLink) ||
		near(tagExchangeLink) || near(tagIncentive)
	switch {
	case exchange:
		l.addNorm("feedback-removal-exchange", Error, h.ns, h.ne,
			"Asking the buyer to change or remove feedback in exchange for a refund, gift or anything else is prohibited.", nil)
	case l.has(k, tagPressure) || !l.hasAny(tagResolved):
		l.addNorm("feedback-removal-pressure", Warning, h.ns, h.ne,
			"Ask about feedback only after the problem is resolved, once, politely and without pressure; the buyer decides.", nil)
	default:
		l.addNorm("feedback-removal-pressure", Info, h.ns, h.ne,
			"You may ask once, after resolving the problem, whether the buyer would consider updating their feedback. Do not ask again.", nil)
	}
}

// checkContext runs the rules that depend on the message's context.
func (l *linter) checkContext() {
	ctx := &l.ctx
	firstS, firstE := l.firstSentence()
	if ctx.Kind == "proactive" {
		if len(l.orderIDs) == 0 {
			l.add("missing-order-id", Warning, firstS, firstE,
				"Proactive messages must include the 17-digit Amazon order id (123-1234567-1234567).", nil)
		}
		if days, ok := daysSince(ctx.DeliveryDate, ctx.Now); ok && days > 30 {
			l.add("proactive-window", Warning, firstS, firstE,
				"Proactive messages may be sent only within 30 days of the order being completed; this order is "+itoa(days)+" days past delivery.", nil)
		} else if days, ok := daysSince(ctx.OrderDate, ctx.Now); ok && days > 30 && ctx.DeliveryDate == "" {
			l.add("proactive-window", Warning, firstS, firstE,
				"Proactive messages may be sent only within 30 days of the order; this order is "+itoa(days)+" days old.", nil)
		}
		// A confirmation phrase in a message with another purpose (a problem,
		// a question, a review request) is only its opening.
		if l.hasAny(tagRedundant) && !l.hasAny(tagProblem) && !l.hasAny(tagReviewAsk) {
			for _, h := range l.hits {
				if h.tag == tagRedundant {
					l.addNorm("redundant-notification", Warning, h.ns, h.ne,
						"Amazon already sends order, shipping and delivery confirmations; a proactive message that only repeats them is not permitted.", nil)
					break
				}
			}
		}
	}
	if l.hasAny(tagReviewAsk) {
		for _, h := range l.hits {
			if h.tag != tagReviewAsk {
				continue
			}
			if ctx.PreviousReviewRequests > 0 {
				l.addNorm("review-request-repeat", Warning, h.ns, h.ne,
					"You have already asked for a review on this order; Amazon allows one review request per order.", nil)
			}
			if days, ok := daysSince(ctx.DeliveryDate, ctx.Now); ok && (days < 5 || days > 30) {
				l.addNorm("review-request-timing", Warning, h.ns, h.ne,
					"Review requests may be sent only 5 to 30 days after delivery; this order was delivered "+itoa(days)+" days ago.", nil)
			}
			break
		}
	}
	l.checkLength()
}

// maxMessageUnits is the Messaging API's limit on a message's text.
const maxMessageUnits = 2000

func (l *linter) checkLength() {
	src := l.nt.src
	if len(src) <= maxMessageUnits {
		return
	}
	// From the multi-byte runes the normaliser listed, not rune by rune:
	// between them a byte is a unit.
	if i := cutAt(src, l.nt.wide, maxMessageUnits); i < len(src) {
		l.add("length-limit", Warning, i, len(src),
			"The message is longer than Amazon's 2,000-character limit; shorten it or split it.", nil)
	}
}

// cutAt returns the byte offset of the first rune of src that does not fit
// in max UTF-16 units, or len(src) if all do. wide lists the offsets of
// src's multi-byte runes (an invalid byte counts as one unit, as editors
// show it).
func cutAt(src string, wide []int32, max int) int {
	excess := 0 // bytes beyond their units, of the runes before
	for _, w := range wide {
		o := int(w)
		if o-excess >= max { // the cut falls in the one-byte runes before o
			break
		}
		r, size := utf8.DecodeRuneInString(src[o:])
		units := 1
		if r >= 0x10000 {
			units = 2
		}
		if o-excess+units > max {
			return o
		}
		excess += size - units
	}
	return min(max+excess, len(src))
}

func (l *linter) firstSentence() (int, int) {
	s, e := l.sentenceSpan(0)
	bs, be := l.nt.span(int(s), int(e))
	src := l.nt.src
	for be > bs && (src[be-1] == '\n' || src[be-1] == ' ' || src[be-1] == '\r') {
		be--
	}
	return bs, be
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// asciiLower lowers ASCII letters only (strings.ToLower would pull Unicode
// case tables into policy.wasm).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
