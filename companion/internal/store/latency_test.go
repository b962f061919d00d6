package store_test

import (
	"os"
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
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
	queries := benchQueries()
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
