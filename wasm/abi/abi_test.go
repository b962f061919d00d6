package abi

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/replyguard/replyguard/policy"
)

// The hand-written encoder must write exactly what encoding/json writes, so
// hosts can treat the two as one format.
func marshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var tricky = []string{
	"", "plain", `quote " backslash \ slash /`, "tab\tnl\ncr\r\b\f\x00\x1f\x7f",
	"<b>&amp;</b>", "emoji 😀👍🏽 and 👨‍👩‍👧 family", "中文 日本語 한국어", "e\u0301 combining",
	"line\u2028sep\u2029para", "bad \xff\xfe utf8 \xc3", "\xed\xa0\x80 surrogate bytes",
}

func TestAppendLintMatchesEncodingJSON(t *testing.T) {
	var fs []policy.Finding
	for i, s := range tricky {
		f := policy.Finding{Rule: "r-" + s, Severity: policy.Warning, Start: i, End: i * 1000, Line: i + 1, Col: -i, Message: s}
		if i%2 == 0 {
			f.Fix = &policy.Fix{Replacement: s}
		}
		fs = append(fs, f)
	}
	for _, tc := range []struct {
		name string
		fs   []policy.Finding
	}{{"nil", nil}, {"empty", []policy.Finding{}}, {"tricky", fs}} {
		t.Run(tc.name, func(t *testing.T) {
			want := struct {
				Findings []policy.Finding `json:"findings"`
			}{tc.fs}
			if want.Findings == nil {
				want.Findings = []policy.Finding{} // the ABI never sends null
			}
			if got, w := string(AppendLint(nil, tc.fs)), marshal(t, want); got != w {
				t.Errorf("AppendLint\n got %s\nwant %s", got, w)
			}
		})
	}
}

func TestAppendClassificationMatchesEncodingJSON(t *testing.T) {
	for _, c := range []policy.Classification{
		{Scenario: "other"},
		{Scenario: "return-refund", Confidence: 0.88, Evidence: []policy.Span{{Start: 1, End: 5}, {Start: 9, End: 12}}, Forwarded: true, OrderID: "111-2223334-4445556"},
		{Scenario: "x", Confidence: 1},
		{Scenario: "x", Confidence: 0.07},
		{Scenario: "x", Confidence: 0.33},
		{Scenario: "x", Confidence: 0},
	} {
		if got, w := string(AppendClassification(nil, &c)), marshal(t, c); got != w {
			t.Errorf("AppendClassification\n got %s\nwant %s", got, w)
		}
	}
}

// policy rounds confidences to two decimals; every such value must come out
// exactly as encoding/json writes it.
func TestAppendConfidenceMatchesEncodingJSON(t *testing.T) {
	for k := 0; k <= 100; k++ {
		f := float64(k) / 100
		if got, w := string(AppendConfidence(nil, f)), marshal(t, f); got != w {
			t.Errorf("AppendConfidence(%v) = %s, want %s", f, got, w)
		}
	}
	for f, want := range map[float64]string{math.NaN(): "0", math.Inf(1): "1", math.Inf(-1): "0", -0.5: "0", 7: "1"} {
		if got := string(AppendConfidence(nil, f)); got != want {
			t.Errorf("AppendConfidence(%v) = %s, want %s", f, got, want)
		}
	}
}

func TestAppendRulesMatchesEncodingJSON(t *testing.T) {
	rules := []policy.Rule{
		{ID: "emoji", Title: "No emoji 😀", Severity: policy.Error, Rationale: "Amazon says \"no\".\n<b>", PolicyURL: "https://sellercentral.amazon.com/help?a=1&b=2",
			Examples: []policy.Example{{Text: "Hi 😀", Violates: true}, {Text: "Hi", Context: &policy.Context{Kind: "proactive", PreviousReviewRequests: 2, Now: "2026-01-02T03:04:05Z"}}}},
		{ID: "bare", Severity: policy.Info},                                // nil examples: null
		{ID: "empty", Severity: policy.Info, Examples: []policy.Example{}}, // empty: []
	}
	want := struct {
		Version string        `json:"version"`
		Rules   []policy.Rule `json:"rules"`
	}{"1.2.3", rules}
	if got, w := string(AppendRules(nil, "1.2.3", rules)), marshal(t, want); got != w {
		t.Errorf("AppendRules\n got %s\nwant %s", got, w)
	}
}

