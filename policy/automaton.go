package policy

import "strings"

// One Aho-Corasick automaton matches every phrase list at once, over the
// normalised text, in a single pass. Go's regexp over dozens of patterns is
// 20-200x too slow for the budgets (DESIGN.md).
//
// The automaton runs on character classes, not bytes: letters, digits, one
// "separator" class for space, tab, newline, '-' and '_' (runs of separators
// collapse to one, so "5-star", "5 star" and "five  -  star" look alike),
// apostrophes skipped ("don't" == "dont"), and a few punctuation classes.

const (
	clsOther = 0
	clsSep   = 37
	clsSkip  = 255
)

var classOf [256]uint8
var numClasses int

func init() {
	for i := range classOf {
		classOf[i] = clsOther
	}
	for c := 'a'; c <= 'z'; c++ {
		classOf[c] = uint8(1 + c - 'a')
	}
	for c := '0'; c <= '9'; c++ {
		classOf[c] = uint8(27 + c - '0')
	}
	for _, c := range " \t\n-_" {
		classOf[c] = clsSep
	}
	classOf['\''] = clsSkip
	// Punctuation gets a class of its own only when a phrase uses it; the
	// rest share "other". Fewer classes, a smaller table.
	next := uint8(clsSep + 1)
	for _, c := range []byte("%#:;()=*<^/$") {
		classOf[c] = next
		next++
	}
	numClasses = int(next)
}

// phrase is one entry of a phrase list, in the small pattern language below.
type phrase struct {
	tag     tag
	pattern string
	payload string // e.g. the correction of a misspelling
	weight  int8   // classifier weight; unused by lint
}

// compiled pattern after expansion.
type acPattern struct {
	tag     tag
	length  int  // in fed classes
	prefix  bool // ends with '*': match a word prefix ("refund*" = refunds, refunded)
	payload string
	weight  int8
	// leftWord/rightWord: whether the pattern begins/ends with a word
	// character, so a word boundary is required there.
	leftWord, rightWord bool
}

type automaton struct {
	next     []uint16 // state*numClasses + class -> state (see maxStates)
	outStart []int32  // outputs of state s: outs[outStart[s]:outStart[s+1]]
	outs     []int32  // pattern indexes
	pats     []acPattern
}

// expand turns "(leave|write) [us] a review*" into every concrete phrase.
// Syntax: words separated by spaces; (a|b) picks one; [a|b] picks one or
// none; '_' inside a group stands for a space; a trailing '*' allows a
// longer word. Hyphens match any separator.
func expand(p string) []string {
	out := []string{""}
	for _, word := range strings.Fields(p) {
		var alts []string
		switch {
		case strings.HasPrefix(word, "(") && strings.HasSuffix(word, ")"):
			alts = strings.Split(word[1:len(word)-1], "|")
		case strings.HasPrefix(word, "[") && strings.HasSuffix(word, "]"):
			alts = append(strings.Split(word[1:len(word)-1], "|"), "")
		default:
			alts = []string{word}
		}
		var grown []string
		for _, o := range out {
			for _, a := range alts {
				a = strings.ReplaceAll(a, "_", " ")
				switch {
				case a == "":
					grown = append(grown, o)
				case o == "":
					grown = append(grown, a)
				default:
					grown = append(grown, o+" "+a)
				}
			}
		}
		out = grown
	}
	return out
}

// classes converts a concrete phrase to its class sequence.
func classes(s string) []uint8 {
	var cs []uint8
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		c := classOf[b]
		if c == clsSkip || (c == clsSep && (len(cs) == 0 || cs[len(cs)-1] == clsSep)) {
			continue
		}
		cs = append(cs, c)
	}
	for len(cs) > 0 && cs[len(cs)-1] == clsSep {
		cs = cs[:len(cs)-1]
	}
	return cs
}

const maxPatternLen = 64

// maxStates bounds the automaton so a state fits in 16 bits: half the table
// of int32 states, which matters for policy.wasm's memory and the cache.
const maxStates = 1 << 16

