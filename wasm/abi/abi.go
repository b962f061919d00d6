// Package abi is the JSON face of policy.wasm: it decodes the lint context
// and encodes findings, classifications and the rule catalog.
//
// It is hand-written instead of encoding/json because reflection would add
// hundreds of kilobytes to policy.wasm and several microseconds to every
// call; the shapes are small and fixed. The output is byte-for-byte what
// encoding/json produces for the same values (tests hold it to that), so a
// host may decode it with any JSON library.
package abi

import (
	"unicode/utf8"
	"unsafe"

	"github.com/replyguard/replyguard/policy"
)

// Version of the ABI described in wasm/README.md. Bump it when an export's
// signature or a JSON shape changes incompatibly.
const Version = 1

// AppendLint appends {"findings":[...]} to dst. A nil slice encodes as [],
// so hosts never see null.
func AppendLint(dst []byte, fs []policy.Finding) []byte {
	// Grow once: in policy.wasm each growth and each copy is a call.
	need := 16
	for i := range fs {
		need += 128 + len(fs[i].Message)
		if fs[i].Fix != nil {
			need += 20 + len(fs[i].Fix.Replacement)
		}
	}
	if cap(dst)-len(dst) < need {
		dst = append(make([]byte, 0, len(dst)+need), dst...)
	}
	dst = append(dst, `{"findings":[`...)
	for i := range fs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendFinding(dst, &fs[i])
	}
	return append(dst, "]}"...)
}

