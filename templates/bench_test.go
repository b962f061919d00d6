package templates

import "testing"

// BenchmarkBuiltin parses the embedded library, as the companion does at
// start and the CLI on every command.
func BenchmarkBuiltin(b *testing.B) {
	for b.Loop() {
		if _, err := Builtin(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender renders one template with values, as a websocket
// templates.render request does.
func BenchmarkRender(b *testing.B) {
	ts, err := Builtin()
	if err != nil {
		b.Fatal(err)
	}
	var tp Template
	for _, t := range ts {
		if t.ID == "delivered-not-found" {
			tp = t
		}
	}
	vals := SampleValues(tp)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tp.Render(vals, testNow); err != nil {
			b.Fatal(err)
		}
	}
}
