// Command seed fills a data directory with the web page's demo data:
//
//	go run ./companion/internal/web/demo/seed DIR [BULK]
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/companion/internal/web/demo"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: seed DIR [BULK]")
		os.Exit(2)
	}
	bulk := 0
	if len(os.Args) > 2 {
		bulk, _ = strconv.Atoi(os.Args[2])
	}
	st, err := store.Open(os.Args[1], store.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
	err = demo.Seed(st, time.Now(), bulk)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}
