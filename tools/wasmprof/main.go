//go:build perfmap

// Command wasmprof counts the machine instructions each function of
// policy.wasm executes per lint under wazero, the figure to watch when
// working on the wazero lint budget (DESIGN.md). Timings on a shared
// machine swing by a third from one minute to the next; instruction counts
// do not.
//
// It runs itself twice under valgrind's callgrind (10 and 40 lints of the
// benchmark text, 2,000 characters), maps the JIT code's addresses to
// functions through the perf map wazero writes when built with the perfmap
// tag, and prints the difference per lint. Needs valgrind (apt-get install
// valgrind); a run takes a few minutes, most of it compiling the module
// under valgrind.
//
//	go run -tags perfmap ./tools/wasmprof [-wasm FILE] [-top 30]
//
// Without -wasm it builds policy.wasm from ./wasm with its name section
// (the shipped artifact is stripped, so its functions would show as $N).
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

func main() {
	wasmPath := flag.String("wasm", "", "policy.wasm to profile (default: build ./wasm with function names)")
	child := flag.Int("child", 0, "internal: lint this many times and exit")
	top := flag.Int("top", 30, "functions to list")
	flag.Parse()
	if *child > 0 {
		if err := lintLoop(*wasmPath, *child); err != nil {
			fmt.Fprintln(os.Stderr, "wasmprof:", err)
			os.Exit(1)
		}
		return
	}
	if *wasmPath == "" {
		*wasmPath = filepath.Join(os.TempDir(), "wasmprof-policy.wasm")
		build := exec.Command("go", "build", "-trimpath", "-buildmode=c-shared", "-o", *wasmPath, "./wasm")
		build.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "wasmprof: build policy.wasm: %v\n%s", err, out)
			os.Exit(1)
		}
	}
	a, err := profile(*wasmPath, 10)
	if err == nil {
		var b map[string]int64
		if b, err = profile(*wasmPath, 40); err == nil {
			report(a, b, 30, *top)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "wasmprof:", err)
	os.Exit(1)
}

// lintLoop lints the benchmark text n times with a reply context, as the
// companion's benchmark does.
func lintLoop(wasmPath string, n int) error {
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
	rt := wazero.NewRuntime(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	m, err := rt.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithStartFunctions("_initialize"))
	if err != nil {
		return err
	}
	alloc, lint := m.ExportedFunction("alloc"), m.ExportedFunction("lint")
	ctxJSON := []byte(`{"kind":"reply","now":"2026-01-20T10:00:00Z"}`)
	put := func(b []byte) (uint64, error) {
		r, err := alloc.Call(ctx, uint64(len(b)))
		if err == nil && !m.Memory().Write(uint32(r[0]), b) {
			err = fmt.Errorf("write outside memory")
		}
		return r[0], err
	}
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

// cut repeats base to n UTF-16 units, whole code points only (as the
// benchmarks do).
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

// profile runs n lints under callgrind and returns instructions by JIT
// function.
func profile(wasmPath string, n int) (map[string]int64, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	out := filepath.Join(os.TempDir(), fmt.Sprintf("wasmprof-%d.callgrind", n))
	cmd := exec.Command("valgrind", "--tool=callgrind", "--smc-check=all-non-file", "--callgrind-out-file="+out,
		self, "-wasm", wasmPath, "-child", strconv.Itoa(n))
	// Go's async preemption signals upset callgrind; one P keeps it simple.
	cmd.Env = append(os.Environ(), "GODEBUG=asyncpreemptoff=1", "GOMAXPROCS=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("valgrind: %w (apt-get install valgrind)", err)
	}
	pid := cmd.Process.Pid
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("valgrind run: %w\n%s", err, stderr.String())
	}
	mapFile := filepath.Join("/tmp", fmt.Sprintf("perf-%d.map", pid))
	defer os.Remove(mapFile)
	syms, err := readPerfMap(mapFile)
	if err != nil {
		return nil, err
	}
	ann, err := exec.Command("callgrind_annotate", "--threshold=100", out).Output()
	if err != nil {
		return nil, fmt.Errorf("callgrind_annotate: %w", err)
	}
	os.Remove(out)
	byFn := map[string]int64{}
	line := regexp.MustCompile(`^\s*([\d,]+) .*\?\?\?:0x([0-9a-f]+)`)
	for _, l := range strings.Split(string(ann), "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		ir, _ := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
		addr, _ := strconv.ParseUint(m[2], 16, 64)
		byFn[syms.name(addr)] += ir
	}
	return byFn, nil
}

type sym struct {
	start, size uint64
	name        string
}

type symtab []sym

func (t symtab) name(addr uint64) string {
	i := sort.Search(len(t), func(i int) bool { return t[i].start > addr }) - 1
	if i >= 0 && addr < t[i].start+t[i].size {
		return t[i].name
	}
	return "?"
}

// readPerfMap reads "START SIZE NAME" lines; wazero names a function
// "[index/count].name:::::Lblock", one line per block.
func readPerfMap(path string) (symtab, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w (build with -tags perfmap)", err)
	}
	defer f.Close()
	var t symtab
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), " ", 3)
		if len(parts) != 3 {
			continue
		}
		start, err1 := strconv.ParseUint(parts[0], 16, 64)
		size, err2 := strconv.ParseUint(parts[1], 16, 64)
		if err1 != nil || err2 != nil || size == 0 {
			continue // empty block labels would shadow the block they share a start with
		}
		name, _, _ := strings.Cut(parts[2], ":::::")
		if _, after, ok := strings.Cut(name, "]."); ok {
			name = after
		}
		t = append(t, sym{start, size, strings.ReplaceAll(name, "github.com_replyguard_replyguard_", "")})
	}
	sort.Slice(t, func(i, j int) bool {
		if t[i].start != t[j].start {
			return t[i].start < t[j].start
		}
		return t[i].size < t[j].size
	})
	return t, sc.Err()
}

func report(a, b map[string]int64, n int64, top int) {
	type row struct {
		name string
		ir   int64
	}
	var rows []row
	var total int64
	for name, v := range b {
		d := (v - a[name]) / n
		total += d
		if d > 0 {
			rows = append(rows, row{name, d})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ir > rows[j].ir })
	fmt.Printf("policy.wasm under wazero: %d instructions a lint (2,000 characters)\n", total)
	for i, r := range rows {
		if i == top {
			break
		}
		fmt.Printf("%10d  %4.1f%%  %s\n", r.ir, 100*float64(r.ir)/float64(total), r.name)
	}
}
