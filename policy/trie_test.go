package policy

import (
	"slices"
	"strings"
	"testing"
)

// refScan is the trie walk with its skips spelled out (apostrophes vanish, a
// run of separators is one) instead of built into the table as self-loops:
// what scan must agree with.
func refScan(a *trie, norm []byte, toks []token) []lexeme {
	var hits []lexeme
	n := len(norm)
	walk := func(s int) {
		st, prevSep := 0, false
		for j := s; j < n; {
			c := classOf[norm[j]]
			j++
			if c == clsSkip || c == clsSep && prevSep {
				continue
			}
			prevSep = c == clsSep
			if st = a.child(st, c); st < 0 {
				return
			}
			inf := a.info[st]
			if w := inf.exact; w >= 0 && (!a.pats[w].rightWord || j == n || !isAlnum(norm[j])) {
				hits = append(hits, lexeme{word: w, ns: int32(s), ne: int32(j)})
			}
			if w := inf.prefix; w >= 0 {
				end := j
				for end < n && isAlnum(norm[end]) {
					end++
				}
				hits = append(hits, lexeme{word: w, ns: int32(s), ne: int32(end)})
			}
		}
	}
	ti := 0
	for i := 0; i < n; i++ {
		if ti < len(toks) && int(toks[ti].ns) == i {
			walk(i)
			i = int(toks[ti].ne) - 1
			ti++
			continue
		}
		if c := classOf[norm[i]]; c > 36 && c < clsSep {
			walk(i)
		}
	}
	return hits
}

func checkScan(t *testing.T, text string) {
	t.Helper()
	l := &linter{}
	l.nt.reset(text)
	l.tokenize()
	for name, m := range map[string]*matcher{"lint": lintM, "classify": classifyM} {
		got := m.trie.scan(l.nt.norm, l.starts, nil)
		want := refScan(m.trie, l.nt.norm, l.toks)
		if len(got) != len(want) {
			t.Fatalf("%s scan(%q): %d words, want %d\n got %v\nwant %v", name, text, len(got), len(want), got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s scan(%q): word %d = %v, want %v", name, text, i, got[i], want[i])
			}
		}
	}
}

func TestScanMatchesReference(t *testing.T) {
	texts := []string{
		benchText(2000),
		"Don't forget: leave us a 5-star review! Don' t, do n't, dont, don''t.",
		"Please leave a five  -  star review, five - ' - star, 100% off, :-) :D <3 ^ ^ =D",
		"I'd like a refund; refunded, refunds, REFUNDING and re-fund.",
		"e-mail me at john (at) shop (dot) com or call 555 123 4567",
		"in exchange for a review we'll send a gift card",
	}
	for _, r := range Rules() {
		for _, e := range r.Examples {
			texts = append(texts, e.Text, strings.ToUpper(e.Text))
		}
	}
	for _, s := range texts {
		checkScan(t, s)
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{"don't leave a 5-star review", "refunded :-) 100% off", "we'd  -  love", "five -' - star"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkScan(t, s) })
}

// The walk tests for an apostrophe by its byte, not its class (walk.go,
// walk_wasm.s), and never at the root: no start may be one.
func TestApostropheIsTheOnlySkip(t *testing.T) {
	for b := 0; b < 256; b++ {
		if (classOf[b] == clsSkip) != (b == '\'') {
			t.Errorf("classOf[%#x] = %d: the walk takes only '\\'' for clsSkip", b, classOf[b])
		}
	}
	l := &linter{}
	l.nt.reset("don't 'quoted' '' it's, ’tis ' x")
	l.tokenize()
	for _, s := range l.starts {
		if l.nt.norm[s] == '\'' {
			t.Errorf("a start at an apostrophe (offset %d): the walk would skip it at the root", s)
		}
	}
}

// follow (in policy.wasm, assembly in blocks of matchBlock words) must
// find the hits followGo finds, on texts long enough for several blocks.
func TestFollowMatchesGo(t *testing.T) {
	var long []string
	for _, r := range Rules() {
		for _, e := range r.Examples {
			long = append(long, e.Text)
		}
	}
	most := 0
	for _, text := range []string{benchText(20000), strings.Join(long, "\n"), strings.Repeat(strings.Join(long, " "), 3)} {
		l := &linter{}
		l.nt.reset(text)
		l.tokenize()
		for name, m := range map[string]*matcher{"lint": lintM, "classify": classifyM} {
			lex := m.trie.scan(l.nt.norm, l.starts, nil)
			got, want := m.follow(l.nt.norm, lex, nil), m.followGo(l.nt.norm, lex, nil)
			most = max(most, len(lex))
			if !slices.Equal(got, want) {
				t.Fatalf("%s: follow found %d hits, followGo %d", name, len(got), len(want))
			}
		}
	}
	if most < 2*matchBlock {
		t.Fatalf("the longest text has %d words: too few to cross a block", most)
	}
}
