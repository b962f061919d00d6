package cli

// lint, classify and rules run the real policy.wasm under wazero; these
// tests hold their output to what the native policy package says, so they
// stay true while the rules grow.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/replyguard/replyguard/policy"
)

func policyRun(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	// A shared cache keeps the many short runs warm without touching the
	// user's cache directory.
	t.Setenv("REPLYGUARD_WAZERO_CACHE", filepath.Join(os.TempDir(), "replyguard-test-wazero-cache"))
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// compilerLines is what `lint` must print for text, natively computed.
func compilerLines(name, text string, pc policy.Context) (string, bool) {
	var b strings.Builder
	hasError := false
	for _, f := range policy.Lint(text, pc) {
		fmt.Fprintf(&b, "%s:%d:%d: %s %s: %s\n", name, f.Line, f.Col, f.Severity, f.Rule, f.Message)
		hasError = hasError || f.Severity == policy.Error
	}
	return b.String(), hasError
}

const (
	dirtyReply = "Hi! 😀 Visit http://example.com or email me at seller@example.com.\n\n\n\nLeave a 5-star review for a free gift!"
	cleanReply = "Hello Priya,\n\nWe're sorry the kettle arrived with a dent. A replacement ships today.\n\nKind regards,\nOakridge Kitchen"
)

func TestLintTextMatchesNative(t *testing.T) {
	dir := writeFiles(t, map[string]string{"dirty.txt": dirtyReply, "clean.txt": cleanReply, "bom.txt": "\uFEFF" + dirtyReply})
	for _, tc := range []struct {
		name  string
		files []string
		stdin string
	}{
		{"dirty file", []string{"dirty.txt"}, ""},
		{"clean file", []string{"clean.txt"}, ""},
		{"stdin", nil, dirtyReply},
		{"stdin dash and file", []string{"-", "clean.txt"}, dirtyReply},
		{"byte order mark dropped", []string{"bom.txt"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var args []string
			var want strings.Builder
			wantCode := exitOK
			names := tc.files
			if names == nil {
				names = []string{"-"}
			}
			for _, n := range names {
				path, text, display := filepath.Join(dir, n), tc.stdin, stdinName
				if n != "-" {
					b, _ := os.ReadFile(path)
					text, display = strings.TrimPrefix(string(b), "\uFEFF"), path
				}
				if tc.files != nil && n == "-" {
					args = append(args, "-")
				} else if tc.files != nil {
					args = append(args, path)
				}
				lines, hasErr := compilerLines(display, text, policy.Context{})
				want.WriteString(lines)
				if hasErr {
					wantCode = exitFindings
				}
			}
			out, errOut, code := policyRun(t, tc.stdin, append([]string{"lint"}, args...)...)
			if out != want.String() || code != wantCode {
				t.Errorf("lint %v: exit %d (want %d)\n got:\n%s\nwant:\n%s\nstderr: %s", args, code, wantCode, out, want.String(), errOut)
			}
		})
	}
}

func TestLintJSONFormatAndFlagOrder(t *testing.T) {
	dir := writeFiles(t, map[string]string{"dirty.txt": dirtyReply})
	path := filepath.Join(dir, "dirty.txt")
	// Flags may follow the file names.
	out, errOut, code := policyRun(t, cleanReply, "lint", path, "-", "--format", "json")
	if code == exitTrouble {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []struct {
		File     string           `json:"file"`
		Findings []policy.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not the JSON array: %v\n%s", err, out)
	}
	if len(got) != 2 || got[0].File != path || got[1].File != stdinName {
		t.Fatalf("files = %+v", got)
	}
	for i, text := range []string{dirtyReply, cleanReply} {
		want := policy.Lint(text, policy.Context{})
		if len(want) == 0 {
			want = nil
		}
		if len(got[i].Findings) == 0 {
			got[i].Findings = nil
		}
		gb, _ := json.Marshal(got[i].Findings)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) {
			t.Errorf("%s findings\n got %s\nwant %s", got[i].File, gb, wb)
		}
	}
}

func TestLintContextFlag(t *testing.T) {
	text := "We wanted to check that your item arrived safely. Would you leave a review?"
	pc := policy.Context{Kind: "proactive", OrderDate: "2025-10-01", Now: "2026-01-10T10:00:00Z", PreviousReviewRequests: 1}
	ctxJSON, _ := json.Marshal(pc)
	dir := writeFiles(t, map[string]string{"ctx.json": string(ctxJSON)})
	want, _ := compilerLines(stdinName, text, pc)
	for _, flag := range []string{string(ctxJSON), "@" + filepath.Join(dir, "ctx.json")} {
		out, errOut, code := policyRun(t, text, "lint", "--context", flag)
		if out != want || code == exitTrouble {
			t.Errorf("lint --context %s: exit %d\n got %s\nwant %s\n%s", flag, code, out, want, errOut)
		}
	}
	_, errOut, code := policyRun(t, text, "lint", "--context", `{"order_date": 20251001}`)
	if code != exitTrouble || !strings.Contains(errOut, "order_date") {
		t.Errorf("bad context: exit %d, stderr %q", code, errOut)
	}
}

// One bad input never hides the findings of the others, and each gets a
// clear reason.
func TestLintBadInputs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"binary.bin": "PK\x03\x04\x00\x00junk",
		"latin1.txt": "Caf\xe9 cr\xe8me",
		"dirty.txt":  dirtyReply,
	})
	os.Mkdir(filepath.Join(dir, "folder"), 0o755)
	p := func(n string) string { return filepath.Join(dir, n) }
	out, errOut, code := policyRun(t, "", "lint", p("binary.bin"), p("latin1.txt"), p("folder"), p("missing.txt"), p("dirty.txt"))
	if code != exitTrouble {
		t.Errorf("exit %d, want %d", code, exitTrouble)
	}
	want, _ := compilerLines(p("dirty.txt"), dirtyReply, policy.Context{})
	if out != want {
		t.Errorf("findings of the good file\n got %s\nwant %s", out, want)
	}
	for _, w := range []string{"binary.bin: looks like a binary file", "latin1.txt: not valid UTF-8 (line 1, byte offset 3)",
		"folder: is a directory", "missing.txt: open"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	for _, args := range [][]string{{"lint", "--format", "xml"}, {"lint", "--jsonl", "-", "extra.txt"}, {"lint", "--nope"}} {
		if _, _, code := policyRun(t, "", args...); code != exitTrouble {
			t.Errorf("%v: exit %d, want %d", args, code, exitTrouble)
		}
	}
}

