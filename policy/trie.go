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
	// cells is the trie packed as a double array: node v has a base B(v),
	// and its child on class c is in cells[B(v)+c], which holds the
	// owner's base in its low 16 bits (so a cell of some other node is
	// told apart) and the child's base in its high 16 (for a leaf, which
	// has no base, its index in ends, with leafNode set). The owner half
	// carries endsWord when a word ends at the child, so the walk tests a
	// plain step with one compare, and reads ends only where a word ends.
	// The walk's node is its base; the root's is 0. The packing puts a
	// node's children in a few neighbouring cells where the dense table
	// (node*numClasses+class) spread them over 104 bytes a node, 512 KB in
	// all: the walk's steps missed the L1 cache about 590 times a lint.
	cells []uint32
	// ends[B(v)] packs the words ending at node v (for a leaf, the index
	// its cell names): bits 0-14 the exact word + 1 (0: none), bit 15 set
	// when that word must be followed by a word boundary, bits 16-30 the
	// prefix word + 1.
	ends []uint32
	pats []vocabWord
	// reserve is the most lexemes one start can yield: scan needs that
	// much room left in its output before each start.
	reserve int
	// The trie before packing, by node id (the root is 0): each node's
	// edges as a linked list, and the words ending there. The tests hold
	// the walk over cells to a walk over these.
	edges []trieEdge
	head  []int32
	info  []nodeInfo
}

type trieEdge struct {
	c     uint8
	child uint16
	next  int32 // the node's next edge, or -1
}

type nodeInfo struct{ exact, prefix int32 }

// child is node v's child on class c in the trie before packing, or -1.
func (a *trie) child(v int, c uint8) int {
	for e := a.head[v]; e >= 0; e = a.edges[e].next {
		if a.edges[e].c == c {
			return int(a.edges[e].child)
		}
	}
	return -1
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

// Bases and cells fit in 15 bits: the 16th of a cell's owner half is
// endsWord, and emptyCell's owner is no base; the 16th of its child half
// is leafNode.
const (
	maxCells  = 1<<15 - 1
	endsWord  = 1 << 15
	leafNode  = 1 << 15
	emptyCell = maxCells
)

// buildTrie compiles the vocabulary: words or short phrases ("in exchange
// for"), each optionally ending in '*'. Pattern i is words[i].
func buildTrie(words []string) *trie {
	// First a sparse trie (a linked list of edges per node), then the
	// packed cells: this runs at start-up, in policy.wasm too, where every
	// allocated byte brings the next garbage collection closer.
	a := &trie{head: []int32{-1}, info: []nodeInfo{{-1, -1}}}
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
			next := a.child(st, c)
			if next < 0 {
				if len(a.info) == maxCells {
					panic("policy: phrase vocabulary too large")
				}
				next = len(a.info)
				a.edges = append(a.edges, trieEdge{c: c, child: uint16(next), next: a.head[st]})
				a.head[st] = int32(len(a.edges) - 1)
				a.head = append(a.head, -1)
				a.info = append(a.info, nodeInfo{-1, -1})
			}
			st = next
		}
		last := cs[len(cs)-1]
		a.pats = append(a.pats, vocabWord{prefix: prefix, rightWord: last >= 1 && last <= 36})
		if prefix {
			a.info[st].prefix = int32(wi)
		} else {
			a.info[st].exact = int32(wi)
		}
	}
	if len(words) >= 1<<15-1 {
		panic("policy: phrase vocabulary too large")
	}
	// Children have larger ids than their parents, so one pass in id
	// order counts the words ending on the path to each node.
	onPath := make([]uint8, len(a.info))
	for st, e := range a.head {
		for ; e >= 0; e = a.edges[e].next {
			c := a.edges[e].child
			onPath[c] = onPath[st]
			if a.info[c].exact >= 0 {
				onPath[c]++
			}
			if a.info[c].prefix >= 0 {
				onPath[c]++
			}
			a.reserve = max(a.reserve, int(onPath[c]))
		}
	}
	a.pack()
	return a
}

// pack places the nodes in cells, first fit, in breadth-first order, so
// the nodes near the root, which every walk visits, share a few cache
// lines.
func (a *trie) pack() {
	// Every node but the root is named by one cell (the edge into it),
	// and room is left between: try a size, and twice that if it was too
	// small.
	for size := len(a.info) + len(a.info)/4 + 2*numClasses; !a.packIn(size); size *= 2 {
		if size > maxCells {
			panic("policy: phrase vocabulary too large")
		}
	}
}

