package policy

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// Hard cases beyond the catalog examples: obfuscation the engine must see
// through, and ordinary seller text it must leave alone. Each case names the
// rule and, for hits, the exact text the finding must cover.
func TestTraps(t *testing.T) {
	cases := []struct {
		text string
		rule string
		want string // the span's text; "" means the rule must NOT fire at error/warning
	}{
		// links, obfuscated
		{"Our catalog: shop-oakridge . com", "external-link", "shop-oakridge . com"},
		{"visit oakridge(dot)com today", "external-link", "oakridge(dot)com"},
		{"visit oakridge [dot] co [dot] uk", "external-link", "oakridge [dot] co [dot] uk"},
		{"see ｏａｋｒｉｄｇｅ．ｃｏｍ", "external-link", "ｏａｋｒｉｄｇｅ．ｃｏｍ"},
		{"see оakridge.com (Cyrillic o)", "external-link", "оakridge.com"},
		{"bit.ly/3xYz for details", "external-link", "bit.ly/3xYz"},
		{"www.oak\u200bridge.com", "external-link", "www.oak\u200bridge.com"},
		{"Open https://sellercentral.amazon.de/messaging/inbox", "external-link", ""},
		{"It is on amazon.co.uk too.", "external-link", ""},
		{"Please read the manual.pdf we attached.", "external-link", ""},
		{"We shipped it.Thanks for waiting.", "external-link", ""},
		{"The size is 3.5 inches, i.e. about 9 cm.", "external-link", ""},
		{"Track it: http://www.fedex.com/track?id=1", "insecure-link", "http"},
		// emails
		{"email: jo.smith+shop@gmail.com", "email-address", "jo.smith+shop@gmail.com"},
		{"jo [at] oakridge [dot] com", "email-address", "jo [at] oakridge [dot] com"},
		{"write jo at gmail dot com", "email-address", "jo at gmail dot com"},
		{"We are at oakridge.com", "email-address", ""},
		// phones
		{"call +44 20 7946 0958", "phone-number", "+44 20 7946 0958"},
		{"call (312) 555-0187 anytime", "phone-number", "(312) 555-0187"},
		{"our line 312.555.0187", "phone-number", "312.555.0187"},
		{"WhatsApp 3125550187", "phone-number", "3125550187"},
		{"appelez le 01 23 45 67 89", "phone-number", "01 23 45 67 89"},
		{"Order 113-4567890-1234567 shipped.", "phone-number", ""},
		{"USPS tracking 9400 1118 9922 3344 5566 77", "phone-number", ""},
		{"UPS 1Z999AA10123456784", "phone-number", ""},
		{"Amazon TBA123456789012", "phone-number", ""},
		{"FedEx tracking 123456789012", "phone-number", ""},
		{"DHL 1234567890 is on its way", "phone-number", ""},
		{"ASIN B07XJ8C8F5, SKU OAK-1234-567", "phone-number", ""},
		{"Model 5500-1183 is compatible.", "phone-number", ""},
		{"It cost $1,299.99 and ships 2026-11-20.", "phone-number", ""},
		{"Delivered 11/20/2026 at 10:30 to 90210-1234.", "phone-number", ""},
		{"The battery is 5000 mAh and 20000 mAh for the pro.", "phone-number", ""},
		{"Your RMA number is 4471-2290-118.", "phone-number", ""},
		{"Warranty: call the manufacturer at 1-800-555-0199.", "phone-number", "1-800-555-0199"},
		{"We sold 1,200,000 units in 2019-2021.", "phone-number", ""},
		// order ids
		{"order 11439416898772232 has shipped", "invalid-order-id", "11439416898772232"},
		{"order 114-3941689-877223 has shipped", "invalid-order-id", "114-3941689-877223"},
		// contact and sale
		{"Message me on Telegram", "off-amazon-contact", "Telegram"},
		{"Contact us on Amazon if anything is wrong.", "off-amazon-contact", ""},
		{"You can also find it on our Etsy shop.", "off-amazon-sale", "our Etsy shop"},
		{"Pay via Zelle and save.", "extra-payment", "Zelle"},
		{"We do not accept PayPal or bank transfers.", "extra-payment", ""},
		// promotion and reviews
		{"Don't miss our Black Friday deals!", "promotional-content", "Black Friday deals"},
		{"Follow us on Instagram for new designs.", "promotional-content", "Follow us on"},
		{"Please leave a five-star review!", "review-manipulation", "a five-star review"},
		{"We'd love it if you left us a glowing review", "review-manipulation", "a glowing review"},
		{"If you are happy with the rug, please leave a review.", "review-manipulation", "If you are happy"},
		{"Write a review and get a free refill pack.", "review-incentive", "Write a review and get a free refill"},
		{"Share your feedback for a discount on the next order.", "review-incentive", "Share your feedback for a discount"},
		{"Please take a moment to share your honest feedback about the product.", "review-incentive", ""},
		{"Please take a moment to share your honest feedback about the product.", "review-manipulation", ""},
		{"We will refund you in full once you remove the 1-star review.", "feedback-removal-exchange", "remove the 1-star review"},
		// tone and data
		{"You clearly used it and are abusing our return policy.", "hostile-tone", "abusing our return"},
		{"This is a fraudulent claim.", "hostile-tone", "fraudulent claim"},
		{"Our team will help you resolve this fraud-free.", "hostile-tone", ""},
		{"Please reply with your date of birth.", "pii-request", "date of birth"},
		{"We will never ask for your password.", "pii-request", ""},
		// emoji and markup
		{"Thank you 🙏🏽", "emoji", " 🙏🏽"},
		{"Family 👨‍👩‍👧 photos", "emoji", " 👨‍👩‍👧"},
		{"Great ❤️", "emoji", " ❤️"},
		{"Press 1️⃣ to start", "emoji", "1️⃣"},
		{"© 2026 Oakridge™", "emoji", ""},
		{"Line one<br>Line two", "html-markup", "<br>"},
		{"Tom &amp; Jerry", "html-markup", "&amp;"},
		{"A\r\n\r\n\r\nB", "excess-line-breaks", "\r\n\r\n\r\n"},
		{"We ship via USPS, UPS and DHL from the USA.", "shouting", ""},
		{"PLEASE READ THE MANUAL FIRST", "shouting", "PLEASE READ THE MANUAL FIRST"},
		// cancellations and promises
		{"We cannot ship it; you will need to cancel the order.", "cancel-request-ask", "you will need to cancel the order"},
		{"Guaranteed delivery by Friday!", "overpromise", "Guaranteed delivery"},
		{"We cannot guarantee a date.", "overpromise", ""},
		// misspelling keeps the capital
		{"Recieved, thanks.", "misspelling", "Recieved"},
	}
	for _, c := range cases {
		fs := Lint(c.text, Context{})
		var got *Finding
		for i := range fs {
			if fs[i].Rule == c.rule && (fs[i].Severity != Info || c.want != "") {
				if got == nil || spanText(c.text, fs[i]) == c.want {
					got = &fs[i]
				}
			}
		}
		switch {
		case c.want == "" && got != nil:
			t.Errorf("%q: %s should not fire, got %q (%s)", c.text, c.rule, spanText(c.text, *got), got.Severity)
		case c.want != "" && got == nil:
			t.Errorf("%q: %s should fire on %q; findings %v", c.text, c.rule, c.want, fs)
		case c.want != "" && spanText(c.text, *got) != c.want:
			t.Errorf("%q: %s covers %q, want %q", c.text, c.rule, spanText(c.text, *got), c.want)
		}
	}
}

