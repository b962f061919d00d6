package protocol

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/requests.golden")

// TestGoldenRequests runs every example in testdata/requests through the
// same parsing and validation as the server. The ok-* files are the
// documented examples (docs/protocol.md) and must be accepted; the bad-*
// files pin the exact error each problem produces. Regenerate with
// go test -run Golden -update.
func TestGoldenRequests(t *testing.T) {
	files, err := filepath.Glob("testdata/requests/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	var out strings.Builder
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		req, perr := ParseRequest(b)
		if perr == nil {
			_, perr = Decode(req)
		}
		switch {
		case perr == nil:
			fmt.Fprintf(&out, "%s: ok %s\n", name, req.Type)
			seen[req.Type] = true
		default:
			fmt.Fprintf(&out, "%s: re=%q %s: %s\n", name, req.ID, perr.Code, perr.Message)
		}
		if strings.HasPrefix(name, "ok-") != (perr == nil) {
			t.Errorf("%s: accepted=%v, %v", name, perr == nil, perr)
		}
	}
	for _, typ := range RequestTypes() {
		if !seen[typ] {
			t.Errorf("no ok- example for request type %q", typ)
		}
	}
	golden := "testdata/requests.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != out.String() {
		t.Errorf("output differs from %s (run with -update if intended):\n%s", golden, out.String())
	}
}
