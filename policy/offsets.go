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

// offsetCursor converts byte offsets that never decrease (findings in
// order) by moving forward through the lists where offsets.at searches
// them: each step of a binary search is a branch the processor guesses
// half wrong, and findings come in order anyway.
type offsetCursor struct {
	o         offsets
	k, li     int // the multi-byte runes and line feeds before the last offset
	lineStart int // the UTF-16 offset where that offset's line starts
}

// at is offsets.at for an offset no smaller than the last one given.
func (c *offsetCursor) at(b int) (u16, line, col int) {
	for c.k < len(c.o.wide) && int(c.o.wide[c.k]) < b {
		c.k++
	}
	if c.li < len(c.o.lines) && int(c.o.lines[c.li]) < b {
		for c.li < len(c.o.lines) && int(c.o.lines[c.li]) < b {
			c.li++
		}
		c.lineStart = c.o.u16(int(c.o.lines[c.li-1]) + 1)
	}
	u16 = c.u16(b)
	return u16, c.li + 1, u16 - c.lineStart + 1
}

// u16 is offsets.u16 for an offset no smaller than the last one given to
// at; it does not move the cursor.
func (c *offsetCursor) u16(b int) int {
	k := c.k
	for k < len(c.o.wide) && int(c.o.wide[k]) < b {
		k++
	}
	if k == 0 {
		return b
	}
	return b - int(c.o.excess[k-1])
}
