package policy

import (
	"math/bits"
	"strings"
)

// strSet is a fixed set of short words (TLDs, units, carrier names) that
// the recognisers ask about a few dozen times a lint. A Go map costs a
// hash of the whole string and a probe of a group on each question, over a
// hundred instructions natively and several times that in policy.wasm;
// this is an open-addressed table keyed by a word's first eight bytes and
// its length, so a question is one multiply and, mostly, one compare.
type strSet struct {
	slots []strSlot
	shift uint // 64 - log2(len(slots))
}

type strSlot struct {
	head uint64 // the word's first eight bytes, little-endian, zero-padded
	word string // "" for an empty slot
}

// setOf returns the set of the space-separated words.
func setOf(words string) *strSet {
	ws := strings.Fields(words)
	size := 8
	for size < 2*len(ws) { // at most half full: probe runs stay short
		size *= 2
	}
	s := &strSet{slots: make([]strSlot, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
	for _, w := range ws {
		if !s.has(w) {
			i := s.slot(head8(w), len(w))
			for s.slots[i].word != "" {
				i = (i + 1) & (len(s.slots) - 1)
			}
			s.slots[i] = strSlot{head: head8(w), word: w}
		}
	}
	return s
}

// has reports whether w is in the set.
func (s *strSet) has(w string) bool {
	if w == "" {
		return false
	}
	h := head8(w)
	mask := len(s.slots) - 1
	for i := s.slot(h, len(w)); ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.word == "" {
			return false
		}
		if sl.head == h && len(sl.word) == len(w) && (len(w) <= 8 || sl.word == w) {
			return true
		}
	}
}

// slot is where the probe run of a word with head h and length n begins.
func (s *strSet) slot(h uint64, n int) int {
	return int((h^uint64(n))*0x9E3779B97F4A7C15>>s.shift) & (len(s.slots) - 1)
}

// head8 packs the first eight bytes of w, the first lowest, zero-padded.
func head8(w string) uint64 {
	if len(w) >= 8 { // one load
		return uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	}
	var h uint64
	for i := len(w) - 1; i >= 0; i-- {
		h = h<<8 | uint64(w[i])
	}
	return h
}
