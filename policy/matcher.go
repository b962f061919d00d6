package policy

import (
	mbits "math/bits"
	"strings"
	"unsafe"
)

// A matcher finds phrase patterns in two steps, so that a pattern with many
// alternatives costs its words, not their product:
//
//  1. one trie over the vocabulary (every alternative of
//     every slot, each once) finds the words in a single pass;
//  2. each pattern is a sequence of slots ("(leave|write) [us] (a|an)
//     review"); a pattern matches where its slots' words follow one another,
//     separated only by spaces, hyphens or line breaks.
//
// Pattern syntax: words separated by spaces; (a|b) is a slot with
// alternatives; [a|b] is an optional slot; '_' inside an alternative stands
// for a space; a trailing '*' allows a longer word ("refund*").
type matcher struct {
	trie    *trie
	phrases []phrase
	seqs    []seq // compiled phrases; seqs[i].phrase indexes phrases
	// words[w] is what match reads of word w, in one 16-byte record: the
	// walk finds hundreds of words a lint, and three tables by word cost
	// a cache miss each.
	words []wordSeqs
	// firsts lists, word after word, the sequences whose first slot
	// holds the word (words[w] says where), with what rules most of them
	// out, so that the sequence itself is read only when it may match.
	firsts []firstSeq
	// maxFirsts is the most sequences one word begins.
	maxFirsts int
}

// firstSeq is a sequence that begins with a word.
type firstSeq struct {
	// sig is the signature of the sequence's second words when one must
	// follow (it has more than one slot and cannot end after the first),
	// else 0.
	sig uint64
	si  int32 // seqs[si]
}

// wordSeqs is the sequences that begin with one word.
type wordSeqs struct {
	// need is set when every sequence beginning with the word needs a
	// second word: it is then the union of those words' signatures (bit
	// id%64), so one test of the words that follow rules most of them out
	// at once.
	need uint64
	// The sequences are firsts[first : first+n].
	first int32
	n     uint16
	// want: some sequence needs a second word.
	want bool
}

// seq is a compiled phrase, from one of the slots it may begin with: what
// match reads of it once its second word has been found (firstSeq).
type seq struct {
	slots []slot
	// second holds the words that can follow the first slot: those of the
	// slots up to and including the first required one after it. A match
	// needs one of them next; nil when every later slot is optional.
	second wordSet
	phrase int32
	tag    tag // phrases[phrase].tag, here so a hit needs no other line
}

type slot struct {
	bits wordSet
	opt  bool
}

// wordSet is a set of word ids, a bit each.
type wordSet []uint64

func (s wordSet) has(w int32) bool { return s[w>>6]&(1<<(w&63)) != 0 }

// signature is the set's words' signatures (bit id%64): a set whose
// signature misses those of the words that follow has none of them. 0 for
// an empty set.
func (s wordSet) signature() uint64 {
	var sig uint64
	for i, b := range s {
		for ; b != 0; b &= b - 1 {
			sig |= 1 << ((i*64 + mbits.TrailingZeros64(b)) & 63)
		}
	}
	return sig
}

