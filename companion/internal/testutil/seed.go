// Package testutil builds realistic data sets for tests, benchmarks and
// memory measurements of the companion.
package testutil

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
)

// Epoch is the send time of the newest generated reply; older ones go back
// one reply every few minutes from it.
var Epoch = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// Scenarios, Marketplaces and TemplateIDs are the values generated replies
// use, so benchmarks can filter on them.
var (
	Scenarios    = []string{"return-refund", "cancel-request", "not-received", "where-is-order", "damaged-defective", "wrong-item", "product-question", "thank-you", "address-change", "a-to-z-claim", "feedback-review", "invoice-request", "other"}
	Marketplaces = []string{"US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "JP", "AU"}
	TemplateIDs  = []string{"", "thanks", "refund-issued", "tracking", "replacement", "cancel-done", "invoice", "address", "question", "damaged"}
)

var common = strings.Fields(`the you your we for order and to of a is it in this on thank thanks please
has have been will be with as at if can our not sorry any delay item package tracking refund return
replacement shipped delivered arrived today tomorrow days week carrier label number address update
help happy let know questions issue resolved apologise inconvenience received damaged broken wrong
size color product amazon message invoice cancel cancelled request policy full back account card
within business hours checked warehouse stock new sent email soon again best regards team customer
service kind understand experience patience confirm details photo picture box parcel courier
estimated date shipping status investigation claim guarantee original payment method credited
sincerely hello hi dear good morning afternoon evening`)

// words is a vocabulary: the common words then rarer synthetic ones
// (product names, SKUs) drawn with a Zipf distribution.
func vocabulary() []string {
	v := append([]string(nil), common...)
	syll := []string{"ka", "lo", "mi", "ter", "van", "sol", "rix", "pen", "dor", "bel", "qua", "zen"}
	for i := 0; len(v) < 5000; i++ {
		w := syll[i%12] + syll[(i/12)%12] + syll[(i/144)%12]
		if i >= 1728 {
			w = fmt.Sprintf("sku%04d", i)
		}
		v = append(v, w)
	}
	return v
}

// Replies generates n reproducible history entries of about 1 KB each
// (reply text, buyer message, findings on one in eight), newest first.
func Replies(n int, seed uint64) []store.Reply {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	vocab := vocabulary()
	zipf := rand.NewZipf(rng, 1.1, 4, uint64(len(vocab)-1))
	sentence := func(words int) string {
		var b strings.Builder
		for i := 0; i < words; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(vocab[zipf.Uint64()])
		}
		b.WriteByte('.')
		return b.String()
	}
	out := make([]store.Reply, n)
	for i := range out {
		sent := Epoch.Add(-time.Duration(i) * 4 * time.Minute)
		r := store.Reply{
			OrderID:        fmt.Sprintf("%03d-%07d-%07d", 100+rng.IntN(900), rng.IntN(1e7), rng.IntN(1e7)),
			Marketplace:    Marketplaces[rng.IntN(len(Marketplaces))],
			Scenario:       Scenarios[rng.IntN(len(Scenarios))],
			TemplateID:     TemplateIDs[rng.IntN(len(TemplateIDs))],
			Text:           "Hello, " + sentence(30) + " " + sentence(25) + " " + sentence(20),
			BuyerMessage:   sentence(20) + " " + sentence(15),
			BuyerName:      "Buyer " + vocab[200+rng.IntN(1000)],
			BuyerMessageAt: sent.Add(-time.Duration(rng.IntN(40*60)) * time.Minute),
			SentAt:         sent,
		}
		if rng.IntN(8) == 0 {
			r.Findings = []store.Finding{{Rule: "external-link", Severity: "error", Start: 10, End: 30, Line: 1, Col: 11, Message: "Links to outside Amazon are not allowed."}}
		}
		if rng.IntN(20) == 0 {
			r.Resolution, r.Text = store.ResolvedNoResponse, ""
		}
		out[i] = r
	}
	return out
}

// SeedHistory fills the store in dir (created if needed) with n generated
// history entries. It loads in batches of 5,000 to bound memory.
func SeedHistory(dir string, n int, o store.Options) error {
	s, err := store.Open(dir, o)
	if err != nil {
		return err
	}
	all := Replies(n, 42)
	for len(all) > 0 {
		k := min(len(all), 5000)
		if err := s.LoadReplies(all[:k]); err != nil {
			s.Close()
			return fmt.Errorf("seed history: %w", err)
		}
		all = all[k:]
	}
	return s.Close()
}
