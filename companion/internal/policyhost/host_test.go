package policyhost

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/wasm/abi"
	"github.com/replyguard/replyguard/wasm/artifact"
)

// testEngine shares one engine per test binary: compiling policy.wasm is the
// slow part and every test must see the same artifact anyway.
var (
	engOnce sync.Once
	engErr  error
	eng     *Engine
)

func testEngine(t testing.TB) *Engine {
	t.Helper()
	engOnce.Do(func() {
		eng, engErr = New(context.Background(), Options{CacheDir: sharedCacheDir(), Instances: 4})
	})
	if engErr != nil {
		t.Fatalf("New: %v", engErr)
	}
	return eng
}

// sharedCacheDir keeps test runs warm without touching the user's cache.
func sharedCacheDir() string {
	return filepath.Join(os.TempDir(), "replyguard-test-wazero-cache")
}

func nativeLintJSON(t testing.TB, text string, pc policy.Context) string {
	t.Helper()
	fs := policy.Lint(text, pc)
	if fs == nil {
		fs = []policy.Finding{}
	}
	b, err := json.Marshal(struct {
		Findings []policy.Finding `json:"findings"`
	}{fs})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func nativeClassifyJSON(t testing.TB, text string) string {
	t.Helper()
	b, err := json.Marshal(policy.Classify(text))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestVersionAndCatalogMatchNative(t *testing.T) {
	e := testEngine(t)
	if e.Version() != policy.Version {
		t.Errorf("Version() = %q, native policy.Version = %q", e.Version(), policy.Version)
	}
	got, err := e.Rules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := policy.Rules()
	if want == nil {
		want = []policy.Rule{} // JSON cannot tell nil from empty
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Errorf("wasm catalog differs from native:\n got %.300s\nwant %.300s", gb, wb)
	}
}

func TestLintMatchesNative(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	pc := policy.Context{Kind: "proactive", OrderDate: "2026-01-02", Now: "2026-03-01T10:00:00Z", PreviousReviewRequests: 1}
	for _, text := range []string{
		"",
		"Hello, thanks for your order!",
		"Visit http://example.com or email me at seller@example.com 😀\r\n\r\n\r\n\r\nCall 555-123-4567",
		"中文 e\u0301 👨‍👩‍👧 ＷＷＷ．ＥＸＡＭＰＬＥ．ＣＯＭ",
	} {
		for _, c := range []policy.Context{{}, pc} {
			raw, err := e.LintJSON(ctx, text, abi.AppendContext(nil, &c))
			if err != nil {
				t.Fatalf("LintJSON(%q): %v", text, err)
			}
			if want := nativeLintJSON(t, text, c); string(raw) != want {
				t.Errorf("LintJSON(%q, %+v)\n wasm   %s\n native %s", text, c, raw, want)
			}
			fs, err := e.Lint(ctx, text, c)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(policy.Lint(text, c)); len(fs) != n {
				t.Errorf("Lint(%q) gave %d findings, native %d", text, len(fs), n)
			}
		}
		got, err := e.Classify(ctx, text)
		if err != nil {
			t.Fatal(err)
		}
		gb, _ := json.Marshal(got)
		if want := nativeClassifyJSON(t, text); string(gb) != want {
			t.Errorf("Classify(%q)\n wasm   %s\n native %s", text, gb, want)
		}
	}
}

// Bad input is the caller's error, reported as *ErrInput, and the instance
// that saw it keeps working.
func TestBadInput(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, text, context, want string
	}{
		{"invalid utf8", "ok \xff\xfe", "", "not valid UTF-8"},
		{"context not object", "hi", `[1]`, "must be a JSON object"},
		{"context wrong type", "hi", `{"previous_review_requests":"two"}`, "previous_review_requests"},
		{"context broken", "hi", `{"kind":`, "context JSON"},
		{"too large", strings.Repeat("a", MaxText+1), "", "limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.LintJSON(ctx, tc.text, []byte(tc.context))
			var in *ErrInput
			if !errors.As(err, &in) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LintJSON error = %v, want *ErrInput containing %q", err, tc.want)
			}
		})
	}
	if _, err := e.Classify(ctx, "\xc3("); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("Classify(invalid UTF-8) error = %v", err)
	}
	raw, err := e.LintJSON(ctx, "still fine", nil)
	if err != nil || string(raw) != nativeLintJSON(t, "still fine", policy.Context{}) {
		t.Fatalf("after bad input: %s, %v", raw, err)
	}
}

