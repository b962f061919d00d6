package templates

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// parityCase is one rendering the extension's own renderer
// (extension/src/content/render.ts) must reproduce exactly: it renders
// offline, in the page, and its unit tests read testdata/render-parity.json.
type parityCase struct {
	Template string            `json:"template"`
	Now      string            `json:"now"`
	Values   map[string]string `json:"values"`
	Text     string            `json:"text"`
	Unfilled []Slot            `json:"unfilled"`
	Problems []string          `json:"problems"` // names of missing or mistyped values
}

// badValue is a value each type must refuse.
var badValue = map[string]string{
	TypeName: "a@b.c", TypeOrderID: "12345", TypeDate: "next week", TypeMoney: "lots",
	TypeCarrier: "UPS<b>", TypeTracking: "abc", TypeText: "two\nlines", TypeChoice: "maybe", TypeNumber: "-5",
}

// oddValue is a value each type accepts in a way that is easy to get wrong.
var oddValue = map[string]string{
	TypeName: "  O'Neil-Smith  ", TypeOrderID: " 114-3941689-8772232 ", TypeDate: "today+3bd", TypeMoney: "EUR 1.234,50",
	TypeCarrier: "Royal Mail", TypeTracking: "1Z 999 AA1 0123456784", TypeText: "Size 10 (UK)", TypeNumber: "007",
}

func parityCases(t *testing.T) []parityCase {
	ts, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC) // a Wednesday
	var cases []parityCase
	for _, tpl := range ts {
		sets := []map[string]string{
			{},
			SampleValues(tpl),
			{"buyer_name": "Maria", "order_id": "114-3941689-8772232", "seller_name": "Oakridge Home", "marketplace": "UK"},
		}
		bad, odd := map[string]string{}, map[string]string{}
		for _, f := range tpl.Fields {
			bad[f.Name] = badValue[f.Type]
			odd[f.Name] = oddValue[f.Type]
			if f.Type == TypeChoice && len(f.Options) > 0 {
				odd[f.Name] = " " + upper(f.Options[len(f.Options)-1]) + " "
			}
			if f.Type == TypeDate && f.Default == "" {
				odd[f.Name] = "2026-12-24"
			}
		}
		sets = append(sets, bad, odd)
		for _, vals := range sets {
			r, err := tpl.Render(vals, now)
			var ve *ValuesError
			if err != nil && !errors.As(err, &ve) {
				t.Fatalf("%s: %v", tpl.ID, err)
			}
			c := parityCase{Template: tpl.ID, Now: now.Format(time.RFC3339), Values: vals, Text: r.Text, Unfilled: r.Unfilled, Problems: []string{}}
			if c.Unfilled == nil {
				c.Unfilled = []Slot{}
			}
			if ve != nil {
				for _, p := range ve.Problems {
					c.Problems = append(c.Problems, p.Name)
				}
			}
			cases = append(cases, c)
		}
	}
	return cases
}

func upper(s string) string { return string(bytes.ToUpper([]byte(s))) }

// TestRenderParityGolden keeps testdata/render-parity.json in step with
// Render (go test ./templates -run RenderParity -update rewrites it).
func TestRenderParityGolden(t *testing.T) {
	got, err := json.MarshalIndent(parityCases(t), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "render-parity.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./templates -run RenderParity -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run go test ./templates -run RenderParity -update, then the extension's unit tests", path)
	}
}
