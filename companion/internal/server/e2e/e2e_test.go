// Package e2e runs the real `replyguard serve` process: the test binary
// re-executes itself as the command (see TestMain), so these tests and
// benchmarks exercise the process a seller runs, signals and all.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/cli"
	"github.com/replyguard/replyguard/companion/internal/store"
)

const mainEnv = "REPLYGUARD_E2E_MAIN"

var wazeroCache string

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	// One compilation cache for every process the tests start: "warm
	// cache" is the normal state of an installed companion.
	dir, err := os.MkdirTemp("", "rg-e2e-wazero")
	if err != nil {
		panic(err)
	}
	wazeroCache = dir
	code := m.Run()
	os.RemoveAll(dir)
	if history100k != "" {
		os.RemoveAll(history100k)
	}
	os.Exit(code)
}

// proc is a running replyguard process.
type proc struct {
	cmd    *exec.Cmd
	url    string // http://127.0.0.1:PORT/
	addr   string
	stderr *bytes.Buffer
	done   chan struct{}
	err    error
}

var readyRE = regexp.MustCompile(`ready: (http://[^ ]+/) `)

func command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), mainEnv+"=1", "REPLYGUARD_WAZERO_CACHE="+wazeroCache)
	return cmd
}

// startServe starts `replyguard serve` on a free loopback port and waits
// until it prints its ready line.
func startServe(t testing.TB, dataDir string, extra ...string) *proc {
	t.Helper()
	p, err := launch(dataDir, extra...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.kill() })
	return p
}

func launch(dataDir string, extra ...string) (*proc, error) {
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dataDir}, extra...)
	cmd := command(args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := readyRE.FindStringSubmatch(sc.Text()); m != nil {
				ready <- m[1]
			}
		}
	}()
	go func() { p.err = cmd.Wait(); close(p.done) }()
	select {
	case u := <-ready:
		p.url = u
		p.addr = strings.TrimSuffix(strings.TrimPrefix(u, "http://"), "/")
		return p, nil
	case <-p.done:
		return nil, fmt.Errorf("serve exited before ready: %v\n%s", p.err, p.stderr)
	case <-time.After(60 * time.Second):
		p.kill()
		return nil, fmt.Errorf("serve not ready after 60 s\n%s", p.stderr)
	}
}

// waitPolicy waits until the policy engine runs and the built-in templates
// are seeded (the server answers before that).
func (p *proc) waitPolicy(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(p.url + "api/status")
		if err == nil {
			var st struct {
				PolicyReady bool `json:"policy_ready"`
			}
			json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if st.PolicyReady {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("policy engine not ready after 120 s\n%s", p.stderr)
}

func (p *proc) kill() {
	select {
	case <-p.done:
	default:
		p.cmd.Process.Kill()
		<-p.done
	}
}

// stop sends SIGTERM and returns the exit code.
func (p *proc) stop(t testing.TB) int {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s of SIGTERM")
	}
	return p.cmd.ProcessState.ExitCode()
}

// run runs a replyguard command to completion.
func run(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := command(args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-ctx.Done():
		cmd.Process.Kill()
		t.Fatalf("%v did not finish", args)
	}
	return cmd.ProcessState.ExitCode(), o.String(), e.String()
}

// pairOverHTTP gets a pairing code from the local page's API (with its
// CSRF token) and pairs a websocket client with it, as a seller would.
func pairOverHTTP(t testing.TB, p *proc) (*websocket.Conn, string) {
	t.Helper()
	resp, err := http.Get(p.url + "api/csrf")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	req, _ := http.NewRequest("POST", p.url+"api/pairing-codes", nil)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	req.Header.Set("X-CSRF-Token", resp.Header.Get("X-CSRF-Token"))
	req.Header.Set("Origin", strings.TrimSuffix(p.url, "/"))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var code struct{ Code string }
	json.NewDecoder(resp.Body).Decode(&code)
	resp.Body.Close()
	if resp.StatusCode != 201 || code.Code == "" {
		t.Fatalf("pairing code: HTTP %d", resp.StatusCode)
	}
	c := dialWS(t, p)
	msg := fmt.Sprintf(`{"v":1,"id":"p","type":"pair","payload":{"code":%q}}`, code.Code)
	reply := callWS(t, c, msg, "p")
	var ok struct {
		Type    string
		Payload struct{ Token string }
	}
	json.Unmarshal(reply, &ok)
	if ok.Type != "pair.ok" || ok.Payload.Token == "" {
		t.Fatalf("pair: %s", reply)
	}
	return c, ok.Payload.Token
}

func dialWS(t testing.TB, p *proc) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws://"+p.addr+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {auth.ChromeOrigin}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

// callWS sends msg and returns the reply whose "re" is id.
func callWS(t testing.TB, c *websocket.Conn, msg, id string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var e struct{ Re string }
		json.Unmarshal(b, &e)
		if e.Re == id {
			return b
		}
	}
}

