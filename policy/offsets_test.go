package policy

import (
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// refAt counts UTF-16 units, lines and columns by walking the text.
func refAt(src string, b int) (u16, line, col int) {
	line, lineStart := 1, 0
	for i, r := range src {
		if i >= b {
			break
		}
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(src[i:]); size == 1 {
				u16++
				continue
			}
		}
		u16 += len(utf16.Encode([]rune{r}))
		if r == '\n' {
			line++
			lineStart = u16
		}
	}
	return u16, line, u16 - lineStart + 1
}

func checkOffsets(t *testing.T, src string) {
	t.Helper()
	var n normText
	n.reset(src)
	var buf []int32
	o := n.offsets(&buf)
	for b := 0; b <= len(src); b++ {
		if b < len(src) && !utf8.RuneStart(src[b]) {
			continue // findings start and end on rune boundaries
		}
		u, l, c := o.at(b)
		ru, rl, rc := refAt(src, b)
		if u != ru || l != rl || c != rc {
			t.Fatalf("%q at byte %d: (%d, %d, %d), want (%d, %d, %d)", src, b, u, l, c, ru, rl, rc)
		}
		if o.u16(b) != ru {
			t.Fatalf("%q: u16(%d) = %d, want %d", src, b, o.u16(b), ru)
		}
	}
	// The cursor, over every rune start in order, and ahead of itself.
	cur := offsetCursor{o: o}
	for b := 0; b <= len(src); b++ {
		if b < len(src) && !utf8.RuneStart(src[b]) {
			continue
		}
		u, l, c := cur.at(b)
		if ru, rl, rc := refAt(src, b); u != ru || l != rl || c != rc {
			t.Fatalf("%q: cursor at byte %d: (%d, %d, %d), want (%d, %d, %d)", src, b, u, l, c, ru, rl, rc)
		}
		for e := b; e <= len(src); e++ {
			if e == len(src) || utf8.RuneStart(src[e]) {
				if got, want := cur.u16(e), o.u16(e); got != want {
					t.Fatalf("%q: cursor at %d, u16(%d) = %d, want %d", src, b, e, got, want)
				}
			}
		}
	}
	for max := 0; max <= len(src)+1; max++ {
		if got, want := cutAt(src, n.wide, max), refCut(src, max); got != want {
			t.Fatalf("%q: cutAt(%d) = %d, want %d", src, max, got, want)
		}
	}
}

// refCut is cutAt rune by rune: where the first rune that does not fit in
// max UTF-16 units starts.
func refCut(src string, max int) int {
	units := 0
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		n := 1
		if r >= 0x10000 {
			n = 2
		}
		if units+n > max {
			return i
		}
		units += n
		i += size
	}
	return len(src)
}

func TestOffsetsMatchWalking(t *testing.T) {
	for _, s := range []string{
		"", "plain ascii", "two\nlines\n", "crlf\r\nline\r\n", "emoji 😀 then\nnext 👍🏽 line",
		"é and ü and 中文\n日本語", "\n\n\nleading breaks", "bad \xff utf8\n\xc3", "ＦＵＬＬ\u200bwidth",
	} {
		checkOffsets(t, s)
	}
}

func FuzzOffsets(f *testing.F) {
	f.Add("a😀\nb\r\nc中")
	f.Fuzz(func(t *testing.T, s string) { checkOffsets(t, s) })
}
