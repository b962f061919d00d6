package policyhost

// One artifact, one behaviour: the same inputs through native policy,
// policy.wasm under wazero and policy.wasm under Node's V8 (with the
// extension's loader) must give byte-identical answers.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/wasm/abi"
	"github.com/replyguard/replyguard/wasm/artifact"
)

// request is one conformance input; the JSON form is what v8run.mjs reads.
type request struct {
	Op      string          `json:"op"` // lint | classify | rules
	Text    string          `json:"text"`
	Context json.RawMessage `json:"context,omitempty"`
	From    string          `json:"-"` // where the input came from, for failures
}

// repoRoot is the module root (three levels up from this package).
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// conformanceInputs gathers the corpus (when ../shared is present), every
// rule example, our own hard cases and generated text.
func conformanceInputs(t testing.TB) []request {
	t.Helper()
	var reqs []request
	add := func(from, text string, pc *policy.Context) {
		var raw json.RawMessage
		if pc != nil {
			raw = abi.AppendContext(nil, pc)
		}
		reqs = append(reqs, request{Op: "lint", Text: text, Context: raw, From: from},
			request{Op: "classify", Text: text, From: from})
	}
	reqs = append(reqs, request{Op: "rules", From: "catalog"})

	// The labelled corpus lives beside the repository, not in it.
	for _, f := range []string{"replies.jsonl", "buyers.jsonl"} {
		readJSONL(t, filepath.Join(repoRoot(t), "..", "shared", "corpus", f), false, func(id string, text string, pc *policy.Context) {
			add("corpus "+id, text, pc)
		})
	}
	readJSONL(t, filepath.Join("testdata", "conformance.jsonl"), true, func(id string, text string, pc *policy.Context) {
		add("testdata "+id, text, pc)
	})
	for _, r := range policy.Rules() {
		for i, ex := range r.Examples {
			add(r.ID+" example "+string(rune('0'+i%10)), ex.Text, ex.Context)
		}
	}
	for i, text := range generated(300) {
		add("generated "+string(rune('A'+i%26)), text, genContext(i))
	}
	return reqs
}

func readJSONL(t testing.TB, path string, required bool, each func(id, text string, pc *policy.Context)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		if required {
			t.Fatal(err)
		}
		t.Logf("skipping %s: %v", path, err)
		return
	}
	for n, line := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var rec struct {
			ID      string          `json:"id"`
			Text    string          `json:"text"`
			Context *policy.Context `json:"context"`
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("%s:%d: %v", path, n+1, err)
		}
		each(rec.ID, rec.Text, rec.Context)
	}
}

// Fragments chosen to stress offsets and normalisation: astral emoji and
// ZWJ sequences (surrogate pairs in UTF-16), CJK, combining marks, CRLF,
// full-width and look-alike characters, and the things rules look for.
var fragments = []string{
	"Hello", "thanks for your order", "we're sorry", "Regards,", "the", "item", "refund", "replacement",
	"😀", "👍🏽", "👨‍👩‍👧", "🇺🇸", "❤️", "✅", "🙏",
	"中文", "日本語のテキスト", "한국어", "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ", "ｍｙｓｈｏｐ＠ｇｍａｉｌ．ｃｏｍ",
	"e\u0301", "a\u0308\u0323", "n\u0303o", "\u200b", "\u00a0", "\ufeff",
	"\r\n", "\n", "\r", "\t", "\r\n\r\n\r\n\r\n", "  ",
	"http://example.com/path?q=1", "https://www.amazon.com/dp/B000123456", "www.myshop.com", "example dot com",
	"seller@example.com", "seller at gmail dot com", "s e l l e r @ e x a m p l e . c o m",
	"555-123-4567", "(555) 123 4567", "+44 20 7946 0958", "1 800 555 0199",
	"111-2223334-4445556", "123-456", "1Z999AA10123456784", "TBA123456789000", "$19.99", "12/25/2026", "10:30 AM", "90210",
	"leave a 5-star review", "positive feedback", "remove your negative feedback", "discount code", "unsubscribe",
	"<b>bold</b>", "<a href=\"x\">link</a>", "&amp;", "PLEASE RESPOND NOW", "you idiot", "recieve", "guarantee",
	"\"quoted\"", "back\\slash", "\u2028", "\u0000", "\x7f", "\U0001F9D1\u200d\U0001F4BB",
}

