package policy

import (
	"bytes"
	"strings"
	"unsafe"
)

// The vocabulary of every phrase list (see matcher.go) is one trie over
// character classes, walked from each place a word can start: every pattern
// begins at a word boundary, so unlike Aho-Corasick no failure links or
// suffix outputs are needed, and each byte of ordinary text costs a load and
// a compare. Go's regexp over dozens of patterns is 20-200x too slow for the
// budgets (DESIGN.md).
//
// The trie runs on character classes, not bytes: letters, digits, one
// "separator" class for space, tab, newline, '-' and '_' (runs of separators
// collapse to one, so "5-star", "5 star" and "five  -  star" look alike),
// apostrophes skipped ("don't" == "dont"), and a few punctuation classes.

const (
	clsOther = 0
	clsSep   = 50 // after letters (1-26), digits (27-36) and punctuation (37-49)
	clsSkip  = 51 // apostrophes
)

// classOf maps a folded byte to its class. A variable initialised by a
// function, not an init(): package variables are ready before any init runs,
// whatever the file order (the matchers are built in init functions).
var classOf = makeClassTable()

// numClasses is a constant so the compiler turns node*numClasses into
// shifts and adds.
const numClasses = clsSkip + 1

func makeClassTable() (classOf [256]uint8) {
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
	next := uint8(37)
	for _, c := range []byte("%#:;()=*<^/$&") {
		classOf[c] = next
		next++
	}
	if next != clsSep {
		panic("policy: punctuation classes must end where clsSep begins")
	}
	return classOf
}

// phrase is one entry of a phrase list, in the small pattern language below.
type phrase struct {
	tag     tag
	pattern string
	payload string // e.g. the correction of a misspelling
	weight  int8   // classifier weight; unused by lint
}

// vocabWord is one word or short phrase of the vocabulary.
type vocabWord struct {
	prefix bool // ends with '*': match a word prefix ("refund*" = refunds, refunded)
	// rightWord: the pattern ends with a letter or digit, so a word
	// boundary must follow (starts are word boundaries by construction).
	rightWord bool
}

type trie struct {
	// next[s*numClasses+class] is the child of node s, or 0 for none; node 0
	// is the root. 16-bit node ids keep the table small (it is built at
	// start-up, in policy.wasm too, where allocation triggers garbage
	// collections). A child where a word ends carries endsWord, so the
	// walk reads info only there.
	next []uint16
	// info[s]: the word ending at node s (exact, -1 if none), and the word
	// ending there with a trailing '*' (prefix: matches a longer word).
	info []nodeInfo
	pats []vocabWord
	// ends[s] packs info[s] for the walk, one load where a word ends: bits
	// 0-14 the exact word + 1 (0: none), bit 15 set when that word must
	// be followed by a word boundary, bits 16-30 the prefix word + 1.
	ends []uint32
	// reserve is the most lexemes one start can yield: scanFrom needs that
	// much room left in its output before each start.
	reserve int
}

type nodeInfo struct{ exact, prefix int32 }

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

// maxStates bounds the trie so node ids fit in 15 bits, with endsWord the
// 16th.
const (
	maxStates = 1 << 15
	endsWord  = 1 << 15
)

