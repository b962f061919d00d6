// Command benchbest summarises repeated Go benchmark runs (go test -count N)
// against budgets. It copies its input through, then prints for each
// budgeted benchmark the best and the median of its runs.
//
// On a shared machine one benchmark's timings swing by half from one second
// to the next with the code unchanged, while noise only ever adds time: the
// best of a few short runs is the code's speed, the median the machine's
// mood. Both are printed, and a budget is judged on each.
//
//	go test -bench Lint -count 5 ./companion/internal/policyhost | \
//	    go run ./tools/benchbest 'Lint/native/2000=20us' 'Lint/wazero/2000=200us'
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	budgets, err := parseBudgets(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchbest:", err)
		os.Exit(2)
	}
	runs, err := read(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchbest:", err)
		os.Exit(1)
	}
	if !report(os.Stdout, budgets, runs) {
		os.Exit(1) // a budgeted benchmark did not run: go test failed
	}
}

type budget struct {
	name  string
	limit time.Duration
}

// parseBudgets reads "name=duration" pairs, such as "Lint/native/2000=20us".
func parseBudgets(args []string) ([]budget, error) {
	var bs []budget
	for _, a := range args {
		name, lim, ok := strings.Cut(a, "=")
		if !ok {
			return nil, fmt.Errorf("budget %q: want name=duration", a)
		}
		d, err := time.ParseDuration(lim)
		if err != nil {
			return nil, fmt.Errorf("budget %q: %w", a, err)
		}
		bs = append(bs, budget{name, d})
	}
	return bs, nil
}

// read copies r to w and collects ns/op per benchmark name, with the
// "Benchmark" prefix and the "-GOMAXPROCS" suffix taken off.
func read(r io.Reader, w io.Writer) (map[string][]float64, error) {
	runs := map[string][]float64{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(w, line)
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		for i := 2; i+1 < len(f); i++ {
			if f[i+1] != "ns/op" {
				continue
			}
			ns, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", line, err)
			}
			name := strings.TrimPrefix(f[0], "Benchmark")
			if k := strings.LastIndexByte(name, '-'); k > 0 {
				if _, err := strconv.Atoi(name[k+1:]); err == nil {
					name = name[:k]
				}
			}
			runs[name] = append(runs[name], ns)
		}
	}
	return runs, sc.Err()
}

// report prints each budget's verdicts; it returns false if a budgeted
// benchmark has no runs.
func report(w io.Writer, budgets []budget, runs map[string][]float64) bool {
	all := true
	for _, b := range budgets {
		ns := slices.Clone(runs[b.name])
		if len(ns) == 0 {
			fmt.Fprintf(w, "%s: no runs (budget %v)\n", b.name, b.limit)
			all = false
			continue
		}
		slices.Sort(ns)
		best, med := dur(ns[0]), dur(ns[len(ns)/2])
		fmt.Fprintf(w, "%s over %d runs: best %v (%s), median %v (%s), budget %v\n",
			b.name, len(ns), best, verdict(best, b.limit), med, verdict(med, b.limit), b.limit)
	}
	return all
}

func dur(ns float64) time.Duration { return time.Duration(ns).Round(100 * time.Nanosecond) }

func verdict(d, limit time.Duration) string {
	if d <= limit {
		return "ok"
	}
	return "OVER"
}
