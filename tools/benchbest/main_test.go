package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

const sample = `goos: linux
BenchmarkLint/native/2000-2         	    2000	     25400 ns/op	  59.19 MB/s
BenchmarkLint/wazero/2000-2         	    2000	    180452 ns/op
BenchmarkLint/native/2000-2         	    2000	     16000 ns/op	  59.19 MB/s
BenchmarkLint/wazero/2000-2         	    2000	    259644 ns/op
BenchmarkLint/native/2000-2         	    2000	     19500 ns/op	  59.19 MB/s
BenchmarkLint/wazero/2000-2         	    2000	    210000 ns/op
PASS
`

func TestReadAndReport(t *testing.T) {
	var echo bytes.Buffer
	runs, err := read(strings.NewReader(sample), &echo)
	if err != nil {
		t.Fatal(err)
	}
	if echo.String() != sample {
		t.Errorf("input not copied through:\n%s", echo.String())
	}
	if got := runs["Lint/native/2000"]; len(got) != 3 || got[1] != 16000 {
		t.Fatalf("native runs = %v", got)
	}
	budgets, err := parseBudgets([]string{"Lint/native/2000=20us", "Lint/wazero/2000=200us", "Lint/missing=1ms"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if report(&out, budgets, runs) {
		t.Error("report: true with a budgeted benchmark missing")
	}
	want := "Lint/native/2000 over 3 runs: best 16µs (ok), median 19.5µs (ok), budget 20µs\n" +
		"Lint/wazero/2000 over 3 runs: best 180.5µs (ok), median 210µs (OVER), budget 200µs\n" +
		"Lint/missing: no runs (budget 1ms)\n"
	if out.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestParseBudgetsErrors(t *testing.T) {
	for _, arg := range []string{"Lint/native/2000", "Lint=fast", "=20"} {
		if _, err := parseBudgets([]string{arg}); err == nil {
			t.Errorf("parseBudgets(%q): no error", arg)
		}
	}
	if b, err := parseBudgets([]string{"x=1.5ms"}); err != nil || b[0].limit != 1500*time.Microsecond {
		t.Errorf("parseBudgets(x=1.5ms) = %v, %v", b, err)
	}
}
