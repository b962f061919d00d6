package templates

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const minimal = "id: t1\ntitle: T\nscenarios: other\nkind: reply\n---\nHello {buyer_name},\n"

func TestParseMinimal(t *testing.T) {
	tp, err := Parse("t1.tmpl", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if tp.ID != "t1" || tp.Kind != KindReply || tp.Body != "Hello {buyer_name}," || len(tp.Fields) != 1 || tp.Fields[0].Type != TypeName {
		t.Errorf("got %+v", tp)
	}
}

// TestParseErrors checks that each mistake is reported with the file, the
// line (and column where it helps) and a message that says what to do.
func TestParseErrors(t *testing.T) {
	head := "id: t1\ntitle: T\nscenarios: other\nkind: reply\n"
	tests := []struct {
		name, in string
		want     string // substring of the error, starting with file:line
	}{
		{"no separator", "id: t1\ntitle: T\n", `x.tmpl:3: no "---" line`},
		{"not key value", "id: t1\nthis is not a header\n---\nbody\n", `x.tmpl:2:1: expected "key: value"`},
		{"unknown key", head + "colour: red\n---\nbody\n", `x.tmpl:5:1: unknown key "colour"`},
		{"duplicate key", head + "kind: proactive\n---\nbody\n", `x.tmpl:5:1: "kind" given twice (first on line 4)`},
		{"bad id", "id: Bad_ID\ntitle: T\nscenarios: other\nkind: reply\n---\nb\n", `x.tmpl:1:5: id "Bad_ID"`},
		{"bad kind", "id: t1\ntitle: T\nscenarios: other\nkind: broadcast\n---\nb\n", `x.tmpl:4:7: kind must be "reply" or "proactive"`},
		{"unknown scenario", "id: t1\ntitle: T\nscenarios: refunds\nkind: reply\n---\nb\n", `x.tmpl:3:12: unknown scenario "refunds"`},
		{"unknown action", head + "action: sendCoupon\n---\nb\n", `x.tmpl:5:9: unknown Messaging API action "sendCoupon"`},
		{"unknown attachment", head + "attachments: voucher\n---\nb\n", `unknown attachment "voucher"`},
		{"missing id", "title: T\nscenarios: other\nkind: reply\n---\nb\n", `x.tmpl:1: missing "id:" line`},
		{"empty body", head + "---\n\n\n", `x.tmpl:8: the body is empty`},
		{"header then blank lines only", head + "\n\n", `no "---" line`},
		{"undeclared placeholder", head + "---\nHello,\nyour {refund} is on its way\n", `x.tmpl:7:6: placeholder {refund} is not declared`},
		{"unclosed brace", head + "---\nHello {buyer_name,\n", `x.tmpl:6:7: unclosed "{"`},
		{"stray brace", head + "---\nHello }\n", `x.tmpl:6:7: stray "}"`},
		{"bad placeholder name", head + "---\nHello {Buyer Name}\n", `x.tmpl:6:7: bad placeholder {Buyer Name}`},
		{"unknown type", head + "field: x colour\n---\n{x}\n", `x.tmpl:5:10: field x: unknown type "colour"`},
		{"unused field", head + "field: x text example=a\n---\nbody\n", `x.tmpl:5: field x is declared but the body never uses {x}`},
		{"duplicate field", head + "field: x text\nfield: x text\n---\n{x}\n", `x.tmpl:6: field x declared twice`},
		{"choice without options", head + "field: c choice\n---\n{c}\n", `field c: a choice needs options=`},
		{"default not an option", head + "field: c choice options=\"a|b\" default=z\n---\n{c}\n", `field c: default "z": is not one of the options: a | b`},
		{"bad date default", head + "field: d date default=\"next week\"\n---\n{d}\n", `field d: default "next week": is not a date`},
		{"date default names no field", head + "field: d date default=tomorrow\n---\n{d}\n", `field d: default "tomorrow" refers to "tomorrow", which is not a date field`},
		{"bad date offset", head + "field: d date default=today+3x\n---\n{d}\n", `offset "+3x"`},
		{"bad date format", head + "field: d date format=fancy\n---\n{d}\n", `x.tmpl:5:15: field d: unknown date format "fancy"`},
		{"date base not a field", head + "field: d date default=shipped+2d\n---\n{d}\n", `field d: default "shipped+2d" refers to "shipped"`},
		{"date base loop", head + "field: a date default=b+1d\nfield: b date default=a+1d\n---\n{a}\n", `loop`},
		{"bad money example", head + "field: m money example=lots\n---\n{m}\n", `field m: example "lots": is not an amount of money`},
		{"format on text", head + "field: x text format=long\n---\n{x}\n", `format= applies to dates only`},
		{"unterminated quote", head + "field: x text \"Label\n---\n{x}\n", `x.tmpl:5:15: field: unterminated quoted string`},
		{"stray word", head + "field: x text \"L\" loud\n---\n{x}\n", `unexpected "loud"`},
		{"continuation first", " indented\n---\nb\n", `x.tmpl:1:1: continuation line`},
		{"not utf8", head + "---\nHello \xff\n", `x.tmpl:6: file is not valid UTF-8`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.tmpl", []byte(tc.in))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T is not an ErrorList", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

func TestParseReportsEveryError(t *testing.T) {
	in := "id: t1\ntitle: T\nscenarios: nope\nkind: maybe\nfield: x colour\n---\n{y}\n"
	_, err := Parse("x.tmpl", []byte(in))
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v", err)
	}
	if len(list) != 4 {
		t.Errorf("got %d errors, want 4 (scenario, kind, type, placeholder):\n%v", len(list), err)
	}
	for i := 1; i < len(list); i++ {
		if list[i].Line < list[i-1].Line {
			t.Errorf("errors not in line order:\n%v", err)
		}
	}
}

// TestFormatGolden parses hand-written files in loose style and compares
// Format's canonical output with a golden file.
func TestFormatGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/format/*.tmpl")
	if len(files) == 0 {
		t.Fatal("no testdata/format/*.tmpl")
	}
	for _, in := range files {
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		tp, err := Parse(in, data)
		if err != nil {
			t.Fatal(err)
		}
		got := Format(tp)
		checkGolden(t, strings.TrimSuffix(in, ".tmpl")+".golden", got)
		// The canonical form parses back to the same template and is a
		// fixed point of Format.
		back, err := Parse(in, got)
		if err != nil {
			t.Fatalf("canonical form does not parse: %v", err)
		}
		if !sameTemplate(tp, back) {
			t.Errorf("round trip changed the template:\n%+v\n%+v", tp, back)
		}
		if again := Format(back); string(again) != string(got) {
			t.Errorf("Format is not idempotent:\n%s\n%s", got, again)
		}
	}
}

func TestFormatRoundTripBuiltins(t *testing.T) {
	for _, tp := range builtins(t) {
		back, err := Parse(tp.Source, Format(tp))
		if err != nil {
			t.Fatalf("%s: %v", tp.ID, err)
		}
		if !sameTemplate(tp, back) {
			t.Errorf("%s: round trip changed the template", tp.ID)
		}
	}
}

// sameTemplate compares the parts of templates that the format carries.
func sameTemplate(a, b Template) bool {
	strip := func(t Template) Template {
		t.Source, t.bodyLine = "", 0
		fs := make([]Field, len(t.Fields))
		for i, f := range t.Fields {
			f.line = 0
			fs[i] = f
		}
		t.Fields = fs
		return t
	}
	return reflect.DeepEqual(strip(a), strip(b))
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./templates -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.tmpl", strings.Replace(minimal, "id: t1", "id: bb", 1))
	write("a.tmpl", strings.Replace(minimal, "id: t1", "id: aa", 1))
	write("notes.md", "not a template")
	ts, err := LoadDir(dir)
	if err != nil || len(ts) != 2 || ts[0].ID != "aa" || ts[1].ID != "bb" {
		t.Fatalf("LoadDir = %v, %v", ts, err)
	}
	if want := filepath.Join(dir, "a.tmpl"); ts[0].Source != want {
		t.Errorf("Source = %q, want %q", ts[0].Source, want)
	}
	write("big.tmpl", strings.Repeat("x", MaxFileSize+1))
	write("c.tmpl", strings.Replace(minimal, "id: t1", "id: aa", 1))
	write("d.tmpl", "id: d\n")
	_, err = LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), `id "aa" is also used by`) || !strings.Contains(err.Error(), "d.tmpl:2: no \"---\" line") || !strings.Contains(err.Error(), "big.tmpl: file is 65537 bytes") {
		t.Errorf("LoadDir error = %v, want duplicate id and d.tmpl errors", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	seeds, _ := filepath.Glob("library/*.tmpl")
	more, _ := filepath.Glob("testdata/format/*.tmpl")
	for _, p := range append(seeds, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("id: x1\ntitle: T\nscenarios: other\nkind: reply\nfield: d date default=e+2bd\nfield: e date default=today-1d\n---\n{{{d}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tp, err := Parse("f.tmpl", data)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %T %v", err, err)
			}
			for _, e := range list {
				if e.Line < 1 || e.File != "f.tmpl" {
					t.Fatalf("error without file and line: %+v", e)
				}
			}
			return
		}
		out := Format(tp)
		back, err := Parse("f.tmpl", out)
		if err != nil {
			t.Fatalf("canonical form does not parse: %v\n%s", err, out)
		}
		if !sameTemplate(tp, back) {
			t.Fatalf("round trip changed the template:\n%q\n%+v\n%+v", out, tp, back)
		}
		if again := Format(back); string(again) != string(out) {
			t.Fatalf("Format not idempotent:\n%q\n%q", out, again)
		}
		// Rendering a parsed template never fails for structural reasons.
		r, err := tp.Render(SampleValues(tp), testNow)
		var ve *ValuesError
		if err != nil && !errors.As(err, &ve) {
			t.Fatalf("Render: %v", err)
		}
		for _, s := range r.Unfilled {
			if got := utf16Slice(r.Text, s.Start, s.End); got != "["+s.Label+"]" {
				t.Fatalf("slot %+v covers %q", s, got)
			}
		}
	})
}
