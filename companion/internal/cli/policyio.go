package cli

// Helpers shared by lint, classify and rules: opening policy.wasm, parsing
// flags mixed with file names, reading inputs safely.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/replyguard/replyguard/companion/internal/policyhost"
)

// Exit statuses shared by the policy commands.
const (
	exitOK       = 0
	exitFindings = 1 // lint: an error-severity finding
	exitTrouble  = 2 // bad usage or an input that could not be checked
)

// openEngine starts policy.wasm under wazero. REPLYGUARD_WAZERO_CACHE
// overrides the compilation cache directory ("off" disables it).
func openEngine(ctx context.Context, stderr io.Writer) (*policyhost.Engine, error) {
	return policyhost.New(ctx, policyhost.Options{
		CacheDir: os.Getenv("REPLYGUARD_WAZERO_CACHE"),
		Stderr:   stderr,
	})
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments (`lint draft.txt --format json`); "--" ends flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// input is one text to check.
type input struct {
	name string // file name, or <stdin>
	text string
}

const stdinName = "<stdin>"

// readInputs reads each named file ("-" or none: stdin). Unreadable or
// unsuitable files are reported to the caller one by one and skipped, so
// one bad file never hides the findings of the others.
func readInputs(names []string, stdin io.Reader, each func(in input, err error)) {
	if len(names) == 0 {
		names = []string{"-"}
	}
	for _, n := range names {
		var (
			b    []byte
			err  error
			name = n
		)
		if n == "-" {
			name = stdinName
			b, err = readLimited(stdin)
		} else {
			var f *os.File
			if f, err = os.Open(n); err == nil {
				var st os.FileInfo
				if st, err = f.Stat(); err == nil && st.IsDir() {
					err = errors.New("is a directory")
				} else if err == nil {
					b, err = readLimited(f)
				}
				f.Close()
			}
		}
		if err == nil {
			var text string
			text, err = checkText(b)
			if err == nil {
				each(input{name: name, text: text}, nil)
				continue
			}
		}
		each(input{name: name}, err)
	}
}

// readLimited reads all of r, refusing more than policyhost.MaxText bytes.
func readLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, policyhost.MaxText+1))
	if err != nil {
		return nil, err
	}
	if len(b) > policyhost.MaxText {
		return nil, fmt.Errorf("larger than %d MB; a message is at most a few KB", policyhost.MaxText>>20)
	}
	return b, nil
}

// checkText accepts UTF-8 text, dropping a leading byte-order mark so line
// and column match what an editor shows.
func checkText(b []byte) (string, error) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return "", fmt.Errorf("looks like a binary file (NUL byte at offset %d); expected UTF-8 text", i)
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	if !utf8.Valid(b) {
		off := invalidAt(b)
		line := bytes.Count(b[:off], []byte("\n")) + 1
		return "", fmt.Errorf("not valid UTF-8 (line %d, byte offset %d); re-save the file as UTF-8", line, off)
	}
	return string(b), nil
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// readContext reads --context: inline JSON, or @file.
func readContext(v string) ([]byte, error) {
	if v == "" {
		return nil, nil
	}
	if strings.HasPrefix(v, "@") {
		b, err := os.ReadFile(v[1:])
		if err != nil {
			return nil, err
		}
		return b, nil
	}
	return []byte(v), nil
}

// formatFlag validates --format.
func formatFlag(v string) error {
	if v != "text" && v != "json" {
		return fmt.Errorf("--format must be text or json, not %q", v)
	}
	return nil
}
