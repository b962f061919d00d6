package policy

import (
	"testing"
	"unicode/utf8"
)

func TestApplyFixes(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Enjoy your new mug ☕️ and have a great day!", "Enjoy your new mug and have a great day!"},
		{"Get it from http://www.ups.com/track now", "Get it from https://www.ups.com/track now"},
		{"Best,\n\n\n\nTom", "Best,\n\nTom"},
		{"<b>Thanks</b> for waiting", "Thanks for waiting"},
		{"Please leave a 5-star review!", "Please leave a review!"},
		{"We'd love an excellent review.", "We'd love a review."},
		{"We apreciate it :)", "We appreciate it"},
		{"Recieved 👍🏽, thank you", "Received, thank you"},
	}
	for _, c := range cases {
		if got := ApplyFixes(c.in, Lint(c.in, Context{})); got != c.want {
			t.Errorf("ApplyFixes(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Overlapping fixes: the later one wins, the earlier is skipped, and the
// text stays intact around them.
func TestApplyFixesOverlap(t *testing.T) {
	text := "ab😀cd"
	fs := []Finding{
		{Rule: "x", Start: 1, End: 4, Fix: &Fix{Replacement: "1"}}, // "b😀"
		{Rule: "y", Start: 2, End: 5, Fix: &Fix{Replacement: "2"}}, // "😀c"
		{Rule: "z", Start: 3, End: 3, Fix: &Fix{Replacement: "!"}}, // inside the surrogate pair: ignored
		{Rule: "w", Start: 0, End: 99, Fix: &Fix{Replacement: ""}}, // out of range: ignored
	}
	got := ApplyFixes(text, fs)
	if got != "ab2d" {
		t.Fatalf("got %q, want %q", got, "ab2d")
	}
	if !utf8.ValidString(got) {
		t.Fatal("invalid UTF-8")
	}
}

// A no-break space before the noun: the fix must cut after the whole
// rune (it once kept the rune's second byte, "a \xa0review").
func TestPositiveReviewFixAfterNoBreakSpace(t *testing.T) {
	for _, f := range Lint("Please leave a 5\u00a0star\u00a0review for us.", Context{Kind: "reply"}) {
		if f.Rule == "review-manipulation" {
			if f.Fix == nil || f.Fix.Replacement != "a review" {
				t.Fatalf("fix = %+v, want replacement %q", f.Fix, "a review")
			}
			return
		}
	}
	t.Fatal("no review-manipulation finding")
}

// Each HTML entity the rule knows is replaced by its plain text.
func TestHTMLEntityFixes(t *testing.T) {
	for ent, want := range map[string]string{
		"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&apos;": "'", "&#39;": "'",
		"&ndash;": "-", "&mdash;": "-", "&hellip;": "...", "&AMP;": "&",
	} {
		var fix *Fix
		for _, f := range Lint("Tom "+ent+" Jerry", Context{Kind: "reply"}) {
			if f.Rule == "html-markup" {
				fix = f.Fix
			}
		}
		if fix == nil || fix.Replacement != want {
			t.Errorf("%s: fix %+v, want replacement %q", ent, fix, want)
		}
	}
}