func newMatcher(phrases []phrase) *matcher {
	m := &matcher{phrases: phrases}
	vocab := map[string]int32{}
	var words []string
	type rawSlot struct {
		alts []int32
		opt  bool
	}
	var parsed [][]rawSlot
	for _, ph := range phrases {
		var slots []rawSlot
		for _, w := range strings.Fields(ph.pattern) {
			var alts []string
			opt := false
			switch {
			case strings.HasPrefix(w, "(") && strings.HasSuffix(w, ")"):
				alts = strings.Split(w[1:len(w)-1], "|")
			case strings.HasPrefix(w, "[") && strings.HasSuffix(w, "]"):
				alts, opt = strings.Split(w[1:len(w)-1], "|"), true
			default:
				alts = []string{w}
			}
			var rs rawSlot
			rs.opt = opt
			for _, a := range alts {
				if a == "" { // "(that|)": an empty alternative makes the slot optional
					rs.opt = true
					continue
				}
				a = strings.ReplaceAll(a, "_", " ")
				id, ok := vocab[a]
				if !ok {
					id = int32(len(words))
					vocab[a] = id
					words = append(words, a)
				}
				rs.alts = append(rs.alts, id)
			}
			slots = append(slots, rs)
		}
		parsed = append(parsed, slots)
	}
	m.trie = buildTrie(words)
	nw := (len(words) + 63) / 64
	byFirst := make([][]int32, len(words)) // word id -> seqs whose first slot holds the word
	nslots := 0
	for _, slots := range parsed {
		nslots += len(slots)
	}
	bits := make([]uint64, nslots*nw) // one allocation for every slot's set
	for pi, slots := range parsed {
		var sq seq
		sq.phrase, sq.tag = int32(pi), phrases[pi].tag
		for _, rs := range slots {
			sl := slot{bits: bits[:nw:nw], opt: rs.opt}
			bits = bits[nw:]
			for _, id := range rs.alts {
				sl.bits[id>>6] |= 1 << (id & 63)
			}
			sq.slots = append(sq.slots, sl)
		}
		// A pattern may begin with optional slots: index it under the
		// first words of each way it can start.
		for k := 0; k < len(sq.slots); k++ {
			variant := seq{phrase: sq.phrase, tag: sq.tag, slots: sq.slots[k:]}
			// The words of the slots after the first, up to and including
			// the first required one: one of them must come next. If every
			// later slot is optional, nothing must.
			var next wordSet
			for j := 1; j < len(variant.slots); j++ {
				if next == nil {
					next = make(wordSet, nw)
				}
				for w := range next {
					next[w] |= variant.slots[j].bits[w]
				}
				if !variant.slots[j].opt {
					variant.second = next
					break
				}
			}
			si := int32(len(m.seqs))
			m.seqs = append(m.seqs, variant)
			for _, id := range slots[k].alts {
				byFirst[id] = append(byFirst[id], si)
			}
			if !sq.slots[k].opt {
				break
			}
		}
	}
	m.words = make([]wordSeqs, len(words))
	for w, firsts := range byFirst {
		ws := &m.words[w]
		ws.first, ws.n = int32(len(m.firsts)), uint16(len(firsts))
		m.maxFirsts = max(m.maxFirsts, len(firsts))
		var need uint64
		all := true // every sequence needs a second word
		for _, si := range firsts {
			f := firstSeq{si: si, sig: m.seqs[si].second.signature()}
			if f.sig == 0 {
				all = false
			} else {
				ws.want = true
				need |= f.sig
			}
			m.firsts = append(m.firsts, f)
		}
		if all {
			ws.need = need
		}
	}
	return m
}

// match finds the phrases in norm that begin at starts (from tokenize),
// appending their hits (tag, phrase index, span) to hits. lex is scratch
// space for the words.
func (m *matcher) match(norm []byte, starts []int32, lex []lexeme, hits []hit) ([]lexeme, []hit) {
	lex = m.trie.scan(norm, starts, lex[:0]) // ordered by start
	return lex, m.follow(norm, lex, hits)
}

// nextWord returns where the next word of a sequence may start after a word
// ending at pos: past separators and apostrophes, and only at a word
// boundary (ok is false when the words would run together).
//
// norm is followed by zero bytes (normText.reset), which are neither
// separators nor letters, so the reads past its end need no bounds tests.
func nextWord(norm []byte, pos int32) (next int32, ok bool) {
	np := unsafe.Pointer(unsafe.SliceData(norm))
	next = pos
	for classOf[*(*byte)(unsafe.Add(np, next))] >= clsSep { // clsSep or clsSkip
		next++
	}
	return next, next > pos || !isAlnum(*(*byte)(unsafe.Add(np, pos-1))) || !isAlnum(*(*byte)(unsafe.Add(np, next)))
}

// extension is what extend reads, passed by one pointer: in policy.wasm
// every argument of a call goes through memory, and extend recurses.
type extension struct {
	norm []byte
	lex  []lexeme
	sq   *seq
	// room is the most ways one slot can go on: the words that start at
	// one place (trie.reserve) and a skip.
	room int
}

// extend matches x.sq.slots[k:] from norm offset pos and returns the end of
// the longest match, or -1. from is where to start looking in lex.
func (x *extension) extend(k int, pos int32, from int) int32 {
	slots := x.sq.slots
	if k == len(slots) {
		return pos
	}
	best := int32(-1)
	if next, ok := nextWord(x.norm, pos); ok {
		lex := x.lex
		for j := from; j < len(lex) && lex[j].ns <= next; j++ {
			if lex[j].ns == next && slots[k].bits.has(lex[j].word) {
				if e := x.extend(k+1, lex[j].ne, j+1); e > best {
					best = e
				}
			}
		}
	}
	if slots[k].opt {
		if e := x.extend(k+1, pos, from); e > best {
			best = e
		}
	}
	return best
}
