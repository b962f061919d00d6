package templates

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Slot is a placeholder left unfilled in a rendered text, shown as
// "[Label]". Start and End are UTF-16 code units of Rendered.Text, covering
// the brackets, so the extension can select the marker.
type Slot struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Rendered is a template with its values filled in.
type Rendered struct {
	Text string `json:"text"`
	// Unfilled lists the markers left in Text, in order.
	Unfilled []Slot `json:"unfilled"`

	pieces []piece
}

// piece maps a stretch [start, end) of Text (UTF-16) to its source.
type piece struct {
	start, end int
	field      string // "" for literal text
	src        int    // byte offset in Body of the literal or placeholder
}

// ValueProblem is one missing or mistyped value.
type ValueProblem struct {
	Name    string `json:"name"`
	Label   string `json:"label"`
	Value   string `json:"value,omitempty"`
	Problem string `json:"problem"`
	Missing bool   `json:"missing"`
}

// ValuesError lists every missing or mistyped value of one Render call.
type ValuesError struct {
	Template string
	Problems []ValueProblem
}

func (e *ValuesError) Error() string {
	s := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		if p.Missing {
			s[i] = fmt.Sprintf("%s: %s", p.Name, p.Problem)
		} else {
			s[i] = fmt.Sprintf("%s: %q %s", p.Name, p.Value, p.Problem)
		}
	}
	return fmt.Sprintf("template %s: %s", e.Template, strings.Join(s, "; "))
}

// OnlyMissing reports whether every problem is a missing value (nothing
// mistyped), i.e. the text is fine to insert with its markers.
func (e *ValuesError) OnlyMissing() bool {
	for _, p := range e.Problems {
		if !p.Missing {
			return false
		}
	}
	return true
}

// Render fills the placeholders from values (by field name; names the
// template does not use are ignored, so one map can serve every template).
// now anchors "today" in date values and defaults.
//
// A missing or mistyped value leaves its marker in the text and is reported
// in a *ValuesError; the Rendered result is complete either way. Any other
// error means the template itself is broken.
func (t Template) Render(values map[string]string, now time.Time) (Rendered, error) {
	parts, err := parseBody(t.Body)
	if err != nil {
		return Rendered{}, fmt.Errorf("template %s: body: %w", t.ID, err)
	}
	r := resolver{t: t, values: values, today: day(now), done: map[string]resolved{}}
	var out Rendered
	var b strings.Builder
	pos := 0
	write := func(s string, field string, src int) {
		b.WriteString(s)
		n := utf16Len(s)
		out.pieces = append(out.pieces, piece{start: pos, end: pos + n, field: field, src: src})
		pos += n
	}
	for _, p := range parts {
		if p.field == "" {
			write(p.text, "", p.src)
			continue
		}
		v := r.resolve(p.field)
		if v.err != nil {
			return Rendered{}, v.err
		}
		if v.ok {
			write(v.text, p.field, p.src)
			continue
		}
		f, _ := t.Field(p.field)
		marker := "[" + f.Label + "]"
		out.Unfilled = append(out.Unfilled, Slot{Name: p.field, Label: f.Label, Start: pos, End: pos + utf16Len(marker)})
		write(marker, p.field, p.src)
	}
	out.Text = b.String()
	if len(r.problems) > 0 {
		// Report in order of first use, then date bases.
		ve := &ValuesError{Template: t.ID}
		var order []string
		for _, p := range parts {
			order = append(order, p.field)
		}
		for _, f := range t.Fields {
			order = append(order, f.Name)
		}
		for _, name := range order {
			if pr, ok := r.problems[name]; ok {
				ve.Problems = append(ve.Problems, pr)
				delete(r.problems, name)
			}
		}
		return out, ve
	}
	return out, nil
}

type resolved struct {
	text string
	date time.Time
	ok   bool
	err  error // the template is broken (unknown field)
}

type resolver struct {
	t        Template
	values   map[string]string
	today    time.Time
	done     map[string]resolved
	problems map[string]ValueProblem
	depth    int
}

func (r *resolver) problem(f Field, value, msg string, missing bool) {
	if r.problems == nil {
		r.problems = map[string]ValueProblem{}
	}
	r.problems[f.Name] = ValueProblem{Name: f.Name, Label: f.Label, Value: value, Problem: msg, Missing: missing}
}

func (r *resolver) resolve(name string) resolved {
	if v, ok := r.done[name]; ok {
		return v
	}
	f, ok := r.t.Field(name)
	if !ok {
		return resolved{err: fmt.Errorf("template %s: placeholder {%s} has no field", r.t.ID, name)}
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > len(r.t.Fields)+1 {
		return resolved{err: fmt.Errorf("template %s: date defaults of %s loop", r.t.ID, name)}
	}
	v := r.compute(f)
	r.done[name] = v
	return v
}

func (r *resolver) compute(f Field) resolved {
	raw := strings.TrimSpace(r.values[f.Name])
	if f.Type != TypeDate {
		if raw == "" {
			if f.Default == "" {
				r.problem(f, "", "is missing", true)
				return resolved{}
			}
			raw = f.Default
		}
		s, err := f.normalize(raw)
		if err != nil {
			r.problem(f, raw, err.Error(), false)
			return resolved{}
		}
		return resolved{text: s, ok: true}
	}
	fromDefault := raw == ""
	if fromDefault {
		raw = f.Default
		if raw == "" {
			r.problem(f, "", "is missing", true)
			return resolved{}
		}
	}
	e, err := parseDateExpr(raw, fromDefault)
	if err != nil {
		if fromDefault {
			return resolved{err: fmt.Errorf("template %s: field %s: default %q %v", r.t.ID, f.Name, raw, err)}
		}
		r.problem(f, raw, err.Error(), false)
		return resolved{}
	}
	var d time.Time
	switch {
	case e.hasLit:
		d = e.literal
	case e.base != "":
		b := r.resolve(e.base)
		if b.err != nil {
			return b
		}
		if !b.ok {
			r.problem(f, "", "is missing (it is computed from "+e.base+", which has no value)", true)
			return resolved{}
		}
		d = b.date
	default:
		d = r.today
	}
	d = addDays(d, e.offset, e.business)
	return resolved{text: formatDate(f, d), date: d, ok: true}
}

func utf16Len(s string) int {
	n := 0
	for _, c := range s {
		n += utf16.RuneLen(c)
	}
	return n
}

// Source maps a UTF-16 offset of Text to where it came from: the
// placeholder's field name (empty for literal text) and the byte offset in
// the template body.
func (r Rendered) Source(pos int, body string) (field string, bodyOffset int) {
	for _, p := range r.pieces {
		if pos < p.start || pos >= p.end {
			continue
		}
		if p.field != "" {
			return p.field, p.src
		}
		// Walk the literal to the byte matching pos; "{{" and "}}" in the
		// body are one character of text.
		off, u := p.src, p.start
		for off < len(body) && u < pos {
			if strings.HasPrefix(body[off:], "{{") || strings.HasPrefix(body[off:], "}}") {
				off += 2
				u++
				continue
			}
			c, size := utf8.DecodeRuneInString(body[off:])
			off += size
			u += utf16.RuneLen(c)
		}
		return "", off
	}
	return "", len(body)
}
