package policy

import "testing"

// refTokenize is the byte-at-a-time tokenizer that the bitmap one must
// agree with.
func refTokenize(n []byte) (toks []token, ends []int32) {
	isStop := func(c byte) bool { return c == '.' || c == '!' || c == '?' || c == '\n' }
	for i := 0; i < len(n); {
		c := n[i]
		switch {
		case isAlnum(c):
			start, digits := i, 0
			for ; i < len(n) && isAlnum(n[i]); i++ {
				if n[i] <= '9' {
					digits++
				}
			}
			toks = append(toks, token{ns: int32(start), ne: int32(i), digits: int32(digits), letters: int32(i - start - digits)})
		case isStop(c) && c == '\n':
			ends = append(ends, int32(i+1))
			i++
		case isStop(c):
			j := i + 1
			for j < len(n) && (n[j] == '.' || n[j] == '!' || n[j] == '?' || n[j] == '"' || n[j] == ')') {
				j++
			}
			if j == len(n) || n[j] == ' ' || n[j] == '\n' || n[j] == '\t' {
				ends = append(ends, int32(j))
				i = j
				continue
			}
			i++
		default:
			i++
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
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Hello world. Next one!", "a.b c?d\ne", "12 ab3 4c."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkTokenize(t, s) })
}
