package templates

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Format writes t in file form. Parse(Format(t)) equals t (apart from
// Source); the built-in files are kept in this canonical form by a test.
func Format(t Template) []byte {
	var b bytes.Buffer
	line := func(k, v string) {
		if v != "" {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	line("id", t.ID)
	line("title", collapse(t.Title))
	line("scenarios", strings.Join(t.Scenarios, ", "))
	line("kind", t.Kind)
	line("action", t.Action)
	line("reason", collapse(t.Reason))
	line("attachments", strings.Join(t.Attachments, ", "))
	if g := collapse(t.Guidance); g != "" {
		b.WriteString(wrap("guidance: ", g, 78))
	}
	for _, f := range t.Fields {
		if std, ok := standardField(f.Name); ok && sameField(std, f) {
			continue
		}
		b.WriteString("field: " + formatField(f) + "\n")
	}
	b.WriteString("---\n")
	b.WriteString(t.Body)
	b.WriteString("\n")
	return b.Bytes()
}

// wrap writes "prefix words..." folded at width, continuation lines
// indented by two spaces.
func wrap(prefix, text string, width int) string {
	var b strings.Builder
	b.WriteString(prefix)
	n := len(prefix)
	for i, w := range strings.Fields(text) {
		if i > 0 {
			if n+1+len(w) > width {
				b.WriteString("\n  ")
				n = 2
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += len(w)
	}
	b.WriteByte('\n')
	return b.String()
}

func sameField(a, b Field) bool {
	return a.Name == b.Name && a.Type == b.Type && a.Label == b.Label && a.Default == b.Default &&
		a.Format == b.Format && slices.Equal(a.Options, b.Options) && a.Max == b.Max && a.Example == b.Example
}

func formatField(f Field) string {
	s := []string{f.Name, f.Type, strconv.Quote(f.Label)}
	if len(f.Options) > 0 {
		s = append(s, "options="+strconv.Quote(strings.Join(f.Options, "|")))
	}
	if f.Default != "" {
		s = append(s, "default="+quoteIfNeeded(f.Default))
	}
	if f.Format != "" {
		s = append(s, "format="+quoteIfNeeded(f.Format))
	}
	if f.Max != 0 {
		s = append(s, "max="+strconv.Itoa(f.Max))
	}
	if f.Example != "" {
		s = append(s, "example="+quoteIfNeeded(f.Example))
	}
	return strings.Join(s, " ")
}

func quoteIfNeeded(v string) string {
	if v == "" || strings.ContainsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '\\' || r == '=' || !unicode.IsPrint(r)
	}) {
		return strconv.Quote(v)
	}
	return v
}
