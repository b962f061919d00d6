package templates

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/replyguard/replyguard/policy"
)

// normalize checks a non-date value against the field's type and returns
// the text to insert. Dates go through parseDateExpr instead.
func (f Field) normalize(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errors.New("is empty")
	}
	if strings.ContainsAny(v, "\n\r") {
		return "", errors.New("must be one line")
	}
	if strings.ContainsFunc(v, unicode.IsControl) {
		return "", errors.New("contains control characters")
	}
	n := utf8.RuneCountInString(v)
	switch f.Type {
	case TypeName:
		if n > 80 {
			return "", errors.New("is longer than 80 characters, which is not a name")
		}
		if !strings.ContainsFunc(v, unicode.IsLetter) {
			return "", errors.New("is not a name (no letters)")
		}
		for _, r := range v {
			if !(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || strings.ContainsRune(" .'’-&,()", r)) {
				return "", fmt.Errorf("is not a name (%q is not allowed in a name)", r)
			}
		}
	case TypeOrderID:
		if !policy.ValidOrderID(v) {
			return "", errors.New("is not an Amazon order id (3-7-7 digits, e.g. 114-3941689-8772232)")
		}
	case TypeMoney:
		if !isMoney(v) {
			return "", errors.New("is not an amount of money (e.g. $24.99, 24,99 EUR, £5)")
		}
	case TypeCarrier:
		if n > 40 {
			return "", errors.New("is longer than 40 characters, which is not a carrier name")
		}
		for _, r := range v {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" .'-&", r)) {
				return "", fmt.Errorf("is not a carrier name (%q is not allowed)", r)
			}
		}
	case TypeTracking:
		compact := strings.ReplaceAll(v, " ", "")
		if len(compact) < 6 || len(compact) > 40 || !strings.ContainsFunc(compact, unicode.IsDigit) {
			return "", errors.New("is not a tracking number (6 to 40 letters and digits, at least one digit)")
		}
		for _, r := range compact {
			if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-') {
				return "", fmt.Errorf("is not a tracking number (%q is not allowed)", r)
			}
		}
	case TypeText:
		limit := f.Max
		if limit == 0 {
			limit = DefaultTextMax
		}
		if n > limit {
			return "", fmt.Errorf("is %d characters, more than the %d allowed", n, limit)
		}
	case TypeChoice:
		for _, o := range f.Options {
			if strings.EqualFold(o, v) {
				return o, nil
			}
		}
		return "", fmt.Errorf("is not one of the options: %s", strings.Join(f.Options, " | "))
	case TypeNumber:
		x, err := strconv.Atoi(v)
		if err != nil || x < 0 || x > 100000 {
			return "", errors.New("is not a whole number from 0 to 100000")
		}
		return strconv.Itoa(x), nil
	case TypeDate:
		return "", errors.New("internal: dates are not normalized here")
	default:
		return "", fmt.Errorf("has unknown type %q", f.Type)
	}
	return v, nil
}

var currencySymbols = []string{"US$", "CA$", "A$", "R$", "S$", "$", "€", "£", "¥", "₹", "zł", "kr", "CHF", "AED", "SAR", "TL", "₺"}

