package testutil

import (
	"testing"

	"github.com/replyguard/replyguard/companion/internal/store"
)

func TestRepliesAreReproducibleAndRealistic(t *testing.T) {
	a, b := Replies(300, 42), Replies(300, 42)
	size := 0
	for i := range a {
		if a[i].Text != b[i].Text || a[i].OrderID != b[i].OrderID {
			t.Fatal("same seed, different data")
		}
		if i > 0 && a[i].SentAt.After(a[i-1].SentAt) {
			t.Fatal("not newest first")
		}
		size += len(a[i].Text) + len(a[i].BuyerMessage)
	}
	if avg := size / len(a); avg < 500 || avg > 2000 {
		t.Fatalf("average entry text %d bytes, want about 1 KB", avg)
	}
}

func TestSeedHistory(t *testing.T) {
	dir := t.TempDir()
	if err := SeedHistory(dir, 1200, store.Options{GCInterval: -1}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(dir, store.Options{GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	q := store.Query{Limit: 500}
	for {
		p, err := s.SearchHistory(q)
		if err != nil {
			t.Fatal(err)
		}
		n += len(p.Replies)
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if n != 1200 {
		t.Fatalf("seeded %d entries, want 1200", n)
	}
	if RSS() <= 0 {
		t.Fatal("RSS not readable")
	}
}
