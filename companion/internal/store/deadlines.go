package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// Kind is a kind of deadline. Each has a fixed window from its Start.
type Kind string

// Deadline kinds (Amazon's rules, see DESIGN.md).
const (
	// KindReply: answer a buyer message within 24 hours, weekends and
	// holidays included. Start is when the buyer message arrived.
	KindReply Kind = "reply-24h"
	// KindAtoZInfo: answer an A-to-z information request within 48 hours.
	KindAtoZInfo Kind = "a-to-z-info-48h"
	// KindChargeback: respond to a chargeback within 7 days.
	KindChargeback Kind = "chargeback-7d"
	// KindReviewWindow: a review request may be sent 5 to 30 days after
	// delivery. Start is the delivery time.
	KindReviewWindow Kind = "review-request-window"
	// KindProactiveWindow: proactive messages within 30 days of the order.
	// Start is the order time.
	KindProactiveWindow Kind = "proactive-window"
)

// Kinds lists every deadline kind.
var Kinds = []Kind{KindReply, KindAtoZInfo, KindChargeback, KindReviewWindow, KindProactiveWindow}

const day = 24 * time.Hour

// Window returns when the deadline's window opens and when it is due,
// given its start. Only the review window opens later than its start.
func (k Kind) Window(start time.Time) (opens, due time.Time, err error) {
	switch k {
	case KindReply:
		return start, start.Add(24 * time.Hour), nil
	case KindAtoZInfo:
		return start, start.Add(48 * time.Hour), nil
	case KindChargeback:
		return start, start.Add(7 * day), nil
	case KindReviewWindow:
		return start.Add(5 * day), start.Add(30 * day), nil
	case KindProactiveWindow:
		return start, start.Add(30 * day), nil
	}
	return time.Time{}, time.Time{}, fmt.Errorf("%w: unknown deadline kind %q", ErrInvalid, k)
}

// State of a deadline.
type State string

// Deadline states. Open and DueSoon still have events to fire; Overdue (it
// passed while the companion ran), Missed (it passed while the companion
// was down) and Resolved are final.
const (
	StateOpen     State = "open"
	StateDueSoon  State = "due-soon"
	StateOverdue  State = "overdue"
	StateMissed   State = "missed"
	StateResolved State = "resolved"
)

// Resolution says how a deadline was resolved.
type Resolution string

// Resolutions.
const (
	ResolvedReplied    Resolution = "replied"
	ResolvedNoResponse Resolution = "no-response-needed"
)

