package e2e

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/retention"
	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/companion/internal/testutil"
)

// history100k is a data directory with 100,000 history entries, built once
// per test binary.
var (
	history100k     string
	history100kErr  error
	history100kOnce sync.Once
)

func seeded100k(b *testing.B) string {
	b.Helper()
	history100kOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rg-bench-100k")
		if err != nil {
			history100kErr = err
			return
		}
		history100k = dir
		data := filepath.Join(dir, "data")
		if history100kErr = testutil.SeedHistory(data, 100_000, store.Options{GCInterval: -1}); history100kErr != nil {
			return
		}
		// A companion that has been running has already redacted old buyer
		// data; do it once here so the measured starts are in that steady
		// state rather than doing the one-off first sweep.
		st, err := store.Open(data, store.Options{GCInterval: -1})
		if err != nil {
			history100kErr = err
			return
		}
		_, history100kErr = st.RedactBuyerData(context.Background(), time.Now().Add(-retention.DefaultPeriod))
		if err := st.Close(); history100kErr == nil {
			history100kErr = err
		}
	})
	if history100kErr != nil {
		b.Fatal(history100kErr)
	}
	return filepath.Join(history100k, "data")
}

// BenchmarkServeStartToReady starts the real `replyguard serve` process on a
// data directory with 100k history entries and a warm wazero compilation
// cache, and measures exec to the "ready" line (the server listens and
// answers). policy_ms is exec to policy.wasm running and templates seeded.
// Budget (DESIGN.md): start to ready <= 300 ms.
func BenchmarkServeStartToReady(b *testing.B) {
	dir := seeded100k(b)
	warm(b, dir)
	var ready, pol time.Duration
	steps := map[string]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		p, err := launch(dir, "-v")
		if err != nil {
			b.Fatal(err)
		}
		ready += time.Since(start)
		p.waitPolicy(b)
		pol += time.Since(start)
		b.StopTimer()
		if code := p.stop(b); code != 0 {
			b.Fatalf("exit %d\n%s", code, p.stderr)
		}
		for k, v := range stepTimes(p.stderr.String()) {
			steps[k] += v
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(ready.Milliseconds())/float64(b.N), "ready_ms")
	b.ReportMetric(float64(pol.Milliseconds())/float64(b.N), "policy_ms")
	// Where the time goes, measured inside the process from the start of
	// Serve (process start and package initialisation come before).
	for _, k := range []string{"store open", "web page ready", "listening"} {
		b.ReportMetric(float64(steps[k].Microseconds())/1000/float64(b.N), "serve_"+strings.ReplaceAll(k, " ", "_")+"_ms")
	}
}

var stepRE = regexp.MustCompile(`msg="?([a-z ]+?)"? elapsed=([0-9.]+[a-zµ]+)`)

// stepTimes reads the step timings serve -v logs.
func stepTimes(log string) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, m := range stepRE.FindAllStringSubmatch(log, -1) {
		if d, err := time.ParseDuration(m[2]); err == nil {
			out[m[1]] = d
		}
	}
	return out
}

// warm runs serve once so the wazero compilation cache is filled.
func warm(b *testing.B, dir string) {
	b.Helper()
	p, err := launch(dir)
	if err != nil {
		b.Fatal(err)
	}
	p.waitPolicy(b)
	p.stop(b)
}

// BenchmarkServeIdleRSS measures the resident memory (VmRSS from
// /proc/PID/status) of an idle `replyguard serve` with 100k history
// entries, after the policy engine is up and 3 s of idling.
// Budget (DESIGN.md): <= 80 MB.
func BenchmarkServeIdleRSS(b *testing.B) {
	dir := seeded100k(b)
	var total int64
	for i := 0; i < b.N; i++ {
		p, err := launch(dir)
		if err != nil {
			b.Fatal(err)
		}
		p.waitPolicy(b)
		time.Sleep(3 * time.Second)
		kb, err := vmRSS(p.cmd.Process.Pid)
		if err != nil {
			b.Fatal(err)
		}
		total += kb
		p.stop(b)
	}
	b.ReportMetric(float64(total)/float64(b.N)/1024, "rss_MB")
}

func vmRSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			return strconv.ParseInt(f[1], 10, 64)
		}
	}
	return 0, os.ErrNotExist
}
