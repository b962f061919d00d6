package policy

import (
	"sort"
	"sync/atomic"
)

// token is a run of letters and digits in the normalised text.
type token struct {
	ns, ne  int32
	digits  int32 // how many digits
	letters int32 // how many letters
}

// raw is a finding in source byte offsets, before UTF-16 conversion.
type raw struct {
	rule     string
	severity Severity
	s, e     int
	message  string
	fix      *Fix
}

// linter holds the scratch state of one Lint call; pooled so a keystroke
// costs no allocations beyond the findings themselves.
type linter struct {
	nt        normText
	normS     string // nt.norm as a string, for substring compares; a view, so nothing taken from it may outlive the call
	toks      []token
	starts    []int32  // norm offsets where a phrase may start, ascending (tokenize)
	nums      []int32  // indexes of the all-digit tokens, ascending (tokenize)
	linkCands []int32  // indexes of the tokens a link may start with, ascending (tokenize)
	lex       []lexeme // vocabulary matches, scratch for the matcher
	hits      []hit
	merged    []hit    // scratch for combine
	sentEnds  []int32  // norm offsets where each sentence ends (exclusive)
	sentMask  []uint64 // tags present in each sentence
	sentHits  []int32  // hits of sentence k are hits[sentHits[k]:sentHits[k+1]]
	mask      uint64   // tags present anywhere
	out       []raw
	order     []int32 // for sortOut
	orderIDs  []span  // valid order ids found (norm spans)
	groupBuf  []int   // scratch for numRun.groups
	excess    []int32 // scratch for offsets
	sepBuf    []byte  // scratch for numRun.seps
	ctx       Context // a copy, so the caller's does not escape to the heap
}

type span struct{ s, e int32 }

// spare keeps one linter's buffers for the next call, so a keystroke costs
// no allocations beyond its findings. (A lock-free slot rather than
// sync.Pool: policy.wasm is single-threaded and sync adds 16 KB to it.)
var spare atomic.Pointer[linter]

func getLinter() *linter {
	if l := spare.Swap(nil); l != nil {
		return l
	}
	return new(linter)
}

func putLinter(l *linter) { spare.Store(l) }

var lintM *matcher

func init() {
	lintM = newMatcher(append(lintPhrases[:len(lintPhrases):len(lintPhrases)], misspellingPhrases()...))
}

// Lint checks a seller's message and returns its findings ordered by Start,
// then End, then Rule.
func Lint(text string, ctx Context) []Finding {
	return AppendLint(nil, text, ctx)
}

// AppendLint is Lint appending to dst, for hosts that lint on every
// keystroke and reuse one slice (policy.wasm: each allocation brings the
// next garbage collection, and its pause, closer).
func AppendLint(dst []Finding, text string, ctx Context) []Finding {
	if text == "" {
		if dst == nil {
			return []Finding{}
		}
		return dst
	}
	l := getLinter()
	defer putLinter(l)
	l.run(text, &ctx)
	return l.findings(dst)
}

func (l *linter) run(text string, ctx *Context) {
	l.ctx = *ctx
	l.out = l.out[:0]
	l.orderIDs = l.orderIDs[:0]
	l.nt.reset(text)
	l.normS = l.nt.view()
	l.tokenize()
	l.lex, l.hits = lintM.match(l.nt.norm, l.starts, l.lex, l.hits[:0])
	l.combine()
	l.indexHits()

	l.checkLinksAndEmails()
	l.checkNumbers()
	l.checkEmoji()
	l.checkHTML()
	l.checkLineBreaks()
	l.checkShouting()
	l.checkPhrases()
	l.checkContext()
}

// sentenceOf returns the index of the sentence holding norm offset p.
func (l *linter) sentenceOf(p int32) int32 {
	return int32(sort.Search(len(l.sentEnds), func(i int) bool { return l.sentEnds[i] > p }))
}

func (l *linter) sentenceSpan(k int32) (int32, int32) {
	s := int32(0)
	if k > 0 {
		s = l.sentEnds[k-1]
	}
	return s, l.sentEnds[k]
}

