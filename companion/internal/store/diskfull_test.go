package store

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// mountTmpfs mounts a tmpfs of the given size (root only) for the test.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs refused: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

// TestDiskFullAtOpen: a 2 MB disk is refused at Open with ErrDiskFull.
func TestDiskFullAtOpen(t *testing.T) {
	dir := mountTmpfs(t, "2m")
	_, err := Open(dir, Options{GCInterval: -1})
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("Open on a 2 MB disk: got %v, want ErrDiskFull", err)
	}
	t.Logf("message: %v", err)
}

// TestDiskFullWhileWriting fills a small disk: writes stop with
// ErrDiskFull (not SIGBUS), and every acknowledged write is still there
// after reopening.
func TestDiskFullWhileWriting(t *testing.T) {
	dir := mountTmpfs(t, "80m")
	s, err := Open(dir, Options{GCInterval: -1})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	body := strings.Repeat("lorem ipsum dolor sit amet ", 40)
	var acked []string
	var werr error
	for i := 0; i < 200000; i++ {
		r, err := s.RecordReply(Reply{Text: body, OrderID: "111-1111111-1111111"})
		if err != nil {
			werr = err
			break
		}
		acked = append(acked, r.ID)
	}
	if !errors.Is(werr, ErrDiskFull) {
		t.Fatalf("write on a full disk: got %v, want ErrDiskFull", werr)
	}
	t.Logf("after %d acknowledged writes: %v", len(acked), werr)
	if err := s.Close(); err != nil {
		t.Fatalf("Close on a full disk: %v", err)
	}
	// A store on a full disk still opens, for reading and export; writes
	// are refused. (Close compacted and freed space; a reserve larger than
	// the disk makes it full again.)
	s, err = Open(dir, Options{GCInterval: -1, MinFreeSpace: 1 << 40})
	if err != nil {
		t.Fatalf("reopen on a full disk: %v", err)
	}
	defer s.Close()
	if _, err := s.RecordReply(Reply{Text: "more"}); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("write after reopen: %v", err)
	}
	var backup countWriter
	if err := s.Backup(&backup); err != nil || backup.n == 0 {
		t.Fatalf("backup of a full store: %d bytes, %v", backup.n, err)
	}
	for _, id := range acked {
		if _, err := s.GetReply(id); err != nil {
			t.Fatalf("acknowledged reply lost: %v", err)
		}
	}
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }
