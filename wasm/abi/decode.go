package abi

import (
	"errors"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/replyguard/replyguard/policy"
)

// maxDepth bounds nesting in skipped values so a hostile context cannot
// exhaust the (small) wasm stack.
const maxDepth = 64

// DecodeContext parses the lint context: a JSON object with the fields of
// policy.Context. Empty input (or null) is the zero Context. Unknown fields
// are ignored, so hosts may send a richer object; a known field with the
// wrong type is an error, because silently dropping "order_date": 20240101
// would turn off a rule without telling anyone.
func DecodeContext(b []byte) (policy.Context, error) {
	var c policy.Context
	d := decoder{b: b}
	d.space()
	if d.i == len(d.b) {
		return c, nil
	}
	if d.literal("null") {
		d.space()
		if d.i != len(d.b) {
			return c, d.errf("unexpected data after null")
		}
		return c, nil
	}
	if !d.consume('{') {
		return c, d.errf("context must be a JSON object")
	}
	d.space()
	if !d.consume('}') {
		for {
			d.space()
			key, err := d.str()
			if err != nil {
				return c, err
			}
			d.space()
			if !d.consume(':') {
				return c, d.errf("expected ':' after object key")
			}
			d.space()
			var dst *string
			switch key {
			case "kind":
				dst = &c.Kind
			case "order_date":
				dst = &c.OrderDate
			case "delivery_date":
				dst = &c.DeliveryDate
			case "now":
				dst = &c.Now
			case "marketplace":
				dst = &c.Marketplace
			}
			switch {
			case dst != nil:
				if d.literal("null") {
					break
				}
				s, err := d.str()
				if err != nil {
					return c, errors.New("context." + key + ": " + err.Error())
				}
				*dst = s
			case key == "previous_review_requests":
				if d.literal("null") {
					break
				}
				n, err := d.integer()
				if err != nil {
					return c, errors.New("context." + key + ": " + err.Error())
				}
				c.PreviousReviewRequests = n
			default:
				if err := d.skip(0); err != nil {
					return c, err
				}
			}
			d.space()
			if d.consume('}') {
				break
			}
			if !d.consume(',') {
				return c, d.errf("expected ',' or '}' in object")
			}
		}
	}
	d.space()
	if d.i != len(d.b) {
		return c, d.errf("unexpected data after the context object")
	}
	return c, nil
}

type decoder struct {
	b []byte
	i int
}

func (d *decoder) errf(msg string) error {
	return errors.New("context JSON at byte " + string(appendInt(nil, d.i)) + ": " + msg)
}

func (d *decoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) consume(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *decoder) literal(lit string) bool {
	if len(d.b)-d.i >= len(lit) && string(d.b[d.i:d.i+len(lit)]) == lit {
		d.i += len(lit)
		return true
	}
	return false
}

// str reads a JSON string with the same leniency as encoding/json: invalid
// UTF-8 and lone surrogates become U+FFFD.
func (d *decoder) str() (string, error) {
	if !d.consume('"') {
		return "", d.errf("expected a string")
	}
	start := d.i
	// Fast path: no escapes, no control characters, valid UTF-8.
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c == '"' {
			s := d.b[start:d.i]
			if utf8.Valid(s) {
				d.i++
				return string(s), nil
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
		d.i++
	}
	d.i = start
	out := make([]byte, 0, 16)
	for {
		if d.i >= len(d.b) {
			return "", d.errf("unterminated string")
		}
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return string(out), nil
		case c < 0x20:
			return "", d.errf("control character in string")
		case c == '\\':
			if d.i+1 >= len(d.b) {
				return "", d.errf("unterminated escape")
			}
			e := d.b[d.i+1]
			d.i += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := d.hex4()
				if !ok {
					return "", d.errf(`bad \u escape`)
				}
				if utf16.IsSurrogate(r) {
					r2 := utf8.RuneError
					save := d.i
					if d.literal(`\u`) {
						if lo, ok := d.hex4(); ok {
							r2 = utf16.DecodeRune(r, lo)
						}
					}
					if r2 == utf8.RuneError {
						d.i = save
						r = utf8.RuneError
					} else {
						r = r2
					}
				}
				out = utf8.AppendRune(out, r)
			default:
				return "", d.errf("bad escape character")
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			d.i++
		default:
			r, size := utf8.DecodeRune(d.b[d.i:])
			if r == utf8.RuneError && size == 1 {
				out = append(out, "\uFFFD"...)
			} else {
				out = append(out, d.b[d.i:d.i+size]...)
			}
			d.i += size
		}
	}
}

func (d *decoder) hex4() (rune, bool) {
	if len(d.b)-d.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range d.b[d.i : d.i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	d.i += 4
	return r, true
}

// number scans a JSON number and returns its text.
func (d *decoder) number() ([]byte, error) {
	start := d.i
	d.consume('-')
	digits := func() int {
		n := 0
		for d.i < len(d.b) && '0' <= d.b[d.i] && d.b[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	first := d.i
	if n := digits(); n == 0 || (n > 1 && d.b[first] == '0') {
		return nil, d.errf("bad number")
	}
	if d.consume('.') && digits() == 0 {
		return nil, d.errf("bad number")
	}
	if d.consume('e') || d.consume('E') {
		if !d.consume('+') {
			d.consume('-')
		}
		if digits() == 0 {
			return nil, d.errf("bad number")
		}
	}
	return d.b[start:d.i], nil
}

func (d *decoder) integer() (int, error) {
	if d.i >= len(d.b) || (d.b[d.i] != '-' && (d.b[d.i] < '0' || d.b[d.i] > '9')) {
		return 0, errors.New("expected a number")
	}
	txt, err := d.number()
	if err != nil {
		return 0, err
	}
	n, ok := parseInt32(txt)
	if !ok {
		return 0, errors.New("expected a whole number, got " + string(txt))
	}
	return n, nil
}

// skip passes over one JSON value of any kind.
func (d *decoder) skip(depth int) error {
	if depth > maxDepth {
		return d.errf("nested too deeply")
	}
	if d.i >= len(d.b) {
		return d.errf("unexpected end of input")
	}
	switch c := d.b[d.i]; {
	case c == '"':
		_, err := d.str()
		return err
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		d.i++
		d.space()
		if d.consume(end) {
			return nil
		}
		for {
			d.space()
			if c == '{' {
				if _, err := d.str(); err != nil {
					return err
				}
				d.space()
				if !d.consume(':') {
					return d.errf("expected ':' after object key")
				}
				d.space()
			}
			if err := d.skip(depth + 1); err != nil {
				return err
			}
			d.space()
			if d.consume(end) {
				return nil
			}
			if !d.consume(',') {
				return d.errf("expected ',' or '" + string(end) + "'")
			}
		}
	case c == '-' || ('0' <= c && c <= '9'):
		_, err := d.number()
		return err
	case d.literal("true"), d.literal("false"), d.literal("null"):
		return nil
	default:
		return d.errf("unexpected character '" + string(rune(c)) + "'")
	}
}

// parseInt32 parses a decimal integer that fits in 32 bits (strconv would
// pull its float tables into policy.wasm).
func parseInt32(b []byte) (int, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	if n > 1<<31-1 || n < -1<<31 {
		return 0, false
	}
	return n, true
}
