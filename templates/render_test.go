package templates

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// one builds a template with a single declared field used in the body.
func one(t *testing.T, decl string) Template {
	t.Helper()
	tp, err := Parse("one.tmpl", []byte("id: one\ntitle: T\nscenarios: other\nkind: reply\nfield: "+decl+"\n---\n<{v}>\n"))
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

func TestRenderTypedValues(t *testing.T) {
	tests := []struct {
		decl, value string
		want        string // rendered text between < >, or "" when invalid
		problem     string
	}{
		{"v name", " Zoë ", "Zoë", ""},
		{"v name", "O'Neil-Smith", "O'Neil-Smith", ""},
		{"v name", "anna@example.com", "", "is not a name"},
		{"v name", "12345", "", "no letters"},
		{"v order-id", "114-3941689-8772232", "114-3941689-8772232", ""},
		{"v order-id", "114-39416899-8772232", "", "is not an Amazon order id"},
		{"v money", "$24.99", "$24.99", ""},
		{"v money", "24,99 EUR", "24,99 EUR", ""},
		{"v money", "£1,234.50", "£1,234.50", ""},
		{"v money", "€5", "€5", ""},
		{"v money", "twenty dollars", "", "is not an amount of money"},
		{"v money", "$24.999.9", "", "is not an amount of money"},
		{"v money", "-5", "", "is not an amount of money"},
		{"v carrier", "Royal Mail", "Royal Mail", ""},
		{"v carrier", "ups.com/track", "", "is not a carrier name"},
		{"v tracking", "1Z999AA10123456784", "1Z999AA10123456784", ""},
		{"v tracking", "9400 1118 9922 3344 5566 77", "9400 1118 9922 3344 5566 77", ""},
		{"v tracking", "see website", "", "is not a tracking number"},
		{"v text max=10", "short", "short", ""},
		{"v text max=10", "much too long here", "", "more than the 10 allowed"},
		{"v text", "two\nlines", "", "must be one line"},
		{`v choice options="full refund|replacement"`, "Replacement", "replacement", ""},
		{`v choice options="full refund|replacement"`, "store credit", "", "is not one of the options: full refund | replacement"},
		{"v number", "30", "30", ""},
		{"v number", "thirty", "", "is not a whole number"},
		{"v date", "2026-12-03", "December 3, 2026", ""},
		{"v date format=iso", "today+5bd", "2026-11-23", ""},
		{"v date format=long", "today", "Monday, November 16, 2026", ""},
		{"v date format=day-month", "today+30d", "16 December 2026", ""},
		{"v date format=weekday", "today - 1bd", "Friday, November 13", ""},
		{"v date", "next Tuesday", "", "is not a date"},
		{"v date", "2026-02-30", "", "is not a date"},
	}
	for _, tc := range tests {
		t.Run(tc.decl+"="+tc.value, func(t *testing.T) {
			tp := one(t, tc.decl)
			r, err := tp.Render(map[string]string{"v": tc.value}, testNow)
			if tc.problem == "" {
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				if r.Text != "<"+tc.want+">" {
					t.Errorf("text = %q, want <%s>", r.Text, tc.want)
				}
				return
			}
			var ve *ValuesError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 {
				t.Fatalf("err = %v, want one value problem", err)
			}
			p := ve.Problems[0]
			if p.Name != "v" || p.Missing || !strings.Contains(p.Problem, tc.problem) || p.Value != strings.TrimSpace(tc.value) {
				t.Errorf("problem = %+v, want %q", p, tc.problem)
			}
			if r.Text != "<[V]>" || len(r.Unfilled) != 1 {
				t.Errorf("a mistyped value must leave its marker: %q %+v", r.Text, r.Unfilled)
			}
		})
	}
}

func TestRenderBusinessDays(t *testing.T) {
	friday := time.Date(2026, 11, 20, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		expr string
		now  time.Time
		want string
	}{
		{"today+1bd", friday, "2026-11-23"},                                        // Friday -> Monday
		{"today+5bd", friday, "2026-11-27"},                                        // a full week
		{"today+0bd", friday, "2026-11-20"},                                        // no offset
		{"today-1bd", testNow, "2026-11-13"},                                       // Monday -> Friday
		{"today+2d", friday, "2026-11-22"},                                         // calendar days count weekends
		{"today+3bd", time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC), "2026-11-25"}, // from a Saturday
	}
	for _, tc := range tests {
		tp := one(t, "v date format=iso")
		r, err := tp.Render(map[string]string{"v": tc.expr}, tc.now)
		if err != nil || r.Text != "<"+tc.want+">" {
			t.Errorf("%s from %s = %q, %v; want %s", tc.expr, tc.now.Weekday(), r.Text, err, tc.want)
		}
	}
	// "today" is the seller's calendar day, in now's location.
	tokyo := time.FixedZone("JST", 9*3600)
	r, _ := one(t, "v date format=iso").Render(map[string]string{"v": "today"}, time.Date(2026, 11, 16, 23, 0, 0, 0, time.UTC).In(tokyo))
	if r.Text != "<2026-11-17>" {
		t.Errorf("today in Tokyo = %s, want 2026-11-17", r.Text)
	}
}

