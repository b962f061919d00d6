// Command wasmcount counts the machine instructions one lint of policy.wasm
// costs under wazero: the steady figure behind the wazero lint budget
// (DESIGN.md). On a shared machine timings swing by a third from one minute
// to the next; instruction counts move only when the code does.
//
// It compiles the module once, then runs itself twice under valgrind (10 and 40 lints of the benchmark
// text, 2,000 characters, with a reply context, as the companion's
// benchmark does) and prints the difference per lint, so compiling and
// starting the module do not count. Needs valgrind (apt-get install
// valgrind); it takes about a minute. To see where the instructions go, build variants that
// stop after a phase and compare their counts.
//
//	go build -o bin/wasmcount ./tools/wasmcount && bin/wasmcount [-wasm wasm/artifact/policy.wasm]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

func main() {
	wasmPath := flag.String("wasm", "wasm/artifact/policy.wasm", "policy.wasm to measure")
	child := flag.Int("child", 0, "internal: lint this many times and exit")
	cache := flag.String("cache", "", "internal: wazero compilation cache")
	flag.Parse()
	if *child > 0 {
		if err := lintLoop(*wasmPath, *cache, *child); err != nil {
			fmt.Fprintln(os.Stderr, "wasmcount:", err)
			os.Exit(1)
		}
		return
	}
	// Compile once, natively, into a cache both measured runs load from:
	// compiling under valgrind costs billions of instructions, and not the
	// same number twice.
	dir, err := os.MkdirTemp("", "wasmcount")
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmcount:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	if err = lintLoop(*wasmPath, dir, 1); err != nil {
		fmt.Fprintln(os.Stderr, "wasmcount:", err)
		os.Exit(1)
	}
	a, err := count(*wasmPath, dir, 10)
	if err == nil {
		var b int64
		if b, err = count(*wasmPath, dir, 40); err == nil {
			fmt.Printf("policy.wasm under wazero: %d instructions a lint (2,000 characters)\n", (b-a)/30)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "wasmcount:", err)
	os.Exit(1)
}

// lintLoop lints the benchmark text n times.
func lintLoop(wasmPath, cacheDir string, n int) error {
	bin, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	base, err := os.ReadFile(filepath.Join("companion", "internal", "policyhost", "testdata", "bench.txt"))
	if err != nil {
		return err
	}
	text := cut(string(base), 2000)
	ctx := context.Background()
	cc, err := wazero.NewCompilationCacheWithDir(cacheDir)
	if err != nil {
		return err
	}
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(cc))
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	// No collections in the module either: when one falls depends on the
	// run, and they are rare (about one in 2,000 lints since the engine
	// allocates little).
	m, err := rt.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithStartFunctions("_initialize").WithEnv("GOGC", "off"))
	if err != nil {
		return err
	}
	alloc, lint := m.ExportedFunction("alloc"), m.ExportedFunction("lint")
	put := func(b []byte) (uint64, error) {
		r, err := alloc.Call(ctx, uint64(len(b)))
		if err == nil && !m.Memory().Write(uint32(r[0]), b) {
			err = fmt.Errorf("write outside linear memory")
		}
		if err != nil {
			return 0, err
		}
		return r[0], nil
	}
	ctxJSON := []byte(`{"kind":"reply","now":"2026-01-20T10:00:00Z"}`)
	tp, err := put([]byte(text))
	if err != nil {
		return err
	}
	cp, err := put(ctxJSON)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if _, err := lint.Call(ctx, tp, uint64(len(text)), cp, uint64(len(ctxJSON))); err != nil {
			return err
		}
	}
	return nil
}

// cut repeats base to n UTF-16 units, whole code points only, as the
// benchmarks do.
func cut(base string, n int) string {
	var b strings.Builder
	units := 0
	for {
		for _, r := range base {
			if units+utf16.RuneLen(r) > n {
				return b.String()
			}
			b.WriteRune(r)
			units += utf16.RuneLen(r)
		}
	}
}

var collected = regexp.MustCompile(`Collected : (\d+)`)

// count runs n lints under callgrind and returns the instructions executed.
func count(wasmPath, cacheDir string, n int) (int64, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command("valgrind", "--tool=callgrind", "--smc-check=all-non-file", "--callgrind-out-file=/dev/null",
		self, "-wasm", wasmPath, "-cache", cacheDir, "-child", strconv.Itoa(n))
	// Go's preemption signals upset callgrind; one P and no collections in
	// the host keep the count to the lints.
	cmd.Env = append(os.Environ(), "GODEBUG=asyncpreemptoff=1", "GOMAXPROCS=1", "GOGC=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("valgrind (apt-get install valgrind): %w\n%s", err, stderr.String())
	}
	m := collected.FindSubmatch(stderr.Bytes())
	if m == nil {
		return 0, fmt.Errorf("no instruction count in valgrind's output:\n%s", stderr.String())
	}
	return strconv.ParseInt(string(m[1]), 10, 64)
}
