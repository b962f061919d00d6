// Command replyguard is ReplyGuard's local companion: `replyguard serve` runs
// the local service for the extension; lint, classify, rules and the rest are
// its command-line face.
package main

import (
	"os"

	"github.com/replyguard/replyguard/companion/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
