package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// BuyerMessage is a buyer message the extension saw. Recording one starts
// its reply deadline.
type BuyerMessage struct {
	// ID is derived from order, arrival time and text when empty, so the
	// same message reported twice is stored once.
	ID           string    `json:"id"`
	OrderID      string    `json:"order_id,omitempty"`
	Marketplace  string    `json:"marketplace,omitempty"`
	Scenario     string    `json:"scenario,omitempty"`
	BuyerName    string    `json:"buyer_name,omitempty"`
	BuyerAddress string    `json:"buyer_address,omitempty"`
	Text         string    `json:"text,omitempty"`
	ReceivedAt   time.Time `json:"received_at"`
	DeliveredAt  time.Time `json:"delivered_at,omitzero"`
	// Kind of deadline it starts; empty means KindReply.
	Kind       Kind      `json:"kind,omitempty"`
	DeadlineID string    `json:"deadline_id"`
	Redacted   bool      `json:"redacted,omitempty"`
	RedactedAt time.Time `json:"redacted_at,omitzero"`
}

// Reply is one history entry: a sent reply, or a "no response needed"
// resolution (Resolution set, Text empty).
type Reply struct {
	// ID is assigned by RecordReply; ids sort newest first.
	ID              string    `json:"id"`
	OrderID         string    `json:"order_id,omitempty"`
	Marketplace     string    `json:"marketplace,omitempty"`
	Scenario        string    `json:"scenario,omitempty"`
	TemplateID      string    `json:"template_id,omitempty"`
	TemplateVersion int       `json:"template_version,omitempty"`
	Text            string    `json:"text,omitempty"`
	Findings        []Finding `json:"findings,omitempty"`
	// BuyerMessageID links the BuyerMessage this answers, when known; the
	// buyer fields below are then filled from it if empty.
	BuyerMessageID string    `json:"buyer_message_id,omitempty"`
	BuyerMessage   string    `json:"buyer_message,omitempty"`
	BuyerName      string    `json:"buyer_name,omitempty"`
	BuyerAddress   string    `json:"buyer_address,omitempty"`
	BuyerMessageAt time.Time `json:"buyer_message_at,omitzero"`
	SentAt         time.Time `json:"sent_at"`
	DeliveredAt    time.Time `json:"delivered_at,omitzero"`
	// ResponseTime is SentAt - BuyerMessageAt, computed by RecordReply.
	ResponseTime time.Duration `json:"response_time_ns,omitempty"`
	// Resolution is ResolvedReplied (default) or ResolvedNoResponse.
	Resolution Resolution `json:"resolution"`
	// RequestID, when set, makes recording idempotent: a second
	// RecordReply with the same RequestID stores nothing and returns the
	// first entry with Duplicate set. The check and the write are one
	// transaction, so a client retrying after a lost acknowledgement (or a
	// crash) never records a reply twice.
	RequestID string `json:"request_id,omitempty"`
	// Duplicate is set on the result of a RecordReply whose RequestID was
	// already recorded; it is not stored.
	Duplicate bool `json:"-"`
	// ResolvedDeadlines lists the deadlines this entry resolved.
	ResolvedDeadlines []string  `json:"resolved_deadlines,omitempty"`
	Redacted          bool      `json:"redacted,omitempty"`
	RedactedAt        time.Time `json:"redacted_at,omitzero"`
}

// HasErrors reports whether the reply was sent with error findings.
func (r Reply) HasErrors() bool {
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}

// MaxTextSize bounds reply, buyer message and template texts (Amazon's
// messages are far shorter; the bound keeps one record inside Badger's
// transaction limit).
const MaxTextSize = 64 << 10

func messageID(m BuyerMessage) string {
	h := sha256.Sum256([]byte(m.OrderID + "\x00" + m.ReceivedAt.UTC().Format(time.RFC3339Nano) + "\x00" + m.Text))
	return "m-" + hex.EncodeToString(h[:10])
}

