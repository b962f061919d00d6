package server

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/protocol"
)

const ffOrigin = "moz-extension://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

func httpDo(t *testing.T, s *testServer, method, path, host string, hdr map[string]string, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+s.Addr()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 5 * time.Second}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// DNS rebinding: a page on evil.example whose name now resolves to
// 127.0.0.1 sends Host: evil.example:PORT. Every route must refuse it.
func TestHostAllowlist(t *testing.T) {
	s := startServer(t, nil)
	port := strconv.Itoa(s.port)
	hosts := []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1:" + port, true},
		{"localhost:" + port, true},
		{"LOCALHOST:" + port, true},
		{"[::1]:" + port, true},
		{"evil.example:" + port, false},
		{"evil.example", false},
		{"127.0.0.1", false},
		{"localhost", false},
		{"127.0.0.1:1", false},
		{"localhost.evil.example:" + port, false},
		{"127.0.0.1.nip.io:" + port, false},
		{"0.0.0.0:" + port, false},
	}
	for _, path := range []string{"/", "/pair", "/api/status", "/api/clients", "/no-such-page", "/ws", "/static/pair/pair.js"} {
		for _, h := range hosts {
			// With the extension's Origin, so /ws is refused only for the Host.
			resp := httpDo(t, s, "GET", path, h.host, map[string]string{"Origin": auth.ChromeOrigin}, "")
			if h.ok && resp.StatusCode == http.StatusForbidden {
				t.Errorf("GET %s Host %s: refused", path, h.host)
			}
			if !h.ok && resp.StatusCode != http.StatusForbidden {
				t.Errorf("GET %s Host %s: status %d, want 403", path, h.host, resp.StatusCode)
			}
		}
	}
	// A state-changing request with a rebound host is refused before CSRF.
	if resp := httpDo(t, s, "POST", "/api/pairing-codes", "evil.example:"+port, nil, ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST with rebound host: %d", resp.StatusCode)
	}
}

func TestWebsocketHandshake(t *testing.T) {
	s := startServer(t, nil)
	port := strconv.Itoa(s.port)
	tests := []struct {
		name   string
		origin string
		host   string
		want   int // HTTP status; 101 = upgraded
	}{
		{"pinned chrome extension", auth.ChromeOrigin, "", 101},
		{"pinned via localhost", auth.ChromeOrigin, "localhost:" + port, 101},
		{"firefox extension (pair only)", ffOrigin, "", 101},
		{"missing origin", "", "", 403},
		{"foreign web page", "https://evil.example", "", 403},
		{"origin equals host", "http://127.0.0.1:" + port, "", 403},
		{"rebound host with origin equal to it", "http://evil.example:" + port, "evil.example:" + port, 403},
		{"rebound host with pinned origin", auth.ChromeOrigin, "evil.example:" + port, 403},
		{"another chrome extension", "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", 403},
		{"null origin", "null", "", 403},
		{"lookalike origin", auth.ChromeOrigin + ".evil.example", "", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, resp, err := s.dial(t, tt.origin, tt.host)
			if tt.want == 101 {
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				cl := &client{t: t, c: c}
				if h := cl.read(); h.Type != "hello" {
					t.Fatalf("first message %q", h.Type)
				}
				return
			}
			if err == nil {
				t.Fatal("handshake succeeded, want refusal")
			}
			if resp == nil || resp.StatusCode != tt.want {
				t.Fatalf("status = %v, want %d", resp, tt.want)
			}
		})
	}
}

