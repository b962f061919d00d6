package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/policyhost"
	"github.com/replyguard/replyguard/companion/internal/server"
	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/companion/internal/web/demo"
	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/templates"
)

// engine is one policy.wasm under wazero for the whole package (compiling
// it is the slow part).
var engine *policyhost.Engine

func TestMain(m *testing.M) {
	cache := filepath.Join(os.TempDir(), "replyguard-web-test-wazero")
	var err error
	engine, err = policyhost.New(context.Background(), policyhost.Options{CacheDir: cache})
	if err != nil {
		panic(err)
	}
	code := m.Run()
	engine.Close(context.Background())
	os.Exit(code)
}

// env is a real companion server (Echo on a loopback port, Badger store,
// policy.wasm under wazero) with the pages mounted.
type env struct {
	t    testing.TB
	st   *store.Store
	am   *auth.Manager
	srv  *server.Server
	base string
	c    *http.Client // with a cookie jar, like a browser tab
	csrf string
}

type envOpt struct {
	bulk int  // generated history entries
	demo bool // demo data (deadlines, threads)
	// storeDir, when set, is a store kept between runs: seeded once (a
	// marker file says so), reused afterwards.
	storeDir string
	// busy records that many answered messages over the last 90 days.
	busy int
}

func newEnv(t testing.TB, o envOpt) *env {
	t.Helper()
	dir := t.TempDir()
	sdir, seeded := filepath.Join(dir, "store"), false
	if o.storeDir != "" {
		sdir = o.storeDir
		_, err := os.Stat(filepath.Join(sdir, "seeded"))
		seeded = err == nil
	}
	st, err := store.Open(sdir, store.Options{GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if !seeded {
		seedBuiltins(t, st)
		if o.demo || o.bulk > 0 {
			if err := demo.Seed(st, time.Now(), o.bulk); err != nil {
				t.Fatal(err)
			}
		}
		if o.busy > 0 {
			seedBusy(t, st, o.busy)
		}
		if o.storeDir != "" {
			os.WriteFile(filepath.Join(sdir, "seeded"), nil, 0o600)
		}
	}
	am, err := auth.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(Deps{Store: st, Policy: engine, Auth: am, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := server.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ln, server.Options{Auth: am, Store: st, Policy: engine, Web: w.Mount})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	jar, _ := cookiejar.New(nil)
	e := &env{t: t, st: st, am: am, srv: srv, base: "http://" + srv.Addr(), c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	// A first GET gives the tab its CSRF cookie and token.
	resp := e.get("/settings", nil)
	e.csrf = resp.Header.Get(server.CSRFHeader)
	if e.csrf == "" {
		t.Fatal("no CSRF token on a GET")
	}
	return e
}

func seedBuiltins(t testing.TB, st *store.Store) {
	t.Helper()
	lib, err := templates.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var seeds []store.Seed
	for _, b := range lib {
		fs, err := engine.Lint(context.Background(), b.Body, policy.Context{Kind: b.Kind})
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, store.Seed{ID: b.ID, Title: b.Title, Body: b.Body, Scenarios: b.Scenarios, Kind: b.Kind, Findings: store.FindingsFrom(fs)})
	}
	if _, err := st.SeedTemplates(seeds); err != nil {
		t.Fatal(err)
	}
}

type response struct {
	*http.Response
	Body string
}

func (e *env) do(req *http.Request) response {
	e.t.Helper()
	resp, err := e.c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{resp, string(b)}
}

func (e *env) get(path string, hdr map[string]string) response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.base+path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return e.do(req)
}

// post submits a form like the page does: same origin, with the token.
func (e *env) post(path string, form url.Values, hdr map[string]string) response {
	e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form[server.CSRFFormField]; !ok {
		form.Set(server.CSRFFormField, e.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, e.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return e.do(req)
}

// seedBusy records n answered buyer messages spread over the last 90 days,
// each with its reply deadline (as RecordReply creates them).
func seedBusy(t testing.TB, st *store.Store, n int) {
	t.Helper()
	now := time.Now()
	span := 90 * 24 * time.Hour
	for i := 0; i < n; i++ {
		got := now.Add(-time.Duration(int64(span) * int64(i+1) / int64(n+1)))
		_, err := st.RecordReply(store.Reply{
			OrderID: fmt.Sprintf("113-%07d-%07d", i, i*7%10_000_000), Marketplace: "sellercentral.amazon.com", Scenario: "where-is-order",
			Text: "Hello, your parcel is on its way and should arrive tomorrow. Kind regards", BuyerMessage: "Where is my parcel?",
			BuyerMessageAt: got, SentAt: got.Add(time.Duration(30+i%600) * time.Minute),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
