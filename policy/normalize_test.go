package policy

import (
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
	} {
		checkFold(t, s)
	}
	// Each special byte at every offset of a plain 24-byte text.
	for _, sp := range []string{"A", "Z", "\r", "\n", "<", "&", "\t", "é", "😀", "\u200b", "\xff"} {
		for at := 0; at <= 24; at++ {
			s := "abcdefghijklmnopqrstuvwx"
			checkFold(t, s[:at]+sp+s[at:])
		}
	}
}

func FuzzReset(f *testing.F) {
	for _, s := range []string{"Hello\r\nWorld", "a\u200bb😀c", "ＡＢＣabc<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkFold(t, s) })
}
