package policyhost

// Benchmarks for `make bench`: the same texts (testdata/bench.txt, repeated
// and cut to 200, 2,000 and 20,000 UTF-16 units; v8bench.mjs builds them the
// same way) through native Go and through policy.wasm in a warm wazero
// instance, plus module compile time cold and warm, and the artifact size.

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"unicode/utf16"

	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/wasm/artifact"
)

var benchSizes = []int{200, 2000, 20000}

// benchText repeats the sample until it has n UTF-16 units, never cutting a
// surrogate pair (it may stop one unit short).
func benchText(b testing.TB, n int) string {
	base, err := os.ReadFile(filepath.Join("testdata", "bench.txt"))
	if err != nil {
		b.Fatal(err)
	}
	var out []rune
	units := 0
	for units < n {
		for _, r := range string(base) {
			w := utf16.RuneLen(r)
			if units+w > n {
				return string(out)
			}
			out = append(out, r)
			units += w
		}
	}
	return string(out)
}

var benchCtx = policy.Context{Kind: "reply", Now: "2026-01-20T10:00:00Z"}

func BenchmarkLint(b *testing.B) {
	e := testEngine(b)
	ctxJSON := []byte(`{"kind":"reply","now":"2026-01-20T10:00:00Z"}`)
	for _, n := range benchSizes {
		text := benchText(b, n)
		b.Run("native/"+strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				policy.Lint(text, benchCtx)
			}
		})
		b.Run("wazero/"+strconv.Itoa(n), func(b *testing.B) {
			ctx := context.Background()
			if _, err := e.LintJSON(ctx, text, ctxJSON); err != nil { // warm the instance
				b.Fatal(err)
			}
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := e.LintJSON(ctx, text, ctxJSON); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkClassify(b *testing.B) {
	e := testEngine(b)
	text := benchText(b, 2000)
	b.Run("native/2000", func(b *testing.B) {
		for b.Loop() {
			policy.Classify(text)
		}
	})
	b.Run("wazero/2000", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			if _, err := e.ClassifyJSON(ctx, text); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCompile measures New (compile or load from cache, start one
// instance, ask its version) without and with a warm compilation cache.
func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			e, err := New(ctx, Options{CacheDir: "off", Instances: 1})
			if err != nil {
				b.Fatal(err)
			}
			e.Close(ctx)
		}
	})
	b.Run("warm", func(b *testing.B) {
		dir := b.TempDir()
		e, err := New(ctx, Options{CacheDir: dir, Instances: 1}) // fill the cache
		if err != nil {
			b.Fatal(err)
		}
		e.Close(ctx)
		for b.Loop() {
			e, err := New(ctx, Options{CacheDir: dir, Instances: 1})
			if err != nil {
				b.Fatal(err)
			}
			e.Close(ctx)
		}
	})
}

// BenchmarkArtifact reports policy.wasm's size, raw and gzipped (-9), as
// metrics; the loop itself measures nothing.
func BenchmarkArtifact(b *testing.B) {
	gz := gzipSize(b, artifact.Wasm)
	for b.Loop() {
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(len(artifact.Wasm))/1024, "KB-raw")
	b.ReportMetric(float64(gz)/1024, "KB-gzip")
}

func gzipSize(t testing.TB, b []byte) int {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}
