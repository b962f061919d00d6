package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/templates"
)

func init() {
	Register(Command{
		Name:    "templates",
		Summary: "list, show, render and lint reply templates (built-in or your own folder)",
		Run:     runTemplates,
	})
}

const templatesUsage = `usage: replyguard templates list   [--dir DIR] [--format text|json]
       replyguard templates show   ID [--dir DIR] [--format text|json]
       replyguard templates render ID [--set NAME=VALUE]... [--now RFC3339] [--dir DIR] [--format text|json]
       replyguard templates lint   [--format text|json] [DIR|FILE]...

Templates are .tmpl files (see templates/README.md). Without --dir the
commands use the built-in library.

list     prints every template; --format json prints them all with bodies,
         body parts and placeholder definitions (the extension bundles this).
show     prints one template in file form.
render   fills placeholders from --set values. Dates take YYYY-MM-DD, today,
         today+N or today+Nbd (business days). Unfilled placeholders stay in
         the text as [Label]; each missing or mistyped value is reported.
lint     parses each template (a folder means every .tmpl in it; none means
         the built-ins), renders it with realistic sample values (every
         option of each choice) and checks the result with policy.wasm:

           FILE:LINE:COL: SEVERITY RULE: MESSAGE

Exit status: 0 fine; 1 a file that does not parse, a render with a mistyped
or unknown value, or a lint error finding; 2 bad usage or trouble.
`

func runTemplates(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, templatesUsage)
		return exitTrouble
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list":
		return templatesList(args, stdout, stderr)
	case "show":
		return templatesShow(args, stdout, stderr)
	case "render":
		return templatesRender(args, stdout, stderr)
	case "lint":
		return templatesLint(args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, templatesUsage)
		return exitOK
	}
	fmt.Fprintf(stderr, "replyguard templates: unknown subcommand %q\n\n%s", sub, templatesUsage)
	return exitTrouble
}

// tflags is the flag set shared by the subcommands.
func tflags(name string, stderr io.Writer) (*flag.FlagSet, *string, *string) {
	fs := flag.NewFlagSet("templates "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, templatesUsage) }
	format := fs.String("format", "text", "output format: text or json")
	dir := fs.String("dir", "", "use the .tmpl files in DIR instead of the built-ins")
	return fs, format, dir
}

func loadTemplates(dir string) ([]templates.Template, error) {
	if dir == "" {
		return templates.Builtin()
	}
	return templates.LoadDir(dir)
}

func findTemplate(dir, id string) (templates.Template, error) {
	list, err := loadTemplates(dir)
	for _, t := range list {
		if t.ID == id {
			return t, nil
		}
	}
	if err != nil {
		return templates.Template{}, err
	}
	var ids []string
	for _, t := range list {
		ids = append(ids, t.ID)
	}
	return templates.Template{}, fmt.Errorf("no template %q (have: %s)", id, strings.Join(ids, ", "))
}

// parseCmd parses flags around positional arguments and checks --format.
func parseCmd(fs *flag.FlagSet, format *string, args []string, stderr io.Writer) ([]string, int, bool) {
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if err == flag.ErrHelp {
			return nil, exitOK, false
		}
		return nil, exitTrouble, false
	}
	if err := formatFlag(*format); err != nil {
		fmt.Fprintf(stderr, "replyguard templates: %v\n", err)
		return nil, exitTrouble, false
	}
	return pos, 0, true
}

func templatesList(args []string, stdout, stderr io.Writer) int {
	fs, format, dir := tflags("list", stderr)
	pos, code, ok := parseCmd(fs, format, args, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "replyguard templates list: unexpected argument %q\n", pos[0])
		return exitTrouble
	}
	// A broken file is reported, and the templates that parse are listed.
	status := exitOK
	list, err := loadTemplates(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		status = exitFindings
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	if *format == "json" {
		exp := make([]templates.Exported, len(list))
		for i, t := range list {
			exp[i] = t.Export()
		}
		if err := writeJSON(out, exp); err != nil {
			fmt.Fprintf(stderr, "replyguard templates list: %v\n", err)
			return exitTrouble
		}
		return status
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSCENARIOS\tTITLE")
	for _, t := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.Kind, strings.Join(t.Scenarios, ","), t.Title)
	}
	tw.Flush()
	return status
}

