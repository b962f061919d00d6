// Command storerss opens a data directory the way the companion does,
// runs a mix of history searches and prints the process RSS at each step:
//
//	go run ./companion/internal/testutil/seedhistory -n 100000 /tmp/rg100k
//	go run ./companion/internal/testutil/storerss /tmp/rg100k
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/companion/internal/testutil"
)

func main() {
	keyFile := flag.String("key", "", "key file of an encrypted store")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: storerss [-key FILE] DIR")
		os.Exit(2)
	}
	var key []byte
	if *keyFile != "" {
		var err error
		if key, err = store.ReadKeyFile(*keyFile); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	mb := func(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
	fmt.Println("start:", mb(testutil.RSS()))
	t := time.Now()
	st, err := store.Open(flag.Arg(0), store.Options{GCInterval: -1, EncryptionKey: key})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer st.Close()
	fmt.Printf("open: %v, rss %s\n", time.Since(t).Round(time.Microsecond), mb(testutil.RSS()))
	yes := true
	var lat []time.Duration
	for i := 0; i < 3; i++ {
		for _, q := range []store.Query{{}, {Text: "refund"}, {Text: "tracking number"}, {Text: "sku4711"},
			{Scenario: "invoice-request", Marketplace: "DE"}, {HasFindings: &yes, Marketplace: "JP"},
			{Text: "thank you", Marketplace: "US", Scenario: "thank-you", HasFindings: &yes}} {
			t := time.Now()
			if _, err := st.SearchHistory(q); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			lat = append(lat, time.Since(t))
		}
	}
	slices.Sort(lat)
	fmt.Printf("after %d searches: rss %s, median %v, max %v\n", len(lat), mb(testutil.RSS()), lat[len(lat)/2], lat[len(lat)-1])
	runtime.GC()
	debug.FreeOSMemory()
	time.Sleep(2 * time.Second)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("idle after GC: rss %s (Go heap in use %s, sys %s)\n", mb(testutil.RSS()), mb(int64(ms.HeapInuse)), mb(int64(ms.Sys)))
}