// packIn packs the trie in at most size cells, and reports whether they
// were enough.
func (a *trie) packIn(size int) bool {
	size = min(size, maxCells)
	n := len(a.info)
	base := make([]int32, n)
	// cells[:used] will be the packed trie; nodes go where a cell is free
	// for each of their classes and no other node has the base. Both are
	// found through union-finds: free[i] and freeBase[i] lead to the
	// first free cell and the first free base at or after i. The cells
	// fill up almost completely, and a scan from the first free one costs
	// dozens of probes a node.
	cells := make([]uint32, size+numClasses)
	free := make(unionFind, len(cells))
	freeBase := make(unionFind, len(cells))
	for i := range cells {
		cells[i], free[i], freeBase[i] = emptyCell, int32(i), int32(i)
	}
	used := 0
	const window = 4 * numClasses
	var cs []uint8
	class := make([]uint8, n) // the class of the edge into each node
	queue := make([]int32, 1, n)
	for q := 0; q < len(queue); q++ {
		v := queue[q]
		cs = cs[:0]
		lo := uint8(numClasses)
		for e := a.head[v]; e >= 0; e = a.edges[e].next {
			cs = append(cs, a.edges[e].c)
			lo = min(lo, a.edges[e].c)
			queue = append(queue, int32(a.edges[e].child))
			class[a.edges[e].child] = a.edges[e].c
		}
		if class[v] == clsSep {
			// A separator's self-loop: a node a separator led to stays
			// put on more separators ("five  -  star" walks as "five
			// star"). classes never puts two separators in a row, so
			// the node has no separator child of its own.
			cs = append(cs, clsSep)
		}
		if len(cs) == 0 {
			continue // a leaf: no base (see below)
		}
		// Holes more than a window behind the last base are left: a
		// fit there is rare, and looking costs more than they save.
		b := free.find(max(int(lo), used-window)) - int(lo)
	fit:
		for {
			if b = freeBase.find(b); b+numClasses > size {
				return false
			}
			for _, c := range cs {
				if cells[b+int(c)] != emptyCell {
					b = free.find(b+1+int(lo)) - int(lo)
					continue fit
				}
			}
			break
		}
		used = max(used, b+numClasses)
		base[v] = int32(b)
		freeBase[b] = int32(b + 1)
		for _, c := range cs {
			// Taken; filled in below, once every base is known.
			cells[b+int(c)] = 0
			free[b+int(c)] = int32(b + int(c) + 1)
		}
	}
	if base[0] != 0 {
		panic("policy: the trie's root must have base 0") // where every walk starts
	}
	// The leaves have no cells and no base: a walk stops at one once it has
	// taken its words. The cell that leads to a leaf names, instead of a
	// base, the leaf's entry in ends after the bases' (with leafNode
	// set), so the words most walks end on sit together in ends.
	cells = cells[:used:used]
	leaves := 0
	for v := range n {
		if a.head[v] < 0 && v != 0 {
			if used+leaves >= leafNode {
				return false
			}
			base[v] = int32(used+leaves) | leafNode
			leaves++
		}
	}
	a.ends = make([]uint32, used+leaves)
	for v := range n {
		b := base[v]
		for e := a.head[v]; e >= 0; e = a.edges[e].next {
			u := a.edges[e].child
			owner := uint32(b)
			if inf := a.info[u]; inf.exact >= 0 || inf.prefix >= 0 {
				owner |= endsWord
			}
			cells[b+int32(a.edges[e].c)] = owner | uint32(base[u])<<16
		}
		if class[v] == clsSep {
			cells[b+clsSep] = uint32(b) | uint32(b)<<16
		}
		var x uint32
		if inf := a.info[v]; inf.exact >= 0 {
			x = uint32(inf.exact + 1)
			if a.pats[inf.exact].rightWord {
				x |= 1 << 15
			}
		}
		if inf := a.info[v]; inf.prefix >= 0 {
			x |= uint32(inf.prefix+1) << 16
		}
		a.ends[b&^leafNode] = x
	}
	a.cells = cells
	return true
}

// unionFind[i] leads to the first free place at or after i.
type unionFind []int32

// find returns the first free place at or after i, halving the path.
//
//go:noinline
func (uf unionFind) find(i int) int {
	for int(uf[i]) != i {
		uf[i] = uf[uf[i]]
		i = int(uf[i])
	}
	return i
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
	cells := unsafe.Pointer(unsafe.SliceData(a.cells))
	ends := unsafe.Pointer(unsafe.SliceData(a.ends))
	// A block of starts at a time, with room first for all the words they
	// can yield, so the walk itself never grows the output.
	for k := 0; k < len(starts); {
		n := min(len(starts)-k, 1024)
		if need := n * a.reserve; cap(hits)-len(hits) < need {
			hits = growLexemes(hits, need)
		}
		out := unsafe.Add(unsafe.Pointer(unsafe.SliceData(hits)), len(hits)*int(unsafe.Sizeof(lexeme{})))
		hits = hits[:len(hits)+walkStarts(cells, np, ends, unsafe.Pointer(&starts[k]), n, out)]
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