// buildAutomaton compiles the vocabulary: words or short phrases ("in
// exchange for"), each optionally ending in '*'. Pattern i is words[i].
func buildTrie(words []string) *trie {
	const nc = numClasses
	// First a sparse trie (a linked list of edges per node), then the dense
	// table at its exact size: this runs at start-up, in policy.wasm too,
	// where every allocated byte brings the next garbage collection closer.
	type edge struct {
		c     uint8
		child uint16
		next  int32
	}
	edges := []edge{}
	head := []int32{-1}
	info := []nodeInfo{{-1, -1}}
	a := &trie{}
	for wi, w := range words {
		prefix := strings.HasSuffix(w, "*")
		cs := classes(strings.TrimSuffix(w, "*"))
		if len(cs) == 0 || bytes.IndexByte(cs, clsOther) >= 0 {
			// clsOther is never a transition: the zero bytes after the
			// folded text end every walk (scan).
			panic("policy: bad phrase word " + w)
		}
		st := 0
		for _, c := range cs {
			e := head[st]
			for e >= 0 && edges[e].c != c {
				e = edges[e].next
			}
			if e < 0 {
				if len(info) == maxStates {
					panic("policy: phrase vocabulary too large")
				}
				edges = append(edges, edge{c: c, child: uint16(len(info)), next: head[st]})
				head[st] = int32(len(edges) - 1)
				head = append(head, -1)
				info = append(info, nodeInfo{-1, -1})
				e = head[st]
			}
			st = int(edges[e].child)
		}
		last := cs[len(cs)-1]
		a.pats = append(a.pats, vocabWord{prefix: prefix, rightWord: last >= 1 && last <= 36})
		if prefix {
			info[st].prefix = int32(wi)
		} else {
			info[st].exact = int32(wi)
		}
	}
	a.info = info
	if len(words) >= 1<<15-1 {
		panic("policy: phrase vocabulary too large")
	}
	a.ends = make([]uint32, len(info))
	for st, inf := range info {
		var x uint32
		if inf.exact >= 0 {
			x = uint32(inf.exact + 1)
			if a.pats[inf.exact].rightWord {
				x |= 1 << 15
			}
		}
		if inf.prefix >= 0 {
			x |= uint32(inf.prefix+1) << 16
		}
		a.ends[st] = x
	}
	// Children have larger ids than their parents, so one pass in id
	// order counts the words ending on the path to each node.
	onPath := make([]uint8, len(info))
	for st, e := range head {
		for ; e >= 0; e = edges[e].next {
			c := edges[e].child
			onPath[c] = onPath[st]
			if info[c].exact >= 0 {
				onPath[c]++
			}
			if info[c].prefix >= 0 {
				onPath[c]++
			}
			a.reserve = max(a.reserve, int(onPath[c]))
		}
	}
	a.next = make([]uint16, len(info)*nc)
	for st, e := range head {
		for ; e >= 0; e = edges[e].next {
			child := edges[e].child
			if inf := info[child]; inf.exact >= 0 || inf.prefix >= 0 {
				child |= endsWord
			}
			a.next[st*nc+int(edges[e].c)] = child
		}
	}
	// Self-loops make the walk's two skips part of the table, so the walk
	// has no state but its node: every node but the root stays put on an
	// apostrophe ("don't" walks as "dont"), and a node reached by a
	// separator stays put on more separators ("five  -  star" walks as
	// "five star"; classes never puts two separators in a row). They carry
	// no endsWord: staying put ends no new word.
	class := make([]uint8, len(info)) // the class of the edge into each node
	for _, e := range edges {
		class[e.child] = e.c
	}
	for v := 1; v < len(info); v++ {
		a.next[v*nc+clsSkip] = uint16(v)
		if class[v] == clsSep {
			a.next[v*nc+clsSep] = uint16(v)
		}
	}
	return a
}

// lexeme is one vocabulary match, in normalised-text offsets.
type lexeme struct {
	word   int32
	ns, ne int32
}

// hit is one phrase match, in normalised-text offsets.
type hit struct {
	tag      tag
	pat      int32
	ns, ne   int32 // norm span
	sentence int32
}

// scan appends the vocabulary words found in norm, ordered by start, then
// end. Words start at starts (from tokenize: where a token starts, or at a
// punctuation mark a pattern begins with, such as ":)" or "% off"), and end
// on a word boundary unless they end in '*' ("refund*"). From each start the
// trie is walked as far as it goes, by walkStarts (walk.go; in assembly in
// policy.wasm, walk_wasm.s).
func (a *trie) scan(norm []byte, starts []int32, hits []lexeme) []lexeme {
	np := unsafe.Pointer(unsafe.SliceData(norm))
	next := unsafe.Pointer(unsafe.SliceData(a.next))
	ends := unsafe.Pointer(unsafe.SliceData(a.ends))
	// A block of starts at a time, with room first for all the words they
	// can yield, so the walk itself never grows the output.
	for k := 0; k < len(starts); {
		n := min(len(starts)-k, 1024)
		if need := n * a.reserve; cap(hits)-len(hits) < need {
			hits = growLexemes(hits, need)
		}
		out := unsafe.Add(unsafe.Pointer(unsafe.SliceData(hits)), len(hits)*int(unsafe.Sizeof(lexeme{})))
		hits = hits[:len(hits)+walkStarts(next, np, ends, unsafe.Pointer(&starts[k]), n, out)]
		k += n
	}
	return hits
}

// growLexemes makes room for at least k more lexemes.
//
//go:noinline
func growLexemes(hits []lexeme, k int) []lexeme {
	return append(hits[:cap(hits)], make([]lexeme, max(k, 64, cap(hits)))...)[:len(hits)]
}