func TestWebsocketAuth(t *testing.T) {
	s := startServer(t, func(o *Options) { o.AuthTimeout = 300 * time.Millisecond })

	t.Run("pair then auth with the token", func(t *testing.T) {
		_, token := s.pair(t, auth.ChromeOrigin)
		cl := s.connect(t, auth.ChromeOrigin)
		var ok protocol.AuthOK
		cl.ok("auth", protocol.Auth{Token: token}, &ok)
		if ok.Token != "" || ok.Protocol != 1 || ok.KeepaliveMillis != 20000 || ok.PolicyVersion == "" {
			t.Fatalf("auth.ok = %+v", ok)
		}
		cl.ok("ping", nil, nil)
	})
	t.Run("wrong token", func(t *testing.T) {
		cl := s.connect(t, auth.ChromeOrigin)
		cl.wantError("auth", protocol.Auth{Token: "rgc1.c_abc.AAAA"}, protocol.CodeUnauthorized, "not valid")
		if st := expectClose(t, cl.c); st != websocket.StatusPolicyViolation {
			t.Fatalf("close status %v", st)
		}
	})
	t.Run("reused pairing code", func(t *testing.T) {
		code, _, _ := s.auth.NewPairingCode()
		cl := s.connect(t, auth.ChromeOrigin)
		cl.ok("pair", protocol.Pair{Code: code}, nil)
		cl2 := s.connect(t, auth.ChromeOrigin)
		cl2.wantError("pair", protocol.Pair{Code: code}, protocol.CodeUnauthorized, "already used")
		if st := expectClose(t, cl2.c); st != websocket.StatusPolicyViolation {
			t.Fatalf("close status %v", st)
		}
	})
	t.Run("expired pairing code", func(t *testing.T) {
		code, _, _ := s.auth.NewPairingCode()
		s.auth.Now = func() time.Time { return time.Now().Add(auth.CodeTTL + time.Second) }
		defer func() { s.auth.Now = time.Now }()
		cl := s.connect(t, auth.ChromeOrigin)
		cl.wantError("pair", protocol.Pair{Code: code}, protocol.CodeUnauthorized, "expired")
		expectClose(t, cl.c)
	})
	t.Run("first message is not auth", func(t *testing.T) {
		cl := s.connect(t, auth.ChromeOrigin)
		cl.wantError("templates.list", nil, protocol.CodeAuthRequired, "first message must be an auth or pair")
		if st := expectClose(t, cl.c); st != websocket.StatusPolicyViolation {
			t.Fatalf("close status %v", st)
		}
	})
	t.Run("malformed first message", func(t *testing.T) {
		cl := s.connect(t, auth.ChromeOrigin)
		cl.sendRaw("{nope")
		checkErr(t, cl.read(), protocol.CodeAuthRequired, "bad_json")
		expectClose(t, cl.c)
	})
	t.Run("auth timeout", func(t *testing.T) {
		cl := s.connect(t, auth.ChromeOrigin)
		start := time.Now()
		if st := expectClose(t, cl.c); st != websocket.StatusPolicyViolation {
			t.Fatalf("close status %v", st)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("closed after %v", d)
		}
	})
	t.Run("large message before auth", func(t *testing.T) {
		cl := s.connect(t, auth.ChromeOrigin)
		cl.sendRaw(`{"v":1,"id":"a","type":"auth","payload":{"token":"` + strings.Repeat("x", 8000) + `"}}`)
		// The server closes with unread data in its socket, so a reset may
		// overtake the 1009 close frame; either way the connection is gone.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for {
			_, _, err := cl.c.Read(ctx)
			if err == nil {
				continue
			}
			if st := websocket.CloseStatus(err); st != websocket.StatusMessageTooBig && !strings.Contains(err.Error(), "reset") {
				t.Fatalf("want close 1009 (or a reset), got %v", err)
			}
			break
		}
	})
	t.Run("firefox: unknown install may only pair, token bound to its origin", func(t *testing.T) {
		cl := s.connect(t, ffOrigin)
		_, chromeTok := s.pair(t, auth.ChromeOrigin)
		cl.wantError("auth", protocol.Auth{Token: chromeTok}, protocol.CodeUnauthorized, "not paired")
		ff, ffTok := s.pair(t, ffOrigin)
		ff.ok("ping", nil, nil)
		again := s.connect(t, ffOrigin)
		again.ok("auth", protocol.Auth{Token: ffTok}, nil)
		// The Firefox token is worthless from Chrome's origin.
		ch := s.connect(t, auth.ChromeOrigin)
		ch.wantError("auth", protocol.Auth{Token: ffTok}, protocol.CodeUnauthorized, "another origin")
	})
	t.Run("revoking drops open connections and the token", func(t *testing.T) {
		cl, token := s.pair(t, auth.ChromeOrigin)
		id := strings.Split(token, ".")[1] // rgc1.<client id>.<mac>
		csrf := getCSRF(t, s)
		resp := httpDo(t, s, "DELETE", "/api/clients/"+id, "", map[string]string{"Cookie": csrf.cookie, CSRFHeader: csrf.token}, "")
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		if st := expectClose(t, cl.c); st != websocket.StatusPolicyViolation {
			t.Fatalf("close status %v", st)
		}
		again := s.connect(t, auth.ChromeOrigin)
		again.wantError("auth", protocol.Auth{Token: token}, protocol.CodeUnauthorized, "removed")
	})
}

