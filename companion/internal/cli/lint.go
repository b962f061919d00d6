package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/wasm/abi"
)

func init() {
	Register(Command{
		Name:    "lint",
		Summary: "check replies against Amazon's messaging rules (files, stdin or --jsonl)",
		Run:     runLint,
	})
}

const lintUsage = `usage: replyguard lint [--format text|json] [--context JSON|@FILE] [FILE|-]...
       replyguard lint --jsonl FILE|-

Checks each file (stdin when none or "-") with policy.wasm, the same engine the
extension runs. Text output reads like a compiler:

  FILE:LINE:COL: SEVERITY RULE: MESSAGE

Columns and the JSON "start"/"end" count UTF-16 code units, as browsers do.
--format json prints [{"file", "findings": [...]}].
--context sets the lint context, e.g. '{"kind":"proactive","order_date":"2026-01-02"}'.
--jsonl reads one {"id", "text", "context"?} per line and prints one
{"id", "findings": [...]} per line, in order (a bad line gets {"id", "error"}).

Exit status: 0 clean, 1 an error-severity finding (not with --jsonl), 2 an
input could not be checked or bad usage.
`

func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, lintUsage) }
	format := fs.String("format", "text", "output format: text or json")
	jsonl := fs.String("jsonl", "", "read {id, text, context} records, one per line, from FILE (- for stdin)")
	ctxFlag := fs.String("context", "", "lint context as JSON, or @FILE")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitTrouble
	}
	if err := formatFlag(*format); err != nil {
		fmt.Fprintf(stderr, "replyguard lint: %v\n", err)
		return exitTrouble
	}
	if *jsonl != "" && (len(files) > 0 || *ctxFlag != "") {
		fmt.Fprintln(stderr, "replyguard lint: --jsonl takes no other files or --context (each record carries its own)")
		return exitTrouble
	}
	ctxJSON, err := readContext(*ctxFlag)
	if err == nil {
		// Checked once here rather than once per file by the engine.
		_, err = abi.DecodeContext(ctxJSON)
	}
	if err != nil {
		fmt.Fprintf(stderr, "replyguard lint: --context: %v\n", err)
		return exitTrouble
	}

	ctx := context.Background()
	eng, err := openEngine(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "replyguard lint: %v\n", err)
		return exitTrouble
	}
	defer eng.Close(ctx)

	if *jsonl != "" {
		return jsonlMain("lint", *jsonl, stdin, stdout, stderr, func(r io.Reader, name string) (int, error) {
			return runJSONL(ctx, name, r, stdout, stderr, func(ctx context.Context, rec *jsonlRecord) ([]byte, error) {
				ans, err := eng.LintJSON(ctx, *rec.Text, rec.Context)
				if err != nil {
					return nil, err
				}
				return withID(rec.ID, ans), nil
			})
		})
	}

	type fileResult struct {
		File     string           `json:"file"`
		Findings []policy.Finding `json:"findings"`
		Error    string           `json:"error,omitempty"`
	}
	var results []fileResult
	status := exitOK
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	readInputs(files, stdin, func(in input, err error) {
		if err == nil {
			var raw []byte
			if raw, err = eng.LintJSON(ctx, in.text, ctxJSON); err == nil {
				var ans struct {
					Findings []policy.Finding `json:"findings"`
				}
				if err = json.Unmarshal(raw, &ans); err == nil {
					results = append(results, fileResult{File: in.name, Findings: ans.Findings})
					for _, f := range ans.Findings {
						if f.Severity == policy.Error {
							status = max(status, exitFindings)
						}
						if *format == "text" {
							fmt.Fprintf(out, "%s:%d:%d: %s %s: %s\n", in.name, f.Line, f.Col, f.Severity, f.Rule, f.Message)
						}
					}
					return
				}
			}
		}
		status = exitTrouble
		fmt.Fprintf(stderr, "replyguard lint: %s: %v\n", in.name, err)
		results = append(results, fileResult{File: in.name, Findings: []policy.Finding{}, Error: err.Error()})
	})
	if *format == "json" {
		if err := writeJSON(out, results); err != nil {
			fmt.Fprintf(stderr, "replyguard lint: %v\n", err)
			return exitTrouble
		}
	}
	return status
}

// jsonlMain opens the --jsonl source and turns runJSONL's outcome into an
// exit status.
func jsonlMain(cmd, name string, stdin io.Reader, stdout, stderr io.Writer, run func(io.Reader, string) (int, error)) int {
	r := stdin
	display := stdinName
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "replyguard %s: %v\n", cmd, err)
			return exitTrouble
		}
		defer f.Close()
		r, display = f, name
	}
	bad, err := run(r, display)
	if err != nil {
		fmt.Fprintf(stderr, "replyguard %s: %v\n", cmd, err)
		return exitTrouble
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "replyguard %s: %d line(s) could not be checked\n", cmd, bad)
		return exitTrouble
	}
	return exitOK
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
