package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/policyhost"
	"github.com/replyguard/replyguard/companion/internal/protocol"
	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/templates"
)

// One wazero engine for the whole package: compiling policy.wasm is the
// slow part, and the engine is safe for concurrent use.
var engine *policyhost.Engine

func TestMain(m *testing.M) {
	cache, _ := os.MkdirTemp("", "rg-wazero-cache")
	var err error
	engine, err = policyhost.New(context.Background(), policyhost.Options{CacheDir: cache})
	if err != nil {
		fmt.Fprintln(os.Stderr, "policy engine:", err)
		os.Exit(1)
	}
	code := m.Run()
	engine.Close(context.Background())
	os.RemoveAll(cache)
	os.Exit(code)
}

type testServer struct {
	*Server
	dir   string
	auth  *auth.Manager
	store *store.Store
}

// startServer runs a real server on a loopback port with a real Badger
// store, the real policy.wasm and the built-in templates.
func startServer(t testing.TB, tune func(*Options)) *testServer {
	t.Helper()
	dir := t.TempDir()
	am, err := auth.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "store"), store.Options{GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seed(t, st)
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Auth: am, Store: st, Policy: engine, Render: testRender}
	if tune != nil {
		tune(&opt)
	}
	s, err := New(ln, opt)
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
	})
	return &testServer{Server: s, dir: dir, auth: am, store: st}
}

func seed(t testing.TB, st *store.Store) {
	t.Helper()
	list, err := templates.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var seeds []store.Seed
	for _, tt := range list {
		seeds = append(seeds, store.Seed{ID: tt.ID, Title: tt.Title, Body: tt.Body, Scenarios: tt.Scenarios, Kind: tt.Kind})
	}
	if _, err := st.SeedTemplates(seeds); err != nil {
		t.Fatal(err)
	}
}

func testRender(t store.Template, vars map[string]string, now time.Time) (Rendered, error) {
	list, _ := templates.Builtin()
	tt := templates.Template{ID: t.ID, Body: t.Body, Kind: t.Kind, Scenarios: t.Scenarios}
	for _, b := range list {
		if b.ID == t.ID {
			tt.Fields = b.Fields
		}
	}
	r, err := tt.Render(vars, now)
	if _, ok := err.(*templates.ValuesError); err != nil && !ok {
		return Rendered{}, err
	}
	out := Rendered{Text: r.Text}
	for _, u := range r.Unfilled {
		out.Unfilled = append(out.Unfilled, RenderedSlot{Name: u.Name, Label: u.Label, Start: u.Start, End: u.End})
	}
	return out, nil
}

func (s *testServer) wsURL() string { return "ws://" + s.Addr() + "/ws" }

// dial opens a websocket with the given Origin ("" sends none) and Host
// ("" means the real address).
func (s *testServer) dial(t testing.TB, origin, host string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	if host != "" {
		h.Set("Host", host)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, s.wsURL(), &websocket.DialOptions{HTTPHeader: h, Host: host})
	if c != nil {
		c.SetReadLimit(8 << 20)
		t.Cleanup(func() { c.CloseNow() })
	}
	return c, resp, err
}

// client is a test websocket client with helpers to send requests and read
// replies, skipping pushes unless asked for.
type client struct {
	t   testing.TB
	c   *websocket.Conn
	seq atomic.Int64
}