// The ABI only accepts pointers that alloc handed out: a host bug must come
// back as an error answer, not read stray memory.
func TestABIRejectsForeignPointers(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	in, err := e.get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer e.done(in, nil)
	for _, args := range [][]uint64{
		{8, 4, 0, 0},                          // text pointer not from alloc
		{0, 0, 12345, 2},                      // context pointer not from alloc
		{uint64(allocT(t, in, 16)), 17, 0, 0}, // length beyond the buffer
	} {
		res, err := in.lint.Call(ctx, args...)
		if err != nil {
			t.Fatalf("lint%v trapped: %v", args, err)
		}
		ans, err := in.read(res[0])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(ans), `{"error":`) {
			t.Errorf("lint%v = %s, want an error answer", args, ans)
		}
	}
	// free of an unknown pointer is harmless; alloc(0) is 0.
	if _, err := in.free.Call(ctx, 99999); err != nil {
		t.Fatal(err)
	}
	if p := allocT(t, in, 0); p != 0 {
		t.Errorf("alloc(0) = %d, want 0", p)
	}
}

func allocT(t *testing.T, in *instance, n uint64) uint32 {
	t.Helper()
	res, err := in.alloc.Call(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return uint32(res[0])
}

// A 5 MB message gets the same answer as native, without a crash.
func TestLargeInput(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	e := testEngine(t)
	para := "Thanks for your order 111-2223334-4445556! Visit http://example.com 😀 or call 555 123 4567.\r\n中文 e\u0301\n\n\n"
	text := strings.Repeat(para, 5<<20/len(para))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	raw, err := e.LintJSON(ctx, text, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := nativeLintJSON(t, text, policy.Context{}); string(raw) != want {
		t.Fatalf("5 MB lint differs from native (%d vs %d bytes of JSON)", len(raw), len(want))
	}
	// The grown buffer is reused and a short text after a long one is
	// answered for its own bytes only.
	raw, err = e.LintJSON(ctx, "short", nil)
	if err != nil || string(raw) != nativeLintJSON(t, "short", policy.Context{}) {
		t.Fatalf("after large input: %s, %v", raw, err)
	}
}

// Concurrent callers share the pool without mixing answers, and the pool
// never holds more instances than allowed.
func TestConcurrentCallers(t *testing.T) {
	e := testEngine(t)
	texts := []string{"a", "Visit http://x.example now 😀", "Call me: 555-123-4567", "中文\r\n\r\n\r\n\r\nend", ""}
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i] = nativeLintJSON(t, s, policy.Context{})
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				k := (g + i) % len(texts)
				raw, err := e.LintJSON(context.Background(), texts[k], nil)
				if err != nil {
					errs <- err
					return
				}
				if string(raw) != want[k] {
					errs <- errors.New("mixed answer for " + texts[k] + ": " + string(raw))
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(e.slot); n > cap(e.slot) {
		t.Errorf("%d instances alive, limit %d", n, cap(e.slot))
	}
}

// A cancelled context ends the call with an error and the engine recovers
// with a fresh instance.
func TestCancelledContext(t *testing.T) {
	e := testEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.LintJSON(ctx, "hello", nil); err == nil {
		// get may still hand out an idle instance; the call itself must then
		// have been stopped by the runtime.
		t.Fatal("LintJSON with a cancelled context succeeded")
	}
	raw, err := e.LintJSON(context.Background(), "hello", nil)
	if err != nil || string(raw) != nativeLintJSON(t, "hello", policy.Context{}) {
		t.Fatalf("after cancel: %s, %v", raw, err)
	}
}

// The compilation cache lands in the configured directory, a second engine
// starts from it, and entries of other artifacts are pruned while unrelated
// files stay.
func TestCompilationCacheDir(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for _, d := range []string{"0123456789abcdef", "notes", "0123456789ABCDEZ"} {
		if err := os.MkdirAll(filepath.Join(dir, d, "x"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 2; i++ {
		e, err := New(ctx, Options{CacheDir: dir, Instances: 1})
		if err != nil {
			t.Fatalf("New #%d: %v", i, err)
		}
		if _, err := e.LintJSON(ctx, "hi", nil); err != nil {
			t.Fatal(err)
		}
		if err := e.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var files int
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, _ error) error {
		if d != nil && !d.IsDir() {
			files++
		}
		return nil
	})
	if files == 0 {
		t.Errorf("no compiled module cached in %s", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "0123456789abcdef")); !os.IsNotExist(err) {
		t.Errorf("stale cache entry kept: %v", err)
	}
	for _, d := range []string{"notes", "0123456789ABCDEZ"} {
		if _, err := os.Stat(filepath.Join(dir, d)); err != nil {
			t.Errorf("unrelated %s removed: %v", d, err)
		}
	}
}

func TestClosedEngine(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{CacheDir: sharedCacheDir(), Instances: 1})
	if err != nil {
		t.Fatal(err)
	}
	e.Close(ctx)
	if _, err := e.LintJSON(ctx, "hi", nil); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("LintJSON on a closed engine: %v", err)
	}
}

func TestRejectsNonModule(t *testing.T) {
	_, err := New(context.Background(), Options{Wasm: []byte("not wasm"), CacheDir: "off"})
	if err == nil || !strings.Contains(err.Error(), "compile policy.wasm") {
		t.Fatalf("New(garbage) error = %v", err)
	}
}

// With Interruptible, a deadline stops a long call; the engine drops that
// instance and answers the next call with a fresh one.
func TestInterruptible(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	ctx := context.Background()
	e, err := New(ctx, Options{CacheDir: sharedCacheDir(), Instances: 1, Interruptible: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	big := strings.Repeat("Visit http://example.com or call 555-123-4567 😀\n", 100000) // ~5 MB
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = e.LintJSON(short, big, nil)
	if !errors.Is(err, context.DeadlineExceeded) && (err == nil || !strings.Contains(err.Error(), "deadline")) {
		t.Fatalf("LintJSON past its deadline: err = %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("interrupted call took %v", d)
	}
	raw, err := e.LintJSON(ctx, "hello", nil)
	if err != nil || string(raw) != nativeLintJSON(t, "hello", policy.Context{}) {
		t.Fatalf("after interruption: %s, %v", raw, err)
	}
}

// Prewarm fills the pool in the background.
func TestPrewarm(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{CacheDir: sharedCacheDir(), Instances: 2, Prewarm: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close(ctx)
	deadline := time.Now().Add(2 * time.Minute)
	for len(e.idle) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 2 instances ready after 2 minutes", len(e.idle))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The extension downloads and compiles policy.wasm: DESIGN.md caps it at
// 700 KB gzipped.
func TestArtifactSizeBudget(t *testing.T) {
	const budget = 700 << 10
	gz := gzipSize(t, artifact.Wasm)
	t.Logf("policy.wasm: %d KB raw, %d KB gzipped (budget %d KB)", len(artifact.Wasm)>>10, gz>>10, budget>>10)
	if gz > budget {
		t.Errorf("policy.wasm is %d bytes gzipped, over the %d byte budget", gz, budget)
	}
}

// Close waits for calls in flight instead of pulling the runtime from under
// them; calls after Close fail cleanly.
func TestCloseDuringCalls(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{CacheDir: sharedCacheDir(), Instances: 2})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("Call 555-123-4567 or visit http://x.example 😀\n", 5000)
	want := nativeLintJSON(t, text, policy.Context{})
	var wg sync.WaitGroup
	results := make(chan error, 8)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			raw, err := e.LintJSON(ctx, text, nil)
			switch {
			case errors.Is(err, errClosed):
			case err != nil:
				results <- err
			case string(raw) != want:
				results <- errors.New("wrong answer during Close")
			}
		}()
	}
	time.Sleep(5 * time.Millisecond)
	if err := e.Close(ctx); err != nil {
		t.Errorf("Close: %v", err)
	}
	wg.Wait()
	close(results)
	for err := range results {
		t.Error(err)
	}
	if _, err := e.LintJSON(ctx, "hi", nil); !errors.Is(err, errClosed) {
		t.Errorf("after Close: %v", err)
	}
}