type csrfPair struct{ cookie, token string }

func getCSRF(t *testing.T, s *testServer) csrfPair {
	t.Helper()
	resp := httpDo(t, s, "GET", "/api/csrf", "", nil, "")
	var ck *http.Cookie
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, "rg_csrf_") {
			ck = c
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
		t.Fatalf("csrf cookie %+v", ck)
	}
	tok := resp.Header.Get(CSRFHeader)
	if tok != ck.Value {
		t.Fatalf("header token %q != cookie %q", tok, ck.Value)
	}
	return csrfPair{cookie: ck.Name + "=" + ck.Value, token: tok}
}

func TestCSRF(t *testing.T) {
	s := startServer(t, nil)
	self := "http://127.0.0.1:" + strconv.Itoa(s.port)
	good := getCSRF(t, s)
	form := url.Values{"_csrf": {good.token}}.Encode()
	forged := csrfPair{cookie: "rg_csrf_" + strconv.Itoa(s.port) + "=AAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA", token: "AAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA"}
	tests := []struct {
		name string
		hdr  map[string]string
		body string
		want int
	}{
		{"same-origin fetch with token", map[string]string{"Cookie": good.cookie, CSRFHeader: good.token, "Origin": self, "Sec-Fetch-Site": "same-origin"}, "", 201},
		{"non-browser client with token", map[string]string{"Cookie": good.cookie, CSRFHeader: good.token}, "", 201},
		{"form post with token field", map[string]string{"Cookie": good.cookie, "Content-Type": "application/x-www-form-urlencoded", "Origin": self}, form, 201},
		{"no token", map[string]string{"Cookie": good.cookie, "Origin": self}, "", 403},
		{"no cookie", map[string]string{CSRFHeader: good.token, "Origin": self}, "", 403},
		{"cross-site form post", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, "x=1", 403},
		{"cross-site with stolen token", map[string]string{"Cookie": good.cookie, CSRFHeader: good.token, "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, "", 403},
		{"same-site other port", map[string]string{"Cookie": good.cookie, CSRFHeader: good.token, "Origin": "http://127.0.0.1:8080", "Sec-Fetch-Site": "same-site"}, "", 403},
		{"foreign origin only", map[string]string{"Cookie": good.cookie, CSRFHeader: good.token, "Origin": "http://localhost:1"}, "", 403},
		{"null origin", map[string]string{"Cookie": good.cookie, CSRFHeader: good.token, "Origin": "null"}, "", 403},
		{"planted unsigned cookie", map[string]string{"Cookie": forged.cookie, CSRFHeader: forged.token, "Origin": self}, "", 403},
		{"mismatched token", map[string]string{"Cookie": good.cookie, CSRFHeader: getCSRF(t, s).token, "Origin": self}, "", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := httpDo(t, s, "POST", "/api/pairing-codes", "", tt.hdr, tt.body)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := startServer(t, nil)
	for _, path := range []string{"/pair", "/api/status", "/no-such-page", "/static/pair/pair.js"} {
		resp := httpDo(t, s, "GET", path, "", nil, "")
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows unsafe code: %q", path, csp)
		}
		for k, v := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", path, k, h.Get(k), v)
			}
		}
	}
	// The pairing page must work under its own CSP: no inline script.
	b, err := staticFS.ReadFile("static/pair.html")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "<script>") || strings.Contains(string(b), "onclick") || strings.Contains(string(b), "style=") {
		t.Fatal("pair.html has inline script or style")
	}
}

func TestListenRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.168.1.10:47615", "example.com:80", "[::]:0"} {
		if ln, err := Listen(addr); err == nil {
			ln.Close()
			t.Errorf("Listen(%q) succeeded", addr)
		}
	}
}
