package store

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/replyguard/replyguard/policy"
)

// clock is a controllable clock for tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }
func openT(t *testing.T, dir string, o Options) *Store {
	t.Helper()
	if o.GCInterval == 0 {
		o.GCInterval = -1
	}
	s, err := Open(dir, o)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenTwiceSaysInUse(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir, Options{Owner: "replyguard serve (pid 4242) on 127.0.0.1:7413"})
	_, err := Open(dir, Options{GCInterval: -1})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open: got %v, want ErrInUse", err)
	}
	if !strings.Contains(err.Error(), "pid 4242") {
		t.Errorf("second Open error does not name the holder: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir, Options{GCInterval: -1})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	s2.Close()
}

func TestOpenReadOnlyDir(t *testing.T) {
	if os.Geteuid() == 0 {
		// root ignores file modes; a read-only bind mount is the honest test.
		testReadOnlyMount(t)
		return
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	_, err := Open(filepath.Join(dir, "data"), Options{GCInterval: -1})
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Open in read-only dir: got %v, want ErrReadOnly", err)
	}
}

func TestSettingsAndClients(t *testing.T) {
	s := openT(t, t.TempDir(), Options{})
	if _, err := s.Setting("port"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing setting: got %v", err)
	}
	if err := s.SetSetting("port", "7413"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Setting("port"); err != nil || v != "7413" {
		t.Fatalf("Setting = %q, %v", v, err)
	}
	if err := s.PutClient(Client{ID: "c1", Origin: "chrome-extension://abc", TokenHash: []byte{1, 2}}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutClient(Client{ID: "c2"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("client without origin: %v", err)
	}
	cs, err := s.Clients()
	if err != nil || len(cs) != 1 || cs[0].Origin != "chrome-extension://abc" || cs[0].CreatedAt.IsZero() {
		t.Fatalf("Clients = %+v, %v", cs, err)
	}
	if err := s.RemoveClient("c1"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveClient("c1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second remove: %v", err)
	}
}

func TestEncryptedStoreNeedsItsKey(t *testing.T) {
	dir := t.TempDir()
	keyPath := filepath.Join(t.TempDir(), "key")
	key, err := CreateKeyFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(keyPath); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	s := openT(t, dir, Options{EncryptionKey: key})
	if _, err := s.RecordReply(Reply{Text: "secret-canary-text", OrderID: "111-1111111-1111111"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(dir, Options{GCInterval: -1}); !errors.Is(err, ErrBadKey) || !strings.Contains(err.Error(), "needs its key") {
		t.Fatalf("Open of an encrypted store without key: %v", err)
	}
	other := make([]byte, 32)
	_, err = Open(dir, Options{EncryptionKey: other, GCInterval: -1})
	if !errors.Is(err, ErrBadKey) {
		t.Fatalf("Open with wrong key: got %v, want ErrBadKey", err)
	}
	s2 := openT(t, dir, Options{EncryptionKey: key})
	p, err := s2.SearchHistory(Query{Text: "secret-canary-text"})
	if err != nil || len(p.Replies) != 1 {
		t.Fatalf("search after reopen: %+v %v", p, err)
	}
	s2.Close()
	// The plaintext must not appear in any file of the data directory.
	assertNotInDir(t, dir, "secret-canary-text")

	if err := os.Chmod(keyPath, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadKeyFile(keyPath); !errors.Is(err, ErrBadKey) {
		t.Fatalf("ReadKeyFile of a 0644 file: %v", err)
	}
}

func assertNotInDir(t *testing.T, dir, needle string) {
	t.Helper()
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), needle) {
			t.Errorf("%s contains plaintext %q", p, needle)
		}
		return nil
	})
}

// TestGCLoopStopsOnClose runs the background value-log GC on a fast ticker
// with large values in the value log, and checks Close stops it.
func TestGCLoopStopsOnClose(t *testing.T) {
	s, err := Open(t.TempDir(), Options{GCInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("value log entry ", 600) // above ValueThreshold
	for i := 0; i < 50; i++ {
		if err := s.SetSetting("big", big+string(rune('a'+i%26))); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(20 * time.Millisecond)
	done := make(chan error)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not stop the GC loop")
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestUseAfterClose(t *testing.T) {
	s, err := Open(t.TempDir(), Options{GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := s.SetSetting("a", "b"); !errors.Is(err, ErrClosed) {
		t.Errorf("write after Close: %v", err)
	}
	if _, err := s.SearchHistory(Query{Text: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("search after Close: %v", err)
	}
	if _, err := s.RecordReply(Reply{Text: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("record after Close: %v", err)
	}
}

func TestFindingsRoundTrip(t *testing.T) {
	in := policy.Lint("Email me at a.b@example.com 😀", policy.Context{})
	if len(in) < 2 || in[1].Fix == nil {
		t.Fatalf("need findings with a fix, got %v", in)
	}
	if out := PolicyFindings(FindingsFrom(in)); !reflect.DeepEqual(out, in) {
		t.Fatalf("round trip changed findings:\n%v\n%v", in, out)
	}
}
