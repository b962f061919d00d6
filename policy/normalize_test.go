package policy

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// refFold is the plain byte-at-a-time folding that reset's word-at-a-time
// fast path must agree with: the folded text and, for every folded byte
// (and the end), its source offset.
func refFold(src string) (norm []byte, orig []int) {
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if c != '\r' {
				norm = append(norm, asciiFold[c])
				orig = append(orig, i)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if b, ok := foldRune(r); ok {
			norm = append(norm, b)
			orig = append(orig, i)
		}
		i += size
	}
	return norm, append(orig, len(src))
}

func checkFold(t *testing.T, src string) {
	t.Helper()
	var n normText
	n.reset(src)
	norm, orig := refFold(src)
	if string(n.norm) != string(norm) {
		t.Fatalf("reset(%q): norm %q, want %q", src, n.norm, norm)
	}
	for p, want := range orig {
		if got := n.srcOf(p); got != want {
			t.Fatalf("reset(%q): srcOf(%d) = %d, want %d (shifts %v)", src, p, got, want, n.shifts)
		}
	}
	if pad := n.norm[len(n.norm):][:8]; string(pad) != "\x00\x00\x00\x00\x00\x00\x00\x00" {
		t.Fatalf("reset(%q): padding after norm is %q, want zeros", src, pad)
	}
	want := refFacts(src)
	got := textFacts{capsRun: n.capsRun, breaks: n.breaks, markup: n.markup, nonASCII: n.nonASCII,
		lines: fmt.Sprint(n.lines), wide: fmt.Sprint(n.wide)}
	if got != want {
		t.Fatalf("reset(%q): facts %+v, want %+v", src, got, want)
	}
}

// textFacts is what reset notes about a text besides folding it.
type textFacts struct {
	capsRun, breaks  int
	markup, nonASCII bool
	lines, wide      string // the offsets, printed
}

// refFacts works out reset's notes a byte at a time.
func refFacts(src string) textFacts {
	var f textFacts
	var lines, wide []int32
	run := 0
	for i := 0; i < len(src); {
		c := src[i]
		if c >= utf8.RuneSelf {
			f.nonASCII = true
			wide = append(wide, int32(i))
			_, size := utf8.DecodeRuneInString(src[i:])
			i += size
			continue
		}
		switch {
		case c >= 'A' && c <= 'Z':
			// A capital after a capital extends the run; one after a
			// lower-case letter (within four bytes back) ends it.
			if i > 0 && src[i-1] >= 'A' && src[i-1] <= 'Z' {
				run++
				f.capsRun = max(f.capsRun, run)
			} else if lowerBefore(src, i) {
				run = 0
			}
		case c == '\r':
			f.breaks++
		case c == '\n':
			f.breaks++
			lines = append(lines, int32(i))
		case c == '<' || c == '&':
			f.markup = true
		}
		i++
	}
	f.lines, f.wide = fmt.Sprint(lines), fmt.Sprint(wide)
	return f
}

func TestResetMatchesByteAtATime(t *testing.T) {
	for _, s := range []string{
		"", "a", "Hello", "hello world, plain text only!",
		"CRLF\r\nline\r\n\r\n", "\r\r\r\rabcdefghijklmnop",
		"zero\u200bwidth in the middle of a long enough sentence",
		"ＦＵＬＬ width ＡＢＣ and аmazon cyrillic", "emoji 😀 at 6, and 👍🏽 later on in the text",
		"<b>bold</b> &amp; more <i>tags</i> here", "tabs\tand\tcontrol\x01chars\x7f",
		"USPS UPS FEDEX SHOUTING CAPITALS HERE", "bad \xff\xfe utf8 \xc3 bytes right here ok",
		"e\u0301 combining acute", "12345678ABCDEFGH12345678abcdefgh",
		"Thank you. We are Sorry. The Parcel Went out Today.\nKind regards,\nAnna\n\n\nBye",
		"we use UPS and then Later we Ship via FedEx. PLEASE CALL US NOW about It Ok",
		"ABxxxxxxCDxxxxxxEFxxxxxxGHxxxxxx AxBxCxDx aAaAaAaA Aaaaaaaa\naaaaaaaA",
		"lower.UPPER lower.Upper lowerUpperLower xxxxxxxA Bxxxxxxx\tTab\x01Ctl\x1fEnd",
		// Line feeds by the hundred, a few or many to sixteen bytes:
		// foldPlain lists them, and reset grows the list between its calls.
		strings.Repeat("a line of text\n", 90), strings.Repeat("ab\n", 300), strings.Repeat("\n", 200) + "x",
		// Runs of capitals across foldPlain's sixteen-byte turns.
		strings.Repeat("We ship via UPS and FEDEX. PLEASE CALL US NOW about It. Tracking 1Z999AA10, OK?\n", 6),
		strings.Repeat("AB", 40) + strings.Repeat("aB", 40) + strings.Repeat("A.B ", 20) + strings.Repeat("x9Y", 30),
	} {
		checkFold(t, s)
	}
	// Each special byte at every offset of a plain text long enough for
	// several of foldPlain's sixteen-byte turns, with lone capitals.
	const plain = "abcdefghijklmnopqrstuvwx Thank you, We Ship it Today. 0123456789 ok@Z~"
	for _, sp := range []string{"A", "Z", "AB", "A B", "aA", "Aa", "ABCD", "\r", "\n", "\n\n", "<", "&", "\t", "\x01", "\x1f", " ", "@", "[", "`", "{", "é", "😀", "\u200b", "\xff"} {
		for at := 0; at <= len(plain); at++ {
			checkFold(t, plain[:at]+sp+plain[at:])
		}
	}
}

func FuzzReset(f *testing.F) {
	for _, s := range []string{"Hello\r\nWorld", "a\u200bb😀c", "ＡＢＣabc<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkFold(t, s) })
}
