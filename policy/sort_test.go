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