func TestAppendError(t *testing.T) {
	got := AppendError(nil, "bad \"thing\"\n")
	var e struct{ Error string }
	if err := json.Unmarshal(got, &e); err != nil || e.Error != "bad \"thing\"\n" {
		t.Fatalf("AppendError = %s (%v)", got, err)
	}
}

func TestDecodeContext(t *testing.T) {
	full := policy.Context{Kind: "proactive", OrderDate: "2026-01-02", DeliveryDate: "2026-01-05",
		Now: "2026-01-20T10:00:00Z", Marketplace: "amazon.de", PreviousReviewRequests: 1}
	for _, tc := range []struct {
		name, in string
		want     policy.Context
		err      string // substring; empty means success
	}{
		{"empty", "", policy.Context{}, ""},
		{"spaces", " \n\t", policy.Context{}, ""},
		{"null", "null", policy.Context{}, ""},
		{"empty object", "{}", policy.Context{}, ""},
		{"full", marshal(t, full), full, ""},
		{"unknown fields ignored", `{"x":[1,{"y":null,"z":"\u00e9"}],"kind":"reply","n":-1.5e3,"t":true}`, policy.Context{Kind: "reply"}, ""},
		{"null field", `{"kind":null,"previous_review_requests":null}`, policy.Context{}, ""},
		{"escapes", `{"marketplace":"a\"b\\c\/d\n\u00e9\ud83d\ude00"}`, policy.Context{Marketplace: "a\"b\\c/d\né😀"}, ""},
		{"lone surrogate", `{"marketplace":"\ud800x"}`, policy.Context{Marketplace: "\uFFFDx"}, ""},
		{"raw invalid utf8", "{\"marketplace\":\"\xff\"}", policy.Context{Marketplace: "\uFFFD"}, ""},
		{"wrong type", `{"order_date":20260102}`, policy.Context{}, "context.order_date"},
		{"fraction count", `{"previous_review_requests":1.5}`, policy.Context{}, "whole number"},
		{"string count", `{"previous_review_requests":"2"}`, policy.Context{}, "expected a number"},
		{"array", `[]`, policy.Context{}, "must be a JSON object"},
		{"trailing", `{} {}`, policy.Context{}, "after the context"},
		{"unterminated", `{"kind":"reply`, policy.Context{}, "unterminated"},
		{"missing colon", `{"kind" "reply"}`, policy.Context{}, "expected ':'"},
		{"trailing comma", `{"kind":"reply",}`, policy.Context{}, "expected a string"},
		{"control char", "{\"kind\":\"a\nb\"}", policy.Context{}, "control character"},
		{"bad number", `{"x":01}`, policy.Context{}, "bad number"},
		{"deep", `{"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, policy.Context{}, "nested too deeply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeContext([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("DecodeContext(%q) error = %v, want one containing %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeContext(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("DecodeContext(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestAppendContextRoundTrip(t *testing.T) {
	for _, c := range []policy.Context{{}, {Kind: "reply"}, {Now: "2026-01-20T10:00:00+01:00", PreviousReviewRequests: -3, Marketplace: "日本"}} {
		b := AppendContext(nil, &c)
		if w := marshal(t, c); string(b) != w {
			t.Errorf("AppendContext = %s, want %s", b, w)
		}
		back, err := DecodeContext(b)
		if err != nil || back != c {
			t.Errorf("round trip of %+v = %+v, %v", c, back, err)
		}
	}
}

// FuzzDecodeContext: any bytes give a context or an error, never a panic;
// what decodes re-encodes to something that decodes to the same value; and
// when encoding/json reads the same object the values agree (encoding/json
// matches keys case-insensitively, so only exact-key inputs are compared).
func FuzzDecodeContext(f *testing.F) {
	for _, s := range []string{"", "{}", `{"kind":"proactive","order_date":"2026-01-02","previous_review_requests":2}`,
		`{"now":"\ud83d\ude00","x":[{"a":1e5}]}`, "null", `{"kind":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeContext(b)
		if err != nil {
			return
		}
		back, err := DecodeContext(AppendContext(nil, &c))
		if err != nil || back != c {
			t.Fatalf("re-decode of %+v = %+v, %v", c, back, err)
		}
		var std policy.Context
		if json.Unmarshal(b, &std) == nil && !hasOddKeys(b) && std != c {
			t.Fatalf("encoding/json reads %q as %+v, DecodeContext as %+v", b, std, c)
		}
	})
}

// hasOddKeys reports keys that match a field only case-insensitively, or
// duplicates, where encoding/json legitimately differs.
func hasOddKeys(b []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return true
	}
	names := map[string]bool{"kind": true, "order_date": true, "delivery_date": true, "now": true, "marketplace": true, "previous_review_requests": true}
	for k := range m {
		if !names[k] {
			for n := range names {
				if strings.EqualFold(k, n) {
					return true
				}
			}
		}
	}
	// Duplicate keys: the raw map lost them; compare counts of `"key"`.
	for n := range names {
		if strings.Count(string(b), `"`+n+`"`) > 1 {
			return true
		}
	}
	return false
}