func TestPhoneBeforeAWord(t *testing.T) {
	// "in" is a word here, not inches; ":*" is not a pattern prefix.
	for _, s := range []string{"Call 555-123-4567 in the morning.", "call 312-555-0187 in size medium"} {
		found := false
		for _, f := range Lint(s, Context{}) {
			found = found || f.Rule == "phone-number"
		}
		if !found {
			t.Errorf("%q: phone number not found", s)
		}
	}
}

// refExcessBreaks is the blank-line rule as a regular expression: a run of
// three or more line feeds with only spaces and tabs between.
var refExcessBreaks = regexp.MustCompile(`\n(?:[ \t]*\n){2,}`)

func checkLineBreaksAgainstRef(t *testing.T, text string) {
	t.Helper()
	var got [][2]int
	for _, f := range Lint(text, Context{Kind: "reply"}) {
		if f.Rule == "excess-line-breaks" {
			got = append(got, [2]int{f.Start, f.End})
		}
	}
	var want [][2]int
	for _, m := range refExcessBreaks.FindAllStringIndex(text, -1) {
		// Offsets in UTF-16 units, as findings count them.
		want = append(want, [2]int{utf16Len(text[:m[0]]), utf16Len(text[:m[1]])})
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("excess-line-breaks in %q: %v, want %v", text, got, want)
	}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func TestExcessLineBreaksMatchReference(t *testing.T) {
	for _, s := range []string{
		"a\n\n\nb", "a\n\nb", "a\n \n\t\n b", "\n\n\n", "a\n\n\n\n\n\nb\n\n\nc", "x\n \n y \n\n", "é\n\n\n😀\n\n\n",
		"line one\nline two\n\n\n\nline three", "a \n\n\n", "a\n\n\n ",
	} {
		checkLineBreaksAgainstRef(t, s)
	}
}

func FuzzExcessLineBreaks(f *testing.F) {
	f.Add("a\n \n\t\nb")
	f.Add("\n\n\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "\r\u2028\u2029\u0085\v\f") || !utf8.ValidString(s) {
			return // carriage returns take the other path; the rest fold to line breaks
		}
		checkLineBreaksAgainstRef(t, s)
	})
}
