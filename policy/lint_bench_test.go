package policy

import (
	"strings"
	"testing"
)

// benchReply is a realistic seller reply with a few violations, repeated to
// the sizes in DESIGN.md's budgets.
const benchReply = "Hello Priya,\n\nWe're sorry the kettle arrived with a dent. We have shipped a replacement today " +
	"(order 114-3941689-8772232, tracking 1Z999AA10123456784), and you don't need to send the damaged one back. " +
	"If you have questions, reach me at anna.k@yahoo.com or call 312-555-0187 😊. You can also see oakridge dot com. " +
	"A 5-star review would mean the world to us!\n\nKind regards,\nOakridge Kitchen\n\n"

func benchText(n int) string {
	return strings.Repeat(benchReply, n/len(benchReply)+1)[:n]
}

func BenchmarkNativeLint(b *testing.B) {
	for _, n := range []int{200, 2000, 20000} {
		text := benchText(n)
		b.Run(itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Lint(text, Context{})
			}
		})
	}
}

func BenchmarkNativeClassify(b *testing.B) {
	text := "Hi, the lamp arrived with a cracked base and I'd like to return it for a refund. Where do I send it?"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Classify(text)
	}
}

// BenchmarkNativeInit measures building the phrase matchers, which every
// host pays once at start-up (policy.wasm's _initialize).
func BenchmarkNativeInit(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		newMatcher(append(lintPhrases[:len(lintPhrases):len(lintPhrases)], misspellingPhrases()...))
		initClassifier()
	}
}
