// Command seedhistory fills a data directory with generated history
// entries, for measuring the companion with a realistic store:
//
//	go run ./companion/internal/testutil/seedhistory -n 100000 DIR
//	replyguard serve --data DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/companion/internal/testutil"
)

func main() {
	n := flag.Int("n", 100_000, "number of history entries")
	keyFile := flag.String("key", "", "encrypt the store with the key in this file (created if missing)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: seedhistory [-n N] [-key FILE] DIR")
		os.Exit(2)
	}
	var o store.Options
	if *keyFile != "" {
		key, err := store.LoadOrCreateKeyFile(*keyFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "seedhistory:", err)
			os.Exit(1)
		}
		o.EncryptionKey = key
	}
	o.GCInterval = -1
	start := time.Now()
	if err := testutil.SeedHistory(flag.Arg(0), *n, o); err != nil {
		fmt.Fprintln(os.Stderr, "seedhistory:", err)
		os.Exit(1)
	}
	fmt.Printf("seeded %d entries into %s in %v\n", *n, flag.Arg(0), time.Since(start).Round(time.Millisecond))
}