func buildAutomaton(phrases []phrase) *automaton {
	a := &automaton{}
	nc := numClasses
	trie := make([]int32, nc) // state 0 = root; 0 in a trie cell = no edge yet
	var own [][]int32
	own = append(own, nil)
	for _, ph := range phrases {
		for _, s := range expand(ph.pattern) {
			prefix := strings.HasSuffix(s, "*")
			s = strings.TrimSuffix(s, "*")
			cs := classes(s)
			if len(cs) == 0 || len(cs) > maxPatternLen {
				panic("policy: bad phrase pattern " + ph.pattern)
			}
			st := int32(0)
			for _, c := range cs {
				nx := trie[int(st)*nc+int(c)]
				if nx == 0 {
					nx = int32(len(own))
					trie[int(st)*nc+int(c)] = nx
					trie = append(trie, make([]int32, nc)...)
					own = append(own, nil)
				}
				st = nx
			}
			first, last := cs[0], cs[len(cs)-1]
			a.pats = append(a.pats, acPattern{
				tag: ph.tag, length: len(cs), prefix: prefix, payload: ph.payload, weight: ph.weight,
				leftWord: first >= 1 && first <= 36, rightWord: last >= 1 && last <= 36,
			})
			own[st] = append(own[st], int32(len(a.pats)-1))
		}
	}
	n := len(own)
	if n > maxStates {
		panic("policy: phrase automaton has too many states; use combos instead of optional words")
	}
	fail := make([]int32, n)
	outs := make([][]int32, n)
	a.next = make([]uint16, len(trie))
	for i, v := range trie {
		a.next[i] = uint16(v)
	}
	queue := make([]int32, 0, n)
	for c := 0; c < nc; c++ {
		if s := a.next[c]; s != 0 {
			fail[s] = 0
			queue = append(queue, int32(s))
		}
	}
	outs[0] = own[0]
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		outs[s] = append(append([]int32(nil), own[s]...), outs[fail[s]]...)
		for c := 0; c < nc; c++ {
			i := int(s)*nc + c
			if t := a.next[i]; t != 0 {
				fail[t] = int32(a.next[int(fail[s])*nc+c])
				queue = append(queue, int32(t))
			} else {
				a.next[i] = a.next[int(fail[s])*nc+c]
			}
		}
	}
	a.outStart = make([]int32, n+1)
	for s := 0; s < n; s++ {
		a.outStart[s] = int32(len(a.outs))
		a.outs = append(a.outs, outs[s]...)
	}
	a.outStart[n] = int32(len(a.outs))
	return a
}

// hit is one phrase match, in normalised-text offsets.
type hit struct {
	tag      tag
	pat      int32
	ns, ne   int32 // norm span
	sentence int32
}

// scan feeds the normalised text through the automaton and appends matches
// that sit on word boundaries.
func (a *automaton) scan(norm []byte, hits []hit) []hit {
	var ring [maxPatternLen]int32
	nc := numClasses
	st := uint16(0)
	fed := 0
	prevSep := true
	for i := 0; i < len(norm); i++ {
		c := classOf[norm[i]]
		if c == clsSkip {
			continue
		}
		if c == clsSep {
			if prevSep {
				continue
			}
			prevSep = true
		} else {
			prevSep = false
		}
		ring[fed&(maxPatternLen-1)] = int32(i)
		st = a.next[int(st)*nc+int(c)]
		for o := a.outStart[st]; o < a.outStart[int(st)+1]; o++ {
			pi := a.outs[o]
			p := &a.pats[pi]
			ns := ring[(fed-p.length+1)&(maxPatternLen-1)]
			ne := int32(i + 1)
			if p.leftWord && ns > 0 && isAlnum(norm[ns-1]) {
				continue
			}
			if p.rightWord && !p.prefix && int(ne) < len(norm) && isAlnum(norm[ne]) {
				continue
			}
			if p.prefix {
				for int(ne) < len(norm) && isAlnum(norm[ne]) {
					ne++
				}
			}
			hits = append(hits, hit{tag: p.tag, pat: pi, ns: ns, ne: ne})
		}
		fed++
	}
	return hits
}