func validField(name, v string) error {
	if strings.ContainsAny(v, "/\x00\x01") {
		return fmt.Errorf("%w: %s %q contains / or control bytes", ErrInvalid, name, v)
	}
	return nil
}

// RecordBuyerMessage stores a buyer message and starts its deadline
// (reply within 24 hours unless m.Kind says otherwise). Reporting the same
// message again returns the stored one and its deadline unchanged.
func (s *Store) RecordBuyerMessage(m BuyerMessage) (BuyerMessage, Deadline, error) {
	if m.ReceivedAt.IsZero() {
		return BuyerMessage{}, Deadline{}, fmt.Errorf("record buyer message: %w: received time is required", ErrInvalid)
	}
	for _, f := range [][2]string{{"order id", m.OrderID}, {"message id", m.ID}, {"marketplace", m.Marketplace}} {
		if err := validField(f[0], f[1]); err != nil {
			return BuyerMessage{}, Deadline{}, fmt.Errorf("record buyer message: %w", err)
		}
	}
	if len(m.Text) > MaxTextSize {
		return BuyerMessage{}, Deadline{}, fmt.Errorf("record buyer message: %w: text longer than %d bytes", ErrInvalid, MaxTextSize)
	}
	m.ReceivedAt = m.ReceivedAt.UTC()
	if m.ID == "" {
		m.ID = messageID(m)
	}
	if m.Kind == "" {
		m.Kind = KindReply
	}
	d := Deadline{Kind: m.Kind, OrderID: m.OrderID, Marketplace: m.Marketplace, MessageID: m.ID, Start: m.ReceivedAt}
	opens, due, err := d.Kind.Window(d.Start)
	if err != nil {
		return BuyerMessage{}, Deadline{}, fmt.Errorf("record buyer message: %w", err)
	}
	d.Opens, d.Due, d.State, d.CreatedAt = opens, due, StateOpen, s.now().UTC()
	d.ID = deadlineID(d)
	m.DeadlineID = d.ID
	var outM BuyerMessage
	var outD Deadline
	err = s.update(func(txn *badger.Txn) error {
		var cur BuyerMessage
		switch err := getJSON(txn, prefMessage+m.ID, &cur); {
		case err == nil:
			outM = cur
			return getJSON(txn, prefDeadline+cur.DeadlineID, &outD)
		case !errors.Is(err, ErrNotFound):
			return err
		}
		outM, outD = m, d
		if err := setJSON(txn, prefMessage+m.ID, m); err != nil {
			return err
		}
		if err := txn.Set([]byte(prefRetention+hexTime(laterOf(m.DeliveredAt, m.ReceivedAt))+"/b/"+m.ID), nil); err != nil {
			return err
		}
		return putDeadline(txn, nil, d)
	})
	if err != nil {
		return BuyerMessage{}, Deadline{}, fmt.Errorf("record buyer message: %w", err)
	}
	return outM, outD, nil
}

