package store

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// testReadOnlyMount remounts a data directory read-only (root only) and
// checks both Open and a write give ErrReadOnly.
func testReadOnlyMount(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "data")
	s, err := Open(dir, Options{GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if out, err := exec.Command("mount", "--bind", "-o", "ro", dir, dir).CombinedOutput(); err != nil {
		t.Skipf("cannot bind-mount read-only (%v: %s)", err, out)
	}
	defer exec.Command("umount", dir).Run()
	if err := os.WriteFile(filepath.Join(dir, "probe"), nil, 0o600); err == nil {
		t.Skip("bind mount is not read-only here")
	}
	_, err = Open(dir, Options{GCInterval: -1})
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Open on a read-only mount: got %v, want ErrReadOnly", err)
	}
	t.Logf("read-only error reads: %v", err)
	// A fresh directory under a read-only parent.
	_, err = Open(filepath.Join(dir, "sub"), Options{GCInterval: -1})
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Open under a read-only parent: got %v, want ErrReadOnly", err)
	}
}
