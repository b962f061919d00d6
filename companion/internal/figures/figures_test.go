package figures

import (
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
)

var now = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

func ago(d time.Duration) time.Time { return now.Add(-d) }

const h = time.Hour

func TestCompute(t *testing.T) {
	day := 24 * h
	cases := []struct {
		name    string
		samples []Sample
		days    int
		want    Window
	}{
		{"nothing", nil, 7, Window{Days: 7}},
		{"one on time", []Sample{{Received: ago(5 * h), Answered: ago(3 * h)}}, 7,
			Window{Days: 7, Counted: 1, OnTime: 1, OnTimeShare: 1, Median: 2 * h, P90: 2 * h}},
		{"exactly 24h is on time", []Sample{{Received: ago(30 * h), Answered: ago(6 * h)}}, 7,
			Window{Days: 7, Counted: 1, OnTime: 1, OnTimeShare: 1, Median: 24 * h, P90: 24 * h}},
		{"late answer", []Sample{{Received: ago(3 * day), Answered: ago(day)}}, 7,
			Window{Days: 7, Counted: 1, Late: 1, LateResponseRate: 1, Median: 48 * h, P90: 48 * h}},
		{"unanswered within 24h is pending", []Sample{{Received: ago(23 * h)}}, 7,
			Window{Days: 7, Pending: 1}},
		{"unanswered after 24h is late", []Sample{{Received: ago(25 * h)}}, 7,
			Window{Days: 7, Counted: 1, Late: 1, LateResponseRate: 1}},
		{"no response needed is removed", []Sample{{Received: ago(5 * day), NoResponseNeeded: true}, {Received: ago(2 * h), Answered: ago(h)}}, 7,
			Window{Days: 7, Counted: 1, OnTime: 1, NoResponseNeeded: 1, OnTimeShare: 1, Median: h, P90: h}},
		{"outside the window", []Sample{{Received: ago(8 * day), Answered: ago(8*day - h)}}, 7, Window{Days: 7}},
		{"answer in the future of now is not yet an answer", []Sample{{Received: ago(2 * h), Answered: now.Add(h)}}, 7,
			Window{Days: 7, Pending: 1}},
		{"median and p90 of ten", tenSamples(), 30,
			Window{Days: 30, Counted: 10, OnTime: 9, Late: 1, OnTimeShare: 0.9, LateResponseRate: 0.1, Median: 5 * h, P90: 9 * h}},
	}
	for _, tc := range cases {
		rep := Compute(tc.samples, now, tc.days)
		if len(rep.Windows) != 1 || rep.Windows[0] != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, rep.Windows, tc.want)
		}
	}
}

// tenSamples: response times 1h..9h and one of 30h.
func tenSamples() []Sample {
	var s []Sample
	for i := 1; i <= 9; i++ {
		r := ago(time.Duration(10*i) * 24 * h / 10)
		s = append(s, Sample{Received: r, Answered: r.Add(time.Duration(i) * h)})
	}
	r := ago(20 * 24 * h)
	return append(s, Sample{Received: r, Answered: r.Add(30 * h)})
}

func TestDefaultWindows(t *testing.T) {
	s := []Sample{
		{Received: ago(2 * 24 * h), Answered: ago(2*24*h - h)},
		{Received: ago(20 * 24 * h)},
		{Received: ago(60 * 24 * h), Answered: ago(60*24*h - 2*h)},
		{Received: ago(100 * 24 * h), Answered: ago(100*24*h - 2*h)},
	}
	rep := Compute(s, now)
	got := []int{rep.Windows[0].Counted, rep.Windows[1].Counted, rep.Windows[2].Counted}
	if len(rep.Windows) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("window counts %v", got)
	}
	if r := rep.Windows[1].LateResponseRate; r != 0.5 {
		t.Fatalf("30-day late rate %v, want 0.5", r)
	}
}

// TestForStore runs the figures over a real store: replies, a late reply,
// no-response-needed and an unanswered message.
func TestForStore(t *testing.T) {
	clock := now.Add(-10 * 24 * h)
	st, err := store.Open(t.TempDir(), store.Options{Now: func() time.Time { return clock }, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	msg := func(order string, at time.Time) store.BuyerMessage {
		m, _, err := st.RecordBuyerMessage(store.BuyerMessage{OrderID: order, Text: "hello " + order, ReceivedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	reply := func(m store.BuyerMessage, at time.Time, res store.Resolution) {
		text := "thanks"
		if res == store.ResolvedNoResponse {
			text = ""
		}
		if _, err := st.RecordReply(store.Reply{BuyerMessageID: m.ID, Text: text, SentAt: at, Resolution: res}); err != nil {
			t.Fatal(err)
		}
	}
	a := msg("111-0000000-0000001", ago(3*24*h))
	reply(a, ago(3*24*h-2*h), store.ResolvedReplied) // 2h
	b := msg("111-0000000-0000002", ago(4*24*h))
	reply(b, ago(2*24*h), store.ResolvedReplied) // 48h: late
	c := msg("111-0000000-0000003", ago(5*24*h))
	reply(c, ago(5*24*h-h), store.ResolvedNoResponse)
	msg("111-0000000-0000004", ago(2*24*h)) // never answered: late
	msg("111-0000000-0000005", ago(2*h))    // pending
	rep, err := ForStore(st, now, 7)
	if err != nil {
		t.Fatal(err)
	}
	w := rep.Windows[0]
	want := Window{Days: 7, Counted: 3, OnTime: 1, Late: 2, Pending: 1, NoResponseNeeded: 1,
		OnTimeShare: 1.0 / 3, LateResponseRate: 2.0 / 3, Median: 2 * h, P90: 48 * h}
	if w != want {
		t.Fatalf("\n got %+v\nwant %+v", w, want)
	}
}

func TestByMarketplace(t *testing.T) {
	s := []Sample{
		{Received: ago(2 * h), Answered: ago(h), Marketplace: "US"},
		{Received: ago(30 * h), Marketplace: "DE"},
		{Received: ago(30 * h), Answered: ago(2 * h), Marketplace: "DE"},
	}
	by := ByMarketplace(s, now, 7)
	if len(by) != 2 || by["US"].Windows[0].OnTime != 1 || by["DE"].Windows[0].Late != 2 || by["DE"].Windows[0].LateResponseRate != 1 {
		t.Fatalf("by marketplace: %+v", by)
	}
}
