// Package deadline runs the deadline scheduler: it watches the deadlines
// persisted in the store and delivers due-soon, overdue and missed events
// exactly once each, even across restarts and laptop sleep.
package deadline

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
)

// Event names delivered to Options.Notify.
const (
	// EventOpened: a window that opens after its start (the review-request
	// window, 5 days after delivery) is now open.
	EventOpened = "opened"
	// EventOverdue: the deadline passed while the scheduler was running.
	EventOverdue = "overdue"
	// EventMissed: the deadline passed while the companion was not running;
	// delivered once, on the first check after start.
	EventMissed = "missed"
)

// DueSoonEvent names the due-soon event for a lead time, e.g. "due-soon-4h".
func DueSoonEvent(lead time.Duration) string {
	if lead%time.Hour == 0 {
		return fmt.Sprintf("due-soon-%dh", int(lead/time.Hour))
	}
	return fmt.Sprintf("due-soon-%dm", int(lead/time.Minute))
}

// Event is one delivered deadline event.
type Event struct {
	Name     string         `json:"event"`
	Deadline store.Deadline `json:"deadline"`
	// At is the scheduler's clock when the event fired.
	At time.Time `json:"at"`
}

// Clock tells the time; tests pass a controllable one.
type Clock interface{ Now() time.Time }

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

// Store is what the scheduler needs from the store (*store.Store has it).
type Store interface {
	ListDeadlines(store.DeadlineFilter) ([]store.Deadline, error)
	MarkFired(id, event string, state store.State) (store.Deadline, bool, error)
}

// DefaultLeads are the due-soon warnings per kind, before the due time.
var DefaultLeads = map[store.Kind][]time.Duration{
	store.KindReply:           {4 * time.Hour, time.Hour},
	store.KindAtoZInfo:        {12 * time.Hour, 4 * time.Hour, time.Hour},
	store.KindChargeback:      {48 * time.Hour, 24 * time.Hour},
	store.KindReviewWindow:    {72 * time.Hour, 24 * time.Hour},
	store.KindProactiveWindow: {72 * time.Hour, 24 * time.Hour},
}

// Options configures a Scheduler.
type Options struct {
	// Clock defaults to the wall clock.
	Clock Clock
	// Interval between checks; default 15 s, capped at 30 s, because Go
	// timers stop while a laptop sleeps and the wall clock must be re-read.
	Interval time.Duration
	// Leads overrides DefaultLeads.
	Leads map[store.Kind][]time.Duration
	// Notify receives each event once. It is called from the scheduler's
	// goroutine after the event is persisted; it should not block long.
	Notify func(Event)
	// Logger receives check errors; nil means slog.Default().
	Logger *slog.Logger
}

// Scheduler delivers deadline events. Create with New, start with Run.
type Scheduler struct {
	st     Store
	o      Options
	mu     sync.Mutex // one check at a time
	first  bool       // the next check is the first since start
	start  time.Time
	wakeCh chan struct{}
}

// New returns a scheduler over st.
func New(st Store, o Options) *Scheduler {
	if o.Clock == nil {
		o.Clock = wallClock{}
	}
	if o.Interval <= 0 {
		o.Interval = 15 * time.Second
	}
	o.Interval = min(o.Interval, 30*time.Second)
	if o.Leads == nil {
		o.Leads = DefaultLeads
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Notify == nil {
		o.Notify = func(Event) {}
	}
	return &Scheduler{st: st, o: o, first: true, start: o.Clock.Now(), wakeCh: make(chan struct{}, 1)}
}

// Run checks immediately (marking what came due while the companion was
// down as missed), then every Interval until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	t := time.NewTicker(s.o.Interval)
	defer t.Stop()
	for {
		if _, err := s.Check(); err != nil {
			s.o.Logger.Error("deadline check failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		case <-s.wakeCh:
		}
	}
}

// Wake asks Run to check now, e.g. after a deadline was added or resolved.
func (s *Scheduler) Wake() {
	select {
	case s.wakeCh <- struct{}{}:
	default:
	}
}

// Check runs one pass at the clock's current time and returns the events
// it delivered. Each event is persisted (store.MarkFired) before Notify is
// called, and MarkFired refuses an event already fired, so concurrent or
// repeated checks never deliver one twice.
func (s *Scheduler) Check() ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.o.Clock.Now()
	first := s.first
	pending, err := s.st.ListDeadlines(store.DeadlineFilter{PendingOnly: true})
	if err != nil {
		return nil, fmt.Errorf("deadline check: %w", err)
	}
	var out []Event
	for _, d := range pending {
		name, state := s.due(d, now, first)
		if name == "" {
			continue
		}
		nd, fired, err := s.st.MarkFired(d.ID, name, state)
		if err != nil {
			return out, fmt.Errorf("deadline check: %w", err)
		}
		if !fired {
			continue
		}
		ev := Event{Name: name, Deadline: nd, At: now}
		out = append(out, ev)
		s.o.Notify(ev)
	}
	s.first = false
	return out, nil
}

// due returns the event d should fire at now, if any, and its new state.
func (s *Scheduler) due(d store.Deadline, now time.Time, first bool) (string, store.State) {
	if !now.Before(d.Due) {
		// Came due while we were down: before this process started, or
		// found by the first check.
		if first || d.Due.Before(s.start) {
			return EventMissed, store.StateMissed
		}
		return EventOverdue, store.StateOverdue
	}
	// The most urgent lead that has passed; earlier, longer leads are
	// skipped so a machine waking from sleep sends one warning, not three.
	leads := slices.Clone(s.o.Leads[d.Kind])
	slices.Sort(leads)
	for _, lead := range leads {
		if !now.Before(d.Due.Add(-lead)) {
			if ev := DueSoonEvent(lead); !d.HasFired(ev) {
				return ev, store.StateDueSoon
			}
			return "", ""
		}
	}
	if d.Opens.After(d.Start) && !now.Before(d.Opens) && !d.HasFired(EventOpened) {
		return EventOpened, d.State
	}
	return "", ""
}