func templatesShow(args []string, stdout, stderr io.Writer) int {
	fs, format, dir := tflags("show", stderr)
	pos, code, ok := parseCmd(fs, format, args, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "replyguard templates show: give one template id")
		return exitTrouble
	}
	t, err := findTemplate(*dir, pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "replyguard templates show: %v\n", err)
		return exitTrouble
	}
	if *format == "json" {
		if err := writeJSON(stdout, t.Export()); err != nil {
			return exitTrouble
		}
		return exitOK
	}
	stdout.Write(templates.Format(t))
	return exitOK
}

// setFlags collects repeated --set NAME=VALUE.
type setFlags map[string]string

func (s setFlags) String() string { return "" }
func (s setFlags) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	if _, dup := s[name]; dup {
		return fmt.Errorf("%s set twice", name)
	}
	s[name] = value
	return nil
}

func templatesRender(args []string, stdout, stderr io.Writer) int {
	fs, format, dir := tflags("render", stderr)
	values := setFlags{}
	fs.Var(values, "set", "placeholder value NAME=VALUE (repeatable)")
	nowFlag := fs.String("now", "", "the current time for date arithmetic (RFC 3339; default: now)")
	pos, code, ok := parseCmd(fs, format, args, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "replyguard templates render: give one template id")
		return exitTrouble
	}
	now := time.Now()
	if *nowFlag != "" {
		var err error
		if now, err = time.Parse(time.RFC3339, *nowFlag); err != nil {
			fmt.Fprintf(stderr, "replyguard templates render: --now: %v\n", err)
			return exitTrouble
		}
	}
	t, err := findTemplate(*dir, pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "replyguard templates render: %v\n", err)
		return exitTrouble
	}
	status := exitOK
	// Render ignores names a template does not use (one map serves every
	// template); on the command line an unknown name is a typo.
	var unknown []string
	for name := range values {
		if _, ok := t.Field(name); !ok {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		var names []string
		for _, f := range t.Fields {
			names = append(names, f.Name)
		}
		fmt.Fprintf(stderr, "replyguard templates render: %s has no placeholder %q (it has: %s)\n", t.ID, name, strings.Join(names, ", "))
		status = exitFindings
	}
	r, err := t.Render(values, now)
	var ve *templates.ValuesError
	if err != nil && !errors.As(err, &ve) {
		fmt.Fprintf(stderr, "replyguard templates render: %v\n", err)
		return exitTrouble
	}
	var problems []templates.ValueProblem
	if ve != nil {
		problems = ve.Problems
		for _, p := range problems {
			if p.Missing {
				fmt.Fprintf(stderr, "%s (%s): %s, left as [%s]\n", p.Name, p.Label, p.Problem, p.Label)
			} else {
				fmt.Fprintf(stderr, "%s (%s): %q %s\n", p.Name, p.Label, p.Value, p.Problem)
				status = exitFindings
			}
		}
	}
	if *format == "json" {
		ans := struct {
			ID       string                   `json:"id"`
			Text     string                   `json:"text"`
			Unfilled []templates.Slot         `json:"unfilled"`
			Problems []templates.ValueProblem `json:"problems"`
		}{t.ID, r.Text, r.Unfilled, problems}
		if ans.Unfilled == nil {
			ans.Unfilled = []templates.Slot{}
		}
		if ans.Problems == nil {
			ans.Problems = []templates.ValueProblem{}
		}
		if err := writeJSON(stdout, ans); err != nil {
			return exitTrouble
		}
		return status
	}
	fmt.Fprintln(stdout, r.Text)
	return status
}

