package store

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadOnlyByPermissions makes the data directory read-only with chmod
// and opens it as an unprivileged user (root ignores file modes, so as root
// the test re-executes itself as nobody).
func TestReadOnlyByPermissions(t *testing.T) {
	if dir := os.Getenv("REPLYGUARD_CHMOD_CHILD_DIR"); dir != "" {
		_, err := Open(dir, Options{GCInterval: -1})
		if !errors.Is(err, ErrReadOnly) {
			t.Fatalf("Open of a chmod 0500 store: got %v, want ErrReadOnly", err)
		}
		t.Logf("message: %v", err)
		_, err = Open(filepath.Join(dir, "new"), Options{GCInterval: -1})
		if !errors.Is(err, ErrReadOnly) {
			t.Fatalf("Open under a chmod 0500 parent: got %v, want ErrReadOnly", err)
		}
		return
	}
	base, err := os.MkdirTemp("", "rg-chmod-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	dir := filepath.Join(base, "data")
	s, err := Open(dir, Options{GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(dir, 0o700)
		if _, err := Open(dir, Options{GCInterval: -1}); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("Open of a chmod 0500 store: got %v, want ErrReadOnly", err)
		}
		return
	}
	const nobody = 65534
	// Make the files nobody's, then take away write permission.
	filepath.Walk(base, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, nobody, nobody) })
	os.Chmod(base, 0o755)
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// Go's build directory is private to root: run a copy nobody can read.
	bin := filepath.Join(base, "store.test")
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestReadOnlyByPermissions$", "-test.v")
	cmd.Env = append(os.Environ(), "REPLYGUARD_CHMOD_CHILD_DIR="+dir, "HOME=/", "TMPDIR="+base)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			t.Fatalf("child as nobody failed:\n%s", out)
		}
		t.Skipf("cannot run the test binary as nobody: %v", err)
	}
	t.Logf("child:\n%s", out)
}
