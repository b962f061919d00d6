//go:build !wasip1

package policy

import "time"

func unixNow() int64 { return time.Now().Unix() }
