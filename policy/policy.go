package policy

// Version identifies the rule set; hosts show it and history records it.
const Version = "0.1.0"

// ApplyFixes applies the fixes of the given findings to text and returns the
// result. Fixes are applied from the end of the text backwards; a fix whose
// span overlaps one already applied is skipped, so overlapping fixes can
// never corrupt the text (run Lint again to pick up what was skipped).
func ApplyFixes(text string, findings []Finding) string {
	type edit struct {
		s, e int // byte offsets
		repl string
	}
	units := utf16ToByte(text)
	var edits []edit
	for _, f := range findings {
		if f.Fix == nil || f.Start < 0 || f.End < f.Start || f.End >= len(units) {
			continue
		}
		s, e := units[f.Start], units[f.End]
		if s < 0 || e < 0 {
			continue // inside a surrogate pair
		}
		edits = append(edits, edit{s, e, f.Fix.Replacement})
	}
	// Latest span first (insertion sort: few edits, no generic sort code).
	for i := 1; i < len(edits); i++ {
		for j := i; j > 0 && (edits[j].s > edits[j-1].s || edits[j].s == edits[j-1].s && edits[j].e > edits[j-1].e); j-- {
			edits[j], edits[j-1] = edits[j-1], edits[j]
		}
	}
	out := text
	limit := len(text) + 1
	for _, ed := range edits {
		if ed.e > limit {
			continue // overlaps an edit already applied
		}
		out = out[:ed.s] + ed.repl + out[ed.e:]
		limit = ed.s
	}
	return out
}

// utf16ToByte maps each UTF-16 offset of text (0..len inclusive) to its byte
// offset, or -1 for an offset between the halves of a surrogate pair.
func utf16ToByte(text string) []int {
	m := make([]int, 0, len(text)+1)
	for i, r := range text {
		m = append(m, i)
		if r >= 0x10000 {
			m = append(m, -1)
		}
	}
	return append(m, len(text))
}
