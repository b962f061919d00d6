package store

import (
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
)

// LoadReplies writes many history entries in one batch, with their search
// index, and syncs once at the end. Unlike RecordReply it does not look at
// deadlines or buyer messages: it is for importing old history and for
// building test and benchmark data sets. Ids and response times are
// assigned as RecordReply does.
func (s *Store) LoadReplies(rs []Reply) error {
	if s.minFree > 0 {
		if err := checkSpace(s.dir, s.minFree); err != nil {
			return fmt.Errorf("load replies: %w", err)
		}
	}
	s.mu.Lock() // index writers are serialised (see RecordReply)
	defer s.mu.Unlock()
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	postings := map[string][]rawID{}
	for i := range rs {
		r := &rs[i]
		if r.Resolution == "" {
			r.Resolution = ResolvedReplied
		}
		for _, f := range [][2]string{{"order id", r.OrderID}, {"marketplace", r.Marketplace}, {"scenario", r.Scenario}, {"template id", r.TemplateID}} {
			if err := validField(f[0], f[1]); err != nil {
				return fmt.Errorf("load replies: entry %d: %w", i, err)
			}
		}
		if len(r.Text) > MaxTextSize || len(r.BuyerMessage) > MaxTextSize {
			return fmt.Errorf("load replies: entry %d: %w: text longer than %d bytes", i, ErrInvalid, MaxTextSize)
		}
		if r.SentAt.IsZero() {
			r.SentAt = s.now()
		}
		r.SentAt = r.SentAt.UTC()
		if !r.BuyerMessageAt.IsZero() {
			r.ResponseTime = max(r.SentAt.Sub(r.BuyerMessageAt), 0)
		}
		r.ID = newReplyID(r.SentAt)
		id, _ := parseRawID(r.ID)
		for t := range replyTerms(*r) {
			postings[t] = append(postings[t], id)
		}
		if err := putReplyRecord(wb, true, *r); err != nil {
			return fmt.Errorf("load replies: %w", classify(err))
		}
	}
	// Posting blocks are read in one snapshot and rewritten through the
	// batch; s.mu keeps other index writers out meanwhile.
	err := s.view(func(txn *badger.Txn) error {
		pm := newPostingMerger(txn)
		defer pm.close()
		for t, ids := range postings {
			if err := pm.merge(wb, t, ids, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load replies: %w", classify(err))
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("load replies: %w", classify(err))
	}
	if err := s.db.Sync(); err != nil {
		return fmt.Errorf("load replies: %w", classify(err))
	}
	return nil
}

// writer is the part of a transaction putReply uses, so the same indexing
// code serves transactions and write batches.
type writer interface {
	Set(k, v []byte) error
	Delete(k []byte) error
}

type batchTxn struct{ wb *badger.WriteBatch }

func (b batchTxn) Set(k, v []byte) error { return b.wb.Set(k, v) }
func (b batchTxn) Delete(k []byte) error { return b.wb.Delete(k) }
