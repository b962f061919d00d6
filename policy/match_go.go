package policy

// matchBlock is how many words policy.wasm's matchFirst looks at a call
// (match_wasm.go).
const matchBlock = 1024

// followGo appends the hits of the sequences that begin with each word of
// lex (ordered by start). It is follow natively (match_other.go);
// policy.wasm has the tests that rule most sequences out in assembly
// (match_wasm.go), and TestFollowMatchesGo holds it to this.
func (m *matcher) followGo(norm []byte, lex []lexeme, hits []hit) []hit {
	x := &extension{norm: norm, lex: lex, room: m.trie.reserve + 1}
	for i := range lex {
		ws := &m.words[lex[i].word]
		if ws.n == 0 {
			continue
		}
		// The words that start right after lex[i], as extend would look
		// for them (lex[a:b]: past separators, at a word boundary), and
		// their signatures, when a sequence needs them. Written out here:
		// a call would cost more than the work in policy.wasm.
		a, b, next := 0, 0, uint64(0)
		if ws.want {
			pos := lex[i].ne
			at, ok := nextWord(norm, pos)
			if ok {
				a = i + 1
				for a < len(lex) && lex[a].ns < at {
					a++
				}
				b = a
				for b < len(lex) && lex[b].ns == at {
					next |= 1 << (lex[b].word & 63)
					b++
				}
			}
			if ws.need != 0 && next&ws.need == 0 {
				continue
			}
		}
		for _, f := range m.firsts[ws.first : ws.first+int32(ws.n)] {
			if f.sig != 0 {
				// Most sequences fail on their second word: test that here
				// before the recursive extend (calls are dear in policy.wasm).
				if f.sig&next == 0 {
					continue
				}
				second := m.seqs[f.si].second
				j := a
				for j < b && !second.has(lex[j].word) {
					j++
				}
				if j == b {
					continue
				}
			}
			sq := &m.seqs[f.si]
			end := lex[i].ne
			if len(sq.slots) > 1 {
				x.sq = sq
				end = x.longest(end, i+1)
			}
			if end >= 0 {
				hits = append(hits, hit{tag: sq.tag, pat: sq.phrase, ns: lex[i].ns, ne: end})
			}
		}
	}
	return hits
}