// AppendFinding appends one finding with the field order of policy.Finding.
func AppendFinding(dst []byte, f *policy.Finding) []byte {
	dst = append(dst, `{"rule":`...)
	dst = appendName(dst, f.Rule)
	dst = append(dst, `,"severity":`...)
	dst = appendName(dst, string(f.Severity))
	dst = appendPosition(dst, f)
	dst = AppendString(dst, f.Message)
	if f.Fix != nil {
		dst = append(dst, `,"fix":{"replacement":`...)
		dst = AppendString(dst, f.Fix.Replacement)
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// The keys between severity and message, as eight-byte words to store
// whole: a key shorter than its word has its tail overwritten by what
// follows.
var (
	keyStart   = word(`,"start"`)
	keyEnd     = word(`,"end":`)
	keyLine    = word(`,"line":`)
	keyCol     = word(`,"col":`)
	keyMessage = word(`,"messag`)
)

func word(s string) (w uint64) {
	for i := len(s) - 1; i >= 0; i-- {
		w = w<<8 | uint64(s[i])
	}
	return w
}

// appendPosition appends `,"start":S,"end":E,"line":L,"col":C,"message":`.
// It is the hot part of the encoder in policy.wasm, where each append is a
// call: the keys are stored as words and the digits written in place into
// a buffer that is appended once.
func appendPosition(dst []byte, f *policy.Finding) []byte {
	var b [128]byte // 4 keys of at most 9 bytes, 4 numbers of at most 20 characters, 11 bytes
	p := unsafe.Pointer(&b)
	*(*uint64)(p) = keyStart
	b[8] = ':'
	i := putInt(&b, 9, f.Start)
	*(*uint64)(unsafe.Add(p, i)) = keyEnd
	i = putInt(&b, i+7, f.End)
	*(*uint64)(unsafe.Add(p, i)) = keyLine
	i = putInt(&b, i+8, f.Line)
	*(*uint64)(unsafe.Add(p, i)) = keyCol
	i = putInt(&b, i+7, f.Col)
	*(*uint64)(unsafe.Add(p, i)) = keyMessage
	b[i+8], b[i+9], b[i+10] = 'e', '"', ':'
	return append(dst, b[:i+11]...)
}

// putInt writes n in decimal at b[i:] and returns the offset after it.
func putInt(b *[128]byte, i, n int) int {
	u := uint64(n)
	if n < 0 {
		b[i] = '-'
		i++
		u = -u
	}
	k := 1
	for m := u; m >= 10; m /= 10 {
		k++
	}
	for j := i + k - 1; j >= i; j-- {
		b[j] = byte('0' + u%10)
		u /= 10
	}
	return i + k
}

// appendName appends a rule id or severity. Those are plain lower-case
// ASCII (DESIGN.md fixes them, and a test holds the catalog to it), so the
// usual case is one check and one copy.
func appendName(dst []byte, s string) []byte {
	if plainRun(s, 0) != len(s) {
		return AppendString(dst, s)
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// AppendClassification appends a policy.Classification.
func AppendClassification(dst []byte, c *policy.Classification) []byte {
	dst = append(dst, `{"scenario":`...)
	dst = AppendString(dst, c.Scenario)
	dst = append(dst, `,"confidence":`...)
	dst = AppendConfidence(dst, c.Confidence)
	if len(c.Evidence) > 0 {
		dst = append(dst, `,"evidence":[`...)
		for i, s := range c.Evidence {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"start":`...)
			dst = appendInt(dst, s.Start)
			dst = append(dst, `,"end":`...)
			dst = appendInt(dst, s.End)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if c.Forwarded {
		dst = append(dst, `,"forwarded":true`...)
	}
	if c.OrderID != "" {
		dst = append(dst, `,"order_id":`...)
		dst = AppendString(dst, c.OrderID)
	}
	return append(dst, '}')
}

// AppendRules appends {"version":"...","rules":[...]}.
func AppendRules(dst []byte, version string, rules []policy.Rule) []byte {
	dst = append(dst, `{"version":`...)
	dst = AppendString(dst, version)
	dst = append(dst, `,"rules":[`...)
	for i := range rules {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendRule(dst, &rules[i])
	}
	return append(dst, "]}"...)
}

func appendRule(dst []byte, r *policy.Rule) []byte {
	dst = append(dst, `{"id":`...)
	dst = AppendString(dst, r.ID)
	dst = append(dst, `,"title":`...)
	dst = AppendString(dst, r.Title)
	dst = append(dst, `,"severity":`...)
	dst = AppendString(dst, string(r.Severity))
	dst = append(dst, `,"rationale":`...)
	dst = AppendString(dst, r.Rationale)
	dst = append(dst, `,"policy_url":`...)
	dst = AppendString(dst, r.PolicyURL)
	dst = append(dst, `,"examples":`...)
	if r.Examples == nil {
		// encoding/json writes a nil slice without omitempty as null.
		return append(dst, "null}"...)
	}
	dst = append(dst, '[')
	for i := range r.Examples {
		if i > 0 {
			dst = append(dst, ',')
		}
		e := &r.Examples[i]
		dst = append(dst, `{"text":`...)
		dst = AppendString(dst, e.Text)
		dst = append(dst, `,"violates":`...)
		if e.Violates {
			dst = append(dst, "true"...)
		} else {
			dst = append(dst, "false"...)
		}
		if e.Context != nil {
			dst = append(dst, `,"context":`...)
			dst = AppendContext(dst, e.Context)
		}
		dst = append(dst, '}')
	}
	return append(dst, "]}"...)
}

// AppendContext appends a policy.Context, omitting empty fields.
func AppendContext(dst []byte, c *policy.Context) []byte {
	dst = append(dst, '{')
	first := true
	field := func(name string) {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, '"')
		dst = append(dst, name...)
		dst = append(dst, `":`...)
	}
	for _, kv := range [...]struct{ k, v string }{
		{"kind", c.Kind}, {"order_date", c.OrderDate}, {"delivery_date", c.DeliveryDate},
		{"now", c.Now}, {"marketplace", c.Marketplace},
	} {
		if kv.v != "" {
			field(kv.k)
			dst = AppendString(dst, kv.v)
		}
	}
	if c.PreviousReviewRequests != 0 {
		field("previous_review_requests")
		dst = appendInt(dst, c.PreviousReviewRequests)
	}
	return append(dst, '}')
}

// AppendError appends {"error":"msg"}: the one failure shape of every export.
func AppendError(dst []byte, msg string) []byte {
	dst = append(dst, `{"error":`...)
	dst = AppendString(dst, msg)
	return append(dst, '}')
}

// AppendConfidence formats a confidence, which policy rounds to two
// decimals in [0, 1], exactly as encoding/json would ("0", "0.07", "0.5",
// "1"). It is hand-written because strconv's float formatting adds ~70 KB
// to policy.wasm, whose budget is 700 KB gzipped.
func AppendConfidence(dst []byte, f float64) []byte {
	if !(f >= 0) { // also NaN: a broken confidence must not break the answer
		return append(dst, '0')
	}
	if f >= 1 {
		return append(dst, '1')
	}
	k := int(f*100 + 0.5)
	if k == 0 {
		return append(dst, '0')
	}
	dst = append(dst, '0', '.', byte('0'+k/10))
	if k%10 != 0 {
		dst = append(dst, byte('0'+k%10))
	}
	return dst
}

// appendInt is strconv.AppendInt(dst, n, 10) without strconv.
func appendInt(dst []byte, n int) []byte {
	var b [128]byte
	return append(dst, b[:putInt(&b, 0, n)]...)
}

const hex = "0123456789abcdef"

// plainRun returns the end of the run of bytes from s[i] that need no
// escaping. Messages are mostly such runs, and in policy.wasm a loop
// iteration costs dozens of instructions, so it tests eight bytes at once.
func plainRun(s string, i int) int {
	p := unsafe.StringData(s)
	for ; i+8 <= len(s); i += 8 {
		if w := *(*uint64)(unsafe.Add(unsafe.Pointer(p), i)); needsEscape(w) {
			break
		}
	}
	for i < len(s) && plainJSON[s[i]] != 0 {
		i++
	}
	return i
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// needsEscape reports whether any byte of w (eight bytes of a string) is
// not plain: non-ASCII, a control character, '"', '&', '<', '>' or '\\'.
// hasZero(x) is the classic test for a zero byte; '"' (0x22) and '&' (0x26)
// differ in one bit, as do '<' (0x3C) and '>' (0x3E), so or-ing that bit
// in tests each pair at once.
func needsEscape(w uint64) bool {
	ctl := (w - 0x20*ones) &^ w
	return (w|ctl)&highs != 0 ||
		hasZero((w|0x04*ones)^0x26*ones) || hasZero((w|0x02*ones)^0x3E*ones) || hasZero(w^0x5C*ones)
}

func hasZero(x uint64) bool { return (x-ones)&^x&highs != 0 }

// plainJSON marks the bytes AppendString copies as they are: ASCII from
// 0x20 except '"', '\\', '<', '>' and '&'.
var plainJSON = func() (t [256]uint8) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		switch b {
		case '"', '\\', '<', '>', '&':
		default:
			t[b] = 1
		}
	}
	return t
}()

// AppendString appends s as a JSON string with encoding/json's escaping:
// invalid UTF-8 becomes U+FFFD, <, > and & and U+2028/U+2029 are escaped so
// the output is safe to embed in HTML and JavaScript.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		i = plainRun(s, i)
		if i >= len(s) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
