package templates

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/replyguard/replyguard/policy"
)

// ParseError is one problem in a template file. Line and Col are 1-based;
// Col is 0 when the problem concerns a whole line. Col counts characters.
type ParseError struct {
	File string
	Line int
	Col  int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// ErrorList is every problem Parse found, in file order.
type ErrorList []*ParseError

func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// MaxFileSize bounds a template file; real ones are a few KB.
const MaxFileSize = 64 << 10

type parser struct {
	file string
	errs ErrorList
}

func (p *parser) errorf(line, col int, format string, args ...any) {
	p.errs = append(p.errs, &ParseError{File: p.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

type entry struct {
	key, value string
	line       int
	col        int // column where value starts
}

// Parse reads one template file. name is used in error messages and kept in
// Template.Source. The error, if any, is an ErrorList.
func Parse(name string, data []byte) (Template, error) {
	p := &parser{file: name}
	t := Template{Source: name}
	if len(data) > MaxFileSize {
		p.errorf(1, 0, "file is %d bytes, more than the %d allowed", len(data), MaxFileSize)
		return Template{}, p.errs
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		p.errorf(line, 0, "file is not valid UTF-8")
		return Template{}, p.errs
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")

	var entries []entry
	bodyStart := -1
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		switch {
		case strings.TrimRight(ln, " \t") == "---":
			bodyStart = i + 1
		case strings.TrimSpace(ln) == "":
			if strings.TrimSpace(strings.Join(lines[i:], "")) == "" {
				// Only blank lines left: there is no body at all.
				break
			}
			bodyStart = i + 1
			// "header, blank line, ---" is one separator, not a body
			// starting with "---".
			if i+1 < len(lines) && strings.TrimRight(lines[i+1], " \t") == "---" {
				bodyStart = i + 2
			}
		case strings.HasPrefix(ln, "#"):
			continue
		case ln[0] == ' ' || ln[0] == '\t':
			if len(entries) == 0 {
				p.errorf(i+1, 1, "continuation line before any \"key: value\" line")
				continue
			}
			e := &entries[len(entries)-1]
			e.value += " " + strings.TrimSpace(ln)
			continue
		default:
			k, v, ok := strings.Cut(ln, ":")
			if !ok || !validKey(k) {
				p.errorf(i+1, 1, "expected \"key: value\" or the \"---\" line that starts the body, got %q", clip(ln))
				continue
			}
			col := utf8.RuneCountInString(k) + 2
			trimmed := strings.TrimLeft(v, " \t")
			col += utf8.RuneCountInString(v) - utf8.RuneCountInString(trimmed) - 1
			entries = append(entries, entry{key: k, value: strings.TrimRight(trimmed, " \t"), line: i + 1, col: col + 1})
			continue
		}
		break
	}
	if bodyStart < 0 {
		p.errorf(len(lines), 0, "no \"---\" line: a template is a header, a line \"---\", then the body")
		return Template{}, p.errs
	}

	// Body: from the separator on, without blank lines at either end.
	for bodyStart < len(lines) && strings.TrimSpace(lines[bodyStart]) == "" {
		bodyStart++
	}
	t.bodyLine = min(bodyStart+1, len(lines))
	if bodyStart < len(lines) {
		t.Body = strings.TrimRight(strings.Join(lines[bodyStart:], "\n"), " \t\n")
	}

	declared, broken := p.header(&t, entries)
	p.fields(&t, declared, broken)
	p.validate(&t)
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b *ParseError) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Col - b.Col
		})
		return Template{}, p.errs
	}
	return t, nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func validKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r == '-') {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		return string(r[:40]) + "..."
	}
	return s
}

