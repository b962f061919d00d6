//go:build unix

package store

import (
	"fmt"
	"syscall"
)

// checkSpace fails with ErrDiskFull when dir's file system has less than
// min bytes available.
func checkSpace(dir string, min int64) error {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return nil // unknown: let the write itself report
	}
	if free := int64(st.Bavail) * int64(st.Bsize); free < min {
		return fmt.Errorf("%w: %d MB free in %s, replyguard keeps %d MB free", ErrDiskFull, free>>20, dir, min>>20)
	}
	return nil
}
