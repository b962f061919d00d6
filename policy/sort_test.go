package policy

import "testing"

// TestFindingsOrdered covers both of sortOut's paths: a few findings
// (insertion) and hundreds (merge), each ordered by Start, End, Rule.
func TestFindingsOrdered(t *testing.T) {
	for _, n := range []int{400, 20000} {
		fs := Lint(benchText(n), Context{})
		if n == 20000 && len(fs) <= 32 {
			t.Fatalf("%d findings; the test needs more than 32 to reach the merge sort", len(fs))
		}
		for i := 1; i < len(fs); i++ {
			a, b := fs[i-1], fs[i]
			if a.Start > b.Start || a.Start == b.Start && (a.End > b.End || a.End == b.End && a.Rule > b.Rule) {
				t.Fatalf("text of %d: findings %d and %d out of order: %+v, %+v", n, i-1, i, a, b)
			}
		}
	}
}

// TestAppendLintAppends checks that AppendLint keeps what dst held and adds
// what Lint finds, and that reusing one slice gives each text its own
// answer.
func TestAppendLintAppends(t *testing.T) {
	ctx := Context{Kind: "reply"}
	a, b := "Call me at 312-555-0187 😊", "Thanks for your order, it ships today."
	want := Lint(a, ctx)
	prior := Finding{Rule: "prior"}
	got := AppendLint([]Finding{prior}, a, ctx)
	if len(got) != len(want)+1 || got[0] != prior {
		t.Fatalf("AppendLint kept %v and found %d, want the prior finding and %d", got[:1], len(got)-1, len(want))
	}
	for i := range want {
		if got[i+1].Rule != want[i].Rule || got[i+1].Start != want[i].Start || got[i+1].End != want[i].End {
			t.Fatalf("finding %d: %+v, want %+v", i, got[i+1], want[i])
		}
	}
	reused := AppendLint(got[:0], b, ctx)
	if fresh := Lint(b, ctx); len(reused) != len(fresh) {
		t.Fatalf("reused slice: %d findings for the second text, want %d", len(reused), len(fresh))
	}
	if empty := AppendLint(nil, "", ctx); empty == nil || len(empty) != 0 {
		t.Fatalf("AppendLint(nil, \"\") = %#v, want an empty non-nil slice", empty)
	}
}
