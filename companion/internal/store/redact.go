package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// RedactedName replaces the buyer's name inside reply texts.
const RedactedName = "[buyer]"

const redactBatch = 5

// RedactBuyerData removes buyer personal data from every buyer message and
// history entry whose retention basis (the later of delivery and its last
// activity: arrival for a message, sending for a reply) is before cutoff:
// buyer name, address and message text are cleared, the buyer's name is
// replaced in reply texts, and the search index follows. Deadlines,
// response times, templates and the rest of the history stay, so the
// figures do not change. It returns how many records it redacted.
func (s *Store) RedactBuyerData(ctx context.Context, cutoff time.Time) (int, error) {
	total := 0
	stopKey := prefRetention + hexTime(cutoff)
	for {
		// Between batches, so a shutdown never waits for a whole sweep.
		if err := ctx.Err(); err != nil {
			return total, fmt.Errorf("redact buyer data: %w", err)
		}
		// Small batches keep each transaction under Badger's size limit:
		// a redaction rewrites a posting block per removed word.
		var keys []string
		err := s.view(func(txn *badger.Txn) error {
			opt := badger.DefaultIteratorOptions
			opt.PrefetchValues = false
			opt.Prefix = []byte(prefRetention)
			it := txn.NewIterator(opt)
			defer it.Close()
			for it.Rewind(); it.Valid() && len(keys) < redactBatch; it.Next() {
				k := string(it.Item().Key())
				if k >= stopKey {
					break
				}
				keys = append(keys, k)
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("redact buyer data: %w", err)
		}
		if len(keys) == 0 {
			return total, nil
		}
		now := s.now().UTC()
		s.mu.Lock()
		err = s.update(func(txn *badger.Txn) error { return redactKeys(txn, keys, now) })
		if errors.Is(err, badger.ErrTxnTooBig) {
			// Long entries: one per transaction.
			for _, k := range keys {
				if err = s.update(func(txn *badger.Txn) error { return redactKeys(txn, []string{k}, now) }); err != nil {
					break
				}
			}
		}
		s.mu.Unlock()
		if err != nil {
			return total, fmt.Errorf("redact buyer data: %w", err)
		}
		total += len(keys)
	}
}

// redactKeys redacts the records named by retention keys and drops the keys.
func redactKeys(txn *badger.Txn, keys []string, now time.Time) error {
	for _, k := range keys {
		parts := strings.Split(strings.TrimPrefix(k, prefRetention), "/")
		if len(parts) != 3 {
			return fmt.Errorf("bad retention key %q", k)
		}
		switch parts[1] {
		case "h":
			if err := redactReply(txn, parts[2], now); err != nil {
				return err
			}
		case "b":
			if err := redactMessage(txn, parts[2], now); err != nil {
				return err
			}
		}
		if err := txn.Delete([]byte(k)); err != nil {
			return err
		}
	}
	return nil
}

func redactReply(txn *badger.Txn, id string, now time.Time) error {
	var r Reply
	if err := getJSON(txn, prefHistory+id, &r); err != nil {
		if err == ErrNotFound {
			return nil
		}
		return err
	}
	old := r
	r.Text = scrubName(r.Text, r.BuyerName)
	r.BuyerName, r.BuyerAddress, r.BuyerMessage = "", "", ""
	r.Redacted, r.RedactedAt = true, now
	return putReply(txn, &old, r)
}

func redactMessage(txn *badger.Txn, id string, now time.Time) error {
	var m BuyerMessage
	if err := getJSON(txn, prefMessage+id, &m); err != nil {
		if err == ErrNotFound {
			return nil
		}
		return err
	}
	m.BuyerName, m.BuyerAddress, m.Text = "", "", ""
	m.Redacted, m.RedactedAt = true, now
	return setJSON(txn, prefMessage+id, m)
}

// scrubName replaces the buyer's full name and each part of it (first
// name "Hi Jane," is the common case) as whole words, ignoring case.
func scrubName(text, name string) string {
	name = strings.TrimSpace(name)
	if text == "" || name == "" {
		return text
	}
	alts := []string{regexp.QuoteMeta(name)}
	for _, part := range strings.Fields(name) {
		if len([]rune(part)) >= 2 {
			alts = append(alts, regexp.QuoteMeta(part))
		}
	}
	re, err := regexp.Compile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`)
	if err != nil {
		return text
	}
	return repeatedName.ReplaceAllString(re.ReplaceAllString(text, RedactedName), RedactedName)
}

// repeatedName collapses "[buyer] [buyer]" left by first and last names.
var repeatedName = regexp.MustCompile(`\[buyer\](?:[ \t]+\[buyer\])+`)
