package templates

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/replyguard/replyguard/policy"
)

// violations are things a seller might type into a free-text placeholder.
// Each must still be caught after rendering: a template must never launder
// a violation by wrapping it in clean text.
var violations = []struct {
	rule  string
	value string
	probe string // a plain sentence the engine must flag for the test to apply
}{
	{"email-address", "anna.k@yahoo.com", "Reach me at anna.k@yahoo.com if you need anything else."},
	{"external-link", "https://oakridge-home.com/help", "More details on https://oakridge-home.com/help today."},
	{"external-link", "oakridgehome.net", "More details on our homepage, oakridgehome.net."},
	{"phone-number", "call 312-555-0187", "Give us a call on 312-555-0187 and we will sort it out."},
	{"promotional-content", "use code WINTER15 for 15% off your next order", "Use code WINTER15 for 15% off your next order with us."},
	{"off-amazon-contact", "message us on WhatsApp", "Ping us on Signal or WhatsApp for a quicker answer."},
	{"emoji", "thanks 😊", "Enjoy your new mug 😊 and have a great day."},
	{"review-incentive", "a $5 gift card for a review", "Post a review with a video and receive a $5 gift card."},
	{"html-markup", "<b>the blue one</b>", "<div align=\"center\">Thank you for shopping with us</div>"},
	{"hostile-tone", "you are lying to us", "Stop lying, the camera shows the driver left it at your door."},
}

func hasRule(fs []policy.Finding, rule string) bool {
	return slices.ContainsFunc(fs, func(f policy.Finding) bool { return f.Rule == rule })
}

// TestViolationsInValuesAreCaught types each violation into every free-form
// placeholder (text, name, carrier) of every built-in and renders it. Either
// the placeholder's type refuses the value, or the policy engine must flag
// it inside that placeholder's value: nothing gets through. A violation the
// engine does not yet detect in a plain sentence is skipped (the engine is
// filled in separately); once it does, this test holds templates to it.
func TestViolationsInValuesAreCaught(t *testing.T) {
	for _, v := range violations {
		t.Run(v.rule+"/"+v.value, func(t *testing.T) {
			if !hasRule(policy.Lint(v.probe, policy.Context{}), v.rule) {
				t.Skipf("policy engine does not flag %s in %q yet", v.rule, v.probe)
			}
			tried := 0
			for _, tp := range builtins(t) {
				for _, f := range tp.Placeholders() {
					if f.Type != TypeText && f.Type != TypeName && f.Type != TypeCarrier {
						continue
					}
					limit := f.Max
					if limit == 0 {
						limit = DefaultTextMax
					}
					if utf8.RuneCountInString(v.value) > limit {
						continue
					}
					tried++
					vals := SampleValues(tp)
					vals[f.Name] = v.value
					r, err := tp.Render(vals, testNow)
					var ve *ValuesError
					if errors.As(err, &ve) && len(ve.Problems) == 1 && ve.Problems[0].Name == f.Name && !ve.Problems[0].Missing {
						continue // the type refused it
					}
					if err != nil {
						t.Fatalf("%s: %v", tp.ID, err)
					}
					findings := policy.Lint(r.Text, SampleContext(tp, testNow))
					caught := slices.ContainsFunc(findings, func(fd policy.Finding) bool {
						field, _ := r.Source(fd.Start, tp.Body)
						return fd.Rule == v.rule && field == f.Name
					})
					if !caught {
						t.Errorf("%s: %q in {%s} not flagged as %s after rendering; findings %v\n%s", tp.ID, v.value, f.Name, v.rule, rules(findings), r.Text)
					}
					// Check reports it at the placeholder, naming the field.
					issues, err := Check(withSample(tp, f.Name, v.value), NativeLint, testNow)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.ContainsFunc(issues, func(is Issue) bool { return is.Rule == v.rule && is.Field == f.Name && is.Line > 0 }) {
						t.Errorf("%s: Check did not place %s in {%s}: %v", tp.ID, v.rule, f.Name, issues)
					}
				}
			}
			if tried < 10 {
				t.Errorf("only %d placeholders tried", tried)
			}
		})
	}
}

// withSample returns tp with field name's example replaced, as a seller
// editing the template would.
func withSample(tp Template, name, value string) Template {
	fs := slices.Clone(tp.Fields)
	for i := range fs {
		if fs[i].Name == name {
			fs[i].Example = value
		}
	}
	tp.Fields = fs
	return tp
}

func rules(fs []policy.Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, fmt.Sprintf("%s@%d", f.Rule, f.Start))
	}
	return strings.Join(s, ",")
}

// TestProactiveContext renders every proactive built-in in a proactive
// context: clean inside Amazon's 30-day window, flagged outside it, and
// flagged when the order id is left unfilled.
func TestProactiveContext(t *testing.T) {
	probeWindow := hasRule(policy.Lint("Regarding order 208-5522190-3390045: how are you enjoying the sofa?",
		policy.Context{Kind: "proactive", OrderDate: "2026-08-15", Now: "2026-11-16T09:00:00Z"}), "proactive-window")
	probeMissing := hasRule(policy.Lint("We want to confirm the delivery window for your sofa. Is Saturday morning okay?",
		policy.Context{Kind: "proactive", OrderDate: "2026-11-15", Now: "2026-11-16T09:00:00Z"}), "missing-order-id")
	n := 0
	for _, tp := range builtins(t) {
		if tp.Kind != KindProactive {
			continue
		}
		n++
		ctx := SampleContext(tp, testNow)
		if ctx.Kind != "proactive" {
			t.Fatalf("%s: context kind %q", tp.ID, ctx.Kind)
		}
		r, err := tp.Render(SampleValues(tp), testNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range policy.Lint(r.Text, ctx) {
			if f.Severity != policy.Info {
				t.Errorf("%s: %s %s in proactive context", tp.ID, f.Severity, f.Rule)
			}
		}
		if probeWindow {
			late := ctx
			late.OrderDate = testNow.AddDate(0, 0, -45).Format("2006-01-02")
			late.DeliveryDate = testNow.AddDate(0, 0, -40).Format("2006-01-02")
			if !hasRule(policy.Lint(r.Text, late), "proactive-window") {
				t.Errorf("%s: not flagged 45 days after the order", tp.ID)
			}
		}
		if probeMissing {
			vals := SampleValues(tp)
			delete(vals, "order_id")
			r, _ := tp.Render(vals, testNow)
			if !hasRule(policy.Lint(r.Text, ctx), "missing-order-id") {
				t.Errorf("%s: no missing-order-id with the order id unfilled:\n%s", tp.ID, r.Text)
			}
		}
	}
	// A second review request for the same order is flagged.
	tp := builtinByID(t, "review-request-neutral")
	r, _ := tp.Render(SampleValues(tp), testNow)
	again := SampleContext(tp, testNow)
	again.PreviousReviewRequests = 1
	if hasRule(policy.Lint("Would you leave a review of the lamp?", policy.Context{PreviousReviewRequests: 1}), "review-request-repeat") &&
		!hasRule(policy.Lint(r.Text, again), "review-request-repeat") {
		t.Errorf("review-request-neutral: a second request is not flagged")
	}
	if n < 5 {
		t.Errorf("only %d proactive templates", n)
	}
	if !probeWindow || !probeMissing {
		t.Logf("engine probes: proactive-window=%v missing-order-id=%v (unflagged parts skipped)", probeWindow, probeMissing)
	}
}
