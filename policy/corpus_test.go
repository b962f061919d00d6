package policy

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The shared corpus (../shared/corpus beside the repository) is the product
// team's labelled set; ../shared/eval/score measures the built binary against
// it. This test holds the native engine to the same thresholds so a
// regression shows up in `go test`, with the misses listed.

type corpusReply struct {
	ID      string   `json:"id"`
	Text    string   `json:"text"`
	Expect  []string `json:"expect"`
	Clean   bool     `json:"clean"`
	NoError bool     `json:"no_error"`
	Context *Context `json:"context"`
}

type corpusBuyer struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Scenario string `json:"scenario"`
}

func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open corpus: %v (the shared corpus lives in ../shared/corpus beside the repository)", err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	return out
}

func sharedCorpus() string { return filepath.Join("..", "..", "shared", "corpus") }

func TestSharedCorpus(t *testing.T) {
	replies := readJSONL[corpusReply](t, filepath.Join(sharedCorpus(), "replies.jsonl"))
	hits, want, cleanOK, cleanN := 0, 0, 0, 0
	for _, r := range replies {
		ctx := Context{}
		if r.Context != nil {
			ctx = *r.Context
		}
		fs := Lint(r.Text, ctx)
		got := map[string]bool{}
		worst := Info
		for _, f := range fs {
			got[f.Rule] = true
			if f.Severity == Error || f.Severity == Warning && worst != Error {
				worst = f.Severity
			}
		}
		for _, e := range r.Expect {
			want++
			if got[e] {
				hits++
			} else {
				t.Logf("MISS %s %s: %q -> %v", e, r.ID, r.Text, fs)
			}
		}
		if r.Clean || r.NoError {
			cleanN++
			bad := r.Clean && worst != Info || r.NoError && worst == Error
			if bad {
				t.Logf("NOISE %s: %q -> %v", r.ID, r.Text, fs)
			} else {
				cleanOK++
			}
		}
	}
	recall := float64(hits) / float64(want)
	clean := float64(cleanOK) / float64(cleanN)
	t.Logf("recall %.3f (%d/%d) clean %.3f (%d/%d)", recall, hits, want, clean, cleanOK, cleanN)
	if recall < 0.95 || clean < 0.97 {
		t.Errorf("below the thresholds: recall %.3f (want >= 0.95), clean %.3f (want >= 0.97)", recall, clean)
	}

	buyers := readJSONL[corpusBuyer](t, filepath.Join(sharedCorpus(), "buyers.jsonl"))
	ok := 0
	for _, b := range buyers {
		c := Classify(b.Text)
		if c.Scenario == b.Scenario {
			ok++
		} else {
			t.Logf("SCENARIO %s: want %s got %s (%.2f): %q", b.ID, b.Scenario, c.Scenario, c.Confidence, b.Text)
		}
	}
	if acc := float64(ok) / float64(len(buyers)); acc < 0.90 {
		t.Errorf("scenario accuracy %.3f, want >= 0.90", acc)
	}
}
