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
	s, err = Open(dir, Options{GCInterval: -1, MinFreeSpace: -1})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	for _, id := range acked {
		if _, err := s.GetReply(id); err != nil {
			t.Fatalf("acknowledged reply lost: %v", err)
		}
	}
}