// lintResult is what lint found in one template, file or folder.
type lintResult struct {
	File   string            `json:"file"`
	ID     string            `json:"id,omitempty"`
	Issues []templates.Issue `json:"issues"`
	Errors []string          `json:"errors,omitempty"`
}

func templatesLint(args []string, stdout, stderr io.Writer) int {
	fs, format, _ := tflags("lint", stderr)
	pos, code, ok := parseCmd(fs, format, args, stderr)
	if !ok {
		return code
	}
	var list []templates.Template
	var results []lintResult
	status := exitOK
	fail := func(file string, err error) {
		status = max(status, exitFindings)
		results = append(results, lintResult{File: file, Issues: []templates.Issue{}, Errors: strings.Split(err.Error(), "\n")})
	}
	if len(pos) == 0 {
		var err error
		if list, err = templates.Builtin(); err != nil {
			fail("templates/library", err)
		}
	}
	for _, p := range pos {
		st, err := os.Stat(p)
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "replyguard templates lint: %v\n", err)
			return exitTrouble
		case st.IsDir():
			ts, err := templates.LoadDir(p)
			if err != nil {
				fail(p, err)
			}
			if len(ts) == 0 && err == nil {
				fmt.Fprintf(stderr, "replyguard templates lint: %s has no %s files\n", p, templates.FileExt)
			}
			list = append(list, ts...)
		case st.Size() > templates.MaxFileSize:
			fail(p, fmt.Errorf("%s: file is %d bytes, more than the %d allowed", p, st.Size(), templates.MaxFileSize))
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				fmt.Fprintf(stderr, "replyguard templates lint: %v\n", err)
				return exitTrouble
			}
			t, err := templates.Parse(p, data)
			if err != nil {
				fail(p, err)
				continue
			}
			list = append(list, t)
		}
	}
	// Ids must be unique across everything checked together, as they will
	// be in the seller's store.
	seen := map[string]string{}
	for _, t := range list {
		if prev, dup := seen[t.ID]; dup {
			fail(t.Source, fmt.Errorf("%s: id %q is also used by %s", t.Source, t.ID, prev))
			continue
		}
		seen[t.ID] = t.Source
	}

	ctx := context.Background()
	if len(list) > 0 {
		eng, err := openEngine(ctx, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "replyguard templates lint: %v\n", err)
			return exitTrouble
		}
		defer eng.Close(ctx)
		lint := func(text string, pc policy.Context) ([]policy.Finding, error) { return eng.Lint(ctx, text, pc) }
		now := time.Now()
		for _, t := range list {
			issues, err := templates.Check(t, lint, now)
			if err != nil {
				fmt.Fprintf(stderr, "replyguard templates lint: %v\n", err)
				return exitTrouble
			}
			if issues == nil {
				issues = []templates.Issue{}
			}
			for _, is := range issues {
				if is.Severity == policy.Error {
					status = max(status, exitFindings)
				}
			}
			results = append(results, lintResult{File: t.Source, ID: t.ID, Issues: issues})
		}
	}

	out := bufio.NewWriter(stdout)
	defer out.Flush()
	if *format == "json" {
		if results == nil {
			results = []lintResult{}
		}
		if err := writeJSON(out, results); err != nil {
			return exitTrouble
		}
		return status
	}
	var nErr, nWarn int
	for _, r := range results {
		for _, e := range r.Errors {
			fmt.Fprintln(out, e)
			nErr++
		}
		for _, is := range r.Issues {
			fmt.Fprintln(out, is.String())
			switch is.Severity {
			case policy.Error:
				nErr++
			case policy.Warning:
				nWarn++
			}
		}
	}
	fmt.Fprintf(stderr, "%d template(s) checked: %d error(s), %d warning(s)\n", len(list), nErr, nWarn)
	return status
}
