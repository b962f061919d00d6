package policyhost

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/wasm/abi"
)

// Fuzz targets for the engine as every host sees it: native Lint and
// Classify never panic, keep spans inside the text on character boundaries,
// are deterministic, and policy.wasm under wazero agrees byte for byte.
//
//	go test -run '^$' -fuzz FuzzLint -fuzztime 60s ./companion/internal/policyhost

func fuzzSeeds(f *testing.F) {
	for _, s := range fragments {
		f.Add(s, uint8(0))
	}
	for i, s := range generated(20) {
		f.Add(s, uint8(i))
	}
	b, err := os.ReadFile(filepath.Join("testdata", "conformance.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		var rec struct{ Text string }
		if json.Unmarshal([]byte(line), &rec) == nil {
			f.Add(rec.Text, uint8(i))
		}
	}
}

// boundaries returns, for valid UTF-8 text, its UTF-16 length and the set
// of UTF-16 offsets that fall between characters (not inside a surrogate
// pair).
func boundaries(text string) (n16 int, ok map[int]bool) {
	ok = map[int]bool{0: true}
	for _, r := range text {
		n16 += utf16.RuneLen(r)
		ok[n16] = true
	}
	return n16, ok
}

func FuzzLint(f *testing.F) {
	fuzzSeeds(f)
	e := testEngine(f)
	f.Fuzz(func(t *testing.T, text string, ctxSel uint8) {
		var pc policy.Context
		if c := genContext(int(ctxSel)); c != nil {
			pc = *c
		}
		fs := policy.Lint(text, pc) // must not panic, even on invalid UTF-8
		if !utf8.ValidString(text) {
			return // hosts reject invalid UTF-8 before linting
		}
		n16, onBoundary := boundaries(text)
		for _, f := range fs {
			if f.Start < 0 || f.Start > f.End || f.End > n16 {
				t.Fatalf("%s span [%d,%d) outside text of %d UTF-16 units", f.Rule, f.Start, f.End, n16)
			}
			if !onBoundary[f.Start] || !onBoundary[f.End] {
				t.Fatalf("%s span [%d,%d) splits a surrogate pair", f.Rule, f.Start, f.End)
			}
			if f.Rule == "" || (f.Severity != policy.Error && f.Severity != policy.Warning && f.Severity != policy.Info) {
				t.Fatalf("malformed finding %+v", f)
			}
			if f.Line < 1 || f.Col < 1 {
				t.Fatalf("%s at line %d col %d", f.Rule, f.Line, f.Col)
			}
			if f.Fix != nil && !utf8.ValidString(f.Fix.Replacement) {
				t.Fatalf("%s fix %q is not valid UTF-8", f.Rule, f.Fix.Replacement)
			}
		}
		if !slices.IsSortedFunc(fs, func(a, b policy.Finding) int {
			if a.Start != b.Start {
				return a.Start - b.Start
			}
			if a.End != b.End {
				return a.End - b.End
			}
			return strings.Compare(a.Rule, b.Rule)
		}) {
			t.Fatalf("findings not ordered by start, end, rule: %+v", fs)
		}
		want := nativeLintJSON(t, text, pc)
		if again := nativeLintJSON(t, text, pc); again != want {
			t.Fatalf("Lint is not deterministic:\n%s\n%s", want, again)
		}
		got, err := e.LintJSON(context.Background(), text, abi.AppendContext(nil, &pc))
		if err != nil {
			t.Fatalf("wazero: %v", err)
		}
		if string(got) != want {
			t.Fatalf("wazero differs from native\n wazero %s\n native %s", got, want)
		}
	})
}

func FuzzClassify(f *testing.F) {
	fuzzSeeds(f)
	e := testEngine(f)
	f.Fuzz(func(t *testing.T, text string, _ uint8) {
		c := policy.Classify(text) // must not panic
		if !utf8.ValidString(text) {
			return
		}
		if !slices.Contains(policy.Scenarios, c.Scenario) {
			t.Fatalf("unknown scenario %q", c.Scenario)
		}
		if !(c.Confidence >= 0 && c.Confidence <= 1) {
			t.Fatalf("confidence %v outside [0,1]", c.Confidence)
		}
		n16, onBoundary := boundaries(text)
		for _, s := range c.Evidence {
			if s.Start < 0 || s.Start > s.End || s.End > n16 || !onBoundary[s.Start] || !onBoundary[s.End] {
				t.Fatalf("evidence [%d,%d) is not a span of the text (%d units)", s.Start, s.End, n16)
			}
		}
		if c.OrderID != "" && !policy.ValidOrderID(c.OrderID) {
			t.Fatalf("order id %q is not ddd-ddddddd-ddddddd", c.OrderID)
		}
		want := nativeClassifyJSON(t, text)
		if again := nativeClassifyJSON(t, text); again != want {
			t.Fatalf("Classify is not deterministic:\n%s\n%s", want, again)
		}
		got, err := e.ClassifyJSON(context.Background(), text)
		if err != nil {
			t.Fatalf("wazero: %v", err)
		}
		if string(got) != want {
			t.Fatalf("wazero differs from native\n wazero %s\n native %s", got, want)
		}
	})
}

