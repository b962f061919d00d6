package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestRecordReplyResolvesDeadlineAndComputesResponseTime(t *testing.T) {
	c := newClock()
	s := openT(t, t.TempDir(), Options{Now: c.now})
	recv := c.t
	m, d, err := s.RecordBuyerMessage(BuyerMessage{OrderID: "111-2223334-5556667", Marketplace: "US", BuyerName: "Jane Doe",
		Text: "Where is my parcel?", ReceivedAt: recv, Scenario: "where-is-order"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != KindReply || !d.Due.Equal(recv.Add(24*time.Hour)) || d.State != StateOpen {
		t.Fatalf("deadline: %+v", d)
	}
	// The same message seen again is idempotent.
	m2, d2, err := s.RecordBuyerMessage(BuyerMessage{OrderID: "111-2223334-5556667", Text: "Where is my parcel?", ReceivedAt: recv})
	if err != nil || m2.ID != m.ID || d2.ID != d.ID {
		t.Fatalf("second report: %v %v %v", m2.ID, d2.ID, err)
	}
	c.add(3 * time.Hour)
	r, err := s.RecordReply(Reply{BuyerMessageID: m.ID, Text: "Hi Jane, it ships today.", TemplateID: "where"})
	if err != nil {
		t.Fatal(err)
	}
	if r.ResponseTime != 3*time.Hour || r.BuyerName != "Jane Doe" || r.Scenario != "where-is-order" || r.OrderID != m.OrderID {
		t.Fatalf("reply: %+v", r)
	}
	got, _ := s.GetDeadline(d.ID)
	if got.State != StateResolved || got.Resolution != ResolvedReplied || !got.ResolvedAt.Equal(c.t) {
		t.Fatalf("deadline after reply: %+v", got)
	}
	// A reply by order id alone resolves that order's open reply deadlines.
	_, d3, _ := s.RecordBuyerMessage(BuyerMessage{OrderID: "999-0000000-0000001", Text: "cancel please", ReceivedAt: c.t})
	c.add(time.Hour)
	if _, err := s.RecordReply(Reply{OrderID: "999-0000000-0000001", Resolution: ResolvedNoResponse}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetDeadline(d3.ID); got.Resolution != ResolvedNoResponse {
		t.Fatalf("no-response-needed did not resolve: %+v", got)
	}
	// A reply with only the buyer message time creates a resolved deadline.
	r4, err := s.RecordReply(Reply{OrderID: "555-0000000-0000001", Text: "ok", BuyerMessageAt: c.t.Add(-30 * time.Hour)})
	if err != nil || len(r4.ResolvedDeadlines) != 1 {
		t.Fatalf("reply with message time: %+v %v", r4, err)
	}
	if got, _ := s.GetDeadline(r4.ResolvedDeadlines[0]); got.State != StateOverdue || got.Resolution != ResolvedReplied {
		t.Fatalf("late reply deadline: %+v", got)
	}
	// A second reply to the same buyer message must not count it twice.
	r5, err := s.RecordReply(Reply{OrderID: "555-0000000-0000001", Text: "one more thing", BuyerMessageAt: c.t.Add(-30 * time.Hour)})
	if err != nil || len(r5.ResolvedDeadlines) != 0 {
		t.Fatalf("second reply: %+v %v", r5, err)
	}
	if ds, _ := s.ListDeadlines(DeadlineFilter{OrderID: "555-0000000-0000001"}); len(ds) != 1 {
		t.Fatalf("second reply created another deadline: %+v", ds)
	}
	for _, bad := range []Reply{{}, {Text: "x", Resolution: "maybe"}, {Text: "x", OrderID: "a/b"}, {Text: "x", BuyerMessageID: "m-missing"}} {
		if _, err := s.RecordReply(bad); err == nil {
			t.Errorf("RecordReply(%+v) succeeded", bad)
		}
	}
}

func TestSearchHistory(t *testing.T) {
	c := newClock()
	s := openT(t, t.TempDir(), Options{Now: c.now})
	base := c.t
	scen := []string{"return-refund", "not-received", "thank-you"}
	mkts := []string{"US", "DE"}
	for i := 0; i < 60; i++ {
		r := Reply{
			OrderID:     fmt.Sprintf("111-0000000-%07d", i),
			Marketplace: mkts[i%2],
			Scenario:    scen[i%3],
			TemplateID:  fmt.Sprintf("tpl-%d", i%4),
			Text:        fmt.Sprintf("Reply number n%d about your parcel", i),
			SentAt:      base.Add(time.Duration(i) * time.Hour),
		}
		if i%5 == 0 {
			r.Text += " refund"
			r.Findings = []Finding{{Rule: "emoji", Severity: "error"}}
		}
		if _, err := s.RecordReply(r); err != nil {
			t.Fatal(err)
		}
	}
	yes, no := true, false
	cases := []struct {
		name string
		q    Query
		want int
	}{
		{"all", Query{Limit: 500}, 60},
		{"word", Query{Text: "PARCEL", Limit: 500}, 60},
		{"rare word", Query{Text: "n7"}, 1},
		{"two words", Query{Text: "parcel refund"}, 12},
		{"missing word", Query{Text: "parcel zebra"}, 0},
		{"scenario", Query{Scenario: "thank-you", Limit: 500}, 20},
		{"scenario+marketplace", Query{Scenario: "thank-you", Marketplace: "de", Limit: 500}, 10},
		{"has findings", Query{HasFindings: &yes, Limit: 500}, 12},
		{"no findings", Query{HasFindings: &no, Limit: 500}, 48},
		{"template", Query{TemplateID: "tpl-1", Limit: 500}, 15},
		{"order id words", Query{Text: "111-0000000-0000042"}, 1},
		{"order filter", Query{OrderID: "111-0000000-0000042"}, 1},
		{"date range", Query{From: base.Add(10 * time.Hour), To: base.Add(20 * time.Hour), Limit: 500}, 10},
		{"date range + word", Query{Text: "refund", From: base.Add(10 * time.Hour), To: base.Add(21 * time.Hour)}, 3},
		{"prefix of the last word", Query{Text: "parc", PrefixLast: true, Limit: 500}, 60},
		{"prefix after a whole word", Query{Text: "parcel ref", PrefixLast: true, Limit: 500}, 12},
		{"prefix matching several words", Query{Text: "n1", PrefixLast: true, Limit: 500}, 11}, // n1, n10..n19
		{"prefix matching nothing", Query{Text: "parcel zzz", PrefixLast: true}, 0},
		{"prefix off: whole words only", Query{Text: "parc"}, 0},
		{"prefix with a filter", Query{Text: "n1", PrefixLast: true, Marketplace: "US", Limit: 500}, 5}, // n10, n12 .. n18
	}
	for _, tc := range cases {
		p, err := s.SearchHistory(tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(p.Replies) != tc.want {
			t.Errorf("%s: %d results, want %d", tc.name, len(p.Replies), tc.want)
		}
		for i := 1; i < len(p.Replies); i++ {
			if p.Replies[i].SentAt.After(p.Replies[i-1].SentAt) {
				t.Errorf("%s: not newest first", tc.name)
			}
		}
	}
	// Pagination walks everything exactly once.
	seen := map[string]bool{}
	q := Query{Text: "parcel", Limit: 7}
	for pages := 0; ; pages++ {
		p, err := s.SearchHistory(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Replies {
			if seen[r.ID] {
				t.Fatalf("%s returned twice", r.ID)
			}
			seen[r.ID] = true
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if len(seen) != 60 {
		t.Fatalf("pagination saw %d entries, want 60", len(seen))
	}
	if _, err := s.SearchHistory(Query{Cursor: "zz"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad cursor: %v", err)
	}
}

func TestTokenize(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Hello, WORLD hello!", []string{"hello", "world"}},
		{"Order 111-2223334-5556667.", []string{"order", "111", "2223334", "5556667"}},
		{"Größe für Müller", []string{"größe", "für", "müller"}},
		{"émoji 😀 here", []string{"émoji", "here"}},
	}
	for _, tc := range cases {
		got := Tokenize(tc.in)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzTokenize(f *testing.F) {
	f.Add("Hello, world 111-2223334-5556667")
	f.Add("Größe\x00\xff")
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokenize(s) {
			if tok == "" || len(tok) > maxTermLen {
				t.Fatalf("bad token %q", tok)
			}
			for _, b := range []byte(tok) {
				if b == 0 || b == 1 || b == '/' {
					t.Fatalf("token %q has a reserved byte", tok)
				}
			}
		}
	})
}

// TestLongReplyFitsOneTransaction records replies at the size limits:
// many distinct words, each rewriting a full posting block, must still
// commit, and oversize texts are refused.
func TestLongReplyFitsOneTransaction(t *testing.T) {
	s := openT(t, t.TempDir(), Options{})
	// Fill posting blocks of many words first, so each later update
	// rewrites a full block.
	var words []string
	for i := 0; i < 2000; i++ {
		words = append(words, fmt.Sprintf("word%04d", i))
	}
	text := ""
	for _, w := range words {
		text += w + " "
	}
	var batch []Reply
	for i := 0; i < blockMax; i++ {
		batch = append(batch, Reply{Text: text, SentAt: time.Date(2025, 1, 1, 0, i, 0, 0, time.UTC)})
	}
	if err := s.LoadReplies(batch); err != nil {
		t.Fatal(err)
	}
	long := text + text
	for len(long) < MaxTextSize-len(text) {
		long += text
	}
	r, err := s.RecordReply(Reply{Text: long, BuyerMessage: long})
	if err != nil {
		t.Fatalf("reply at the size limit: %v", err)
	}
	if p, _ := s.SearchHistory(Query{Text: "word0001 word0300", Limit: 1}); len(p.Replies) != 1 || p.Replies[0].ID != r.ID {
		t.Fatalf("long reply not found by its words")
	}
	if _, err := s.RecordReply(Reply{Text: long + long}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("oversize reply: %v", err)
	}
}

// TestRedactLongEntries redacts several entries whose buyer messages have
// hundreds of words: the batch exceeds one transaction and must still go
// through.
func TestRedactLongEntries(t *testing.T) {
	c := newClock()
	s := openT(t, t.TempDir(), Options{Now: c.now})
	text := ""
	for i := 0; i < 600; i++ {
		text += fmt.Sprintf("buyerword%04d ", i)
	}
	var batch []Reply
	for i := 0; i < blockMax; i++ {
		batch = append(batch, Reply{Text: "x", BuyerMessage: text, SentAt: c.t.Add(-time.Duration(i) * time.Minute)})
	}
	if err := s.LoadReplies(batch); err != nil {
		t.Fatal(err)
	}
	// The 10 oldest entries: two batches too big for one transaction.
	n, err := s.RedactBuyerData(context.Background(), c.t.Add(-time.Duration(blockMax-11)*time.Minute))
	if err != nil || n != 10 {
		t.Fatalf("redacted %d, %v; want 10", n, err)
	}
	if p, _ := s.SearchHistory(Query{Text: "buyerword0001", Limit: 500}); len(p.Replies) != blockMax-10 {
		t.Fatalf("buyer words of redacted entries still indexed: %d hits", len(p.Replies))
	}
}

func TestRecordReplyIdempotentByRequestID(t *testing.T) {
	c := newClock()
	s := openT(t, t.TempDir(), Options{Now: c.now})
	m, d, _ := s.RecordBuyerMessage(BuyerMessage{OrderID: "111-0000000-0000001", Text: "hi", ReceivedAt: c.t})
	c.add(time.Hour)
	first, err := s.RecordReply(Reply{RequestID: "tab1-42", BuyerMessageID: m.ID, Text: "hello"})
	if err != nil || first.Duplicate {
		t.Fatalf("first: %+v %v", first, err)
	}
	c.add(time.Minute)
	again, err := s.RecordReply(Reply{RequestID: "tab1-42", BuyerMessageID: m.ID, Text: "hello"})
	if err != nil || !again.Duplicate || again.ID != first.ID {
		t.Fatalf("retry: %+v %v", again, err)
	}
	if p, _ := s.SearchHistory(Query{Text: "hello"}); len(p.Replies) != 1 {
		t.Fatalf("retry stored a second entry: %d", len(p.Replies))
	}
	if got, _ := s.GetDeadline(d.ID); !got.ResolvedAt.Equal(first.SentAt) {
		t.Fatalf("retry moved the resolution: %+v", got)
	}
	if _, err := s.RecordReply(Reply{RequestID: "a/b", Text: "x"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad request id: %v", err)
	}
}