// FuzzAppendString: any Go string encodes to JSON that encoding/json both
// accepts and would have written itself.
func FuzzAppendString(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := AppendString(nil, s)
		if w := marshal(t, s); string(got) != w {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, w)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		if want := []rune(s); !reflect.DeepEqual([]rune(back), want) {
			t.Fatalf("round trip %q -> %q", s, back)
		}
	})
}

// TestAppendStringEveryByteEveryOffset puts each byte value at each offset
// of a plain 20-byte string, so the eight-bytes-at-once test in plainRun
// meets every byte in every lane, and compares with encoding/json.
func TestAppendStringEveryByteEveryOffset(t *testing.T) {
	plain := []byte("abcdefghijklmnopqrst")
	for b := 0; b < 256; b++ {
		for at := range plain {
			s := append([]byte(nil), plain...)
			s[at] = byte(b)
			got := AppendString(nil, string(s))
			if w := marshal(t, string(s)); string(got) != w {
				t.Fatalf("byte %#x at %d: AppendString = %s, want %s", b, at, got, w)
			}
		}
	}
}

// TestRuleIDsArePlain holds the catalog to what AppendFinding assumes: rule
// ids and severities need no JSON escaping.
func TestRuleIDsArePlain(t *testing.T) {
	plain := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
		return s != ""
	}
	for _, r := range policy.Rules() {
		if !plain(r.ID) || !plain(string(r.Severity)) {
			t.Errorf("rule %q (severity %q) is not plain lower-case ASCII", r.ID, r.Severity)
		}
	}
	for _, sev := range []policy.Severity{policy.Error, policy.Warning, policy.Info} {
		if !plain(string(sev)) {
			t.Errorf("severity %q is not plain", sev)
		}
	}
}

func TestAppendInt(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 11, 99, 100, 101, 12345, -1, -10, -987654321, 1<<62 + 12345, -1 << 63} {
		if got, want := string(appendInt([]byte("x"), n)), "x"+strconv.Itoa(n); got != want {
			t.Errorf("appendInt(%d) = %s, want %s", n, got, want)
		}
	}
}

// TestAppendPositionNumbers covers appendPosition's fast path (digits
// written in place) and its fallback, against encoding/json.
func TestAppendPositionNumbers(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 99, 100, 12345, 999999, 1 << 40, 1<<40 + 1, -1, math.MaxInt64} {
		f := policy.Finding{Rule: "r", Severity: policy.Error, Start: n, End: n / 2, Line: 7, Col: n % 1000, Message: "m"}
		got := AppendFinding(nil, &f)
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("n=%d:\n got %s\nwant %s", n, got, want)
		}
	}
}

// TestFindingLayout holds findingLayout, which the assembly reads
// policy.Finding through, to policy.Finding's shape.
func TestFindingLayout(t *testing.T) {
	var f policy.Finding
	var l findingLayout
	if unsafe.Sizeof(f) != unsafe.Sizeof(l) ||
		unsafe.Offsetof(f.Rule) != unsafe.Offsetof(l.Rule) || unsafe.Offsetof(f.Severity) != unsafe.Offsetof(l.Severity) ||
		unsafe.Offsetof(f.Start) != unsafe.Offsetof(l.Start) || unsafe.Offsetof(f.End) != unsafe.Offsetof(l.End) ||
		unsafe.Offsetof(f.Line) != unsafe.Offsetof(l.Line) || unsafe.Offsetof(f.Col) != unsafe.Offsetof(l.Col) ||
		unsafe.Offsetof(f.Message) != unsafe.Offsetof(l.Message) || unsafe.Offsetof(f.Fix) != unsafe.Offsetof(l.Fix) ||
		unsafe.Sizeof(policy.Fix{}) != unsafe.Sizeof(fixLayout{}) {
		t.Fatal("findingLayout no longer matches policy.Finding")
	}
}

