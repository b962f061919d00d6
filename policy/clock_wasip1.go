//go:build wasip1

package policy

import "syscall"

// unixNow reads the wall clock through WASI's clock_time_get.
func unixNow() int64 {
	var tv syscall.Timeval
	if syscall.Gettimeofday(&tv) != nil {
		return 0
	}
	return tv.Sec
}
