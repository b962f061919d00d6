package store

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"

	badger "github.com/dgraph-io/badger/v4"
)

// The full-text index is a set of posting keys x/<term>\x00<reply id> with
// empty values. Reply ids sort newest first, so each term's postings are a
// sorted list; a query intersects them by leapfrogging iterators with Seek
// and stops after one page. Filters are postings too, under terms that
// start with \x01 (which the tokenizer never produces), so a filtered query
// is the same intersection.
const (
	filterScenario    = "\x01s:"
	filterMarketplace = "\x01m:"
	filterTemplate    = "\x01t:"
	filterFindings    = "\x01f:" // "1" with findings, "0" without
	filterResolution  = "\x01r:"
	filterOrder       = "\x01o:"
	maxTermLen        = 40
	// maxTermsPerEntry bounds the words indexed per entry (the first ones
	// win), which bounds the size of the transaction that records it.
	maxTermsPerEntry = 512
)

// Tokenize splits text into lower-case search terms: runs of letters and
// digits, at most 40 bytes each. Queries and the index use the same rules.
func Tokenize(text string) []string {
	var out []string
	seen := map[string]bool{}
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		t := strings.ToLower(text[start:end])
		start = -1
		if len(t) > maxTermLen {
			t = t[:maxTermLen]
			for len(t) > 0 && !utf8Valid(t) {
				t = t[:len(t)-1]
			}
		}
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return out
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// replyTerms returns the index terms of an entry: words of the reply, the
// buyer message and the order id, plus one term per filterable field.
func replyTerms(e Reply) map[string]struct{} {
	terms := map[string]struct{}{}
	for _, src := range []string{e.OrderID, e.Text, e.BuyerMessage} {
		for _, t := range Tokenize(src) {
			if len(terms) >= maxTermsPerEntry {
				break
			}
			terms[t] = struct{}{}
		}
	}
	add := func(prefix, v string) {
		if v != "" {
			terms[prefix+strings.ToLower(v)] = struct{}{}
		}
	}
	add(filterScenario, e.Scenario)
	add(filterMarketplace, e.Marketplace)
	add(filterTemplate, e.TemplateID)
	add(filterResolution, string(e.Resolution))
	add(filterOrder, e.OrderID)
	if len(e.Findings) > 0 {
		add(filterFindings, "1")
	} else {
		add(filterFindings, "0")
	}
	return terms
}

// Query selects history entries. Zero fields match everything.
type Query struct {
	// Text matches entries containing every word (reply, buyer message or
	// order id); words are whole, case-insensitive.
	Text        string
	Scenario    string
	Marketplace string
	TemplateID  string
	OrderID     string
	Resolution  Resolution
	// HasFindings, when non-nil, keeps entries with (true) or without
	// (false) lint findings.
	HasFindings *bool
	// From and To bound SentAt: From <= SentAt < To.
	From, To time.Time
	// PrefixLast makes the last word of Text match any word it begins
	// (search as you type): "refu" finds "refund" and "refunded". At most
	// 64 words are tried, in alphabetical order.
	PrefixLast bool
	// Limit is the page size: default 50, at most 500.
	Limit int
	// Cursor continues a previous search (Page.Next).
	Cursor string
}

// Page is one page of results, newest first.
type Page struct {
	Replies []Reply `json:"replies"`
	// Next is the cursor of the following page; empty on the last page.
	Next string `json:"next,omitempty"`
}

// SearchHistory returns entries matching q, newest first.
func (s *Store) SearchHistory(q Query) (Page, error) {
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = 50
	case limit > 500:
		limit = 500
	}
	// Each group is a set of alternative terms; an entry matches when it
	// has a term of every group.
	var groups [][]string
	words := Tokenize(q.Text)
	var last string
	if q.PrefixLast && len(words) > 0 {
		words, last = words[:len(words)-1], words[len(words)-1]
	}
	for _, w := range words {
		groups = append(groups, []string{w})
	}
	add := func(prefix, v string) {
		if v != "" {
			groups = append(groups, []string{prefix + strings.ToLower(v)})
		}
	}
	add(filterScenario, q.Scenario)
	add(filterMarketplace, q.Marketplace)
	add(filterTemplate, q.TemplateID)
	add(filterResolution, string(q.Resolution))
	add(filterOrder, q.OrderID)
	if q.HasFindings != nil {
		add(filterFindings, map[bool]string{true: "1", false: "0"}[*q.HasFindings])
	}
	// Ids sort newest first: the range starts at To and ends at From.
	var lo rawID
	hi := rawID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	if !q.To.IsZero() {
		// ids of entries sent before To sort at or after this bound
		copy(lo[:8], invTime(q.To.Add(-1)))
	}
	if !q.From.IsZero() {
		copy(hi[:8], invTime(q.From))
	}
	if q.Cursor != "" {
		c, ok := parseRawID(q.Cursor)
		if !ok {
			return Page{}, fmt.Errorf("search history: %w: bad cursor %q", ErrInvalid, q.Cursor)
		}
		if cmpID(c, lo) > 0 {
			lo = c
		}
	}
	var page Page
	err := s.view(func(txn *badger.Txn) error {
		if last != "" {
			alts := expandPrefix(txn, last, maxPrefixTerms)
			if len(alts) == 0 {
				return nil // no word starts with it
			}
			groups = append(groups, alts)
		}
		ids, err := intersect(txn, groups, lo, hi, limit+1)
		if err != nil {
			return err
		}
		if len(ids) > limit {
			page.Next = ids[limit].String()
			ids = ids[:limit]
		}
		page.Replies = make([]Reply, 0, len(ids))
		for _, id := range ids {
			var r Reply
			if err := getJSON(txn, prefHistory+id.String(), &r); err != nil {
				return fmt.Errorf("entry %s: %w", id, err)
			}
			page.Replies = append(page.Replies, r)
		}
		return nil
	})
	if err != nil {
		return Page{}, fmt.Errorf("search history: %w", err)
	}
	return page, nil
}

