package policy

import (
	"strings"
	"testing"
	"unicode/utf16"
)

// The rule ids DESIGN.md fixes: tests, templates and history refer to them.
var designRuleIDs = strings.Fields(`external-link insecure-link email-address phone-number off-amazon-contact
	off-amazon-sale extra-payment promotional-content review-incentive review-manipulation feedback-removal-exchange
	opt-out-link emoji hostile-tone html-markup pii-request excess-line-breaks shouting misspelling invalid-order-id
	missing-order-id proactive-window redundant-notification review-request-repeat cancel-request-ask overpromise
	length-limit feedback-removal-pressure`)

func TestCatalogHasEveryDesignRule(t *testing.T) {
	byID := map[string]Rule{}
	for _, r := range Rules() {
		if _, dup := byID[r.ID]; dup {
			t.Errorf("rule %s listed twice", r.ID)
		}
		byID[r.ID] = r
	}
	for _, id := range designRuleIDs {
		r, ok := byID[id]
		if !ok {
			t.Errorf("rule %s from DESIGN.md is missing from the catalog", id)
			continue
		}
		if r.Title == "" || r.Rationale == "" || !strings.HasPrefix(r.PolicyURL, "https://") {
			t.Errorf("rule %s needs a title, a rationale and a policy link", id)
		}
		var bad, good int
		for _, e := range r.Examples {
			if e.Violates {
				bad++
			} else {
				good++
			}
		}
		if bad == 0 || good == 0 {
			t.Errorf("rule %s needs at least one violating and one compliant example (has %d, %d)", id, bad, good)
		}
	}
}

// Every example in the catalog runs as a test, as Vale and Harper do.
func TestRuleExamples(t *testing.T) {
	for _, r := range Rules() {
		for _, e := range r.Examples {
			ctx := Context{}
			if e.Context != nil {
				ctx = *e.Context
			}
			fs := Lint(e.Text, ctx)
			found := false
			for _, f := range fs {
				if f.Rule == r.ID {
					found = true
				}
			}
			if found != e.Violates {
				t.Errorf("%s: example %q: violates=%v but found=%v; findings %v", r.ID, short(e.Text), e.Violates, found, fs)
			}
		}
	}
}

// Every rule the engine emits is in the catalog, with the catalog's severity
// or a milder one.
func TestFindingsNameCatalogRules(t *testing.T) {
	sev := map[string]Severity{}
	for _, r := range Rules() {
		sev[r.ID] = r.Severity
	}
	rank := map[Severity]int{Info: 0, Warning: 1, Error: 2}
	for _, r := range Rules() {
		for _, e := range r.Examples {
			ctx := Context{}
			if e.Context != nil {
				ctx = *e.Context
			}
			for _, f := range Lint(e.Text, ctx) {
				s, ok := sev[f.Rule]
				if !ok {
					t.Errorf("finding for unknown rule %q", f.Rule)
				} else if rank[f.Severity] > rank[s] {
					t.Errorf("rule %s emitted %s, above its catalog severity %s", f.Rule, f.Severity, s)
				}
			}
		}
	}
}

func short(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// spanText returns the text of a finding's span, counting UTF-16 units.
func spanText(text string, f Finding) string {
	u := utf16.Encode([]rune(text))
	return string(utf16.Decode(u[f.Start:f.End]))
}

func TestLastWord(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"5-star review", "review"},
		{"five star  review", "review"},
		{"review", "review"},
		{"5\u00a0star\u00a0review", "review"},
		{"café\u00a0reviews", "reviews"},
		{"", ""},
		{"end-", ""},
	} {
		if got := lastWord(c.in); got != c.want {
			t.Errorf("lastWord(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