// header fills t from the entries and returns the declared fields.
func (p *parser) header(t *Template, entries []entry) (fields []Field, broken map[string]bool) {
	seen := map[string]int{}
	broken = map[string]bool{}
	for _, e := range entries {
		if e.key != "field" {
			if prev, dup := seen[e.key]; dup {
				p.errorf(e.line, 1, "%q given twice (first on line %d)", e.key, prev)
				continue
			}
			seen[e.key] = e.line
		}
		switch e.key {
		case "id":
			t.ID = e.value
			if !validID(t.ID) {
				p.errorf(e.line, e.col, "id %q: use 2 to 64 lowercase letters, digits and dashes, starting with a letter", t.ID)
			}
		case "title":
			t.Title = collapse(e.value)
		case "scenarios":
			t.Scenarios = splitList(e.value)
			for _, s := range t.Scenarios {
				if !knownScenario(s) {
					p.errorf(e.line, e.col, "unknown scenario %q (known: %s)", s, strings.Join(policy.Scenarios, ", "))
				}
			}
			if len(t.Scenarios) == 0 {
				p.errorf(e.line, e.col, "scenarios: list at least one scenario id")
			}
		case "kind":
			t.Kind = e.value
			if t.Kind != KindReply && t.Kind != KindProactive {
				p.errorf(e.line, e.col, "kind must be %q or %q, not %q", KindReply, KindProactive, t.Kind)
			}
		case "action":
			t.Action = e.value
			if !slices.Contains(Actions, t.Action) {
				p.errorf(e.line, e.col, "unknown Messaging API action %q (known: %s)", t.Action, strings.Join(Actions, ", "))
			}
		case "reason":
			t.Reason = collapse(e.value)
		case "attachments":
			t.Attachments = splitList(e.value)
			for _, a := range t.Attachments {
				if !slices.Contains(Attachments, a) {
					p.errorf(e.line, e.col, "unknown attachment %q (known: %s)", a, strings.Join(Attachments, ", "))
				}
			}
		case "guidance":
			t.Guidance = collapse(e.value)
		case "field":
			if f, ok := p.field(e); ok {
				fields = append(fields, f)
			} else if f.Name != "" {
				broken[f.Name] = true
			}
		default:
			p.errorf(e.line, 1, "unknown key %q (known: id, title, scenarios, kind, action, reason, attachments, guidance, field)", e.key)
		}
	}
	return fields, broken
}

