package policy

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden.json")

// Golden files pin the whole answer (spans, lines, columns, messages,
// fixes) for texts that mix many rules, CRLF, emoji, CJK and full-width
// characters. Run `go test ./policy -run Golden -update` after a deliberate
// change and review the diff.
func TestGolden(t *testing.T) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.txt"))
	if len(inputs) == 0 {
		t.Fatal("no golden inputs")
	}
	for _, in := range inputs {
		base := strings.TrimSuffix(in, ".txt")
		text, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		var ctx Context
		if b, err := os.ReadFile(base + ".ctx.json"); err == nil {
			if err := json.Unmarshal(b, &ctx); err != nil {
				t.Fatalf("%s.ctx.json: %v", base, err)
			}
		}
		got, _ := json.MarshalIndent(struct {
			Findings []Finding      `json:"findings"`
			Fixed    string         `json:"fixed"`
			Classify Classification `json:"classify"`
		}{Lint(string(text), ctx), ApplyFixes(string(text), Lint(string(text), ctx)), Classify(string(text))}, "", "  ")
		got = append(got, '\n')
		golden := base + ".golden.json"
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s; run with -update and review the diff\n%s", in, golden, got)
		}
	}
}
