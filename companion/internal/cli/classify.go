package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/replyguard/replyguard/policy"
)

func init() {
	Register(Command{
		Name:    "classify",
		Summary: "name the scenario of buyer messages (files, stdin or --jsonl)",
		Run:     runClassify,
	})
}

const classifyUsage = `usage: replyguard classify [--format text|json] [FILE|-]...
       replyguard classify --jsonl FILE|-

Names the scenario of each buyer message (stdin when no file or "-"):
return-refund, cancel-request, not-received, where-is-order,
damaged-defective, wrong-item, product-question, thank-you, address-change,
a-to-z-claim, feedback-review, invoice-request or other.

Text output: FILE: SCENARIO (confidence C)[ order ORDER-ID][ forwarded by Amazon]
--format json prints [{"file", "scenario", "confidence", ...}].
--jsonl reads one {"id", "text"} per line and prints one
{"id", "scenario", "confidence"} per line, in order.

Exit status: 0 when every input was classified, 2 otherwise.
`

func runClassify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, classifyUsage) }
	format := fs.String("format", "text", "output format: text or json")
	jsonl := fs.String("jsonl", "", "read {id, text} records, one per line, from FILE (- for stdin)")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitTrouble
	}
	if err := formatFlag(*format); err != nil {
		fmt.Fprintf(stderr, "replyguard classify: %v\n", err)
		return exitTrouble
	}
	if *jsonl != "" && len(files) > 0 {
		fmt.Fprintln(stderr, "replyguard classify: --jsonl takes no other files")
		return exitTrouble
	}

	ctx := context.Background()
	eng, err := openEngine(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "replyguard classify: %v\n", err)
		return exitTrouble
	}
	defer eng.Close(ctx)

	if *jsonl != "" {
		return jsonlMain("classify", *jsonl, stdin, stdout, stderr, func(r io.Reader, name string) (int, error) {
			return runJSONL(ctx, name, r, stdout, stderr, func(ctx context.Context, rec *jsonlRecord) ([]byte, error) {
				c, err := eng.Classify(ctx, *rec.Text)
				if err != nil {
					return nil, err
				}
				// Exactly {"id", "scenario", "confidence"} (DESIGN.md).
				b := []byte(`{"scenario":`)
				b = strconv.AppendQuote(b, c.Scenario) // scenario ids are ASCII
				b = append(b, `,"confidence":`...)
				conf, _ := json.Marshal(c.Confidence)
				b = append(b, conf...)
				return withID(rec.ID, append(b, '}')), nil
			})
		})
	}

	type fileResult struct {
		File string `json:"file"`
		policy.Classification
		Error string `json:"error,omitempty"`
	}
	var results []fileResult
	status := exitOK
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	readInputs(files, stdin, func(in input, err error) {
		if err == nil {
			var c policy.Classification
			if c, err = eng.Classify(ctx, in.text); err == nil {
				results = append(results, fileResult{File: in.name, Classification: c})
				if *format == "text" {
					fmt.Fprintf(out, "%s: %s (confidence %.2f)", in.name, c.Scenario, c.Confidence)
					if c.OrderID != "" {
						fmt.Fprintf(out, " order %s", c.OrderID)
					}
					if c.Forwarded {
						fmt.Fprint(out, " forwarded by Amazon")
					}
					fmt.Fprintln(out)
				}
				return
			}
		}
		status = exitTrouble
		fmt.Fprintf(stderr, "replyguard classify: %s: %v\n", in.name, err)
		results = append(results, fileResult{File: in.name, Error: err.Error()})
	})
	if *format == "json" {
		if err := writeJSON(out, results); err != nil {
			fmt.Fprintf(stderr, "replyguard classify: %v\n", err)
			return exitTrouble
		}
	}
	return status
}