// generated returns n deterministic texts made of random fragments.
func generated(n int) []string {
	rng := rand.New(rand.NewPCG(20260101, 42))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for k := rng.IntN(40) + 1; k > 0; k-- {
			b.WriteString(fragments[rng.IntN(len(fragments))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		out[i] = b.String()
	}
	return out
}

func genContext(i int) *policy.Context {
	switch i % 4 {
	case 0:
		return nil
	case 1:
		return &policy.Context{Kind: "reply", Now: "2026-02-01T12:00:00Z"}
	case 2:
		return &policy.Context{Kind: "proactive", OrderDate: "2026-01-02", DeliveryDate: "2026-01-06",
			Now: "2026-02-20T08:00:00Z", Marketplace: "amazon.de", PreviousReviewRequests: i % 3}
	default:
		return &policy.Context{Kind: "proactive", OrderDate: "2026-01-30", Now: "2026-02-01T00:00:00+09:00"}
	}
}

// native answers a request with the policy package and encoding/json.
func native(t testing.TB, r request) string {
	t.Helper()
	switch r.Op {
	case "lint":
		var pc policy.Context
		if len(r.Context) > 0 {
			if err := json.Unmarshal(r.Context, &pc); err != nil {
				t.Fatal(err)
			}
		}
		return nativeLintJSON(t, r.Text, pc)
	case "classify":
		return nativeClassifyJSON(t, r.Text)
	default:
		rules := policy.Rules()
		if rules == nil {
			rules = []policy.Rule{}
		}
		b, err := json.Marshal(struct {
			Version string        `json:"version"`
			Rules   []policy.Rule `json:"rules"`
		}{policy.Version, rules})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
}

func viaWazero(t testing.TB, e *Engine, r request) string {
	t.Helper()
	ctx := context.Background()
	switch r.Op {
	case "lint":
		b, err := e.LintJSON(ctx, r.Text, r.Context)
		if err != nil {
			t.Fatalf("%s: wazero lint: %v", r.From, err)
		}
		return string(b)
	case "classify":
		b, err := e.ClassifyJSON(ctx, r.Text)
		if err != nil {
			t.Fatalf("%s: wazero classify: %v", r.From, err)
		}
		return string(b)
	default:
		in, err := e.get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer e.done(in, nil)
		b, err := in.call(ctx, in.rules)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
}

// viaV8 runs every request through Node in one process.
func viaV8(t testing.TB, reqs []request) []string {
	t.Helper()
	node := nodeOrSkip(t)
	wasmPath := filepath.Join(t.TempDir(), "policy.wasm")
	if err := os.WriteFile(wasmPath, artifact.Wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, r := range reqs {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("testdata", "v8run.mjs"),
		filepath.Join(repoRoot(t), "extension", "src", "policy", "loader.js"), wasmPath)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node v8run.mjs: %v\n%s", err, stderr.String())
	}
	var answers []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 256<<20)
	for sc.Scan() {
		answers = append(answers, sc.Text())
	}
	if len(answers) != len(reqs) {
		t.Fatalf("node answered %d of %d requests\n%s", len(answers), len(reqs), stderr.String())
	}
	return answers
}

func TestConformanceNativeWazeroV8(t *testing.T) {
	e := testEngine(t)
	reqs := conformanceInputs(t)
	t.Logf("%d requests", len(reqs))
	want := make([]string, len(reqs))
	bad := 0
	report := func(format string, args ...any) {
		if bad++; bad <= 20 {
			t.Errorf(format, args...)
		}
	}
	for i, r := range reqs {
		want[i] = native(t, r)
		if got := viaWazero(t, e, r); got != want[i] {
			report("%s (%s, text %q): wazero differs from native\n wazero %s\n native %s", r.From, r.Op, clip(r.Text), got, want[i])
		}
	}
	v8 := viaV8(t, reqs)
	for i, r := range reqs {
		if v8[i] != want[i] {
			report("%s (%s, text %q): V8 differs from native\n V8     %s\n native %s", r.From, r.Op, clip(r.Text), v8[i], want[i])
		}
	}
	if bad > 20 {
		t.Errorf("... %d mismatches in all", bad)
	}
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}

// TestV8Loader runs testdata/loader_test.mjs: the loader's error handling,
// crash recovery and Response loading, under Node.
func TestV8Loader(t *testing.T) {
	node := nodeOrSkip(t)
	wasmPath := filepath.Join(t.TempDir(), "policy.wasm")
	if err := os.WriteFile(wasmPath, artifact.Wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, filepath.Join("testdata", "loader_test.mjs"),
		filepath.Join(repoRoot(t), "extension", "src", "policy", "loader.js"), wasmPath).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("ok")) {
		t.Fatalf("loader_test.mjs: %v\n%s", err, out)
	}
}

// nodeOrSkip finds node; CI must have it (the extension needs it anyway).
func nodeOrSkip(t testing.TB) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is required in CI for the V8 checks")
		}
		t.Skip("node not installed: V8 not checked")
	}
	return node
}
