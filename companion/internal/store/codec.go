package store

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// Key prefixes. docs/store.md documents the layout; schemaVersion changes
// whenever a prefix or value shape changes incompatibly.
const (
	schemaVersion = "1"

	keySchema       = "m/schema"
	prefSetting     = "s/"  // s/<key> -> string (JSON)
	prefClient      = "p/"  // p/<client id> -> Client
	prefTemplate    = "t/"  // t/<id> -> Template (head)
	prefTemplateVer = "tv/" // tv/<id>/<version %08d> -> Template
	prefHistory     = "h/"  // h/<reply id> -> Reply
	prefPosting     = "x/"  // x/<term>\x00<max reply id in block> -> sorted raw ids (posting.go)
	prefRequest     = "hq/" // hq/<request id> -> reply id (RecordReply idempotency)
	prefOrderIdx    = "ho/" // ho/<order id>/<reply id> -> empty
	prefRetention   = "hr/" // hr/<expiry basis %016x>/<h|b>/<id> -> empty (not yet redacted)
	prefMessage     = "b/"  // b/<message id> -> BuyerMessage
	prefDeadline    = "d/"  // d/<deadline id> -> Deadline
	prefDue         = "dd/" // dd/<due %016x>/<deadline id> -> empty (events left to fire)
	prefUnresolved  = "du/" // du/<due %016x>/<deadline id> -> empty (not resolved yet, any state)
	prefDeadlineOrd = "do/" // do/<order id>/<deadline id> -> empty
	prefReplyStart  = "ds/" // ds/<start %016x>/<deadline id> -> empty (reply-24h only, for figures)
)

func (s *Store) checkSchema() error {
	var have []byte
	err := s.view(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(keySchema))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		have, err = item.ValueCopy(nil)
		return err
	})
	switch {
	case err != nil:
		return err
	case have == nil:
		// A new store: the only write Open makes.
		return s.update(func(txn *badger.Txn) error { return txn.Set([]byte(keySchema), []byte(schemaVersion)) })
	case string(have) != schemaVersion:
		return fmt.Errorf("%w: data directory has schema %q, this replyguard reads %q", ErrInvalid, have, schemaVersion)
	}
	return nil
}

// update runs fn in a read-write transaction and classifies the error.
// SyncWrites is on, so a nil return means the commit is on disk.
func (s *Store) update(fn func(*badger.Txn) error) error {
	if s.minFree > 0 {
		if err := checkSpace(s.dir, s.minFree); err != nil {
			return err
		}
	}
	for attempt := 0; ; attempt++ {
		err := s.db.Update(fn)
		if errors.Is(err, badger.ErrConflict) && attempt < 5 {
			continue
		}
		return classify(err)
	}
}

// view runs fn in a read-only transaction.
func (s *Store) view(fn func(*badger.Txn) error) error {
	return classify(s.db.View(fn))
}

func getJSON(txn *badger.Txn, key string, v any) error {
	item, err := txn.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return item.Value(func(b []byte) error { return jsonUnmarshal(b, v) })
}

func setJSON(txn interface{ Set(k, v []byte) error }, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return txn.Set([]byte(key), b)
}

// hexTime encodes t as 16 hex digits that sort like the time (UTC unix
// nanoseconds; times before 1970 clamp to zero).
func hexTime(t time.Time) string {
	n := t.UnixNano()
	if n < 0 || t.IsZero() {
		n = 0
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	return hex.EncodeToString(b[:])
}

// newReplyID returns an id that sorts newest first: the inverted send time
// followed by 4 random bytes.
func newReplyID(sent time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], math.MaxUint64-uint64(max(sent.UnixNano(), 0)))
	_, _ = rand.Read(b[8:])
	return hex.EncodeToString(b[:])
}

// invTime is the 8-byte id prefix for a send time; ids of replies sent at
// or after t sort at or before it.
func invTime(t time.Time) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], math.MaxUint64-uint64(max(t.UnixNano(), 0)))
	return b[:]
}

func randomID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
