package policy

import "unicode/utf8"

// offsets converts byte offsets of the source text to what editors count:
// UTF-16 code units, and 1-based lines and columns. It works from the
// multi-byte runes and line breaks the normaliser listed, with a binary
// search each, rather than walking the text: findings are few, the text
// may be long, and in policy.wasm a step of a byte loop is dear.
type offsets struct {
	wide   []int32 // src offsets of multi-byte runes
	excess []int32 // excess[k]: bytes beyond their UTF-16 units of wide[0..k]
	lines  []int32 // src offsets of '\n'
}

// offsets returns the converter for the text last reset; buf is reused
// scratch for it.
func (n *normText) offsets(buf *[]int32) offsets {
	ex := (*buf)[:0]
	total := int32(0)
	for _, w := range n.wide {
		r, size := utf8.DecodeRuneInString(n.src[w:])
		units := int32(1)
		if r >= 0x10000 {
			units = 2
		}
		total += int32(size) - units
		ex = append(ex, total)
	}
	*buf = ex
	return offsets{wide: n.wide, excess: ex, lines: n.lines}
}

// u16 converts a byte offset (at a rune boundary) to UTF-16 units.
func (o offsets) u16(b int) int {
	k := countBelow(o.wide, b)
	if k == 0 {
		return b
	}
	return b - int(o.excess[k-1])
}

// at converts a byte offset to UTF-16 units, line and column.
func (o offsets) at(b int) (u16, line, col int) {
	u16 = o.u16(b)
	li := countBelow(o.lines, b)
	start := 0 // UTF-16 offset of the line's start
	if li > 0 {
		start = o.u16(int(o.lines[li-1]) + 1)
	}
	return u16, li + 1, u16 - start + 1
}

// countBelow returns how many of the ascending xs are below b.
func countBelow(xs []int32, b int) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(xs[m]) < b {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