// maxPrefixTerms bounds the words a PrefixLast query expands to.
const maxPrefixTerms = 64

// expandPrefix returns up to max indexed words that start with p,
// skipping over each word's posting blocks with one Seek.
func expandPrefix(txn *badger.Txn, p string, max int) []string {
	opt := badger.DefaultIteratorOptions
	opt.PrefetchValues = false
	opt.Prefix = []byte(prefPosting + p)
	it := txn.NewIterator(opt)
	defer it.Close()
	var out []string
	for it.Rewind(); it.Valid() && len(out) < max; {
		k := it.Item().Key()[len(prefPosting):]
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			it.Next()
			continue
		}
		term := string(k[:i])
		out = append(out, term)
		it.Seek([]byte(prefPosting + term + "\x01")) // past this word's blocks
	}
	return out
}

// intersect returns up to n ids in [lo, hi] that have a term of every
// group (or every entry, with no groups), in id order.
func intersect(txn *badger.Txn, groups [][]string, lo, hi rawID, n int) ([]rawID, error) {
	var curs []postingCursor
	for _, g := range groups {
		if len(g) == 1 {
			curs = append(curs, newCursor(txn, termPrefix(g[0]), false))
			continue
		}
		u := &unionCursor{}
		for _, t := range g {
			u.subs = append(u.subs, unionSub{c: newCursor(txn, termPrefix(t), false)})
		}
		curs = append(curs, u)
	}
	if len(curs) == 0 {
		curs = append(curs, newCursor(txn, []byte(prefHistory), true))
	}
	defer func() {
		for _, c := range curs {
			c.close()
		}
	}()
	var out []rawID
	cand := lo
	for len(out) < n {
		agreed := 0
		for i := 0; agreed < len(curs); i = (i + 1) % len(curs) {
			id, ok := curs[i].advance(cand)
			if !ok || cmpID(id, hi) > 0 {
				return out, nil
			}
			if id == cand {
				agreed++
				continue
			}
			cand, agreed = id, 1
		}
		out = append(out, cand)
		if !incID(&cand) {
			break
		}
	}
	return out, nil
}

// postingCursor walks ids in increasing order.
type postingCursor interface {
	advance(target rawID) (rawID, bool)
	close()
}

// unionCursor walks the union of several posting lists.
type unionCursor struct{ subs []unionSub }

type unionSub struct {
	c    *cursor
	cur  rawID
	ok   bool
	done bool // exhausted: never seek again
	seen bool
}

func (u *unionCursor) advance(target rawID) (rawID, bool) {
	var best rawID
	found := false
	for i := range u.subs {
		s := &u.subs[i]
		if s.done {
			continue
		}
		if !s.seen || cmpID(s.cur, target) < 0 {
			s.cur, s.ok = s.c.advance(target)
			s.seen = true
			if !s.ok {
				s.done = true
				continue
			}
		}
		if !found || cmpID(s.cur, best) < 0 {
			best, found = s.cur, true
		}
	}
	return best, found
}

func (u *unionCursor) close() {
	for _, s := range u.subs {
		s.c.close()
	}
}

// incID sets id to the next possible id; false on overflow.
func incID(id *rawID) bool {
	for i := len(id) - 1; i >= 0; i-- {
		id[i]++
		if id[i] != 0 {
			return true
		}
	}
	return false
}
