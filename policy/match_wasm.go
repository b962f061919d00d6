//go:build wasm

package policy

import "unsafe"

// matchCand is a sequence (seqs[si]) that begins with lex[i] and passed
// the tests on its second word.
type matchCand struct{ i, si int32 }

// matchScratch holds matchFirst's candidates: policy.wasm runs one lint at
// a time, and matchFirst never yields.
var matchScratch []matchCand

// follow appends the hits of the sequences that begin with each word of
// lex (ordered by start), as followGo (match_go.go) does in Go for native
// builds. The loop over the words, which rules out most sequences by the
// word that follows, is matchFirst, in assembly: in Go's wasm code that
// loop cost about 15% of a lint under wazero. What is left (following a
// sequence's later slots, writing hits) stays in Go.
func (m *matcher) follow(norm []byte, lex []lexeme, hits []hit) []hit {
	if len(lex) == 0 {
		return hits
	}
	// A block of words at a time, so the candidates' room stays small
	// whatever the text's length.
	if need := matchBlock * m.maxFirsts; cap(matchScratch) < need {
		matchScratch = make([]matchCand, need)
	}
	x := &extension{norm: norm, lex: lex, room: m.trie.reserve + 1}
	for from := 0; from < len(lex); from += matchBlock {
		nc := matchFirst(unsafe.Pointer(unsafe.SliceData(norm)), unsafe.Pointer(unsafe.SliceData(lex)), len(lex),
			from, min(from+matchBlock, len(lex)),
			unsafe.Pointer(unsafe.SliceData(m.words)), unsafe.Pointer(unsafe.SliceData(m.firsts)),
			unsafe.Pointer(unsafe.SliceData(m.seqs)), unsafe.Pointer(unsafe.SliceData(matchScratch)))
		for _, c := range matchScratch[:nc] {
			sq := &m.seqs[c.si]
			end := lex[c.i].ne
			if len(sq.slots) > 1 {
				x.sq = sq
				end = x.longest(end, int(c.i)+1)
			}
			if end >= 0 {
				hits = append(hits, hit{tag: sq.tag, pat: sq.phrase, ns: lex[c.i].ns, ne: end})
			}
		}
	}
	return hits
}

// matchFirst writes to out, in order, the candidates among the sequences
// that begin with each word of lex[from:to] (lex has nlex words): one that
// needs no second word (firstSeq.sig is 0), or one whose second word (or
// that of a slot before its first required one) begins right after the
// word, past separators (nextWord). words, firsts and seqs are the
// matcher's; out has room for (to-from)*maxFirsts. It returns how many it
// wrote. In match_wasm.s.
//
//go:noescape
func matchFirst(norm, lex unsafe.Pointer, nlex, from, to int, words, firsts, seqs, out unsafe.Pointer) int