func TestRenderDateDefaultsChain(t *testing.T) {
	src := "id: chain\ntitle: T\nscenarios: other\nkind: reply\n" +
		"field: deliver_by date \"Deliver by\" format=iso\n" +
		"field: follow_up date default=deliver_by+1bd format=iso\n" +
		"field: reply_by date default=today+2bd format=iso\n---\n{follow_up} {reply_by}\n"
	tp, err := Parse("chain.tmpl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// deliver_by is only a base: it is a field, but not a placeholder.
	if len(tp.Fields) != 3 || len(tp.Placeholders()) != 2 {
		t.Fatalf("fields %v placeholders %v", tp.Fields, tp.Placeholders())
	}
	r, err := tp.Render(map[string]string{"deliver_by": "2026-11-20"}, testNow)
	if err != nil || r.Text != "2026-11-23 2026-11-18" {
		t.Errorf("got %q, %v", r.Text, err)
	}
	// Without its base, the derived date is unfilled and both are reported.
	r, err = tp.Render(nil, testNow)
	var ve *ValuesError
	if !errors.As(err, &ve) || !ve.OnlyMissing() || len(ve.Problems) != 2 || ve.Problems[0].Name != "follow_up" || ve.Problems[1].Name != "deliver_by" {
		t.Fatalf("err = %v", err)
	}
	if r.Text != "[Follow up] 2026-11-18" {
		t.Errorf("text = %q", r.Text)
	}
	// A value given directly wins over the default.
	r, _ = tp.Render(map[string]string{"follow_up": "2026-12-01"}, testNow)
	if !strings.HasPrefix(r.Text, "2026-12-01 ") {
		t.Errorf("text = %q", r.Text)
	}
}

// TestRenderReportsEveryProblem renders a built-in with a mix of good,
// missing and mistyped values: every problem is named, in order of first
// use, and every unfilled placeholder is marked where the extension can
// select it.
func TestRenderReportsEveryProblem(t *testing.T) {
	tp := builtinByID(t, "delivered-not-found")
	vals := map[string]string{
		"buyer_name":      "Maria",
		"delivered_on":    "last Tuesday",   // not a date
		"remedy":          "a store credit", // not an option
		"tracking_number": "1Z999AA10123456784",
		"unknown_name":    "ignored",
	}
	r, err := tp.Render(vals, testNow)
	var ve *ValuesError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, fmt.Sprintf("%s missing=%v", p.Name, p.Missing))
	}
	want := []string{"order_id missing=true", "carrier missing=true", "delivered_on missing=false", "remedy missing=false", "seller_name missing=true"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("problems = %v\nwant %v", got, want)
	}
	if ve.OnlyMissing() {
		t.Error("OnlyMissing with mistyped values")
	}
	for _, s := range r.Unfilled {
		if sub := utf16Slice(r.Text, s.Start, s.End); sub != "["+s.Label+"]" {
			t.Errorf("slot %s covers %q", s.Name, sub)
		}
	}
	if n := strings.Count(r.Text, "[Carrier]"); n != 2 || len(r.Unfilled) != 6 {
		t.Errorf("want every occurrence marked: %d [Carrier], %d slots\n%s", n, len(r.Unfilled), r.Text)
	}
	if !strings.Contains(err.Error(), `delivered_on: "last Tuesday" is not a date`) {
		t.Errorf("error text: %v", err)
	}
}