// indexHits assigns each hit its sentence, orders hits by sentence and
// start, and records which tags each sentence holds, so the rules look only
// at the hits of one sentence (linear time, whatever the text's length).
func (l *linter) indexHits() {
	nSent := len(l.sentEnds)
	if cap(l.sentMask) < nSent {
		l.sentMask = make([]uint64, nSent)
		l.sentHits = make([]int32, nSent+1)
	}
	l.sentMask = l.sentMask[:nSent]
	l.sentHits = l.sentHits[:nSent+1]
	clear(l.sentMask)
	clear(l.sentHits)
	// Locals, not fields, in the loop: policy.wasm stores every field write.
	hits, ends, sentMask, sentHits := l.hits, l.sentEnds, l.sentMask, l.sentHits
	mask := uint64(0)
	k := int32(0)
	for i := range hits {
		h := &hits[i]
		for k < int32(nSent)-1 && ends[k] <= h.ns {
			k++
		}
		if k > 0 && ends[k-1] > h.ns {
			h.sentence = l.sentenceOf(h.ns)
		} else {
			h.sentence = k
		}
		sentMask[h.sentence] |= 1 << h.tag
		mask |= 1 << h.tag
		sentHits[h.sentence+1]++
	}
	l.mask = mask
	// Hits are ordered by start (matcher, then combine), so by sentence too.
	for k := 1; k <= nSent; k++ {
		l.sentHits[k] += l.sentHits[k-1]
	}
}

// combine adds the hits of combos (see phrases.go). Hits arrive ordered by
// start; the combined hits are merged in so they stay ordered.
func (l *linter) combine() {
	n := l.nt.norm
	found := len(l.hits)
	var tags uint64
	for i := range l.hits {
		tags |= 1 << l.hits[i].tag
	}
	for _, c := range combos {
		if tags&(1<<c.first) == 0 || tags&(1<<c.then) == 0 {
			continue // a combo needs both of its parts somewhere
		}
		for i := 0; i < found; i++ {
			a := l.hits[i]
			if a.tag != c.first {
				continue
			}
			for j := i + 1; j < found && l.hits[j].ns <= a.ne+48; j++ {
				b := l.hits[j]
				if b.tag != c.then || b.ns < a.ne {
					continue
				}
				words, ok := 0, true
				for k := a.ne; k < b.ns && ok; k++ {
					switch ch := n[k]; {
					case ch == '.' || ch == '!' || ch == '?' || ch == '\n':
						ok = false
					case isAlnum(ch) && (k == a.ne || !isAlnum(n[k-1])):
						words++
					}
				}
				if ok && words <= c.maxWords {
					l.hits = append(l.hits, hit{tag: c.result, pat: a.pat, ns: a.ns, ne: b.ne})
					break
				}
			}
		}
	}
	if len(l.hits) == found {
		return
	}
	// Insert the (few) combined hits among the ordered ones.
	extra := append(l.merged[:0], l.hits[found:]...)
	l.merged = extra
	for i := 1; i < len(extra); i++ {
		for j := i; j > 0 && hitLess(&extra[j], &extra[j-1]); j-- {
			extra[j], extra[j-1] = extra[j-1], extra[j]
		}
	}
	l.hits = insertHits(l.hits[:found], extra)
}

// insertHits puts the extra hits (sorted) among hits (ordered by start),
// each before the first hit from where the last went that it sorts before,
// as merging the two would: moving the hits after each takes one copy,
// where a merge into a second buffer appended every hit one by one (3% of
// a lint's time).
func insertHits(hits, extra []hit) []hit {
	pos := 0
	for _, e := range extra {
		for pos < len(hits) && !hitLess(&e, &hits[pos]) {
			pos++
		}
		hits = append(hits, hit{})
		copy(hits[pos+1:], hits[pos:])
		hits[pos] = e
		pos++
	}
	return hits
}

func hitLess(a, b *hit) bool {
	if a.ns != b.ns {
		return a.ns < b.ns
	}
	return a.ne < b.ne
}

// hitsIn returns the hits of sentence k.
func (l *linter) hitsIn(k int32) []hit { return l.hits[l.sentHits[k]:l.sentHits[k+1]] }

func (l *linter) has(sentence int32, t tag) bool { return l.sentMask[sentence]&(1<<t) != 0 }
func (l *linter) hasAny(t tag) bool              { return l.mask&(1<<t) != 0 }