// isMoney accepts an amount with an optional currency symbol or ISO code
// before or after it: $24.99, 24,99 €, EUR 1.234,50, £5.
func isMoney(s string) bool {
	amt := s
	strip := func(fromEnd bool) {
		amt = strings.TrimSpace(amt)
		for _, sym := range currencySymbols {
			if !fromEnd && strings.HasPrefix(amt, sym) {
				amt = amt[len(sym):]
				return
			}
			if fromEnd && strings.HasSuffix(amt, sym) {
				amt = amt[:len(amt)-len(sym)]
				return
			}
		}
		// ISO 4217 code, three capitals.
		if len(amt) > 3 {
			if !fromEnd && isCode(amt[:3]) {
				amt = amt[3:]
			} else if fromEnd && isCode(amt[len(amt)-3:]) {
				amt = amt[:len(amt)-3]
			}
		}
	}
	strip(false)
	strip(true)
	amt = strings.TrimSpace(amt)
	if amt == "" || len(amt) > 20 {
		return false
	}
	digits := 0
	for i := 0; i < len(amt); i++ {
		c := amt[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' || c == ',':
			// separators sit between digits
			if i == 0 || i == len(amt)-1 || amt[i-1] < '0' || amt[i-1] > '9' {
				return false
			}
		default:
			return false
		}
	}
	// Groups between separators: the first has 1 to 3 digits when there
	// are thousands separators, inner ones exactly 3, the last 3 (a
	// thousands group) or 1 to 2 (decimals, after a different separator
	// than the thousands ones).
	groups := strings.FieldsFunc(amt, func(r rune) bool { return r == '.' || r == ',' })
	if len(groups) > 1 {
		seps := strings.Map(func(r rune) rune {
			if r == '.' || r == ',' {
				return r
			}
			return -1
		}, amt)
		last := groups[len(groups)-1]
		decimal := len(last) == 1 || len(last) == 2
		if !decimal && len(last) != 3 {
			return false
		}
		thousands := groups[:len(groups)-1]
		if decimal {
			if len(seps) > 1 && strings.ContainsRune(seps[:len(seps)-1], rune(seps[len(seps)-1])) {
				return false
			}
		} else {
			thousands = groups
		}
		for i, g := range thousands {
			if i == 0 && len(thousands) > 1 && (len(g) < 1 || len(g) > 3) {
				return false
			}
			if i > 0 && len(g) != 3 {
				return false
			}
		}
	}
	return digits > 0
}

func isCode(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// dateExpr is BASE[+|-N[d|bd]]; BASE is "today", a date field's name (only
// in defaults) or a literal YYYY-MM-DD date.
type dateExpr struct {
	base     string // field name; "" for today or a literal
	literal  time.Time
	hasLit   bool
	offset   int
	business bool
}

func parseDateExpr(s string, allowField bool) (dateExpr, error) {
	var e dateExpr
	s = strings.TrimSpace(s)
	if s == "" {
		return e, errors.New("is empty")
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		e.literal, e.hasLit = t, true
		return e, nil
	}
	base, off := s, ""
	if k := strings.IndexAny(s, "+-"); k >= 0 {
		base, off = strings.TrimSpace(s[:k]), strings.TrimSpace(s[k:])
	}
	switch {
	case base == "today":
	case allowField && validFieldName(base):
		e.base = base
	default:
		if allowField {
			return e, errors.New("is not a date: use YYYY-MM-DD, today, today+N, today+Nbd (business days) or FIELD+N")
		}
		return e, errors.New("is not a date: use YYYY-MM-DD, today, today+N or today+Nbd (business days)")
	}
	if off == "" {
		return e, nil
	}
	sign := 1
	if off[0] == '-' {
		sign = -1
	}
	num := strings.TrimSpace(off[1:])
	switch {
	case strings.HasSuffix(num, "bd"):
		e.business = true
		num = num[:len(num)-2]
	case strings.HasSuffix(num, "d"):
		num = num[:len(num)-1]
	}
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < 0 || n > 3660 {
		return e, fmt.Errorf("offset %q: use +N or -N days (d) or business days (bd), up to 3660", off)
	}
	e.offset = sign * n
	return e, nil
}

// day truncates to a calendar date in t's location, as UTC midnight so that
// adding days never meets a daylight-saving change.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// addDays adds n calendar days, or n business days (Monday to Friday; no
// holiday calendar) when business is set.
func addDays(t time.Time, n int, business bool) time.Time {
	if !business {
		return t.AddDate(0, 0, n)
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		t = t.AddDate(0, 0, step)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

func formatDate(f Field, t time.Time) string {
	layout, ok := DateFormats[f.Format]
	if !ok {
		layout = DateFormats[DefaultDateFormat]
	}
	return t.Format(layout)
}