type envelope struct {
	V       int             `json:"v"`
	Re      string          `json:"re"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
	Error   *protocol.Error `json:"error"`
}

func (cl *client) read() envelope {
	cl.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	typ, b, err := cl.c.Read(ctx)
	if err != nil {
		cl.t.Fatalf("read: %v", err)
	}
	if typ != websocket.MessageText {
		cl.t.Fatalf("got a binary message")
	}
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil {
		cl.t.Fatalf("reply is not JSON: %s", b)
	}
	if e.V != 1 {
		cl.t.Fatalf("reply without v=1: %s", b)
	}
	return e
}

// readReply reads until a message with re == id arrives.
func (cl *client) readReply(id string) envelope {
	cl.t.Helper()
	for {
		e := cl.read()
		if e.Re == id {
			return e
		}
		if e.Re != "" {
			cl.t.Fatalf("reply to %q while waiting for %q", e.Re, id)
		}
	}
}

func (cl *client) sendRaw(s string) {
	cl.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := cl.c.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
		cl.t.Fatalf("write: %v", err)
	}
}

// call sends a request and returns its reply.
func (cl *client) call(typ string, payload any) envelope {
	cl.t.Helper()
	id := fmt.Sprintf("r%d", cl.seq.Add(1))
	b, _ := json.Marshal(map[string]any{"v": 1, "id": id, "type": typ, "payload": payload})
	cl.sendRaw(string(b))
	return cl.readReply(id)
}

// ok calls and requires a .ok reply, decoding its payload into out.
func (cl *client) ok(typ string, payload, out any) {
	cl.t.Helper()
	e := cl.call(typ, payload)
	if e.Type != typ+".ok" {
		cl.t.Fatalf("%s: got %s %+v", typ, e.Type, e.Error)
	}
	if out != nil {
		if err := json.Unmarshal(e.Payload, out); err != nil {
			cl.t.Fatalf("%s payload: %v", typ, err)
		}
	}
}

// wantError calls and requires an error reply with code, mentioning msg.
func (cl *client) wantError(typ string, payload any, code, msg string) {
	cl.t.Helper()
	e := cl.call(typ, payload)
	checkErr(cl.t, e, code, msg)
}

func checkErr(t testing.TB, e envelope, code, msg string) {
	t.Helper()
	if e.Type != "error" || e.Error == nil {
		t.Fatalf("want error %s, got %s %s", code, e.Type, e.Payload)
	}
	if e.Error.Code != code || !strings.Contains(e.Error.Message, msg) {
		t.Fatalf("error = %s %q, want %s mentioning %q", e.Error.Code, e.Error.Message, code, msg)
	}
}

// connect dials with the extension's Origin and reads the hello push.
func (s *testServer) connect(t testing.TB, origin string) *client {
	t.Helper()
	c, resp, err := s.dial(t, origin, "")
	if err != nil {
		code := 0
		if resp != nil {
			code = resp.StatusCode
		}
		t.Fatalf("dial: %v (HTTP %d)", err, code)
	}
	cl := &client{t: t, c: c}
	if h := cl.read(); h.Type != "hello" {
		t.Fatalf("first message %q, want hello", h.Type)
	}
	return cl
}

// pair connects and pairs with a fresh code; it returns the client and token.
func (s *testServer) pair(t testing.TB, origin string) (*client, string) {
	t.Helper()
	code, _, err := s.auth.NewPairingCode()
	if err != nil {
		t.Fatal(err)
	}
	cl := s.connect(t, origin)
	var ok protocol.AuthOK
	cl.ok("pair", protocol.Pair{Code: code, Name: "test"}, &ok)
	if ok.Token == "" || ok.ClientID == "" {
		t.Fatalf("pair.ok without token: %+v", ok)
	}
	return cl, ok.Token
}

// authed returns a connected, authenticated Chrome client.
func (s *testServer) authed(t testing.TB) *client {
	t.Helper()
	cl, _ := s.pair(t, auth.ChromeOrigin)
	return cl
}

// expectClose reads until the connection closes and returns the status.
func expectClose(t testing.TB, c *websocket.Conn) websocket.StatusCode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, _, err := c.Read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				t.Fatal("connection was not closed")
			}
			return websocket.CloseStatus(err)
		}
	}
}

var _ = policy.Version

func policyContextReply() policy.Context { return policy.Context{Kind: "reply"} }
func policyContextZero() policy.Context  { return policy.Context{} }