func validID(s string) bool {
	if len(s) < 2 || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func validFieldName(s string) bool {
	if s == "" || len(s) > 40 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// token is one word of a field line: a bare or quoted word, or key=value.
type token struct {
	key    string // set for key=value
	hasKey bool
	val    string
	col    int
}

// tokenize splits a field declaration into words. A word may mix bare and
// "quoted" runs (Go string syntax); '=' outside quotes before any quote
// makes it key=value.
func tokenize(s string, col0 int) ([]token, *ParseError) {
	var toks []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if rs[i] == ' ' || rs[i] == '\t' {
			i++
			continue
		}
		tok := token{col: col0 + i}
		var b strings.Builder
		quoted := false
		for i < len(rs) && rs[i] != ' ' && rs[i] != '\t' {
			switch {
			case rs[i] == '"':
				j := i + 1
				for j < len(rs) && rs[j] != '"' {
					if rs[j] == '\\' {
						j++
					}
					j++
				}
				if j >= len(rs) {
					return nil, &ParseError{Col: col0 + i, Msg: "unterminated quoted string"}
				}
				v, err := strconv.Unquote(string(rs[i : j+1]))
				if err != nil {
					return nil, &ParseError{Col: col0 + i, Msg: "bad quoted string " + string(rs[i:j+1])}
				}
				b.WriteString(v)
				quoted = true
				i = j + 1
			case rs[i] == '=' && !quoted && !tok.hasKey:
				tok.hasKey = true
				tok.key = b.String()
				b.Reset()
				i++
			default:
				b.WriteRune(rs[i])
				i++
			}
		}
		tok.val = b.String()
		toks = append(toks, tok)
	}
	return toks, nil
}

// field parses "name type ["Label"] [key=value ...]".
func (p *parser) field(e entry) (Field, bool) {
	toks, perr := tokenize(e.value, e.col)
	if perr != nil {
		p.errorf(e.line, perr.Col, "field: %s", perr.Msg)
		return Field{}, false
	}
	if len(toks) < 2 || toks[0].hasKey || toks[1].hasKey {
		p.errorf(e.line, e.col, "field: expected `name type [\"Label\"] [key=value ...]`, e.g. field: return_by date \"Return by\" default=today+30d")
		return Field{}, false
	}
	f := Field{Name: toks[0].val, Type: toks[1].val, line: e.line}
	ok := true
	if !validFieldName(f.Name) {
		p.errorf(e.line, toks[0].col, "field name %q: use lowercase letters, digits and _, starting with a letter", f.Name)
		ok = false
	}
	if !slices.Contains(fieldTypes, f.Type) {
		p.errorf(e.line, toks[1].col, "field %s: unknown type %q (known: %s)", f.Name, f.Type, strings.Join(fieldTypes, ", "))
		return Field{Name: f.Name}, false
	}
	rest := toks[2:]
	if len(rest) > 0 && !rest[0].hasKey {
		f.Label = rest[0].val
		rest = rest[1:]
	} else {
		f.Label = label(f.Name)
	}
	if f.Label == "" || strings.ContainsFunc(f.Label, unicode.IsControl) || strings.ContainsAny(f.Label, "[]") {
		p.errorf(e.line, e.col, "field %s: the label must be one line of text without brackets", f.Name)
		ok = false
	}
	seen := map[string]bool{}
	var hasDefault, hasExample bool
	for _, tk := range rest {
		if !tk.hasKey {
			p.errorf(e.line, tk.col, "field %s: unexpected %q (quote a label with spaces; options are key=value)", f.Name, tk.val)
			ok = false
			continue
		}
		if seen[tk.key] {
			p.errorf(e.line, tk.col, "field %s: %s given twice", f.Name, tk.key)
			ok = false
			continue
		}
		seen[tk.key] = true
		switch tk.key {
		case "default":
			f.Default, hasDefault = tk.val, true
		case "example":
			f.Example, hasExample = tk.val, true
		case "format":
			if f.Type != TypeDate {
				p.errorf(e.line, tk.col, "field %s: format= applies to dates only", f.Name)
				ok = false
			} else if _, known := DateFormats[tk.val]; !known {
				p.errorf(e.line, tk.col, "field %s: unknown date format %q (known: %s)", f.Name, tk.val, strings.Join(dateFormatNames(), ", "))
				ok = false
			}
			f.Format = tk.val
		case "options":
			if f.Type != TypeChoice {
				p.errorf(e.line, tk.col, "field %s: options= applies to choices only", f.Name)
				ok = false
				continue
			}
			for _, o := range strings.Split(tk.val, "|") {
				o = strings.TrimSpace(o)
				switch {
				case o == "" || strings.ContainsFunc(o, unicode.IsControl):
					p.errorf(e.line, tk.col, "field %s: empty or multi-line option in %q", f.Name, tk.val)
					ok = false
				case slices.Contains(f.Options, o):
					p.errorf(e.line, tk.col, "field %s: option %q listed twice", f.Name, o)
					ok = false
				default:
					f.Options = append(f.Options, o)
				}
			}
		case "max":
			n, err := strconv.Atoi(tk.val)
			switch {
			case f.Type != TypeText:
				p.errorf(e.line, tk.col, "field %s: max= applies to text only", f.Name)
				ok = false
			case err != nil || n < 1 || n > 5000:
				p.errorf(e.line, tk.col, "field %s: max must be a whole number from 1 to 5000", f.Name)
				ok = false
			}
			f.Max = n
		default:
			p.errorf(e.line, tk.col, "field %s: unknown option %q (known: default, example, format, options, max)", f.Name, tk.key)
			ok = false
		}
	}
	if f.Type == TypeChoice && len(f.Options) < 2 && ok {
		p.errorf(e.line, e.col, "field %s: a choice needs options=\"first|second\" with at least two options", f.Name)
		ok = false
	}
	if !ok {
		return Field{Name: f.Name}, false
	}
	// Defaults and examples must themselves be valid values. Date defaults
	// are expressions whose base is checked once all fields are known.
	if hasDefault {
		if err := checkLiteral(f, f.Default, true); err != "" {
			p.errorf(e.line, e.col, "field %s: default %q: %s", f.Name, f.Default, err)
			ok = false
		}
	}
	if hasExample {
		if err := checkLiteral(f, f.Example, false); err != "" {
			p.errorf(e.line, e.col, "field %s: example %q: %s", f.Name, f.Example, err)
			ok = false
		}
	}
	return f, ok
}

func checkLiteral(f Field, v string, isDefault bool) string {
	if f.Type == TypeDate {
		if _, err := parseDateExpr(v, isDefault); err != nil {
			return err.Error()
		}
		return ""
	}
	if _, err := f.normalize(v); err != nil {
		return err.Error()
	}
	return ""
}

func dateFormatNames() []string {
	var n []string
	for k := range DateFormats {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

// fields resolves the body's placeholders against the declared fields and
// the standard ones, and orders t.Fields by first use.
func (p *parser) fields(t *Template, declared []Field, broken map[string]bool) {
	parts, err := parseBody(t.Body)
	if err != nil {
		be := err.(*bodyError)
		line, col := t.lineCol(be.offset)
		p.errorf(line, col, "%s", be.msg)
		return
	}
	byName := map[string]Field{}
	for _, f := range declared {
		if _, dup := byName[f.Name]; dup {
			p.errorf(f.line, 0, "field %s declared twice", f.Name)
			continue
		}
		byName[f.Name] = f
	}
	used := map[string]bool{}
	var order []Field
	for _, part := range parts {
		if part.field == "" || used[part.field] {
			continue
		}
		used[part.field] = true
		f, ok := byName[part.field]
		if !ok {
			if f, ok = standardField(part.field); !ok {
				if broken[part.field] {
					continue // its declaration was already reported
				}
				line, col := t.lineCol(part.src)
				p.errorf(line, col, "placeholder {%s} is not declared: add a line \"field: %s TYPE\" to the header (types: %s)", part.field, part.field, strings.Join(fieldTypes, ", "))
				continue
			}
		}
		order = append(order, f)
	}
	// Date bases count as used; they follow the body's fields in
	// declaration order.
	for _, f := range declared {
		if f.Type != TypeDate || f.Default == "" {
			continue
		}
		expr, _ := parseDateExpr(f.Default, true)
		if expr.base == "" || used[expr.base] {
			continue
		}
		if b, ok := byName[expr.base]; ok && b.Type == TypeDate {
			used[expr.base] = true
		}
	}
	for _, f := range declared {
		if !used[f.Name] {
			p.errorf(f.line, 0, "field %s is declared but the body never uses {%s}", f.Name, f.Name)
			continue
		}
		if !slices.ContainsFunc(order, func(o Field) bool { return o.Name == f.Name }) {
			order = append(order, f)
		}
	}
	t.Fields = order
	// Bases must be date fields, without cycles.
	for _, f := range order {
		if f.Type != TypeDate || f.Default == "" {
			continue
		}
		seen := map[string]bool{f.Name: true}
		cur := f
		for cur.Default != "" {
			expr, _ := parseDateExpr(cur.Default, true)
			if expr.base == "" {
				break
			}
			b, ok := t.Field(expr.base)
			if !ok || b.Type != TypeDate {
				p.errorf(f.line, 0, "field %s: default %q refers to %q, which is not a date field of this template", f.Name, f.Default, expr.base)
				break
			}
			if seen[b.Name] {
				p.errorf(f.line, 0, "field %s: date defaults refer to each other in a loop", f.Name)
				break
			}
			seen[b.Name] = true
			cur = b
		}
	}
}

func (p *parser) validate(t *Template) {
	if t.ID == "" {
		p.errorf(1, 0, "missing \"id:\" line")
	}
	if t.Title == "" {
		p.errorf(1, 0, "missing \"title:\" line")
	}
	if t.Scenarios == nil {
		p.errorf(1, 0, "missing \"scenarios:\" line")
	}
	if t.Kind == "" {
		p.errorf(1, 0, "missing \"kind:\" line (reply or proactive)")
	}
	if strings.TrimSpace(t.Body) == "" {
		p.errorf(t.bodyLine, 0, "the body is empty")
	}
}

// lineCol maps a byte offset in the body to a file line and column.
func (t Template) lineCol(off int) (int, int) {
	if off > len(t.Body) {
		off = len(t.Body)
	}
	before := t.Body[:off]
	line := strings.Count(before, "\n")
	lastNL := strings.LastIndexByte(before, '\n')
	col := utf8.RuneCountInString(before[lastNL+1:]) + 1
	base := t.bodyLine
	if base == 0 {
		base = 1
	}
	return base + line, col
}

// bodyPart is literal text or a placeholder; src is its byte offset in Body.
type bodyPart struct {
	text  string
	field string
	src   int
}

type bodyError struct {
	offset int
	msg    string
}

func (e *bodyError) Error() string { return e.msg }

// parseBody splits a body into literal runs and {placeholders}. "{{" and
// "}}" stand for literal braces.
func parseBody(body string) ([]bodyPart, error) {
	var parts []bodyPart
	var lit strings.Builder
	litStart := 0
	flush := func(next int) {
		if lit.Len() > 0 {
			parts = append(parts, bodyPart{text: lit.String(), src: litStart})
			lit.Reset()
		}
		litStart = next
	}
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '{' && i+1 < len(body) && body[i+1] == '{':
			if lit.Len() == 0 {
				litStart = i
			}
			lit.WriteByte('{')
			i += 2
		case c == '}' && i+1 < len(body) && body[i+1] == '}':
			if lit.Len() == 0 {
				litStart = i
			}
			lit.WriteByte('}')
			i += 2
		case c == '}':
			return nil, &bodyError{i, "stray \"}\": write \"}}\" for a literal brace"}
		case c == '{':
			end := strings.IndexByte(body[i:], '}')
			nl := strings.IndexByte(body[i:], '\n')
			if end < 0 || (nl >= 0 && nl < end) {
				return nil, &bodyError{i, "unclosed \"{\": placeholders look like {buyer_name}; write \"{{\" for a literal brace"}
			}
			name := body[i+1 : i+end]
			if !validFieldName(name) {
				return nil, &bodyError{i, fmt.Sprintf("bad placeholder {%s}: names use lowercase letters, digits and _", name)}
			}
			flush(i)
			parts = append(parts, bodyPart{field: name, src: i})
			i += end + 1
			litStart = i
		default:
			if lit.Len() == 0 {
				litStart = i
			}
			lit.WriteByte(c)
			i++
		}
	}
	flush(len(body))
	return parts, nil
}
