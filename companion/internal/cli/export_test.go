package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
)

const backupCanary = "CANARY-buyer-text-4f2a"

// run calls the command line and returns exit status, stdout and stderr.
func runBackupCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// makeStore fills a data directory, encrypted when key is set.
func makeBackupStore(t *testing.T, dir string, key []byte, n int) {
	t.Helper()
	st, err := store.Open(dir, store.Options{EncryptionKey: key, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := 0; i < n; i++ {
		if _, _, err := st.RecordBuyerMessage(store.BuyerMessage{OrderID: "111-0000000-0000001", Text: backupCanary,
			ReceivedAt: time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.RecordReply(store.Reply{OrderID: "111-0000000-0000001", Text: "reply " + backupCanary}); err != nil {
			t.Fatal(err)
		}
	}
}

func countBackupReplies(t *testing.T, dir string, key []byte) int {
	t.Helper()
	st, err := store.Open(dir, store.Options{EncryptionKey: key, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.SearchHistory(store.Query{Text: backupCanary, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(p.Replies)
}

func TestExportImportRoundTrip(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "new")
	makeBackupStore(t, src, nil, 20)
	file := filepath.Join(t.TempDir(), "backup.rgbk")
	if code, _, errs := runBackupCLI(t, "export", "--data", src, "--out", file); code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}
	if code, out, errs := runBackupCLI(t, "import", "--data", dst, file); code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	if n := countBackupReplies(t, dst, nil); n != 20 {
		t.Fatalf("restored %d replies, want 20", n)
	}
	// Into a store that holds data: refused, clearly, and nothing changes.
	makeBackupStore(t, dst, nil, 1)
	code, _, errs := runBackupCLI(t, "import", "--data", dst, file)
	if code != 1 || !strings.Contains(errs, "already holds data") || !strings.Contains(errs, "--force") {
		t.Fatalf("import into non-empty: %d %q", code, errs)
	}
	if n := countBackupReplies(t, dst, nil); n != 21 {
		t.Fatalf("refused import changed the store: %d replies", n)
	}
	if code, _, errs := runBackupCLI(t, "import", file, "--data", dst, "--force"); code != 0 {
		t.Fatalf("forced import: %d %s", code, errs)
	}
	if n := countBackupReplies(t, dst, nil); n != 20 {
		t.Fatalf("after forced import %d replies, want 20", n)
	}
}

func TestExportOfEncryptedStoreIsNotPlaintext(t *testing.T) {
	src := t.TempDir()
	key, err := store.CreateKeyFile(filepath.Join(src, storeKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	makeBackupStore(t, src, key, 30)
	file := filepath.Join(t.TempDir(), "backup.rgbk")
	if code, _, errs := runBackupCLI(t, "export", "--data", src, "--out", file); code != 0 || !strings.Contains(errs, "encrypted") {
		t.Fatalf("export: %d %s", code, errs)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(backupCanary)) || bytes.Contains(b, []byte("111-0000000-0000001")) {
		t.Fatal("the backup of an encrypted store contains plaintext")
	}
	// A new directory without the key cannot read it: a clear message.
	dst := filepath.Join(t.TempDir(), "d")
	code, _, errs := runBackupCLI(t, "import", "--data", dst, file)
	if code != 1 || !strings.Contains(errs, "--key") {
		t.Fatalf("import without key: %d %q", code, errs)
	}
	if _, err := os.Stat(dst); !os.IsNotExist(err) {
		t.Fatalf("a failed import into a new directory left it behind: %v", err)
	}
	// With the key, into a new encrypted directory.
	code, _, errs = runBackupCLI(t, "import", "--data", dst, "--encrypt", "--key", filepath.Join(src, storeKeyFile), "--force", file)
	if code != 0 {
		t.Fatalf("import with key: %d %s", code, errs)
	}
	dkey, err := store.ReadKeyFile(filepath.Join(dst, storeKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if n := countBackupReplies(t, dst, dkey); n != 30 {
		t.Fatalf("restored %d replies, want 30", n)
	}
}

func TestExportImportErrors(t *testing.T) {
	src := t.TempDir()
	makeBackupStore(t, src, nil, 2)
	// A running process holds the directory.
	st, err := store.Open(src, store.Options{GCInterval: -1, Owner: "replyguard serve (pid 777) on http://127.0.0.1:7413/"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := runBackupCLI(t, "export", "--data", src, "--out", filepath.Join(t.TempDir(), "b"))
	st.Close()
	if code != 1 || !strings.Contains(errs, "another replyguard") {
		t.Fatalf("export of a store in use: %d %q", code, errs)
	}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"export without --out", []string{"export", "--data", src}, 2, "usage"},
		{"export of a missing dir", []string{"export", "--data", filepath.Join(src, "nope"), "--out", "x"}, 1, "no data directory"},
		{"import without file", []string{"import", "--data", src}, 2, "usage"},
		{"import of a missing file", []string{"import", "--data", src, filepath.Join(src, "missing.rgbk")}, 1, "backup file"},
		{"import of a file that is not a backup", []string{"import", "--data", filepath.Join(t.TempDir(), "n"), writeBackupTemp(t, "hello")}, 1, "not a valid ReplyGuard backup"},
	}
	for _, tc := range cases {
		code, _, errs := runBackupCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tc.name, code, errs, tc.code, tc.want)
		}
	}
}

func writeBackupTemp(t *testing.T, s string) string {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExportWithKeyOfPlainStore: --key encrypts the archive of a plaintext
// store; import needs the same key.
func TestExportWithKeyOfPlainStore(t *testing.T) {
	src := t.TempDir()
	makeBackupStore(t, src, nil, 5)
	keyPath := filepath.Join(t.TempDir(), "archive.key")
	file := filepath.Join(t.TempDir(), "b.rgbk")
	if code, _, errs := runBackupCLI(t, "export", "--data", src, "--key", keyPath, "--out", file); code != 0 || !strings.Contains(errs, "encrypted") {
		t.Fatalf("export --key: %d %s", code, errs)
	}
	if fi, err := os.Stat(keyPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("archive key file: %v %v", fi, err)
	}
	b, _ := os.ReadFile(file)
	if bytes.Contains(b, []byte(backupCanary)) {
		t.Fatal("archive contains plaintext")
	}
	dst := filepath.Join(t.TempDir(), "d")
	if code, _, _ := runBackupCLI(t, "import", "--data", dst, file); code != 1 {
		t.Fatal("import without the archive key succeeded")
	}
	if code, _, errs := runBackupCLI(t, "import", "--data", dst, "--key", keyPath, file); code != 0 {
		t.Fatalf("import --key: %d %s", code, errs)
	}
	if n := countBackupReplies(t, dst, nil); n != 5 {
		t.Fatalf("restored %d of 5", n)
	}
}