// Deadline is one persisted deadline.
type Deadline struct {
	ID          string `json:"id"`
	Kind        Kind   `json:"kind"`
	OrderID     string `json:"order_id,omitempty"`
	Marketplace string `json:"marketplace,omitempty"`
	// MessageID is the buyer message a reply deadline belongs to.
	MessageID string `json:"message_id,omitempty"`
	// Start is the event the window counts from (message, delivery, order).
	Start time.Time `json:"start"`
	Opens time.Time `json:"opens"`
	Due   time.Time `json:"due"`
	State State     `json:"state"`
	// Resolution and ResolvedAt are set once resolved; a deadline resolved
	// after it went overdue or missed keeps both facts.
	Resolution Resolution `json:"resolution,omitempty"`
	ResolvedAt time.Time  `json:"resolved_at,omitzero"`
	// Fired lists the scheduler events already delivered (e.g. "due-soon-4h",
	// "overdue"), so each fires exactly once across restarts.
	Fired     []string  `json:"fired,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Pending reports whether the deadline still has events to fire.
func (d Deadline) Pending() bool { return d.State == StateOpen || d.State == StateDueSoon }

// HasFired reports whether event was already delivered.
func (d Deadline) HasFired(event string) bool { return slices.Contains(d.Fired, event) }

// deadlineID is derived from what identifies the deadline, so reporting the
// same buyer message twice yields the same deadline.
func deadlineID(d Deadline) string {
	h := sha256.Sum256([]byte(strings.Join([]string{string(d.Kind), d.OrderID, d.MessageID, d.Start.UTC().Format(time.RFC3339Nano)}, "\x00")))
	return "d-" + hex.EncodeToString(h[:10])
}

// AddDeadline persists a deadline. Opens and Due are computed from Kind and
// Start. An empty ID is derived from kind, order, message and start, which
// makes repeated reports idempotent: the existing deadline is returned.
func (s *Store) AddDeadline(d Deadline) (Deadline, error) {
	if d.Start.IsZero() {
		return Deadline{}, fmt.Errorf("add deadline: %w: start time is required", ErrInvalid)
	}
	opens, due, err := d.Kind.Window(d.Start)
	if err != nil {
		return Deadline{}, fmt.Errorf("add deadline: %w", err)
	}
	d.Start, d.Opens, d.Due = d.Start.UTC(), opens.UTC(), due.UTC()
	if d.ID == "" {
		d.ID = deadlineID(d)
	}
	if strings.ContainsAny(d.ID+d.OrderID, "/\x00") {
		return Deadline{}, fmt.Errorf("add deadline: %w: id or order id contains / or NUL", ErrInvalid)
	}
	var out Deadline
	err = s.update(func(txn *badger.Txn) error {
		var cur Deadline
		switch err := getJSON(txn, prefDeadline+d.ID, &cur); {
		case err == nil:
			out = cur
			return nil
		case !errors.Is(err, ErrNotFound):
			return err
		}
		if d.State == "" {
			d.State = StateOpen
		}
		d.CreatedAt = s.now().UTC()
		out = d
		return putDeadline(txn, nil, d)
	})
	if err != nil {
		return Deadline{}, fmt.Errorf("add deadline: %w", err)
	}
	return out, nil
}

// putDeadline writes d and keeps its index entries in step with old.
func putDeadline(txn *badger.Txn, old *Deadline, d Deadline) error {
	if old != nil && old.Pending() {
		if err := txn.Delete([]byte(prefDue + hexTime(old.Due) + "/" + old.ID)); err != nil {
			return err
		}
	}
	if d.Pending() {
		if err := txn.Set([]byte(prefDue+hexTime(d.Due)+"/"+d.ID), nil); err != nil {
			return err
		}
	}
	wasOpen, isOpen := old != nil && old.ResolvedAt.IsZero(), d.ResolvedAt.IsZero()
	if wasOpen && !isOpen {
		if err := txn.Delete([]byte(prefUnresolved + hexTime(old.Due) + "/" + old.ID)); err != nil {
			return err
		}
	}
	if isOpen && (old == nil || !wasOpen) {
		if err := txn.Set([]byte(prefUnresolved+hexTime(d.Due)+"/"+d.ID), nil); err != nil {
			return err
		}
	}
	if old == nil {
		if d.OrderID != "" {
			if err := txn.Set([]byte(prefDeadlineOrd+d.OrderID+"/"+d.ID), nil); err != nil {
				return err
			}
		}
		if d.Kind == KindReply {
			if err := txn.Set([]byte(prefReplyStart+hexTime(d.Start)+"/"+d.ID), nil); err != nil {
				return err
			}
		}
	}
	return setJSON(txn, prefDeadline+d.ID, d)
}

// GetDeadline returns one deadline.
func (s *Store) GetDeadline(id string) (Deadline, error) {
	var d Deadline
	if err := s.view(func(txn *badger.Txn) error { return getJSON(txn, prefDeadline+id, &d) }); err != nil {
		return Deadline{}, fmt.Errorf("get deadline %q: %w", id, err)
	}
	return d, nil
}

// ResolveDeadline records that a deadline was met (replied) or needs no
// response. Resolving an already resolved deadline is a no-op.
func (s *Store) ResolveDeadline(id string, res Resolution, at time.Time) (Deadline, error) {
	if res != ResolvedReplied && res != ResolvedNoResponse {
		return Deadline{}, fmt.Errorf("resolve deadline: %w: resolution %q", ErrInvalid, res)
	}
	if at.IsZero() {
		at = s.now()
	}
	var out Deadline
	err := s.update(func(txn *badger.Txn) error {
		var err error
		out, err = resolveInTxn(txn, id, res, at)
		return err
	})
	if err != nil {
		return Deadline{}, fmt.Errorf("resolve deadline %q: %w", id, err)
	}
	return out, nil
}

func resolveInTxn(txn *badger.Txn, id string, res Resolution, at time.Time) (Deadline, error) {
	var cur Deadline
	if err := getJSON(txn, prefDeadline+id, &cur); err != nil {
		return Deadline{}, err
	}
	if !cur.ResolvedAt.IsZero() {
		return cur, nil
	}
	old := cur
	cur.Resolution, cur.ResolvedAt = res, at.UTC()
	if cur.Pending() {
		cur.State = StateResolved
	}
	return cur, putDeadline(txn, &old, cur)
}

// DeadlineFilter selects deadlines for ListDeadlines; zero fields match all.
type DeadlineFilter struct {
	OrderID string
	Kinds   []Kind
	States  []State
	// PendingOnly restricts the scan to deadlines with events left to fire
	// (cheap: it walks the due index, not every deadline).
	PendingOnly bool
	// Unresolved keeps deadlines not resolved yet, in any state (open,
	// due-soon, overdue, missed); cheap, it walks an index.
	Unresolved bool
	// DueBefore, when set, keeps deadlines due before it.
	DueBefore time.Time
	Limit     int
}

// ListDeadlines returns matching deadlines ordered by due time.
func (s *Store) ListDeadlines(f DeadlineFilter) ([]Deadline, error) {
	var out []Deadline
	keep := func(d Deadline) bool {
		return (f.OrderID == "" || d.OrderID == f.OrderID) &&
			(len(f.Kinds) == 0 || slices.Contains(f.Kinds, d.Kind)) &&
			(len(f.States) == 0 || slices.Contains(f.States, d.State)) &&
			(!f.PendingOnly || d.Pending()) &&
			(!f.Unresolved || d.ResolvedAt.IsZero()) &&
			(f.DueBefore.IsZero() || d.Due.Before(f.DueBefore))
	}
	err := s.view(func(txn *badger.Txn) error {
		index := prefDue
		if f.Unresolved && !f.PendingOnly {
			index = prefUnresolved
		}
		switch {
		case f.PendingOnly || f.Unresolved:
			return s.walkIndex(txn, index, func(id string) (bool, error) {
				var d Deadline
				if err := getJSON(txn, prefDeadline+id, &d); err != nil {
					return false, err
				}
				if !f.DueBefore.IsZero() && !d.Due.Before(f.DueBefore) {
					return false, nil // the due index is sorted: nothing later matches
				}
				if keep(d) {
					out = append(out, d)
				}
				return f.Limit <= 0 || len(out) < f.Limit, nil
			})
		case f.OrderID != "":
			return s.walkIndex(txn, prefDeadlineOrd+f.OrderID+"/", func(id string) (bool, error) {
				var d Deadline
				if err := getJSON(txn, prefDeadline+id, &d); err != nil {
					return false, err
				}
				if keep(d) {
					out = append(out, d)
				}
				return true, nil
			})
		default:
			return scanJSON(txn, prefDeadline, func(_ []byte, d *Deadline) error {
				if keep(*d) {
					out = append(out, *d)
				}
				return nil
			})
		}
	})
	if err != nil {
		return nil, fmt.Errorf("list deadlines: %w", err)
	}
	slices.SortStableFunc(out, func(a, b Deadline) int { return a.Due.Compare(b.Due) })
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// walkIndex calls fn with the last path element of every key under prefix
// until fn returns false.
func (s *Store) walkIndex(txn *badger.Txn, prefix string, fn func(id string) (bool, error)) error {
	opt := badger.DefaultIteratorOptions
	opt.PrefetchValues = false
	opt.Prefix = []byte(prefix)
	it := txn.NewIterator(opt)
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		k := string(it.Item().Key())
		more, err := fn(k[strings.LastIndexByte(k, '/')+1:])
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// MarkFired records that the scheduler delivers event for deadline id and
// moves it to state. It returns false, and changes nothing, when the event
// was already fired or the deadline is no longer pending, so the caller
// notifies only when it returns true: each event fires exactly once.
func (s *Store) MarkFired(id, event string, state State) (Deadline, bool, error) {
	var out Deadline
	fired := false
	err := s.update(func(txn *badger.Txn) error {
		fired = false
		var cur Deadline
		if err := getJSON(txn, prefDeadline+id, &cur); err != nil {
			return err
		}
		out = cur
		if !cur.Pending() || cur.HasFired(event) {
			return nil
		}
		old := cur
		cur.Fired = append(slices.Clone(cur.Fired), event)
		cur.State = state
		out, fired = cur, true
		return putDeadline(txn, &old, cur)
	})
	if err != nil {
		return Deadline{}, false, fmt.Errorf("mark deadline %q fired %q: %w", id, event, err)
	}
	return out, fired, nil
}

// ReplyDeadlines returns the reply-24h deadlines whose buyer message
// arrived at or after since, for the response-time figures.
func (s *Store) ReplyDeadlines(since time.Time) ([]Deadline, error) {
	var out []Deadline
	err := s.view(func(txn *badger.Txn) error {
		opt := badger.DefaultIteratorOptions
		opt.PrefetchValues = false
		opt.Prefix = []byte(prefReplyStart)
		it := txn.NewIterator(opt)
		defer it.Close()
		for it.Seek([]byte(prefReplyStart + hexTime(since))); it.Valid(); it.Next() {
			k := string(it.Item().Key())
			var d Deadline
			if err := getJSON(txn, prefDeadline+k[strings.LastIndexByte(k, '/')+1:], &d); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reply deadlines: %w", err)
	}
	return out, nil
}
