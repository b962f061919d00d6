package store

import "github.com/replyguard/replyguard/policy"

// FindingsFrom converts the policy engine's findings to the stored form.
func FindingsFrom(fs []policy.Finding) []Finding {
	out := make([]Finding, len(fs))
	for i, f := range fs {
		out[i] = Finding{Rule: f.Rule, Severity: string(f.Severity), Start: f.Start, End: f.End, Line: f.Line, Col: f.Col, Message: f.Message}
		if f.Fix != nil {
			out[i].Fix = &Fix{Replacement: f.Fix.Replacement}
		}
	}
	return out
}

// PolicyFindings converts stored findings back to the policy engine's form.
func PolicyFindings(fs []Finding) []policy.Finding {
	out := make([]policy.Finding, len(fs))
	for i, f := range fs {
		out[i] = policy.Finding{Rule: f.Rule, Severity: policy.Severity(f.Severity), Start: f.Start, End: f.End, Line: f.Line, Col: f.Col, Message: f.Message}
		if f.Fix != nil {
			out[i].Fix = &policy.Fix{Replacement: f.Fix.Replacement}
		}
	}
	return out
}
