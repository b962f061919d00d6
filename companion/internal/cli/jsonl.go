package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/replyguard/replyguard/companion/internal/policyhost"
)

// jsonlRecord is one input line of `lint --jsonl` / `classify --jsonl`:
// {"id", "text", "context"?}; other fields are ignored.
type jsonlRecord struct {
	ID      json.RawMessage `json:"id"`
	Text    *string         `json:"text"`
	Context json.RawMessage `json:"context"`
}

// maxLine bounds one JSONL line: the largest text, with room for escapes.
const maxLine = 2*policyhost.MaxText + 64<<10

// runJSONL answers a JSONL stream one output line per input line, in input
// order, using up to `workers` engine instances at once. A malformed line
// gets {"id", "error"} (and a note on stderr) and the stream goes on; the
// count of such lines is returned. The error is for I/O failures only.
func runJSONL(ctx context.Context, name string, r io.Reader, w io.Writer, stderr io.Writer,
	do func(ctx context.Context, rec *jsonlRecord) ([]byte, error)) (bad int, err error) {
	workers := max(1, min(runtime.GOMAXPROCS(0), 4))
	stderr = &lockedWriter{w: stderr}
	out := bufio.NewWriterSize(w, 64<<10)
	pending := make(chan chan []byte, 4*workers) // in input order
	sem := make(chan struct{}, workers)
	wrote := make(chan error, 1)
	go func() {
		var werr error
		for rc := range pending {
			line := <-rc
			if werr == nil {
				_, werr = out.Write(line)
			}
		}
		if werr == nil {
			werr = out.Flush()
		}
		wrote <- werr
	}()

	badLines := 0
	var failed atomic.Int64 // lines the engine refused, counted by workers
	br := bufio.NewReaderSize(r, 64<<10)
	var readErr error
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br)
		if err == io.EOF && len(line) == 0 && !tooLong {
			break
		}
		if err != nil && err != io.EOF {
			readErr = fmt.Errorf("%s:%d: %w", name, n, err)
			break
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 && !tooLong {
			continue // blank lines carry no record
		}
		rc := make(chan []byte, 1)
		pending <- rc
		var rec jsonlRecord
		perr := fmt.Errorf("line longer than %d MB", maxLine>>20)
		if !tooLong {
			rec, perr = parseRecord(line)
		}
		if perr != nil {
			badLines++
			fmt.Fprintf(stderr, "replyguard: %s:%d: %v\n", name, n, perr)
			rc <- errorLine(rec.ID, fmt.Sprintf("line %d: %v", n, perr))
			continue
		}
		sem <- struct{}{}
		go func(n int) {
			defer func() { <-sem }()
			ans, err := do(ctx, &rec)
			if err != nil {
				var in *policyhost.ErrInput
				if !errors.As(err, &in) {
					err = fmt.Errorf("engine: %w", err)
				}
				failed.Add(1)
				fmt.Fprintf(stderr, "replyguard: %s:%d: %v\n", name, n, err)
				rc <- errorLine(rec.ID, fmt.Sprintf("line %d: %v", n, err))
				return
			}
			rc <- ans
		}(n)
	}
	close(pending)
	werr := <-wrote
	return badLines + int(failed.Load()), errors.Join(readErr, werr)
}

// readLine reads one line without its newline. A line over maxLine is
// skipped to its end and reported as tooLong, so the stream can go on.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			buf = append(buf, chunk...)
			if len(buf) > maxLine {
				tooLong, buf = true, nil
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimSuffix(buf, []byte{'\n'}), tooLong, err
	}
}

func parseRecord(line []byte) (jsonlRecord, error) {
	var rec jsonlRecord
	if !utf8.Valid(line) {
		return rec, errors.New("not valid UTF-8")
	}
	if line[0] != '{' {
		return rec, errors.New(`not a JSON object; want {"id": ..., "text": "..."}`)
	}
	if err := json.Unmarshal(line, &rec); err != nil {
		rec.ID = nil
		return rec, fmt.Errorf("bad JSON: %w", err)
	}
	if rec.Text == nil {
		return rec, errors.New(`no "text" string`)
	}
	return rec, nil
}

// errorLine is the output for an input line that could not be checked.
func errorLine(id json.RawMessage, msg string) []byte {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	b := append([]byte(`{"id":`), id...)
	b = append(b, `,"error":`...)
	m, _ := json.Marshal(msg) // a string always marshals
	b = append(b, m...)
	return append(b, "}\n"...)
}

// withID splices an engine answer {...} into {"id":ID,...}\n.
func withID(id json.RawMessage, ans []byte) []byte {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	b := make([]byte, 0, len(ans)+len(id)+8)
	b = append(b, `{"id":`...)
	b = append(b, id...)
	if len(ans) > 2 {
		b = append(b, ',')
	}
	b = append(b, ans[1:]...)
	return append(b, '\n')
}

// lockedWriter serialises notes from concurrent workers.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
