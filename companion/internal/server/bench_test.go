package server

import (
	"slices"
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/protocol"
)

// BenchmarkRoundTrip50Clients measures a templates.get request round trip
// (write, server reads the template from Badger, reply read) while 50
// authenticated clients are connected. Requests rotate over the clients.
// Budget (DESIGN.md): p99 <= 2 ms.
func BenchmarkRoundTrip50Clients(b *testing.B) {
	s := startServer(b, nil)
	clients := make([]*client, 50)
	for i := range clients {
		clients[i] = s.authed(b)
	}
	// Warm up: every connection and the store's caches.
	for _, cl := range clients {
		cl.ok("templates.get", protocol.TemplateRef{ID: "refund-issued"}, nil)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cl := clients[i%len(clients)]
		start := time.Now()
		e := cl.call("templates.get", protocol.TemplateRef{ID: "refund-issued"})
		lat = append(lat, time.Since(start))
		if e.Type != "templates.get.ok" {
			b.Fatalf("reply %s", e.Type)
		}
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		i := int(p * float64(len(lat)-1))
		return float64(lat[i].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50_us")
	b.ReportMetric(pct(0.99), "p99_us")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max_us")
}
