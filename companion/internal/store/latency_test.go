package store_test

import (
	"os"
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/companion/internal/testutil"
)

// TestSearchLatencyByQuery logs each benchmark query's latency over a store
// seeded earlier (REPLYGUARD_BENCH_DIR); it is a diagnostic and skips otherwise.
func TestSearchLatencyByQuery(t *testing.T) {
	dir := os.Getenv("REPLYGUARD_BENCH_DIR")
	if dir == "" {
		t.Skip()
	}
	s, err := store.Open(dir, store.Options{GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	yes := true
	ep := testutil.Epoch
	queries := []store.Query{
		{},
		{Text: "refund"},
		{Text: "tracking number"},
		{Text: "sorry delay parcel"},
		{Text: "sku4711"},
		{Text: "kalomi"},
		{Text: "damaged", Scenario: "damaged-defective"},
		{Scenario: "invoice-request", Marketplace: "DE"},
		{HasFindings: &yes, Marketplace: "JP"},
		{TemplateID: "refund-issued", From: ep.Add(-90 * 24 * time.Hour), To: ep.Add(-60 * 24 * time.Hour)},
		{Text: "package", From: ep.Add(-200 * 24 * time.Hour), To: ep.Add(-199 * 24 * time.Hour)},
		{Text: "zebra unicorn"},
		{Text: "thank you", Marketplace: "US", Scenario: "thank-you", HasFindings: &yes},
		{Text: "re", PrefixLast: true},
		{Text: "tracking num", PrefixLast: true},
		{Text: "damaged sk", PrefixLast: true, Marketplace: "DE"},
	}
	for _, q := range queries {
		for rep := 0; rep < 3; rep++ {
			st := time.Now()
			p, err := s.SearchHistory(q)
			if err != nil {
				t.Fatal(err)
			}
			if rep == 2 {
				t.Logf("%-60v %4d results %v", q, len(p.Replies), time.Since(st))
			}
		}
	}
}
