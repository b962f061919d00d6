package templates

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/replyguard/replyguard/policy"
)

// LintFunc lints a rendered message: policy.Lint natively, or policy.wasm
// through the companion's wazero host.
type LintFunc func(text string, ctx policy.Context) ([]policy.Finding, error)

// NativeLint is a LintFunc calling the policy package directly.
func NativeLint(text string, ctx policy.Context) ([]policy.Finding, error) {
	return policy.Lint(text, ctx), nil
}

// Issue is a problem Check found, placed in the template file.
type Issue struct {
	File     string          `json:"file"`
	Line     int             `json:"line"`
	Col      int             `json:"col"`
	Severity policy.Severity `json:"severity"`
	Rule     string          `json:"rule"`
	Message  string          `json:"message"`
	// Field is set when the finding falls inside a placeholder's value.
	Field string `json:"field,omitempty"`
	// Sample names the rendering that produced it when a choice was varied,
	// e.g. "reason=wrong size".
	Sample string `json:"sample,omitempty"`
	// Excerpt is the flagged text of the rendered message.
	Excerpt string `json:"excerpt,omitempty"`
}

func (i Issue) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s %s: %s", i.File, i.Line, i.Col, i.Severity, i.Rule, i.Message)
	var notes []string
	if i.Excerpt != "" {
		notes = append(notes, fmt.Sprintf("%q", i.Excerpt))
	}
	if i.Field != "" {
		notes = append(notes, "in the value of {"+i.Field+"}")
	}
	if i.Sample != "" {
		notes = append(notes, "with "+i.Sample)
	}
	if len(notes) > 0 {
		b.WriteString(" (" + strings.Join(notes, ", ") + ")")
	}
	return b.String()
}

// Rules Check adds on top of the policy engine's.
const (
	RuleProactiveOrderID = "template-proactive-order-id"
	RuleSample           = "template-sample"
)

// SampleContext is the policy context Check lints with: the template's
// kind, an order placed 10 days before now and delivered 7 days before, so
// a proactive message sits inside Amazon's windows.
func SampleContext(t Template, now time.Time) policy.Context {
	return policy.Context{
		Kind:         t.Kind,
		Now:          now.UTC().Format(time.RFC3339),
		OrderDate:    now.AddDate(0, 0, -10).Format("2006-01-02"),
		DeliveryDate: now.AddDate(0, 0, -7).Format("2006-01-02"),
	}
}

// SampleValues returns realistic values for every field: its example, else
// nothing when a default applies, else a typical value of its type.
func SampleValues(t Template) map[string]string {
	v := map[string]string{}
	for _, f := range t.Fields {
		switch {
		case f.Example != "":
			v[f.Name] = f.Example
		case f.Default != "":
		default:
			v[f.Name] = typeSample(f)
		}
	}
	return v
}

func typeSample(f Field) string {
	switch f.Type {
	case TypeName:
		return "Maria"
	case TypeOrderID:
		return "114-3941689-8772232"
	case TypeDate:
		return "today+3bd"
	case TypeMoney:
		return "$24.99"
	case TypeCarrier:
		return "UPS"
	case TypeTracking:
		return "1Z999AA10123456784"
	case TypeChoice:
		return f.Options[0]
	case TypeNumber:
		return "3"
	default:
		return "the blue ceramic mug"
	}
}

// Check renders t with SampleValues (and once more for every other option
// of each choice), lints each rendering and places the findings in the
// template file. It also flags proactive templates without {order_id}. The
// error is for a broken template or a failing linter, not for findings.
func Check(t Template, lint LintFunc, now time.Time) ([]Issue, error) {
	var issues []Issue
	file := t.Source
	if file == "" {
		file = t.ID + FileExt
	}
	if t.Kind == KindProactive && !slices.ContainsFunc(t.Placeholders(), func(f Field) bool { return f.Type == TypeOrderID }) {
		issues = append(issues, Issue{File: file, Line: t.bodyLine, Col: 1, Severity: policy.Error, Rule: RuleProactiveOrderID,
			Message: "a proactive message must name the order: use {order_id}"})
	}
	type variant struct {
		name   string
		values map[string]string
	}
	base := SampleValues(t)
	variants := []variant{{"", base}}
	for _, f := range t.Fields {
		if f.Type != TypeChoice {
			continue
		}
		for _, o := range f.Options {
			cur, _ := f.normalize(base[f.Name])
			if cur == "" {
				cur, _ = f.normalize(f.Default)
			}
			if o == cur {
				continue
			}
			v := maps.Clone(base)
			v[f.Name] = o
			variants = append(variants, variant{f.Name + "=" + o, v})
		}
	}
	ctx := SampleContext(t, now)
	seen := map[string]bool{}
	for _, va := range variants {
		r, err := t.Render(va.values, now)
		var ve *ValuesError
		if errors.As(err, &ve) {
			issues = append(issues, Issue{File: file, Line: t.bodyLine, Col: 1, Severity: policy.Error, Rule: RuleSample,
				Message: "sample values do not render: " + ve.Error(), Sample: va.name})
			continue
		} else if err != nil {
			return nil, err
		}
		findings, err := lint(r.Text, ctx)
		if err != nil {
			return nil, fmt.Errorf("template %s: lint: %w", t.ID, err)
		}
		for _, f := range findings {
			field, off := r.Source(f.Start, t.Body)
			line, col := t.lineCol(off)
			is := Issue{File: file, Line: line, Col: col, Severity: f.Severity, Rule: f.Rule, Message: f.Message,
				Field: field, Sample: va.name, Excerpt: utf16Slice(r.Text, f.Start, f.End)}
			key := fmt.Sprintf("%d:%d:%s:%s", line, col, f.Rule, field)
			if seen[key] {
				continue
			}
			seen[key] = true
			issues = append(issues, is)
		}
	}
	slices.SortStableFunc(issues, func(a, b Issue) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		if a.Col != b.Col {
			return a.Col - b.Col
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	return issues, nil
}

// utf16Slice returns s[start:end] with UTF-16 offsets, clipped to s.
func utf16Slice(s string, start, end int) string {
	var b strings.Builder
	u := 0
	for _, c := range s {
		n := 1
		if c >= 0x10000 {
			n = 2
		}
		if u >= start && u < end {
			b.WriteRune(c)
		}
		u += n
		if u >= end {
			break
		}
	}
	return b.String()
}
