package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/replyguard/replyguard/policy"
)

func init() {
	Register(Command{
		Name:    "rules",
		Summary: "list the policy rules with their rationale (text or --format json)",
		Run:     runRules,
	})
}

const rulesUsage = `usage: replyguard rules [--format text|json] [RULE-ID]...

Prints the rule catalog of policy.wasm: id, default severity, title, why Amazon
forbids it, where the policy lives, and examples. With ids, only those rules.
--format json prints {"version", "rules": [...]}.
`

func runRules(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, rulesUsage) }
	format := fs.String("format", "text", "output format: text or json")
	ids, err := parseInterspersed(fs, args)
	if err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitTrouble
	}
	if err := formatFlag(*format); err != nil {
		fmt.Fprintf(stderr, "replyguard rules: %v\n", err)
		return exitTrouble
	}

	ctx := context.Background()
	eng, err := openEngine(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "replyguard rules: %v\n", err)
		return exitTrouble
	}
	defer eng.Close(ctx)
	rules, err := eng.Rules(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "replyguard rules: %v\n", err)
		return exitTrouble
	}
	if len(ids) > 0 {
		byID := make(map[string]policy.Rule, len(rules))
		for _, r := range rules {
			byID[r.ID] = r
		}
		var picked []policy.Rule
		for _, id := range ids {
			r, ok := byID[id]
			if !ok {
				fmt.Fprintf(stderr, "replyguard rules: no rule %q (run `replyguard rules` for the list)\n", id)
				return exitTrouble
			}
			picked = append(picked, r)
		}
		rules = picked
	}

	out := bufio.NewWriter(stdout)
	defer out.Flush()
	if *format == "json" {
		if rules == nil {
			rules = []policy.Rule{}
		}
		if err := writeJSON(out, struct {
			Version string        `json:"version"`
			Rules   []policy.Rule `json:"rules"`
		}{eng.Version(), rules}); err != nil {
			fmt.Fprintf(stderr, "replyguard rules: %v\n", err)
			return exitTrouble
		}
		return exitOK
	}
	fmt.Fprintf(out, "ReplyGuard policy %s: %d rules\n", eng.Version(), len(rules))
	for _, r := range rules {
		fmt.Fprintf(out, "\n%s (%s): %s\n", r.ID, r.Severity, r.Title)
		wrap(out, r.Rationale, "  ", 78)
		if r.PolicyURL != "" {
			fmt.Fprintf(out, "  Policy: %s\n", r.PolicyURL)
		}
		for _, e := range r.Examples {
			mark := "ok:    "
			if e.Violates {
				mark = "flags: "
			}
			fmt.Fprintf(out, "  %s%q\n", mark, e.Text)
		}
	}
	return exitOK
}

// wrap prints text as indented lines of at most width columns.
func wrap(w io.Writer, text, indent string, width int) {
	for _, para := range strings.Split(strings.TrimSpace(text), "\n") {
		line := indent
		for _, word := range strings.Fields(para) {
			if len(line) > len(indent) && len(line)+1+len(word) > width {
				fmt.Fprintln(w, line)
				line = indent
			}
			if len(line) > len(indent) {
				line += " "
			}
			line += word
		}
		if len(line) > len(indent) {
			fmt.Fprintln(w, line)
		}
	}
}
