// Package demo fills a store with a realistic seller's data: two months of
// answered buyer messages (a few late, a few sent with findings), open
// deadlines in every state, and optionally a bulk history for benchmarks.
// The web page's tests, screenshots and benchmarks use it.
package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/companion/internal/testutil"
	"github.com/replyguard/replyguard/policy"
)

// SearchWord is a word that appears in exactly one seeded reply, so tests
// can find it.
const SearchWord = "periwinkle"

// OrderWithThread is an order with a buyer message, a reply with findings
// and a follow-up.
const OrderWithThread = "114-3941689-8772232"

type conv struct{ scenario, buyer, reply, tmpl string }

var convs = []conv{
	{"where-is-order", "Hi, my order still shows as not shipped. When will it go out?", "Hello,\n\nThank you for your patience. Your order ships today with UPS and you can follow it under Your Orders. We will keep an eye on it.\n\nKind regards,\nSunny Home Goods", "where-is-order-not-shipped"},
	{"damaged-defective", "The vase arrived cracked along the base.", "Hello,\n\nWe are sorry the vase arrived damaged. We have sent a replacement today at no cost; you do not need to return the cracked one.\n\nKind regards,\nSunny Home Goods", "damaged-on-arrival"},
	{"return-refund", "I would like to return the lamp, it is too small for my desk.", "Hello,\n\nYou can start the return from Your Orders; the label is free for this item. We will refund you as soon as it arrives.\n\nKind regards,\nSunny Home Goods", "return-via-your-orders"},
	{"cancel-request", "Please cancel, I ordered twice by mistake.", "Hello,\n\nWe have cancelled the duplicate order; you will not be charged for it.\n\nKind regards,\nSunny Home Goods", "cancel-before-shipping"},
	{"product-question", "Is the mug dishwasher safe?", "Hello,\n\nYes, the mug is dishwasher and microwave safe. The glaze is lead-free.\n\nKind regards,\nSunny Home Goods", "product-question-answer"},
	{"not-received", "Tracking says delivered but nothing is here.", "Hello,\n\nWe are sorry the parcel has not reached you. Please check with neighbours and around the door; if it does not turn up by tomorrow, reply and we will send a replacement.\n\nKind regards,\nSunny Home Goods", "delivered-not-found"},
	{"invoice-request", "Can I get a VAT invoice for my company?", "Hello,\n\nThe VAT invoice is now available under Your Orders, Invoice. Let us know if the company details need changing.\n\nKind regards,\nSunny Home Goods", "vat-invoice"},
	{"thank-you", "Arrived quickly, thank you!", "Hello,\n\nThank you for letting us know. Enjoy the teapot!\n\nKind regards,\nSunny Home Goods", "thank-you-reply"},
}

// markets are recorded as the extension does: the Seller Central host.
var markets = []string{"sellercentral.amazon.com", "sellercentral.amazon.com", "sellercentral.amazon.com", "sellercentral.amazon.co.uk", "sellercentral.amazon.de", "sellercentral.amazon.ca"}

func orderID(r *rand.Rand) string {
	return fmt.Sprintf("%03d-%07d-%07d", 111+r.IntN(3), r.IntN(10_000_000), r.IntN(10_000_000))
}

func lint(text string) []store.Finding {
	return store.FindingsFrom(policy.Lint(text, policy.Context{Kind: "reply"}))
}