func TestLintEmptyAndHugeInput(t *testing.T) {
	out, errOut, code := policyRun(t, "", "lint")
	if out != "" || code != exitOK {
		t.Errorf("empty stdin: exit %d, out %q, err %q", code, out, errOut)
	}
	if testing.Short() {
		return
	}
	huge := strings.Repeat(dirtyReply+"\n", 5<<20/len(dirtyReply))
	out, _, code = policyRun(t, huge, "lint", "--format", "json")
	var got []struct{ Findings []policy.Finding }
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 {
		t.Fatalf("5 MB: %v", err)
	}
	if n := len(policy.Lint(huge, policy.Context{})); len(got[0].Findings) != n || code != exitFindings {
		t.Errorf("5 MB: %d findings exit %d, native %d findings", len(got[0].Findings), code, n)
	}
}

func TestLintJSONL(t *testing.T) {
	ctxRec := `{"kind":"proactive","order_date":"2026-01-02","now":"2026-01-10T00:00:00Z"}`
	in := strings.Join([]string{
		`{"id":"a","text":` + jsonString(dirtyReply) + `,"expect":["emoji"]}`,
		``,
		`{"id":2,"text":` + jsonString(cleanReply) + `,"context":` + ctxRec + `}`,
		`not json`,
		`{"id":"no-text"}`,
		`{"id":"bad-ctx","text":"hi","context":{"now":5}}`,
		`{"id":"crlf","text":"caf\u00e9 \ud83d\ude00"}` + "\r",
	}, "\n")
	dir := writeFiles(t, map[string]string{"in.jsonl": in})
	out, errOut, code := policyRun(t, "", "lint", "--jsonl", filepath.Join(dir, "in.jsonl"))
	if code != exitTrouble {
		t.Errorf("exit %d, want %d (three bad lines)", code, exitTrouble)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d output lines for 6 records:\n%s\nstderr: %s", len(lines), out, errOut)
	}
	var pc policy.Context
	json.Unmarshal([]byte(ctxRec), &pc)
	for i, tc := range []struct {
		id, text string
		pc       policy.Context
		err      string
	}{
		{`"a"`, dirtyReply, policy.Context{}, ""},
		{`2`, cleanReply, pc, ""},
		{`null`, "", policy.Context{}, "line 4: not a JSON object"},
		{`"no-text"`, "", policy.Context{}, `line 5: no \"text\" string`},
		{`"bad-ctx"`, "", policy.Context{}, "line 6: context.now"},
		{`"crlf"`, "café 😀", policy.Context{}, ""},
	} {
		var rec struct {
			ID       json.RawMessage  `json:"id"`
			Findings []policy.Finding `json:"findings"`
			Error    string           `json:"error"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &rec); err != nil {
			t.Fatalf("line %d not JSON: %v: %s", i+1, err, lines[i])
		}
		if string(rec.ID) != tc.id {
			t.Errorf("line %d id %s, want %s", i+1, rec.ID, tc.id)
		}
		if tc.err != "" {
			if !strings.Contains(lines[i], tc.err) {
				t.Errorf("line %d = %s, want error %q", i+1, lines[i], tc.err)
			}
			continue
		}
		want := policy.Lint(tc.text, tc.pc)
		gb, _ := json.Marshal(rec.Findings)
		wb, _ := json.Marshal(want)
		if len(want) == 0 {
			wb = []byte("[]")
		}
		if string(gb) != string(wb) {
			t.Errorf("line %d findings\n got %s\nwant %s", i+1, gb, wb)
		}
	}
	// Violations alone do not make --jsonl fail: the score tool needs exit 0.
	_, errOut, code = policyRun(t, `{"id":"x","text":`+jsonString(dirtyReply)+`}`+"\n", "lint", "--jsonl", "-")
	if code != exitOK {
		t.Errorf("jsonl with violations: exit %d: %s", code, errOut)
	}
}

func TestClassifyJSONLAndText(t *testing.T) {
	buyer := "We've been contacted by a customer regarding the order identified below.\n\nOrder ID: 111-2223334-4445556\nReason: Return request\nDetail: It arrived broken."
	in := `{"id":"w1","text":` + jsonString(buyer) + `,"scenario":"return-refund"}` + "\n" + `{"id":"w2","text":"Where is my package? It has not arrived."}` + "\n"
	out, errOut, code := policyRun(t, in, "classify", "--jsonl", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines:\n%s", out)
	}
	for i, text := range []string{buyer, "Where is my package? It has not arrived."} {
		var m map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &m); err != nil {
			t.Fatal(err)
		}
		if len(m) != 3 {
			t.Errorf("line %d has fields %v, want exactly id, scenario, confidence", i+1, m)
		}
		c := policy.Classify(text)
		if m["scenario"] != c.Scenario || m["confidence"] != c.Confidence {
			t.Errorf("line %d = %s, native %+v", i+1, lines[i], c)
		}
	}
	out, _, code = policyRun(t, buyer, "classify")
	c := policy.Classify(buyer)
	want := fmt.Sprintf("%s: %s (confidence %.2f)", stdinName, c.Scenario, c.Confidence)
	if !strings.HasPrefix(out, want) || code != exitOK {
		t.Errorf("classify text = %q (exit %d), want prefix %q", out, code, want)
	}
	if c.OrderID != "" && !strings.Contains(out, "order "+c.OrderID) {
		t.Errorf("classify text %q lacks order %s", out, c.OrderID)
	}
	if _, errOut, code := policyRun(t, "\xff", "classify"); code != exitTrouble || !strings.Contains(errOut, "UTF-8") {
		t.Errorf("invalid UTF-8: exit %d, %q", code, errOut)
	}
}

func TestRulesCommand(t *testing.T) {
	out, errOut, code := policyRun(t, "", "rules", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var cat struct {
		Version string        `json:"version"`
		Rules   []policy.Rule `json:"rules"`
	}
	if err := json.Unmarshal([]byte(out), &cat); err != nil {
		t.Fatal(err)
	}
	native := policy.Rules()
	gb, _ := json.Marshal(cat.Rules)
	wb, _ := json.Marshal(native)
	if len(native) == 0 {
		wb = []byte("[]")
	}
	if cat.Version != policy.Version || string(gb) != string(wb) {
		t.Errorf("catalog %s %.200s, native %s %.200s", cat.Version, gb, policy.Version, wb)
	}
	text, _, code := policyRun(t, "", "rules")
	if code != exitOK {
		t.Fatalf("rules text: exit %d", code)
	}
	for _, r := range native {
		if !strings.Contains(text, "\n"+r.ID+" ("+string(r.Severity)+"): "+r.Title+"\n") {
			t.Errorf("rules text lacks the header of %s", r.ID)
		}
	}
	if len(native) > 0 {
		one, _, code := policyRun(t, "", "rules", native[0].ID)
		if code != exitOK || !strings.Contains(one, native[0].ID) || strings.Count(one, " (") > 1+strings.Count(native[0].Rationale+native[0].Title, " (") {
			t.Errorf("rules %s: exit %d\n%s", native[0].ID, code, one)
		}
	}
	if _, errOut, code := policyRun(t, "", "rules", "no-such-rule"); code != exitTrouble || !strings.Contains(errOut, "no-such-rule") {
		t.Errorf("unknown rule: exit %d, %q", code, errOut)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
