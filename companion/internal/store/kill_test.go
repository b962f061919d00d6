package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestKillDuringAcknowledgedWrites re-executes the test binary as a child
// that records 1,000 replies and prints each id once RecordReply returns
// (the acknowledgement). The parent kills it with SIGKILL mid-stream and
// checks every acknowledged reply is in the store.
func TestKillDuringAcknowledgedWrites(t *testing.T) {
	if dir := os.Getenv("REPLYGUARD_KILL_CHILD_DIR"); dir != "" {
		killChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringAcknowledgedWrites$")
	cmd.Env = append(os.Environ(), "REPLYGUARD_KILL_CHILD_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if id, ok := strings.CutPrefix(line, "ACK "); ok {
			acked = append(acked, id)
			if len(acked) == 500 {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	werr := cmd.Wait()
	if len(acked) < 500 {
		t.Fatalf("child acknowledged only %d writes (%v)", len(acked), werr)
	}
	if len(acked) >= 1000 {
		t.Fatalf("child finished all writes before the kill landed; the test proved nothing")
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child was not killed by SIGKILL: %v", werr)
	}
	s := openT(t, dir, Options{})
	for _, id := range acked {
		if _, err := s.GetReply(id); err != nil {
			t.Fatalf("acknowledged reply %s lost after kill -9: %v", id, err)
		}
	}
	p, err := s.SearchHistory(Query{Text: "durable", Limit: 500})
	if err != nil || len(p.Replies) == 0 {
		t.Fatalf("index after kill: %v", err)
	}
	t.Logf("killed after %d acknowledged writes; all present", len(acked))
}

func killChild(dir string) {
	s, err := Open(dir, Options{GCInterval: -1})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; i < 1000; i++ {
		r, err := s.RecordReply(Reply{OrderID: fmt.Sprintf("111-0000000-%07d", i), Text: fmt.Sprintf("durable reply %d", i)})
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(4)
		}
		fmt.Fprintf(w, "ACK %s\n", r.ID)
		w.Flush()
	}
	os.Exit(0)
}