// add records a finding over the norm span [ns, ne).
func (l *linter) addNorm(rule string, sev Severity, ns, ne int32, msg string, fix *Fix) {
	s, e := l.nt.span(int(ns), int(ne))
	l.out = append(l.out, raw{rule: rule, severity: sev, s: s, e: e, message: msg, fix: fix})
}

// add records a finding over the source byte span [s, e).
func (l *linter) add(rule string, sev Severity, s, e int, msg string, fix *Fix) {
	l.out = append(l.out, raw{rule: rule, severity: sev, s: s, e: e, message: msg, fix: fix})
}

// negated reports whether one of the three tokens before norm offset ns is a
// negation ("we do not accept PayPal", "we never ask for your password").
func (l *linter) negated(ns int32, sentence int32) bool {
	if !l.has(sentence, tagNegation) {
		return false
	}
	// Find the index of the first token at or after ns.
	i := sort.Search(len(l.toks), func(i int) bool { return l.toks[i].ns >= ns })
	from := i - 4
	if from < 0 {
		from = 0
	}
	for _, h := range l.hitsIn(sentence) {
		if h.tag != tagNegation || h.ns >= ns {
			continue
		}
		if from < len(l.toks) && h.ns >= l.toks[from].ns {
			return true
		}
	}
	return false
}

// findings converts raw findings to the public form: UTF-16 offsets, line
// and column, sorted and de-duplicated.
func (l *linter) findings(res []Finding) []Finding {
	if len(l.out) == 0 {
		if res == nil {
			return []Finding{}
		}
		return res
	}
	order := l.sortOut()
	if res == nil {
		res = make([]Finding, 0, len(l.out))
	}
	first := len(res)
	conv := offsetCursor{o: l.nt.offsets(&l.excess)} // findings come in order
	for i, k := range order {
		r := &l.out[k]
		if len(res) > first {
			p := &l.out[order[i-1]]
			if p.rule == r.rule && p.s == r.s && p.e == r.e {
				continue
			}
			// Overlapping phrases of one rule ("you will need to cancel" and
			// "... cancel the order") read as one finding: widen the last.
			if last := &res[len(res)-1]; last.Rule == r.rule && p.rule == r.rule && r.s < p.e && r.fix == nil && p.fix == nil && r.severity == p.severity {
				if r.e > p.e {
					end := conv.u16(r.e)
					last.End = end
					p.e = r.e
				}
				continue
			}
		}
		start, line, col := conv.at(r.s)
		end := conv.u16(r.e)
		res = append(res, Finding{
			Rule: r.rule, Severity: r.severity, Start: start, End: end,
			Line: line, Col: col, Message: r.message, Fix: r.fix,
		})
	}
	return res
}

// sortOut returns the order of the findings by position (stable: checks
// emit them rule by rule). It sorts indexes, not the findings themselves,
// which in policy.wasm would be a call per move. A few findings are
// insertion sorted (they arrive in a few ordered runs); many, merge sorted:
// a long text can have thousands, and a generic sort would add ~12 KB to
// policy.wasm.
func (l *linter) sortOut() []int32 {
	n := len(l.out)
	if cap(l.order) < 2*n {
		l.order = make([]int32, 2*n)
	}
	src, dst := l.order[:n], l.order[n:2*n]
	for i := range src {
		src[i] = int32(i)
	}
	out := l.out
	if n <= 32 {
		for i := 1; i < n; i++ {
			x, j := src[i], i
			for j > 0 && rawLess(&out[x], &out[src[j-1]]) {
				src[j] = src[j-1]
				j--
			}
			src[j] = x
		}
		return src
	}
	for width := 1; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				if rawLess(&out[src[j]], &out[src[i]]) {
					dst[k] = src[j]
					j++
				} else {
					dst[k] = src[i]
					i++
				}
				k++
			}
			k += copy(dst[k:], src[i:mid])
			copy(dst[k:], src[j:hi])
		}
		src, dst = dst, src
	}
	return src
}

func rawLess(a, b *raw) bool {
	if a.s != b.s {
		return a.s < b.s
	}
	if a.e != b.e {
		return a.e < b.e
	}
	return a.rule < b.rule
}
