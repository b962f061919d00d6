package policy

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// refTokenize is an independent statement of the tokenizer's contract,
// with regular expressions: tokens are runs of [a-z0-9]; a sentence ends
// after a newline, or after . ! ? (with any . ! ? " ) run that follows)
// when a space, tab, newline or the end comes next.
var (
	refToken = regexp.MustCompile(`[a-z0-9]+`)
	refStop  = regexp.MustCompile(`\n|[.!?][.!?")]*`)
)

func refTokenize(n []byte) (toks []token, ends []int32) {
	for _, m := range refToken.FindAllIndex(n, -1) {
		d := 0
		for _, c := range n[m[0]:m[1]] {
			if c <= '9' {
				d++
			}
		}
		toks = append(toks, token{ns: int32(m[0]), ne: int32(m[1]), digits: int32(d), letters: int32(m[1] - m[0] - d)})
	}
	for _, m := range refStop.FindAllIndex(n, -1) {
		switch {
		case n[m[0]] == '\n':
			ends = append(ends, int32(m[1]))
		case m[1] == len(n) || n[m[1]] == ' ' || n[m[1]] == '\n' || n[m[1]] == '\t':
			ends = append(ends, int32(m[1]))
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != int32(len(n)) {
		ends = append(ends, int32(len(n)))
	}
	return toks, ends
}

func checkTokenize(t *testing.T, src string) {
	t.Helper()
	l := &linter{}
	l.nt.reset(src)
	l.tokenize()
	toks, ends := refTokenize(l.nt.norm)
	if len(toks) != len(l.toks) {
		t.Fatalf("tokenize(%q): %d tokens, want %d\n got %v\nwant %v", src, len(l.toks), len(toks), l.toks, toks)
	}
	for i := range toks {
		if toks[i] != l.toks[i] {
			t.Fatalf("tokenize(%q): token %d = %+v, want %+v", src, i, l.toks[i], toks[i])
		}
	}
	if len(ends) != len(l.sentEnds) {
		t.Fatalf("tokenize(%q): sentence ends %v, want %v", src, l.sentEnds, ends)
	}
	for i := range ends {
		if ends[i] != l.sentEnds[i] {
			t.Fatalf("tokenize(%q): sentence ends %v, want %v", src, l.sentEnds, ends)
		}
	}
	// The lists the recognisers start from, worked out from the tokens.
	n := l.nt.norm
	var starts, nums, links []int32
	for i, tk := range toks {
		for p := int32(0); p < tk.ns; p++ { // punctuation before this token
			if c := classOf[n[p]]; c > 36 && c < clsSep && (len(starts) == 0 || p > starts[len(starts)-1]) {
				starts = append(starts, p)
			}
		}
		starts = append(starts, tk.ns)
		if tk.letters == 0 {
			nums = append(nums, int32(i))
		}
		if refLinkAfter(n, int(tk.ne)) {
			links = append(links, int32(i))
		}
	}
	for p := int32(0); p < int32(len(n)); p++ { // punctuation after the last token
		if c := classOf[n[p]]; c > 36 && c < clsSep && (len(starts) == 0 || p > starts[len(starts)-1]) {
			starts = append(starts, p)
		}
	}
	for name, lists := range map[string][2][]int32{"starts": {l.starts, starts}, "nums": {l.nums, nums}, "links": {l.linkCands, links}} {
		if fmt.Sprint(lists[0]) != fmt.Sprint(lists[1]) {
			t.Fatalf("tokenize(%q): %s %v, want %v", src, name, lists[0], lists[1])
		}
	}
}

// refLinkAfter is linkAfter on a byte slice, with its bounds spelled out.
func refLinkAfter(n []byte, ne int) bool {
	if ne >= len(n) {
		return false
	}
	switch n[ne] {
	case '.':
		return ne+1 < len(n) && isAlnum(n[ne+1])
	case '[', '(', '{', '-':
		return true
	case ' ':
		if ne+1 >= len(n) {
			return true
		}
		c := n[ne+1]
		return c == '.' || c == '[' || c == '(' || c == '{' || c == ' ' ||
			c == 'd' && ne+4 <= len(n) && n[ne+2] == 'o' && n[ne+3] == 't' && (ne+4 == len(n) || !isAlnum(n[ne+4]))
	}
	return false
}

func TestTokenizeMatchesByteAtATime(t *testing.T) {
	long := benchText(2000)
	for _, s := range []string{
		"", "a", ".", "\n", "a.", "Hi. Ok!", "3.5 and example.com e.g. fine", "end.\") next", "wait...\nthen",
		"word", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789 token across words",
		"x 123-4567-8901 y", "😀emoji😀joined", "tab\tseparated\twords.", long, long[:63], long[:64], long[:65], long[:127],
	} {
		checkTokenize(t, s)
	}
	// A token ending and starting at every offset around a 64-byte word.
	for at := 50; at < 80; at++ {
		b := []byte(long[:130])
		b[at] = ' '
		checkTokenize(t, string(b))
		b[at] = '.'
		checkTokenize(t, string(b))
	}
	// Every length around the scanner's eight-byte steps and blocks,
	// and tokens that run across several of them.
	for n := 1; n <= 300; n++ {
		checkTokenize(t, long[:n])
	}
	run := strings.Repeat("ab1", 100) // 300 letters and digits
	for lead := 0; lead < 70; lead += 3 {
		checkTokenize(t, strings.Repeat(" ", lead)+run+" x.")
		checkTokenize(t, strings.Repeat("x", lead)+" "+run)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Hello world. Next one!", "a.b c?d\ne", "12 ab3 4c."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkTokenize(t, s) })
}