// TestAppendLintFindings encodes findings through AppendLint (which takes
// policy.wasm's fast path there) and compares with encoding/json: plain
// and escaped strings, numbers at the fast path's edges and past them, a
// fix or none, and a buffer too small to start with.
func TestAppendLintFindings(t *testing.T) {
	msgs := []string{"", "m", "plain message of some length, exactly forty-two.", "a \"quote\"", "tab\there", "<b>", "café", "7 bytes", "8 bytes!", "fifteen bytes!!", "sixteen bytes!!!", strings.Repeat("x", 300)}
	nums := []int{0, 9, 10, 99, 100, 12345, 1<<32 - 1, 1 << 32, 1<<35 + 7, 1<<40 + 3, math.MaxInt64, -1}
	var fs []policy.Finding
	for i, m := range msgs {
		for j, n := range nums {
			f := policy.Finding{Rule: "external-link", Severity: policy.Error, Start: n, End: nums[(j+1)%len(nums)], Line: i + 1, Col: n, Message: m}
			if j%2 == 0 {
				f.Fix = &policy.Fix{Replacement: msgs[(i+j)%len(msgs)]}
			}
			fs = append(fs, f)
		}
	}
	fs = append(fs, policy.Finding{Rule: "r\"", Severity: "x<", Message: "m"}, policy.Finding{})
	for _, dst := range [][]byte{nil, make([]byte, 0, 3)} {
		got := AppendLint(dst, fs)
		want, err := json.Marshal(map[string][]policy.Finding{"findings": fs})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("AppendLint:\n got %s\nwant %s", got, want)
		}
	}
}

// TestAppendLintRandomFindings encodes random findings (strings with every
// kind of byte at every length around eight, numbers of every size) and
// compares with encoding/json. In policy.wasm (make policy-wasm-test) it
// tests finding_wasm.s's fast path and its fall-back to AppendFinding.
func TestAppendLintRandomFindings(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	plainBytes := []string{"a", "Z", "0", " ", "-", "'", "~"}
	special := []string{"\"", "\\", "<", ">", "&", "\n", "\x01", "\x1f", "\x7f", "é", "😀", "\u2028", "\xff"}
	// A plain string of up to 20 bytes, or one with a single byte or rune
	// to escape somewhere in it: the case where each test in the fast
	// path's word must catch it alone.
	str := func(plain bool) string {
		parts := make([]string, r.IntN(21))
		for i := range parts {
			parts[i] = plainBytes[r.IntN(len(plainBytes))]
		}
		if !plain && len(parts) > 0 {
			parts[r.IntN(len(parts))] = special[r.IntN(len(special))]
		}
		return strings.Join(parts, "")
	}
	num := func() int {
		switch r.IntN(4) {
		case 0:
			return r.IntN(10)
		case 1:
			return r.IntN(1 << 20)
		case 2:
			return int(r.Int64N(1 << 40))
		}
		return -r.IntN(1000)
	}
	for range 3000 {
		var fs []policy.Finding
		for range r.IntN(4) {
			// Each string plain or not on its own: one to escape anywhere
			// sends the whole finding to the slow path.
			plain := func() bool { return r.IntN(4) != 0 }
			f := policy.Finding{Rule: str(plain()), Severity: policy.Severity(str(plain())), Start: num(), End: num(), Line: num(), Col: num(), Message: str(plain())}
			if r.IntN(2) == 0 {
				f.Fix = &policy.Fix{Replacement: str(plain())}
			}
			fs = append(fs, f)
		}
		got := AppendLint(make([]byte, 0, r.IntN(64)), fs)
		want, err := json.Marshal(map[string][]policy.Finding{"findings": fs})
		if err != nil {
			t.Fatal(err)
		}
		if fs == nil {
			want = []byte(`{"findings":[]}`)
		}
		if string(got) != string(want) {
			t.Fatalf("AppendLint:\n got %s\nwant %s", got, want)
		}
	}
}