// GetBuyerMessage returns a stored buyer message.
func (s *Store) GetBuyerMessage(id string) (BuyerMessage, error) {
	var m BuyerMessage
	if err := s.view(func(txn *badger.Txn) error { return getJSON(txn, prefMessage+id, &m) }); err != nil {
		return BuyerMessage{}, fmt.Errorf("get buyer message %q: %w", id, err)
	}
	return m, nil
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// RecordReply stores a history entry and resolves the reply deadline it
// answers: the linked buyer message's, else every unresolved reply
// deadline of the order that started before SentAt. When none exists and
// BuyerMessageAt is known, a resolved reply deadline is created so the
// response-time figures count it. The returned entry is on disk (fsynced)
// when the error is nil: only then may the caller acknowledge it.
func (s *Store) RecordReply(r Reply) (Reply, error) {
	if r.Resolution == "" {
		r.Resolution = ResolvedReplied
	}
	if r.Resolution != ResolvedReplied && r.Resolution != ResolvedNoResponse {
		return Reply{}, fmt.Errorf("record reply: %w: resolution %q", ErrInvalid, r.Resolution)
	}
	if r.Resolution == ResolvedReplied && strings.TrimSpace(r.Text) == "" {
		return Reply{}, fmt.Errorf("record reply: %w: empty reply text", ErrInvalid)
	}
	if len(r.Text) > MaxTextSize || len(r.BuyerMessage) > MaxTextSize {
		return Reply{}, fmt.Errorf("record reply: %w: text longer than %d bytes", ErrInvalid, MaxTextSize)
	}
	if len(r.RequestID) > 256 {
		return Reply{}, fmt.Errorf("record reply: %w: request id longer than 256 bytes", ErrInvalid)
	}
	for _, f := range [][2]string{{"order id", r.OrderID}, {"marketplace", r.Marketplace}, {"scenario", r.Scenario},
		{"template id", r.TemplateID}, {"buyer message id", r.BuyerMessageID}, {"request id", r.RequestID}} {
		if err := validField(f[0], f[1]); err != nil {
			return Reply{}, fmt.Errorf("record reply: %w", err)
		}
	}
	if r.SentAt.IsZero() {
		r.SentAt = s.now()
	}
	r.SentAt = r.SentAt.UTC()
	r.ID = newReplyID(r.SentAt)
	r.ResolvedDeadlines = nil
	// Index writers are serialised: concurrent ones would conflict on the
	// shared posting blocks of common words and retry.
	s.mu.Lock()
	defer s.mu.Unlock()
	var out Reply
	err := s.update(func(txn *badger.Txn) error {
		e := r
		if e.RequestID != "" {
			var prev string
			switch err := getJSON(txn, prefRequest+e.RequestID, &prev); {
			case err == nil:
				if err := getJSON(txn, prefHistory+prev, &out); err != nil {
					return fmt.Errorf("request %q: %w", e.RequestID, err)
				}
				out.Duplicate = true
				return nil
			case !errors.Is(err, ErrNotFound):
				return err
			}
			if err := setJSON(txn, prefRequest+e.RequestID, e.ID); err != nil {
				return err
			}
		}
		if e.BuyerMessageID != "" {
			var m BuyerMessage
			if err := getJSON(txn, prefMessage+e.BuyerMessageID, &m); err != nil {
				return fmt.Errorf("buyer message %q: %w", e.BuyerMessageID, err)
			}
			e.BuyerMessage = cmpOr(e.BuyerMessage, m.Text)
			e.BuyerName = cmpOr(e.BuyerName, m.BuyerName)
			e.BuyerAddress = cmpOr(e.BuyerAddress, m.BuyerAddress)
			e.OrderID = cmpOr(e.OrderID, m.OrderID)
			e.Marketplace = cmpOr(e.Marketplace, m.Marketplace)
			e.Scenario = cmpOr(e.Scenario, m.Scenario)
			if e.BuyerMessageAt.IsZero() {
				e.BuyerMessageAt = m.ReceivedAt
			}
			if e.DeliveredAt.IsZero() {
				e.DeliveredAt = m.DeliveredAt
			}
		}
		if !e.BuyerMessageAt.IsZero() {
			e.BuyerMessageAt = e.BuyerMessageAt.UTC()
			e.ResponseTime = max(e.SentAt.Sub(e.BuyerMessageAt), 0)
		}
		ids, err := s.resolveForReply(txn, e)
		if err != nil {
			return err
		}
		e.ResolvedDeadlines = ids
		if err := putReply(txn, nil, e); err != nil {
			return err
		}
		out = e
		return nil
	})
	if err != nil {
		return Reply{}, fmt.Errorf("record reply: %w", err)
	}
	return out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// resolveForReply resolves the reply deadlines e answers and returns their ids.
func (s *Store) resolveForReply(txn *badger.Txn, e Reply) ([]string, error) {
	var ids []string
	if e.BuyerMessageID != "" {
		var m BuyerMessage
		if err := getJSON(txn, prefMessage+e.BuyerMessageID, &m); err != nil {
			return nil, err
		}
		ids = append(ids, m.DeadlineID)
	} else if e.OrderID != "" {
		opt := badger.DefaultIteratorOptions
		opt.PrefetchValues = false
		opt.Prefix = []byte(prefDeadlineOrd + e.OrderID + "/")
		it := txn.NewIterator(opt)
		for it.Rewind(); it.Valid(); it.Next() {
			k := string(it.Item().Key())
			ids = append(ids, k[strings.LastIndexByte(k, '/')+1:])
		}
		it.Close()
	}
	var resolved []string
	known := false // a reply deadline for this buyer message exists already
	for _, id := range ids {
		var d Deadline
		if err := getJSON(txn, prefDeadline+id, &d); err != nil {
			return nil, fmt.Errorf("deadline %q: %w", id, err)
		}
		if d.Kind == KindReply && !e.BuyerMessageAt.IsZero() && d.Start.Sub(e.BuyerMessageAt).Abs() <= time.Minute {
			known = true
		}
		if d.Kind != KindReply || !d.ResolvedAt.IsZero() || d.Start.After(e.SentAt) {
			continue
		}
		if _, err := resolveInTxn(txn, id, e.Resolution, e.SentAt); err != nil {
			return nil, err
		}
		resolved = append(resolved, id)
	}
	if len(resolved) == 0 && !known && e.BuyerMessageID == "" && !e.BuyerMessageAt.IsZero() {
		// A reply to a message the extension never reported: record the
		// deadline it met (or missed) so the figures see it.
		d := Deadline{Kind: KindReply, OrderID: e.OrderID, Marketplace: e.Marketplace, Start: e.BuyerMessageAt,
			MessageID: "r-" + e.ID, CreatedAt: s.now().UTC()}
		d.Opens, d.Due, _ = KindReply.Window(d.Start)
		d.ID = deadlineID(d)
		d.State = StateResolved
		if e.SentAt.After(d.Due) {
			d.State = StateOverdue
		}
		d.Resolution, d.ResolvedAt = e.Resolution, e.SentAt
		if err := putDeadline(txn, nil, d); err != nil {
			return nil, err
		}
		resolved = append(resolved, d.ID)
	}
	return resolved, nil
}

// putReply writes e with its index entries; old is the previous version
// (nil for a new entry) whose stale postings are removed.
func putReply(txn *badger.Txn, old *Reply, e Reply) error {
	id, ok := parseRawID(e.ID)
	if !ok {
		return fmt.Errorf("%w: reply id %q", ErrInvalid, e.ID)
	}
	newTerms := replyTerms(e)
	var oldTerms map[string]struct{}
	if old != nil {
		oldTerms = replyTerms(*old)
	}
	pm := newPostingMerger(txn)
	defer pm.close()
	for t := range oldTerms {
		if _, keep := newTerms[t]; !keep {
			if err := pm.merge(txn, t, nil, []rawID{id}); err != nil {
				return err
			}
		}
	}
	for t := range newTerms {
		if _, had := oldTerms[t]; !had {
			if err := pm.merge(txn, t, []rawID{id}, nil); err != nil {
				return err
			}
		}
	}
	pm.close() // a read-write transaction allows one iterator at a time
	return putReplyRecord(txn, old == nil, e)
}

// putReplyRecord writes the entry and, when new, its order and retention
// index keys.
func putReplyRecord(w writer, isNew bool, e Reply) error {
	if isNew {
		if e.OrderID != "" {
			if err := w.Set([]byte(prefOrderIdx+e.OrderID+"/"+e.ID), nil); err != nil {
				return err
			}
		}
		if err := w.Set([]byte(prefRetention+hexTime(laterOf(e.DeliveredAt, e.SentAt))+"/h/"+e.ID), nil); err != nil {
			return err
		}
	}
	return setJSON(w, prefHistory+e.ID, e)
}

// GetReply returns one history entry.
func (s *Store) GetReply(id string) (Reply, error) {
	var r Reply
	if err := s.view(func(txn *badger.Txn) error { return getJSON(txn, prefHistory+id, &r) }); err != nil {
		return Reply{}, fmt.Errorf("get reply %q: %w", id, err)
	}
	return r, nil
}
