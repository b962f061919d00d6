package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestKindWindows(t *testing.T) {
	start := time.Date(2026, 12, 24, 18, 0, 0, 0, time.UTC) // Christmas Eve, a Thursday: holidays count
	cases := []struct {
		kind        Kind
		opens, dues time.Duration
	}{
		{KindReply, 0, 24 * time.Hour},
		{KindAtoZInfo, 0, 48 * time.Hour},
		{KindChargeback, 0, 7 * 24 * time.Hour},
		{KindReviewWindow, 5 * 24 * time.Hour, 30 * 24 * time.Hour},
		{KindProactiveWindow, 0, 30 * 24 * time.Hour},
	}
	for _, tc := range cases {
		o, d, err := tc.kind.Window(start)
		if err != nil || !o.Equal(start.Add(tc.opens)) || !d.Equal(start.Add(tc.dues)) {
			t.Errorf("%s: opens %v due %v err %v", tc.kind, o, d, err)
		}
	}
	if _, _, err := Kind("soon").Window(start); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestMarkFiredExactlyOnce(t *testing.T) {
	c := newClock()
	dir := t.TempDir()
	s := openT(t, dir, Options{Now: c.now})
	d, err := s.AddDeadline(Deadline{Kind: KindChargeback, OrderID: "111-0000000-0000001", Start: c.t})
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.AddDeadline(Deadline{Kind: KindChargeback, OrderID: "111-0000000-0000001", Start: c.t})
	if err != nil || again.ID != d.ID {
		t.Fatalf("AddDeadline not idempotent: %v %v", again.ID, err)
	}
	if _, ok, err := s.MarkFired(d.ID, "due-soon-4h", StateDueSoon); !ok || err != nil {
		t.Fatalf("first fire: %v %v", ok, err)
	}
	if _, ok, _ := s.MarkFired(d.ID, "due-soon-4h", StateDueSoon); ok {
		t.Fatal("event fired twice")
	}
	pend, err := s.ListDeadlines(DeadlineFilter{PendingOnly: true})
	if err != nil || len(pend) != 1 || pend[0].State != StateDueSoon {
		t.Fatalf("pending: %+v %v", pend, err)
	}
	if _, ok, _ := s.MarkFired(d.ID, "overdue", StateOverdue); !ok {
		t.Fatal("overdue did not fire")
	}
	s.Close()
	s = openT(t, dir, Options{Now: c.now})
	if pend, _ := s.ListDeadlines(DeadlineFilter{PendingOnly: true}); len(pend) != 0 {
		t.Fatalf("overdue deadline still pending after restart: %+v", pend)
	}
	if _, ok, _ := s.MarkFired(d.ID, "overdue", StateOverdue); ok {
		t.Fatal("overdue fired again after restart")
	}
	// Resolving after overdue keeps the state and records the resolution.
	got, err := s.ResolveDeadline(d.ID, ResolvedReplied, c.t.Add(8*24*time.Hour))
	if err != nil || got.State != StateOverdue || got.Resolution != ResolvedReplied {
		t.Fatalf("late resolve: %+v %v", got, err)
	}
	byOrder, err := s.ListDeadlines(DeadlineFilter{OrderID: "111-0000000-0000001"})
	if err != nil || len(byOrder) != 1 {
		t.Fatalf("by order: %+v %v", byOrder, err)
	}
	if _, err := s.ResolveDeadline("d-missing", ResolvedReplied, c.t); !errors.Is(err, ErrNotFound) {
		t.Fatalf("resolve missing: %v", err)
	}
}

func TestRedactBuyerData(t *testing.T) {
	c := newClock()
	s := openT(t, t.TempDir(), Options{Now: c.now})
	delivered := c.t
	m, _, err := s.RecordBuyerMessage(BuyerMessage{OrderID: "111-0000000-0000001", BuyerName: "Jane Q. Doe", BuyerAddress: "1 Main St",
		Text: "My zebra mug arrived broken", ReceivedAt: c.t.Add(time.Hour), DeliveredAt: delivered})
	if err != nil {
		t.Fatal(err)
	}
	c.add(2 * time.Hour)
	r, err := s.RecordReply(Reply{BuyerMessageID: m.ID, Text: "Hi Jane, sorry about the mug. JANE DOE gets a new one."})
	if err != nil {
		t.Fatal(err)
	}
	// A newer order stays untouched.
	c.add(20 * 24 * time.Hour)
	young, err := s.RecordReply(Reply{OrderID: "222-0000000-0000002", BuyerName: "Max", BuyerMessage: "giraffe", Text: "Hi Max",
		BuyerMessageAt: c.t.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.RedactBuyerData(context.Background(), c.t.Add(-30*24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("nothing is 30 days old yet: %d %v", n, err)
	}
	c.add(11 * 24 * time.Hour)
	// A cancelled sweep (the companion shutting down) stops before its next
	// batch and changes nothing.
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	if n, err := s.RedactBuyerData(stopped, c.t.Add(-30*24*time.Hour)); !errors.Is(err, context.Canceled) || n != 0 {
		t.Fatalf("cancelled sweep: %d, %v", n, err)
	}
	if got, _ := s.GetReply(r.ID); got.Redacted {
		t.Fatal("a cancelled sweep redacted")
	}
	n, err := s.RedactBuyerData(context.Background(), c.t.Add(-30*24*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("redacted %d, %v; want 2 (message and reply)", n, err)
	}
	got, _ := s.GetReply(r.ID)
	if got.BuyerName != "" || got.BuyerAddress != "" || got.BuyerMessage != "" || !got.Redacted {
		t.Errorf("reply not redacted: %+v", got)
	}
	if got.Text != "Hi [buyer], sorry about the mug. [buyer] gets a new one." {
		t.Errorf("name left in reply text: %q", got.Text)
	}
	if got.ResponseTime != r.ResponseTime || got.OrderID != r.OrderID {
		t.Errorf("figures changed: %+v", got)
	}
	gm, _ := s.GetBuyerMessage(m.ID)
	if gm.Text != "" || gm.BuyerName != "" || gm.BuyerAddress != "" || !gm.Redacted {
		t.Errorf("message not redacted: %+v", gm)
	}
	if p, _ := s.SearchHistory(Query{Text: "zebra"}); len(p.Replies) != 0 {
		t.Errorf("redacted buyer text still searchable")
	}
	if p, _ := s.SearchHistory(Query{Text: "mug"}); len(p.Replies) != 1 {
		t.Errorf("reply text lost from the index")
	}
	if got, _ := s.GetReply(young.ID); got.BuyerName != "Max" {
		t.Errorf("young entry redacted: %+v", got)
	}
	if n, _ := s.RedactBuyerData(context.Background(), c.t.Add(-30*24*time.Hour)); n != 0 {
		t.Errorf("second pass redacted %d again", n)
	}
}

func TestListUnresolved(t *testing.T) {
	c := newClock()
	s := openT(t, t.TempDir(), Options{Now: c.now})
	a, _ := s.AddDeadline(Deadline{Kind: KindReply, OrderID: "111-0000000-0000001", Start: c.t})
	b, _ := s.AddDeadline(Deadline{Kind: KindReply, OrderID: "111-0000000-0000002", Start: c.t.Add(time.Hour)})
	x, _ := s.AddDeadline(Deadline{Kind: KindReply, OrderID: "111-0000000-0000003", Start: c.t.Add(2 * time.Hour)})
	s.MarkFired(a.ID, "overdue", StateOverdue) // late, still unanswered
	s.MarkFired(b.ID, "missed", StateMissed)
	s.ResolveDeadline(b.ID, ResolvedReplied, c.t.Add(30*time.Hour)) // late but answered
	got, err := s.ListDeadlines(DeadlineFilter{Unresolved: true})
	if err != nil || len(got) != 2 || got[0].ID != a.ID || got[1].ID != x.ID {
		t.Fatalf("unresolved: %+v %v", got, err)
	}
	got, _ = s.ListDeadlines(DeadlineFilter{Unresolved: true, States: []State{StateOverdue, StateMissed}})
	if len(got) != 1 || got[0].ID != a.ID {
		t.Fatalf("unresolved late: %+v", got)
	}
	got, _ = s.ListDeadlines(DeadlineFilter{States: []State{StateOverdue, StateMissed}})
	if len(got) != 2 {
		t.Fatalf("all late: %+v", got)
	}
}
