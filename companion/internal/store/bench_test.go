package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/companion/internal/testutil"
)

// benchN is the history size the budgets are stated for.
const benchN = 100_000

var (
	seedOnce sync.Once
	seedDir  string
	seedErr  error
)

// seeded returns a directory holding benchN generated entries, built once
// per test binary run (REPLYGUARD_BENCH_DIR reuses a directory seeded by an
// earlier run).
func seeded(b *testing.B) string {
	b.Helper()
	seedOnce.Do(func() {
		if d := os.Getenv("REPLYGUARD_BENCH_DIR"); d != "" {
			seedDir = d
			if _, err := os.Stat(filepath.Join(d, "MANIFEST")); err == nil {
				return
			}
		} else {
			seedDir, seedErr = os.MkdirTemp("", "replyguard-bench-")
			if seedErr != nil {
				return
			}
		}
		start := time.Now()
		seedErr = testutil.SeedHistory(seedDir, benchN, store.Options{GCInterval: -1})
		fmt.Fprintf(os.Stderr, "seeded %d entries in %v\n", benchN, time.Since(start).Round(time.Millisecond))
	})
	if seedErr != nil {
		b.Fatal(seedErr)
	}
	return seedDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if seedDir != "" && os.Getenv("REPLYGUARD_BENCH_DIR") == "" {
		os.RemoveAll(seedDir)
	}
	os.Exit(code)
}

// BenchmarkSearchHistory runs a mix of searches over 100k entries and
// reports the 95th percentile latency (p95-ms) besides the mean.
func BenchmarkSearchHistory(b *testing.B) {
	dir := seeded(b)
	s, err := store.Open(dir, store.Options{GCInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	queries := benchQueries()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := time.Now()
		if _, err := s.SearchHistory(queries[i%len(queries)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}

// BenchmarkOpen measures open-to-ready of a store holding 100k entries.
func BenchmarkOpen(b *testing.B) {
	dir := seeded(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := store.Open(dir, store.Options{GCInterval: -1})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkRecordReply measures one durable (fsynced) reply record into
// the 100k store (it runs last: the entries it adds do not disturb the
// other benchmarks).
func BenchmarkRecordReply(b *testing.B) {
	s, err := store.Open(seeded(b), store.Options{GCInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rs := testutil.Replies(1000, 7)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.RecordReply(rs[i%len(rs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// benchQueries is the search mix the benchmark and the latency report share:
// words, phrases, rare and absent words, filters alone and combined, date
// ranges, and prefixes of the word being typed.
func benchQueries() []store.Query {
	yes := true
	ep := testutil.Epoch
	return []store.Query{
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
}