func TestServeProcess(t *testing.T) {
	dir := t.TempDir()
	p := startServe(t, dir)

	// Secrets are private.
	for _, f := range []string{auth.KeyFile} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, fi.Mode(), err)
		}
	}

	// A second serve on the same data directory exits non-zero, names the
	// running one, and leaves it serving.
	code, _, stderr := run(t, "serve", "--addr", "127.0.0.1:0", "--data", dir)
	if code == 0 {
		t.Fatal("second serve exited 0")
	}
	pid := fmt.Sprint(p.cmd.Process.Pid)
	if !strings.Contains(stderr, "already running") || !strings.Contains(stderr, pid) || !strings.Contains(stderr, p.url) {
		t.Fatalf("second serve said %q; want it to name pid %s at %s", stderr, pid, p.url)
	}

	c, token := pairOverHTTP(t, p)
	p.waitPolicy(t)
	reply := callWS(t, c, `{"v":1,"id":"t","type":"templates.get","payload":{"id":"refund-issued"}}`, "t")
	if !strings.Contains(string(reply), `"templates.get.ok"`) {
		t.Fatalf("templates.get: %s", reply)
	}
	reply = callWS(t, c, `{"v":1,"id":"r","type":"reply.record","payload":{"reply_id":"e2e-1","order_id":"113-1234567-7654321","text":"Thank you, your refund is on its way."}}`, "r")
	if !strings.Contains(string(reply), `"reply.record.ok"`) {
		t.Fatalf("reply.record: %s", reply)
	}

	// SIGTERM: websockets get "going away", the process exits 0.
	closed := make(chan websocket.StatusCode, 1)
	go func() {
		for {
			if _, _, err := c.Read(context.Background()); err != nil {
				closed <- websocket.CloseStatus(err)
				return
			}
		}
	}()
	if code := p.stop(t); code != 0 {
		t.Fatalf("exit code %d after SIGTERM\n%s", code, p.stderr)
	}
	if st := <-closed; st != websocket.StatusGoingAway {
		t.Fatalf("websocket closed with %v, want going away", st)
	}
	if _, err := os.Stat(filepath.Join(dir, "serve.json")); !os.IsNotExist(err) {
		t.Fatalf("serve.json left behind: %v", err)
	}

	// Restart on the same directory: the token and the recorded reply survived.
	p2 := startServe(t, dir)
	p2.waitPolicy(t)
	c2 := dialWS(t, p2)
	reply = callWS(t, c2, fmt.Sprintf(`{"v":1,"id":"a","type":"auth","payload":{"token":%q}}`, token), "a")
	if !strings.Contains(string(reply), `"auth.ok"`) {
		t.Fatalf("auth after restart: %s", reply)
	}
	reply = callWS(t, c2, `{"v":1,"id":"r","type":"reply.record","payload":{"reply_id":"e2e-1","order_id":"113-1234567-7654321","text":"Thank you, your refund is on its way."}}`, "r")
	if !strings.Contains(string(reply), `"duplicate":true`) {
		t.Fatalf("retry after restart not recognised: %s", reply)
	}
	if code := p2.stop(t); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

func TestServeRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:47615", ":47615", "192.168.1.10:47615", "[::]:47615"} {
		dir := filepath.Join(t.TempDir(), "data")
		code, _, stderr := run(t, "serve", "--addr", addr, "--data", dir)
		if code == 0 || !strings.Contains(stderr, "loopback") {
			t.Fatalf("--addr %s: exit %d, %q", addr, code, stderr)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatalf("--addr %s: data directory was created before refusing", addr)
		}
	}
}

// mountTmpfs mounts a small tmpfs (root only); the test is skipped where
// that is not possible.
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

func TestServeReadOnlyDataDir(t *testing.T) {
	dir := mountTmpfs(t, "size=4m,ro")
	code, _, stderr := run(t, "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "replyguard"))
	if code == 0 || !strings.Contains(stderr, "not writable") {
		t.Fatalf("exit %d, %q; want a clear not-writable error", code, stderr)
	}
	// An existing but read-only data directory, too.
	dir2 := mountTmpfs(t, "size=4m")
	if err := os.MkdirAll(filepath.Join(dir2, "replyguard"), 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", dir2).CombinedOutput(); err != nil {
		t.Skipf("remount ro: %v %s", err, out)
	}
	code, _, stderr = run(t, "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir2, "replyguard"))
	if code == 0 || !strings.Contains(stderr, "not writable") {
		t.Fatalf("exit %d, %q; want a clear not-writable error", code, stderr)
	}
}

func TestServeDiskFull(t *testing.T) {
	dir := mountTmpfs(t, "size=1m")
	// Fill the file system.
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	f.Close()
	code, _, stderr := run(t, "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "replyguard"))
	if code == 0 || !strings.Contains(stderr, "full") {
		t.Fatalf("exit %d, %q; want a clear disk-full error", code, stderr)
	}
}

// The deadline scheduler runs inside serve and its events reach the
// extension as pushes: a buyer message received 23.5 hours ago is due soon,
// one received 25 hours ago is overdue (its due time is before this serve
// started, so the event is "missed").
func TestServeDeadlinePushes(t *testing.T) {
	p := startServe(t, t.TempDir())
	c, _ := pairOverHTTP(t, p)
	now := time.Now().UTC()
	soon := now.Add(-23*time.Hour - 30*time.Minute).Format(time.RFC3339)
	late := now.Add(-25 * time.Hour).Format(time.RFC3339)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Pushes may arrive before the replies: read everything in one loop.
	for _, m := range []string{
		fmt.Sprintf(`{"v":1,"id":"s1","type":"message.seen","payload":{"order_id":"113-1234567-0000001","received_at":%q}}`, soon),
		fmt.Sprintf(`{"v":1,"id":"s2","type":"message.seen","payload":{"order_id":"113-1234567-0000002","received_at":%q}}`, late),
	} {
		if err := c.Write(ctx, websocket.MessageText, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{"113-1234567-0000001": "deadline.due_soon", "113-1234567-0000002": "deadline.overdue"}
	for len(want) > 0 {
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for pushes %v: %v", want, err)
		}
		var e struct {
			Type, Re string
			Payload  struct {
				Event    string
				Deadline struct {
					OrderID string `json:"order_id"`
				}
			}
		}
		json.Unmarshal(b, &e)
		if e.Re != "" || want[e.Payload.Deadline.OrderID] != e.Type {
			continue
		}
		if e.Type == "deadline.due_soon" && e.Payload.Event != "due-soon-1h" {
			t.Fatalf("due-soon event %q, want due-soon-1h", e.Payload.Event)
		}
		// It came due before this serve started: "missed", sent as overdue.
		if e.Type == "deadline.overdue" && e.Payload.Event != "missed" {
			t.Fatalf("overdue event %q, want missed", e.Payload.Event)
		}
		delete(want, e.Payload.Deadline.OrderID)
	}
}

// kill -9 while 1,000 replies are being recorded over 4 connections: after a
// restart, resending every reply (as the extension's offline queue does)
// stores each exactly once, and every reply acknowledged before the kill
// is reported as already stored.
func TestServeKill9DuringReplyRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const n, conns = 1000, 4
	const order = "113-0000000-0000009"
	dir := t.TempDir()
	p := startServe(t, dir)
	first, token := pairOverHTTP(t, p)
	first.CloseNow()
	p.waitPolicy(t)
	msg := func(i int) string {
		return fmt.Sprintf(`{"v":1,"id":"r%d","type":"reply.record","payload":{"reply_id":"k9-%04d","order_id":%q,"text":"Reply number %d: your parcel is on its way."}}`, i, i, order, i)
	}
	auth := fmt.Sprintf(`{"v":1,"id":"a","type":"auth","payload":{"token":%q}}`, token)

	acked := make(chan int, n)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	for k := 0; k < conns; k++ {
		c := dialWS(t, p)
		callWS(t, c, auth, "a")
		go func() { // writer: pipeline this connection's share
			for i := k; i < n; i += conns {
				if c.Write(ctx, websocket.MessageText, []byte(msg(i))) != nil {
					return
				}
			}
		}()
		go func() { // reader: collect acks until the connection dies
			for {
				_, b, err := c.Read(ctx)
				if err != nil {
					return
				}
				var e struct{ Re, Type string }
				json.Unmarshal(b, &e)
				var i int
				if e.Type == "reply.record.ok" && len(e.Re) > 1 {
					fmt.Sscanf(e.Re[1:], "%d", &i)
					acked <- i
				}
			}
		}()
	}
	// Kill once a good share is acknowledged, while the rest is in flight.
	ackedSet := map[int]bool{}
	for len(ackedSet) < n/3 {
		select {
		case i := <-acked:
			ackedSet[i] = true
		case <-ctx.Done():
			t.Fatalf("only %d acks before the timeout", len(ackedSet))
		}
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
drain:
	for {
		select {
		case i := <-acked:
			ackedSet[i] = true
		default:
			break drain
		}
	}
	if len(ackedSet) == n {
		t.Fatal("everything was acknowledged before the kill; the test proves nothing")
	}

	// Restart and resend everything.
	p2 := startServe(t, dir)
	p2.waitPolicy(t)
	c := dialWS(t, p2)
	callWS(t, c, auth, "a")
	for i := 0; i < n; i++ {
		reply := callWS(t, c, msg(i), fmt.Sprintf("r%d", i))
		var e struct {
			Type    string
			Payload struct{ Duplicate bool }
		}
		json.Unmarshal(reply, &e)
		if e.Type != "reply.record.ok" {
			t.Fatalf("resend %d: %s", i, reply)
		}
		if ackedSet[i] && !e.Payload.Duplicate {
			t.Fatalf("reply %d was acknowledged before the kill but is not stored", i)
		}
	}
	if code := p2.stop(t); code != 0 {
		t.Fatalf("exit %d", code)
	}
	// Exactly n entries: none lost, none doubled.
	st, err := store.Open(dir, store.Options{GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	total, cursor := 0, ""
	for {
		page, err := st.SearchHistory(store.Query{OrderID: order, Limit: 500, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		total += len(page.Replies)
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if total != n {
		t.Fatalf("%d history entries after kill -9 and resend, want exactly %d (%d were acknowledged before the kill)", total, n, len(ackedSet))
	}
	t.Logf("%d of %d acknowledged before kill -9; all %d stored exactly once", len(ackedSet), n, n)
}
