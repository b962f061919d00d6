package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const canary = "CANARY-plaintext-7c1e"

func fill(t *testing.T, s *Store) {
	t.Helper()
	if _, err := s.SeedTemplates([]Seed{{ID: "a", Title: "A", Body: "Body " + canary}}); err != nil {
		t.Fatal(err)
	}
	// One durable record through RecordReply, the rest in one batch.
	if _, err := s.RecordReply(Reply{OrderID: "111-0000000-0000001", Text: "reply " + canary}); err != nil {
		t.Fatal(err)
	}
	var rs []Reply
	for i := 1; i < 300; i++ {
		rs = append(rs, Reply{OrderID: "111-0000000-0000001", Text: "reply " + canary + strings.Repeat(" x", i%50)})
	}
	if err := s.LoadReplies(rs); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting("k", "v"); err != nil {
		t.Fatal(err)
	}
}

func backupBytes(t *testing.T, s *Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func checkRestored(t *testing.T, s *Store) {
	t.Helper()
	p, err := s.SearchHistory(Query{Text: canary, Limit: 500})
	if err != nil || len(p.Replies) != 300 {
		t.Fatalf("restored history: %d entries, %v", len(p.Replies), err)
	}
	if v, err := s.Setting("k"); v != "v" || err != nil {
		t.Fatalf("restored setting: %q %v", v, err)
	}
	if _, err := s.GetTemplate("a"); err != nil {
		t.Fatal(err)
	}
}

func TestBackupRestorePlain(t *testing.T) {
	src := openT(t, t.TempDir(), Options{})
	fill(t, src)
	b := backupBytes(t, src)
	dst := openT(t, t.TempDir(), Options{})
	if err := dst.Restore(bytes.NewReader(b), nil, false); err != nil {
		t.Fatal(err)
	}
	checkRestored(t, dst)
	// Restoring again into the now non-empty store needs force.
	if err := dst.Restore(bytes.NewReader(b), nil, false); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("restore into non-empty: %v", err)
	}
	if err := dst.Restore(bytes.NewReader(b), nil, true); err != nil {
		t.Fatal(err)
	}
	checkRestored(t, dst)
}

func TestBackupOfEncryptedStoreIsNotPlaintext(t *testing.T) {
	key, err := CreateKeyFile(filepath.Join(t.TempDir(), "key"))
	if err != nil {
		t.Fatal(err)
	}
	src := openT(t, t.TempDir(), Options{EncryptionKey: key})
	fill(t, src)
	b := backupBytes(t, src)
	if bytes.Contains(b, []byte(canary)) || bytes.Contains(b, []byte("reply ")) {
		t.Fatal("backup of an encrypted store contains plaintext")
	}
	// Wrong key: refused before anything changes.
	dst := openT(t, t.TempDir(), Options{EncryptionKey: key})
	fill(t, dst)
	if err := dst.Restore(bytes.NewReader(b), make([]byte, 32), true); !errors.Is(err, ErrBadBackup) {
		t.Fatalf("wrong key: %v", err)
	}
	checkRestored(t, dst) // still holds its own data
	// No key at all into a plaintext store.
	plain := openT(t, t.TempDir(), Options{})
	if err := plain.Restore(bytes.NewReader(b), nil, false); !errors.Is(err, ErrBadKey) {
		t.Fatalf("no key: %v", err)
	}
	// The right key into a plaintext store works (data ends up plain there).
	if err := plain.Restore(bytes.NewReader(b), key, false); err != nil {
		t.Fatal(err)
	}
	checkRestored(t, plain)
}

func TestRestoreRejectsDamagedBackups(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	for _, enc := range []bool{false, true} {
		o := Options{}
		if enc {
			o.EncryptionKey = key
		}
		src := openT(t, t.TempDir(), o)
		fill(t, src)
		b := backupBytes(t, src)
		flipped := bytes.Clone(b)
		flipped[len(flipped)/2] ^= 0x40
		cases := map[string][]byte{
			"empty":     nil,
			"not ours":  []byte("hello world, not a backup"),
			"truncated": b[:len(b)-40],
			"cut chunk": b[:len(b)/2],
			"bit flip":  flipped,
		}
		for name, data := range cases {
			dst := openT(t, t.TempDir(), o)
			fill(t, dst)
			err := dst.Restore(bytes.NewReader(data), nil, true)
			if !errors.Is(err, ErrBadBackup) {
				t.Errorf("encrypted=%v %s: got %v, want ErrBadBackup", enc, name, err)
			}
			checkRestored(t, dst) // a bad file loses nothing
		}
	}
}

func TestRestoreFromFile(t *testing.T) {
	src := openT(t, t.TempDir(), Options{})
	fill(t, src)
	path := filepath.Join(t.TempDir(), "b.rgbk")
	if err := os.WriteFile(path, backupBytes(t, src), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dst := openT(t, t.TempDir(), Options{})
	if err := dst.Restore(f, nil, false); err != nil {
		t.Fatal(err)
	}
	checkRestored(t, dst)
}

// TestBackupWithKeyOfPlainStore: an archive of a plaintext store can be
// encrypted too, and restores only with that key.
func TestBackupWithKeyOfPlainStore(t *testing.T) {
	src := openT(t, t.TempDir(), Options{})
	fill(t, src)
	key := bytes.Repeat([]byte{9}, 32)
	var buf bytes.Buffer
	if err := src.BackupWithKey(&buf, key); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte(canary)) {
		t.Fatal("encrypted archive of a plaintext store contains plaintext")
	}
	dst := openT(t, t.TempDir(), Options{})
	if err := dst.Restore(bytes.NewReader(buf.Bytes()), nil, false); !errors.Is(err, ErrBadKey) {
		t.Fatalf("restore without key: %v", err)
	}
	if err := dst.Restore(bytes.NewReader(buf.Bytes()), key, false); err != nil {
		t.Fatal(err)
	}
	checkRestored(t, dst)
	if err := src.BackupWithKey(&buf, []byte("short")); !errors.Is(err, ErrBadKey) {
		t.Fatalf("short key: %v", err)
	}
}
