package web

import (
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkPages measures the pages over real HTTP on loopback against a
// store holding 100k history entries (plus the demo's deadlines and two
// months of answered messages). Budgets (issue 6): dashboard and history
// first render <= 200 ms; search-as-you-type <= 50 ms p95.
//
//	go test -run '^$' -bench Pages -benchtime 200x ./companion/internal/web
func BenchmarkPages(b *testing.B) {
	// Seeding 100k entries takes minutes on a busy machine: the seeded store
	// is kept in the temp dir and reused by later runs.
	start := time.Now()
	e := newEnv(b, envOpt{bulk: 100_000, demo: true, storeDir: filepath.Join(os.TempDir(), "replyguard-web-bench-100k-v1")})
	b.Logf("store with 100k history entries ready in %v", time.Since(start).Round(time.Millisecond))

	page := func(path string, want string) func(*testing.B) {
		return func(b *testing.B) {
			e.t = b
			if r := e.get(path, nil); !strings.Contains(r.Body, want) {
				b.Fatalf("%s lacks %q", path, want)
			}
			var lat []time.Duration
			for b.Loop() {
				t0 := time.Now()
				r := e.get(path, nil)
				lat = append(lat, time.Since(t0))
				if r.StatusCode != 200 {
					b.Fatalf("%s: %d", path, r.StatusCode)
				}
			}
			report(b, lat)
		}
	}
	b.Run("dashboard", page("/", "Reply deadlines"))
	b.Run("history", page("/history", "Older →"))
	b.Run("templates", page("/templates", "Refund issued"))
	b.Run("playground", page("/playground", "pg-data"))

	// Search as you type: what the page requests after each pause in
	// typing (the script waits 120 ms), over words of every frequency,
	// several words, filters and a date range.
	queries := []string{
		"q=refund", "q=refund+tracking", "q=the", "q=thank+you+order", "q=sku0042", "q=kalomi",
		"q=replacement&scenario=damaged-defective", "q=invoice&marketplace=DE", "q=" + url.QueryEscape("114-3941689-8772232"),
		"q=periwinkle", "q=package+delay&findings=with", "q=carrier&from=2026-05-01&to=2026-05-31", "q=zzqxnothing",
		"scenario=cancel-request", "q=please+help+refund+order+item",
	}
	b.Run("search-as-you-type", func(b *testing.B) {
		e.t = b
		var lat []time.Duration
		i := 0
		for b.Loop() {
			q := queries[i%len(queries)]
			i++
			t0 := time.Now()
			r := e.get("/history?"+q, map[string]string{"X-Partial": "1"})
			lat = append(lat, time.Since(t0))
			if r.StatusCode != 200 {
				b.Fatalf("%s: %d", q, r.StatusCode)
			}
		}
		report(b, lat)
	})
}

func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	q := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

// BenchmarkNew is the page's share of the companion's start-up (parsing
// templates, hashing the assets).
func BenchmarkNew(b *testing.B) {
	e := newEnv(b, envOpt{})
	for b.Loop() {
		if _, err := New(Deps{Store: e.st, Policy: engine, Auth: e.am}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDashboardBusySeller: the figures read every reply deadline of
// the last 90 days, so the dashboard's cost grows with a seller's volume.
// This store holds 25,000 answered messages in 90 days (about 280 a day).
func BenchmarkDashboardBusySeller(b *testing.B) {
	dir := filepath.Join(os.TempDir(), "replyguard-web-bench-busy-v1")
	e := newEnv(b, envOpt{storeDir: dir, busy: 25_000})
	if r := e.get("/", nil); !strings.Contains(r.Body, "90 days") {
		b.Fatal("no figures")
	}
	var lat []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if r := e.get("/", nil); r.StatusCode != 200 {
			b.Fatal(r.StatusCode)
		}
		lat = append(lat, time.Since(t0))
	}
	report(b, lat)
}
