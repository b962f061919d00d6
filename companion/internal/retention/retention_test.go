package retention

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

const day = 24 * time.Hour

func TestSweepAfterPeriod(t *testing.T) {
	c := &clock{t: time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)}
	st, err := store.Open(t.TempDir(), store.Options{Now: c.now, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.SeedTemplates([]store.Seed{{ID: "x", Title: "X", Body: "Dear buyer"}}); err != nil {
		t.Fatal(err)
	}
	delivered := c.now().Add(-2 * day)
	m, _, err := st.RecordBuyerMessage(store.BuyerMessage{OrderID: "111-0000000-0000001", BuyerName: "Ann Lee",
		BuyerAddress: "2 Elm Rd", Text: "the lamp flickers", ReceivedAt: c.now(), DeliveredAt: delivered})
	if err != nil {
		t.Fatal(err)
	}
	c.add(time.Hour)
	r, err := st.RecordReply(store.Reply{BuyerMessageID: m.ID, Text: "Hello Ann, a new lamp is on its way."})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		advance time.Duration
		period  time.Duration
		want    int
	}{
		{"day 29 keeps all", 28 * day, 0, 0},
		{"a longer setting keeps all", 0, -1, 0},
		{"a shorter configured period redacts", 0, 7 * day, 2},
		{"nothing left to redact", 10 * day, 0, 0},
	}
	for _, tc := range cases {
		c.add(tc.advance)
		o := Options{Now: c.now, Period: tc.period}
		if tc.period < 0 { // read from a "setting": 60 days
			o.Period, o.PeriodFrom = 7*day, func() time.Duration { return 60 * day }
		}
		n, err := Sweep(context.Background(), st, o)
		if err != nil || n != tc.want {
			t.Fatalf("%s: redacted %d (%v), want %d", tc.name, n, err, tc.want)
		}
	}
	got, _ := st.GetReply(r.ID)
	if got.BuyerName != "" || got.BuyerMessage != "" || got.Text != "Hello [buyer], a new lamp is on its way." {
		t.Fatalf("reply after retention: %+v", got)
	}
	if got.ResponseTime != time.Hour {
		t.Fatalf("response time lost: %v", got.ResponseTime)
	}
	if _, err := st.GetTemplate("x"); err != nil {
		t.Fatalf("template lost: %v", err)
	}
	if ds, _ := st.ReplyDeadlines(time.Time{}); len(ds) != 1 || ds[0].Resolution != store.ResolvedReplied {
		t.Fatalf("figures' deadlines changed: %+v", ds)
	}
}

// TestRunDefaultPeriod: the default is 30 days after delivery or last
// activity, whichever is later, and Run sweeps on its ticker.
func TestRunDefaultPeriod(t *testing.T) {
	c := &clock{t: time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)}
	st, err := store.Open(t.TempDir(), store.Options{Now: c.now, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Delivered 40 days ago, but the buyer wrote today: kept for 30 days from now.
	m, _, _ := st.RecordBuyerMessage(store.BuyerMessage{OrderID: "111-0000000-0000001", BuyerName: "Bo", Text: "late question",
		ReceivedAt: c.now(), DeliveredAt: c.now().Add(-40 * day)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- Run(ctx, st, Options{Now: c.now, Every: 5 * time.Millisecond}) }()
	time.Sleep(30 * time.Millisecond)
	if got, _ := st.GetBuyerMessage(m.ID); got.Redacted {
		t.Fatal("redacted before 30 days after the last activity")
	}
	c.add(30*day + time.Minute)
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, _ := st.GetBuyerMessage(m.ID)
		if got.Redacted && got.Text == "" && got.BuyerName == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Run did not redact after the period")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
}
