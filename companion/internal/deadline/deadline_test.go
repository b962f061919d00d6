package deadline

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func openStore(t *testing.T, dir string, c *fakeClock) *store.Store {
	t.Helper()
	s, err := store.Open(dir, store.Options{Now: c.Now, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// recorder collects notified events.
type recorder struct {
	mu  sync.Mutex
	evs []Event
}

func (r *recorder) notify(e Event) { r.mu.Lock(); r.evs = append(r.evs, e); r.mu.Unlock() }
func (r *recorder) names() map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]string{}
	for _, e := range r.evs {
		out[e.Deadline.ID] = append(out[e.Deadline.ID], e.Name)
	}
	return out
}

func TestDueSoonThenOverdue(t *testing.T) {
	c := &fakeClock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	st := openStore(t, t.TempDir(), c)
	_, d, err := st.RecordBuyerMessage(store.BuyerMessage{OrderID: "111-0000000-0000001", Text: "hi", ReceivedAt: c.Now()})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	s := New(st, Options{Clock: c, Notify: rec.notify})
	steps := []struct {
		advance time.Duration
		want    []string // events fired by this check
	}{
		{0, nil},
		{19 * time.Hour, nil},
		{time.Hour, []string{"due-soon-4h"}}, // 20h after arrival
		{time.Minute, nil},
		{3 * time.Hour, []string{"due-soon-1h"}},
		{time.Hour, []string{EventOverdue}},
		{time.Hour, nil},
	}
	for i, step := range steps {
		c.Add(step.advance)
		evs, err := s.Check()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range evs {
			got = append(got, e.Name)
		}
		if len(got) != len(step.want) || (len(got) > 0 && got[0] != step.want[0]) {
			t.Fatalf("step %d: fired %v, want %v", i, got, step.want)
		}
	}
	final, _ := st.GetDeadline(d.ID)
	if final.State != store.StateOverdue {
		t.Fatalf("state %s, want overdue", final.State)
	}
}

func TestSleepSendsOneWarning(t *testing.T) {
	c := &fakeClock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	st := openStore(t, t.TempDir(), c)
	st.RecordBuyerMessage(store.BuyerMessage{OrderID: "111-0000000-0000001", Text: "hi", ReceivedAt: c.Now()})
	s := New(st, Options{Clock: c})
	s.Check()
	c.Add(23*time.Hour + 30*time.Minute) // the laptop slept through the 4h warning
	evs, _ := s.Check()
	if len(evs) != 1 || evs[0].Name != "due-soon-1h" {
		t.Fatalf("after sleep: %+v", evs)
	}
	if evs, _ := s.Check(); len(evs) != 0 {
		t.Fatalf("4h warning fired late: %+v", evs)
	}
}

func TestResolvedDeadlineNeverFires(t *testing.T) {
	c := &fakeClock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	st := openStore(t, t.TempDir(), c)
	m, _, _ := st.RecordBuyerMessage(store.BuyerMessage{OrderID: "111-0000000-0000001", Text: "hi", ReceivedAt: c.Now()})
	c.Add(time.Hour)
	if _, err := st.RecordReply(store.Reply{BuyerMessageID: m.ID, Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	s := New(st, Options{Clock: c})
	c.Add(48 * time.Hour)
	if evs, _ := s.Check(); len(evs) != 0 {
		t.Fatalf("resolved deadline fired: %+v", evs)
	}
}

// TestRestartWithOverdueDeadlines: deadlines that came due while the
// companion was down fire "missed" exactly once, and never again after
// further restarts; concurrent checks do not double-fire.
func TestRestartWithOverdueDeadlines(t *testing.T) {
	dir := t.TempDir()
	c := &fakeClock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	st := openStore(t, dir, c)
	kinds := []store.Kind{store.KindReply, store.KindAtoZInfo, store.KindChargeback, store.KindProactiveWindow}
	var ids []string
	for i, k := range kinds {
		d, err := st.AddDeadline(store.Deadline{Kind: k, OrderID: "111-0000000-000000" + string(rune('1'+i)), Start: c.Now()})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	// A fresh one that is not due yet must not be touched.
	fresh, _ := st.AddDeadline(store.Deadline{Kind: store.KindChargeback, OrderID: "222-0000000-0000001", Start: c.Now().Add(40 * 24 * time.Hour)})
	st.Close()

	c.Add(31 * 24 * time.Hour) // the companion was off for a month
	for restart := 0; restart < 3; restart++ {
		st := openStore(t, dir, c)
		rec := &recorder{}
		s := New(st, Options{Clock: c, Notify: rec.notify})
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() { defer wg.Done(); s.Check() }()
		}
		wg.Wait()
		got := rec.names()
		if restart == 0 {
			for _, id := range ids {
				if n := got[id]; len(n) != 1 || n[0] != EventMissed {
					t.Errorf("deadline %s fired %v, want exactly [missed]", id, n)
				}
				if d, _ := st.GetDeadline(id); d.State != store.StateMissed {
					t.Errorf("deadline %s state %s, want missed", id, d.State)
				}
			}
			if len(got[fresh.ID]) != 0 {
				t.Errorf("future deadline fired %v", got[fresh.ID])
			}
		} else if len(got) != 0 {
			t.Errorf("restart %d fired again: %v", restart, got)
		}
		st.Close()
	}
}

func TestRunChecksPeriodically(t *testing.T) {
	c := &fakeClock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	st := openStore(t, t.TempDir(), c)
	st.AddDeadline(store.Deadline{Kind: store.KindReply, OrderID: "111-0000000-0000001", Start: c.Now()})
	fired := make(chan Event, 4)
	s := New(st, Options{Clock: c, Interval: 10 * time.Millisecond, Notify: func(e Event) { fired <- e }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	time.Sleep(30 * time.Millisecond)
	c.Add(25 * time.Hour) // the wall clock jumps (sleep); only a re-read notices
	select {
	case e := <-fired:
		if e.Name != EventOverdue {
			t.Fatalf("got %s, want overdue", e.Name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not notice the clock moving")
	}
	cancel()
	<-done
}

func TestReviewWindowOpens(t *testing.T) {
	c := &fakeClock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	st := openStore(t, t.TempDir(), c)
	st.AddDeadline(store.Deadline{Kind: store.KindReviewWindow, OrderID: "111-0000000-0000001", Start: c.Now()})
	s := New(st, Options{Clock: c})
	s.Check()
	c.Add(4 * 24 * time.Hour)
	if evs, _ := s.Check(); len(evs) != 0 {
		t.Fatalf("fired before the window opened: %+v", evs)
	}
	c.Add(24 * time.Hour)
	if evs, _ := s.Check(); len(evs) != 1 || evs[0].Name != EventOpened {
		t.Fatalf("window open: %+v", evs)
	}
	c.Add(23 * 24 * time.Hour) // 28 days: 2 days before it closes
	if evs, _ := s.Check(); len(evs) != 1 || evs[0].Name != "due-soon-72h" {
		t.Fatalf("closing soon: %+v", evs)
	}
}

func TestDueSoonEventNames(t *testing.T) {
	for lead, want := range map[time.Duration]string{time.Hour: "due-soon-1h", 72 * time.Hour: "due-soon-72h", 30 * time.Minute: "due-soon-30m"} {
		if got := DueSoonEvent(lead); got != want {
			t.Errorf("DueSoonEvent(%v) = %s, want %s", lead, got, want)
		}
	}
}
