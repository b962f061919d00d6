package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// FuzzJSONL: any byte stream gives exactly one valid JSON output line per
// non-blank input line, in order, each carrying the input's id (or null),
// and never a panic. The answer function is the identity on the text so
// the framing, not the engine, is under test here.
func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"text":"a"}` + "\n" + `{"id":"b","text":"😀","context":{"kind":"x"}}`,
		"\n\n  \r\n{\"id\":[1,{}],\"text\":\"\"}\r\n",
		"not json\n{\"text\":5}\n{\"id\":\"z\"}",
		"{\"id\":\"\xff\",\"text\":\"x\"}",
		`{"id":1,"text":"a"}{"id":2,"text":"b"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		bad, err := runJSONL(context.Background(), "fuzz", bytes.NewReader(in), &out, io.Discard,
			func(_ context.Context, rec *jsonlRecord) ([]byte, error) {
				ans, _ := json.Marshal(map[string]string{"echo": *rec.Text})
				return withID(rec.ID, ans), nil
			})
		if err != nil {
			t.Fatal(err)
		}
		var want int
		for _, l := range strings.Split(string(in), "\n") {
			if strings.TrimSpace(l) != "" {
				want++
			}
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if out.Len() == 0 {
			lines = nil
		}
		if len(lines) != want {
			t.Fatalf("%d output lines for %d records:\n%s", len(lines), want, out.String())
		}
		errs := 0
		for _, l := range lines {
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("output line is not JSON: %v: %q", err, l)
			}
			if _, ok := m["id"]; !ok {
				t.Fatalf("output line without id: %s", l)
			}
			if _, ok := m["error"]; ok {
				errs++
			} else if _, ok := m["echo"]; !ok {
				t.Fatalf("neither answer nor error: %s", l)
			}
		}
		if errs != bad {
			t.Fatalf("%d error lines, runJSONL counted %d", errs, bad)
		}
	})
}

// Order is kept even when later lines finish first.
func TestJSONLKeepsOrder(t *testing.T) {
	var in strings.Builder
	for i := 0; i < 200; i++ {
		in.WriteString(`{"id":` + itoa(i) + `,"text":"` + strings.Repeat("x", 200-i) + `"}` + "\n")
	}
	var out bytes.Buffer
	_, err := runJSONL(context.Background(), "t", strings.NewReader(in.String()), &out, io.Discard,
		func(_ context.Context, rec *jsonlRecord) ([]byte, error) {
			return withID(rec.ID, []byte(`{}`)), nil
		})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if want := `{"id":` + itoa(i) + `}`; l != want {
			t.Fatalf("line %d = %s, want %s", i, l, want)
		}
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
