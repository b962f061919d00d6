package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSearchMatchesModel checks SearchHistory against a brute-force scan
// over entries written in every way the index is changed: batches
// (LoadReplies), single records (RecordReply), out-of-order send times
// (which land in the last block) and redaction (which removes words).
// A small vocabulary makes posting lists span many blocks, so block
// splits and boundaries are exercised.
func TestSearchMatchesModel(t *testing.T) {
	c := newClock()
	s := openT(t, t.TempDir(), Options{Now: c.now})
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := []string{"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa", "lam", "mu"}
	scen := []string{"return-refund", "not-received", "other"}
	mk := []string{"US", "DE"}
	gen := func(sent time.Time) Reply {
		var w []string
		for range 3 + rng.IntN(6) {
			w = append(w, vocab[rng.IntN(len(vocab))])
		}
		r := Reply{Text: strings.Join(w, " "), Scenario: scen[rng.IntN(3)], Marketplace: mk[rng.IntN(2)],
			BuyerName: "Ann", BuyerMessage: vocab[rng.IntN(len(vocab))] + " buyerwordx", SentAt: sent}
		if rng.IntN(4) == 0 {
			r.Findings = []Finding{{Rule: "emoji", Severity: "error"}}
		}
		return r
	}
	base := c.t.Add(-1000 * time.Hour)
	// Batches of shuffled times.
	for b := 0; b < 3; b++ {
		var batch []Reply
		for i := 0; i < 400; i++ {
			batch = append(batch, gen(base.Add(time.Duration(rng.IntN(900*60))*time.Minute)))
		}
		if err := s.LoadReplies(batch); err != nil {
			t.Fatal(err)
		}
	}
	// Single records, newest and oldest.
	for i := 0; i < 60; i++ {
		sent := c.t.Add(-time.Duration(i) * time.Minute)
		if i%2 == 1 {
			sent = base.Add(-time.Duration(i) * time.Hour)
		}
		if _, err := s.RecordReply(gen(sent)); err != nil {
			t.Fatal(err)
		}
	}
	// Redact the oldest (basis = send time) third.
	if _, err := s.RedactBuyerData(context.Background(), base.Add(300*time.Hour)); err != nil {
		t.Fatal(err)
	}
	// The model: every entry, read back.
	all, err := s.SearchHistory(Query{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var model []Reply
	q := Query{Limit: 500}
	for {
		p, err := s.SearchHistory(q)
		if err != nil {
			t.Fatal(err)
		}
		model = append(model, p.Replies...)
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if len(model) != 1260 || len(all.Replies) != 500 {
		t.Fatalf("model has %d entries, want 1260", len(model))
	}
	matches := func(r Reply, q Query) bool {
		words := map[string]bool{}
		for _, src := range []string{r.Text, r.BuyerMessage, r.OrderID} {
			for _, w := range Tokenize(src) {
				words[w] = true
			}
		}
		qw := Tokenize(q.Text)
		for i, w := range qw {
			if q.PrefixLast && i == len(qw)-1 {
				found := false
				for x := range words {
					found = found || strings.HasPrefix(x, w)
				}
				if !found {
					return false
				}
			} else if !words[w] {
				return false
			}
		}
		return (q.Scenario == "" || r.Scenario == q.Scenario) &&
			(q.Marketplace == "" || strings.EqualFold(r.Marketplace, q.Marketplace)) &&
			(q.HasFindings == nil || *q.HasFindings == (len(r.Findings) > 0)) &&
			(q.From.IsZero() || !r.SentAt.Before(q.From)) &&
			(q.To.IsZero() || r.SentAt.Before(q.To))
	}
	yes, no := true, false
	for i := 0; i < 300; i++ {
		q := Query{Limit: 1 + rng.IntN(40)}
		for range rng.IntN(3) {
			q.Text += vocab[rng.IntN(len(vocab))] + " "
		}
		if rng.IntN(6) == 0 {
			q.Text += "buyerwordx"
		}
		if rng.IntN(4) == 0 && q.Text != "" {
			q.PrefixLast = true
			q.Text = strings.TrimSpace(q.Text)
			q.Text = q.Text[:len(q.Text)-rng.IntN(3)]
		}
		if rng.IntN(3) == 0 {
			q.Scenario = scen[rng.IntN(3)]
		}
		if rng.IntN(3) == 0 {
			q.Marketplace = mk[rng.IntN(2)]
		}
		switch rng.IntN(4) {
		case 0:
			q.HasFindings = &yes
		case 1:
			q.HasFindings = &no
		}
		if rng.IntN(3) == 0 {
			q.From = base.Add(time.Duration(rng.IntN(1000)) * time.Hour)
			q.To = q.From.Add(time.Duration(1+rng.IntN(400)) * time.Hour)
		}
		var want []string
		for _, r := range model {
			if matches(r, q) {
				want = append(want, r.ID)
			}
		}
		var got []string
		for pages := 0; ; pages++ {
			p, err := s.SearchHistory(q)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range p.Replies {
				got = append(got, r.ID)
			}
			if p.Next == "" || pages > 2000 {
				break
			}
			q.Cursor = p.Next
		}
		if !slices.Equal(got, want) {
			q.Cursor = ""
			t.Fatalf("query %+v: got %d results, model says %d", q, len(got), len(want))
		}
	}
}

// TestConcurrentRecordAndSearch records from many goroutines while others
// search: every acknowledged reply is found afterwards.
func TestConcurrentRecordAndSearch(t *testing.T) {
	s := openT(t, t.TempDir(), Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if _, err := s.RecordReply(Reply{OrderID: fmt.Sprintf("111-0000000-%07d", w), Text: fmt.Sprintf("common w%d n%d", w, i)}); err != nil {
					errs <- err
					return
				}
			}
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if _, err := s.SearchHistory(Query{Text: "common"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	p, err := s.SearchHistory(Query{Text: "common", Limit: 500})
	if err != nil || len(p.Replies) != 200 {
		t.Fatalf("found %d of 200, %v", len(p.Replies), err)
	}
	for w := 0; w < 8; w++ {
		p, _ := s.SearchHistory(Query{Text: fmt.Sprintf("w%d", w), Limit: 500})
		if len(p.Replies) != 25 {
			t.Fatalf("writer %d: %d of 25", w, len(p.Replies))
		}
	}
}