// TestRenderSpansAreUTF16 puts characters outside the BMP before a marker:
// spans must count UTF-16 code units, as the extension's textarea does.
func TestRenderSpansAreUTF16(t *testing.T) {
	tp := builtinByID(t, "thank-you-reply")
	r, err := tp.Render(map[string]string{"buyer_name": "𝒜𝓃𝓃𝒶"}, testNow)
	var ve *ValuesError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	u := utf16.Encode([]rune(r.Text))
	for _, s := range r.Unfilled {
		if got := string(utf16.Decode(u[s.Start:s.End])); got != "["+s.Label+"]" {
			t.Errorf("slot %s [%d,%d) covers %q in UTF-16", s.Name, s.Start, s.End, got)
		}
	}
	if len(r.Unfilled) == 0 {
		t.Fatal("expected unfilled slots")
	}
}

func builtinByID(t *testing.T, id string) Template {
	t.Helper()
	for _, tp := range builtins(t) {
		if tp.ID == id {
			return tp
		}
	}
	t.Fatalf("no built-in %s", id)
	return Template{}
}

// TestRenderGolden pins every built-in rendered with its sample values, and
// a few rendered with only the buyer's name (markers and problems), so a
// wording change shows up in review as a diff.
func TestRenderGolden(t *testing.T) {
	for _, tp := range builtins(t) {
		r, err := tp.Render(SampleValues(tp), testNow)
		if err != nil {
			t.Fatalf("%s: %v", tp.ID, err)
		}
		if len(r.Unfilled) != 0 {
			t.Errorf("%s: sample values leave %v unfilled", tp.ID, r.Unfilled)
		}
		checkGolden(t, filepath.Join("testdata", "render", tp.ID+".txt"), []byte(r.Text+"\n"))
	}
	type partial struct {
		ID       string         `json:"id"`
		Text     string         `json:"text"`
		Unfilled []Slot         `json:"unfilled"`
		Problems []ValueProblem `json:"problems"`
	}
	var out []partial
	for _, id := range []string{"late-delivery-deliver-by", "refund-issued", "customization-confirmation"} {
		tp := builtinByID(t, id)
		r, err := tp.Render(map[string]string{"buyer_name": "Maria"}, testNow)
		var ve *ValuesError
		if !errors.As(err, &ve) {
			t.Fatalf("%s: %v", id, err)
		}
		out = append(out, partial{id, r.Text, r.Unfilled, ve.Problems})
	}
	js, _ := json.MarshalIndent(out, "", "  ")
	checkGolden(t, filepath.Join("testdata", "render", "partial.json"), append(js, '\n'))
}

func TestExport(t *testing.T) {
	for _, tp := range builtins(t) {
		e := tp.Export()
		var b strings.Builder
		for _, p := range e.Parts {
			if p.Field != "" {
				if _, ok := tp.Field(p.Field); !ok {
					t.Errorf("%s: part names unknown field %s", tp.ID, p.Field)
				}
				b.WriteString("{" + p.Field + "}")
			} else {
				b.WriteString(p.Text)
			}
		}
		if b.String() != tp.Body {
			t.Errorf("%s: parts do not rebuild the body", tp.ID)
		}
		js, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back struct {
			ID     string  `json:"id"`
			Body   string  `json:"body"`
			Fields []Field `json:"fields"`
			Parts  []Part  `json:"parts"`
		}
		if err := json.Unmarshal(js, &back); err != nil || back.ID != tp.ID || back.Body != tp.Body || len(back.Fields) != len(tp.Fields) {
			t.Errorf("%s: JSON form %s", tp.ID, js)
		}
	}
}

// TestRenderCodeBuiltTemplate renders a Template built in code from a body
// alone, as the companion does for a seller's stored template: standard
// placeholders work without declarations, unknown ones are an error.
func TestRenderCodeBuiltTemplate(t *testing.T) {
	tp := Template{ID: "stored", Kind: KindReply, Body: "Hello {buyer_name}, order {order_id}."}
	r, err := tp.Render(map[string]string{"buyer_name": "Maria"}, testNow)
	var ve *ValuesError
	if !errors.As(err, &ve) || r.Text != "Hello Maria, order [Order ID]." || len(ve.Problems) != 1 || ve.Problems[0].Name != "order_id" {
		t.Fatalf("got %q, %v", r.Text, err)
	}
	tp.Body = "Hello {nickname}."
	if _, err := tp.Render(nil, testNow); err == nil || errors.As(err, &ve) {
		t.Errorf("unknown placeholder: err = %v, want a template error", err)
	}
}