// Seed writes the demo data as of now. bulk adds that many generated
// history entries (dated before the demo's two months) for benchmarks.
func Seed(st *store.Store, now time.Time, bulk int) error {
	if bulk > 0 {
		const batch = 10_000
		for done := 0; done < bulk; done += batch {
			n := min(batch, bulk-done)
			if err := st.LoadReplies(testutil.Replies(n, uint64(done+1))); err != nil {
				return fmt.Errorf("bulk history: %w", err)
			}
		}
	}
	r := rand.New(rand.NewPCG(7, 11))
	// 60 days of answered messages, 2 to 7 a day, newest last.
	for day := 60; day >= 1; day-- {
		n := 2 + r.IntN(6)
		for i := 0; i < n; i++ {
			c := convs[r.IntN(len(convs))]
			got := now.Add(-time.Duration(day)*24*time.Hour + time.Duration(r.IntN(20*60))*time.Minute)
			rt := time.Duration(20+r.IntN(8*60)) * time.Minute
			switch x := r.IntN(40); {
			case x == 0:
				rt = time.Duration(25+r.IntN(20)) * time.Hour // late
			case x < 6:
				rt = time.Duration(10+r.IntN(13)) * time.Hour
			}
			sent := got.Add(rt)
			if sent.After(now) {
				continue
			}
			if _, err := st.RecordReply(store.Reply{OrderID: orderID(r), Marketplace: markets[r.IntN(len(markets))], Scenario: c.scenario,
				TemplateID: c.tmpl, Text: c.reply, Findings: lint(c.reply), BuyerMessage: c.buyer, BuyerMessageAt: got, SentAt: sent}); err != nil {
				return fmt.Errorf("demo reply: %w", err)
			}
		}
	}
	// One thread with a reply that broke the rules, for the conversation view.
	got := now.Add(-50 * time.Hour)
	m, _, err := st.RecordBuyerMessage(store.BuyerMessage{OrderID: OrderWithThread, Marketplace: "sellercentral.amazon.com", Scenario: "damaged-defective",
		Text: "Hi, the blue mug arrived with a chip on the rim. Can you help? I would like a replacement please.", ReceivedAt: got})
	if err != nil {
		return fmt.Errorf("demo message: %w", err)
	}
	bad := "Hello Maria,\n\nSorry about the chip! We will send a new " + SearchWord + " blue mug today. If you like it, please leave us a 5-star review. Questions? Email sales@shop-example.com.\n\nBest,\nSunny Home Goods"
	if _, err := st.RecordReply(store.Reply{BuyerMessageID: m.ID, Scenario: "damaged-defective", TemplateID: "damaged-on-arrival", Text: bad, Findings: lint(bad), SentAt: got.Add(3*time.Hour + 12*time.Minute)}); err != nil {
		return fmt.Errorf("demo reply: %w", err)
	}
	follow := "Hello Maria,\n\nThe replacement mug is on its way with UPS, tracking 1Z999AA10123456784. It should arrive on Thursday.\n\nKind regards,\nSunny Home Goods"
	if _, err := st.RecordReply(store.Reply{OrderID: OrderWithThread, Marketplace: "sellercentral.amazon.com", Scenario: "damaged-defective", TemplateID: "replacement-shipped-tracking",
		Text: follow, Findings: lint(follow), BuyerMessage: "Thanks! When will it arrive?", BuyerMessageAt: got.Add(20 * time.Hour), SentAt: got.Add(21*time.Hour + 5*time.Minute)}); err != nil {
		return fmt.Errorf("demo reply: %w", err)
	}
	// Open deadlines: due in 22 h, 9 h, 3 h and 40 min; one passed while
	// the companion ran (overdue), one while it was down (the scheduler
	// marks it missed at start).
	open := []struct {
		age   time.Duration
		text  string
		state store.State
	}{
		{2 * time.Hour, "Do you ship to Hawaii?", ""},
		{15 * time.Hour, "Where is my parcel? It was due yesterday.", ""},
		{21 * time.Hour, "The handle of the teapot came off after one use.", ""},
		{23*time.Hour + 20*time.Minute, "I received the wrong colour, I ordered green.", ""},
		{26 * time.Hour, "Can I change the delivery address?", store.StateOverdue},
		{31 * time.Hour, "Please cancel my order.", store.StateMissed},
	}
	for _, o := range open {
		_, d, err := st.RecordBuyerMessage(store.BuyerMessage{OrderID: orderID(r), Marketplace: markets[r.IntN(len(markets))], Text: o.text, ReceivedAt: now.Add(-o.age)})
		if err != nil {
			return fmt.Errorf("demo deadline: %w", err)
		}
		if o.state != "" {
			if _, _, err := st.MarkFired(d.ID, string(o.state), o.state); err != nil {
				return fmt.Errorf("demo deadline: %w", err)
			}
		}
	}
	return nil
}
