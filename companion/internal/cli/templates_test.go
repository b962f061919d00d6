package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/replyguard/replyguard/templates"
)

// tmplRun runs `replyguard templates ARGS...` through Main, with policy.wasm
// under wazero and a compilation cache shared by test runs.
func tmplRun(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Setenv("REPLYGUARD_WAZERO_CACHE", filepath.Join(os.TempDir(), "replyguard-test-wazero-cache"))
	var out, errb bytes.Buffer
	code = Main(append([]string{"templates"}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestTemplatesListJSON(t *testing.T) {
	out, errs, code := tmplRun(t, "list", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var list []struct {
		ID     string            `json:"id"`
		Kind   string            `json:"kind"`
		Body   string            `json:"body"`
		Fields []templates.Field `json:"fields"`
		Parts  []templates.Part  `json:"parts"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(list) < 30 {
		t.Fatalf("%d templates, want at least 30", len(list))
	}
	for _, tp := range list {
		if tp.Body == "" || len(tp.Parts) == 0 || len(tp.Fields) == 0 {
			t.Errorf("%s: body, parts or fields missing", tp.ID)
		}
		for _, f := range tp.Fields {
			if f.Name == "" || f.Type == "" || f.Label == "" {
				t.Errorf("%s: incomplete field %+v", tp.ID, f)
			}
		}
	}
	text, _, code := tmplRun(t, "list")
	if code != 0 || !strings.Contains(text, "refund-issued") || !strings.HasPrefix(text, "ID") {
		t.Errorf("text list:\n%s", text)
	}
}

func TestTemplatesShowRoundTrips(t *testing.T) {
	out, errs, code := tmplRun(t, "show", "late-delivery-deliver-by")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	tp, err := templates.Parse("shown.tmpl", []byte(out))
	if err != nil || tp.ID != "late-delivery-deliver-by" {
		t.Fatalf("show output does not parse: %v\n%s", err, out)
	}
	_, errs, code = tmplRun(t, "show", "no-such-template")
	if code != exitTrouble || !strings.Contains(errs, `no template "no-such-template"`) {
		t.Errorf("unknown id: exit %d, %s", code, errs)
	}
}

func TestTemplatesRender(t *testing.T) {
	base := []string{"render", "late-delivery-deliver-by", "--now", "2026-11-16T09:00:00Z"}
	full := append(append([]string{}, base...),
		"--set", "buyer_name=Maria", "--set", "order_id=114-3941689-8772232", "--set", "carrier=UPS",
		"--set", "tracking_number=1Z999AA10123456784", "--set", "deliver_by=today+2bd", "--set", "seller_name=Oakridge Home")
	out, errs, code := tmplRun(t, full...)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "..", "templates", "testdata", "render", "late-delivery-deliver-by.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("render differs from the golden file:\n%s", out)
	}

	// Missing values: the text keeps markers, stderr names them, exit 0.
	out, errs, code = tmplRun(t, append(base, "--set", "buyer_name=Maria")...)
	if code != 0 || !strings.Contains(out, "[Tracking number]") || !strings.Contains(errs, "tracking_number (Tracking number): is missing") {
		t.Errorf("missing values: exit %d\n%s\n%s", code, out, errs)
	}

	// Mistyped and unknown values: every one reported, exit 1.
	out, errs, code = tmplRun(t, append(base, "--set", "deliver_by=soon", "--set", "order_id=12345", "--set", "tracking=1Z")...)
	if code != exitFindings {
		t.Errorf("mistyped values: exit %d, want 1", code)
	}
	for _, w := range []string{`deliver_by (Deliver-by date (from the order)): "soon" is not a date`, `order_id (Order ID): "12345" is not an Amazon order id`, `has no placeholder "tracking"`} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}

	// JSON: spans select the markers in UTF-16 units.
	out, _, _ = tmplRun(t, append(base, "--format", "json", "--set", "buyer_name=Zoë 𝒜")...)
	var ans struct {
		Text     string           `json:"text"`
		Unfilled []templates.Slot `json:"unfilled"`
		Problems []templates.ValueProblem
	}
	if err := json.Unmarshal([]byte(out), &ans); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	u := utf16.Encode([]rune(ans.Text))
	if len(ans.Unfilled) != 6 || len(ans.Problems) != 6 {
		t.Fatalf("unfilled %d problems %d", len(ans.Unfilled), len(ans.Problems))
	}
	for _, s := range ans.Unfilled {
		if got := string(utf16.Decode(u[s.Start:s.End])); got != "["+s.Label+"]" {
			t.Errorf("slot %s covers %q", s.Name, got)
		}
	}
}

func TestTemplatesLintBuiltins(t *testing.T) {
	out, errs, code := tmplRun(t, "lint")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(line, ": error ") || strings.Contains(line, ": warning ") {
			t.Errorf("built-in finding: %s", line)
		}
	}
	if !strings.Contains(errs, "template(s) checked: 0 error(s), 0 warning(s)") {
		t.Errorf("summary: %s", errs)
	}
}

// TestTemplatesLintSellerFolder is the seller's CI: a folder of their own
// templates, some broken, checked in one run.
func TestTemplatesLintSellerFolder(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := "title: T\nscenarios: product-question\nkind: reply\n"
	write("good.tmpl", "id: good\n"+head+"---\nHello {buyer_name},\n\nThe lid is dishwasher safe.\n\nKind regards,\n{seller_name}\n")
	write("email.tmpl", "id: email\n"+head+"---\nHello {buyer_name},\n\nWrite to anna.k@yahoo.com for the manual.\n")
	write("field.tmpl", "id: field\n"+head+"field: tip text \"Tip\" example=\"see oakridgehome.net\"\n---\nHello {buyer_name},\n\nA tip: {tip}.\n")
	write("proactive.tmpl", "id: proactive\ntitle: T\nscenarios: where-is-order\nkind: proactive\naction: unexpectedProblem\n---\nHello {buyer_name}, your parcel is delayed by snow.\n")
	write("broken.tmpl", "id: broken\n"+head+"---\nHello {buyer name}\n")
	write("README.md", "not a template")

	out, errs, code := tmplRun(t, "lint", dir)
	if code != exitFindings {
		t.Errorf("exit %d, want 1\n%s\n%s", code, out, errs)
	}
	wants := []string{
		filepath.Join(dir, "broken.tmpl") + ":6:7: bad placeholder {buyer name}",
		filepath.Join(dir, "email.tmpl") + ":8:10: error email-address:",
		filepath.Join(dir, "field.tmpl") + ":9:8: error external-link:",
		"in the value of {tip}",
		filepath.Join(dir, "proactive.tmpl") + ":7:1: error template-proactive-order-id:",
	}
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "good.tmpl") {
		t.Errorf("clean template reported:\n%s", out)
	}
	if !strings.Contains(errs, "4 template(s) checked") {
		t.Errorf("summary: %s", errs)
	}

	// The other subcommands read the same folder with --dir; the broken
	// file is reported but does not hide the good ones.
	out, errs, code = tmplRun(t, "render", "good", "--dir", dir, "--set", "buyer_name=Maria", "--set", "seller_name=Oakridge Home")
	if code != 0 || !strings.HasPrefix(out, "Hello Maria,") {
		t.Errorf("render --dir: exit %d\n%s\n%s", code, out, errs)
	}
	out, errs, code = tmplRun(t, "list", "--dir", dir)
	if code != exitFindings || !strings.Contains(out, "proactive") || !strings.Contains(errs, "broken.tmpl:6:7") {
		t.Errorf("list --dir with a broken file: exit %d\n%s", code, out)
	}

	// One file at a time, JSON.
	out, _, code = tmplRun(t, "lint", "--format", "json", filepath.Join(dir, "good.tmpl"))
	var res []struct {
		File   string            `json:"file"`
		ID     string            `json:"id"`
		Issues []templates.Issue `json:"issues"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || len(res) != 1 || res[0].ID != "good" || len(res[0].Issues) != 0 {
		t.Errorf("json lint of good.tmpl: exit %d, %v\n%s", code, err, out)
	}

	// A duplicate id across arguments is an error; a missing path is trouble.
	_, _, code = tmplRun(t, "lint", filepath.Join(dir, "good.tmpl"), filepath.Join(dir, "good.tmpl"))
	if code != exitFindings {
		t.Errorf("duplicate id: exit %d", code)
	}
	_, errs, code = tmplRun(t, "lint", filepath.Join(dir, "nope"))
	if code != exitTrouble || !strings.Contains(errs, "no such file") {
		t.Errorf("missing path: exit %d %s", code, errs)
	}
}

func TestTemplatesUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"list", "--format", "xml"}, {"render"}, {"show", "a", "b"}} {
		if _, _, code := tmplRun(t, args...); code != exitTrouble {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
