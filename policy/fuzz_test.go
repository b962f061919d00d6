package policy

import (
	"reflect"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"", "Hello", "Reach me at anna.k@yahoo.com", "call +44 20 7946 0958", "Enjoy ☕️ 🙏🏽 👨‍👩‍👧 1️⃣",
	"<div>hi</div> &amp;", "Best,\r\n\r\n\r\nTom", "DO NOT OPEN THE BOX", "ｏａｋ．ｃｏｍ", "注文 114-3941689-8772232 です",
	"e\u0301te\u0301 cafe\u0301", "shop dot com (at) [dot]", "leave a 5-star review for a $5 gift card", "\xff\xfe invalid",
	"We've been contacted by a customer regarding the order identified below.\nReason: Item damaged",
}

// FuzzLint: never panic, spans inside the text and on rune boundaries,
// sorted, deterministic, and fixes never produce invalid UTF-8.
func FuzzLint(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, text string, proactive bool) {
		ctx := Context{}
		if proactive {
			ctx = Context{Kind: "proactive", OrderDate: "2026-10-01", DeliveryDate: "2026-10-03", Now: "2026-11-16T09:00:00Z", PreviousReviewRequests: 1}
		}
		fs := Lint(text, ctx)
		n := len(utf16.Encode([]rune(text)))
		for i, fd := range fs {
			if fd.Start < 0 || fd.End < fd.Start || fd.End > n {
				t.Fatalf("finding %d %s span %d..%d outside text of %d units", i, fd.Rule, fd.Start, fd.End, n)
			}
			if fd.Line < 1 || fd.Col < 1 {
				t.Fatalf("finding %d has line %d col %d", i, fd.Line, fd.Col)
			}
			if i > 0 && (fs[i-1].Start > fd.Start) {
				t.Fatalf("findings not sorted at %d", i)
			}
		}
		if again := Lint(text, ctx); !reflect.DeepEqual(fs, again) {
			t.Fatalf("Lint is not deterministic:\n%v\n%v", fs, again)
		}
		if utf8.ValidString(text) {
			if fixed := ApplyFixes(text, fs); !utf8.ValidString(fixed) {
				t.Fatalf("fixes produced invalid UTF-8: %q -> %q", text, fixed)
			}
		}
	})
}

// FuzzClassify: never panic, a known scenario, a confidence in [0, 1],
// evidence inside the text, deterministic.
func FuzzClassify(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	known := map[string]bool{}
	for _, s := range Scenarios {
		known[s] = true
	}
	f.Fuzz(func(t *testing.T, text string) {
		c := Classify(text)
		if !known[c.Scenario] || c.Confidence < 0 || c.Confidence > 1 {
			t.Fatalf("bad classification %+v", c)
		}
		n := len(utf16.Encode([]rune(text)))
		for _, e := range c.Evidence {
			if e.Start < 0 || e.End < e.Start || e.End > n {
				t.Fatalf("evidence %v outside text of %d units", e, n)
			}
		}
		if again := Classify(text); !reflect.DeepEqual(c, again) {
			t.Fatalf("Classify is not deterministic")
		}
	})
}
