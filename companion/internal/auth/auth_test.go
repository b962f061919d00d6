package auth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const ffOrigin = "moz-extension://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func open(t *testing.T, dir string) (*Manager, *clock) {
	t.Helper()
	m, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)}
	m.Now = c.now
	return m, c
}

func TestSecretFile(t *testing.T) {
	dir := t.TempDir()
	m1, _ := open(t, dir)
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("install.key mode = %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(filepath.Join(dir, KeyFile))
	if got := len(strings.TrimSpace(string(b))); got != 64 {
		t.Fatalf("secret is %d hex chars, want 64 (256 bits)", got)
	}
	code, _, _ := m1.NewPairingCode()
	_, tok, err := m1.Pair(code, "chrome", ChromeOrigin)
	if err != nil {
		t.Fatal(err)
	}
	// A restart keeps the secret and the clients: the token still works.
	m2, _ := open(t, dir)
	if _, err := m2.Authenticate(tok, ChromeOrigin); err != nil {
		t.Fatalf("token after restart: %v", err)
	}
	// A loosened key file is tightened again.
	os.Chmod(filepath.Join(dir, KeyFile), 0o644)
	open(t, dir)
	fi, _ = os.Stat(filepath.Join(dir, KeyFile))
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("loosened key not tightened: %v", fi.Mode().Perm())
	}
	// A corrupt key is an error, never silently replaced.
	os.WriteFile(filepath.Join(dir, KeyFile), []byte("zz\n"), 0o600)
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("corrupt key: err = %v", err)
	}
	os.WriteFile(filepath.Join(dir, ClientsFile), []byte("{"), 0o600)
	os.Remove(filepath.Join(dir, KeyFile))
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "clients.json is corrupt") {
		t.Fatalf("corrupt clients: err = %v", err)
	}
}

func TestPairing(t *testing.T) {
	m, clk := open(t, t.TempDir())
	code, exp, err := m.NewPairingCode()
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 9 || code[4] != '-' {
		t.Fatalf("code %q is not XXXX-XXXX", code)
	}
	if exp.Sub(clk.t) != CodeTTL {
		t.Fatalf("expiry %v", exp)
	}
	// Lower case without the dash is the same code.
	c, tok, err := m.Pair(strings.ToLower(strings.ReplaceAll(code, "-", "")), "laptop", ChromeOrigin)
	if err != nil {
		t.Fatalf("pair: %v", err)
	}
	if c.Name != "laptop" || c.Origin != ChromeOrigin {
		t.Fatalf("client %+v", c)
	}
	if got, err := m.Authenticate(tok, ChromeOrigin); err != nil || got.ID != c.ID {
		t.Fatalf("authenticate: %v %+v", err, got)
	}
	// Single use.
	if _, _, err := m.Pair(code, "again", ChromeOrigin); !errors.Is(err, ErrCodeUsed) {
		t.Fatalf("reused code: %v", err)
	}
	// Expiry.
	code2, _, _ := m.NewPairingCode()
	clk.t = clk.t.Add(CodeTTL)
	if _, _, err := m.Pair(code2, "", ChromeOrigin); !errors.Is(err, ErrCodeExpired) {
		t.Fatalf("expired code: %v", err)
	}
	// Wrong code.
	if _, _, err := m.Pair("0000-0000", "", ChromeOrigin); !errors.Is(err, ErrBadCode) {
		t.Fatalf("wrong code: %v", err)
	}
}

func TestPairingBruteForceVoidsCodes(t *testing.T) {
	m, _ := open(t, t.TempDir())
	code, _, _ := m.NewPairingCode()
	for i := 0; i < maxCodeFailures; i++ {
		if _, _, err := m.Pair("ZZZZ-ZZZ"+string(codeAlphabet[i]), "", ChromeOrigin); !errors.Is(err, ErrBadCode) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if _, _, err := m.Pair(code, "", ChromeOrigin); err == nil {
		t.Fatal("the real code still worked after a guessing run")
	}
}

func TestTokens(t *testing.T) {
	m, _ := open(t, t.TempDir())
	pair := func(origin string) (Client, string) {
		code, _, _ := m.NewPairingCode()
		c, tok, err := m.Pair(code, "x", origin)
		if err != nil {
			t.Fatal(err)
		}
		return c, tok
	}
	_, chromeTok := pair(ChromeOrigin)
	ff, ffTok := pair(ffOrigin)

	other, _ := open(t, t.TempDir()) // another install: another secret
	tests := []struct {
		name   string
		m      *Manager
		token  string
		origin string
		want   error
	}{
		{"chrome ok", m, chromeTok, ChromeOrigin, nil},
		{"firefox ok", m, ffTok, ffOrigin, nil},
		{"chrome token from firefox", m, chromeTok, ffOrigin, ErrOriginMismatch},
		{"firefox token from another firefox", m, ffTok, "moz-extension://00000000-0000-4000-8000-000000000000", ErrOriginMismatch},
		{"other install", other, chromeTok, ChromeOrigin, ErrRevoked},
		{"empty", m, "", ChromeOrigin, ErrBadToken},
		{"no prefix", m, strings.TrimPrefix(chromeTok, tokenPrefix), ChromeOrigin, ErrBadToken},
		{"tampered signature", m, chromeTok[:len(chromeTok)-2] + "AA", ChromeOrigin, ErrBadToken},
		{"tampered id", m, strings.Replace(chromeTok, "c_", "c_x", 1), ChromeOrigin, ErrBadToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.m.Authenticate(tt.token, tt.origin)
			if tt.name == "other install" {
				// Another secret: the HMAC fails before the client lookup.
				if !errors.Is(err, ErrBadToken) {
					t.Fatalf("err = %v, want %v", err, ErrBadToken)
				}
				return
			}
			if !errors.Is(err, tt.want) && !(err == nil && tt.want == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if err := m.Revoke(ff.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Authenticate(ffTok, ffOrigin); !errors.Is(err, ErrRevoked) {
		t.Fatalf("revoked token: %v", err)
	}
	if got := len(m.Clients()); got != 1 {
		t.Fatalf("%d clients after revoke", got)
	}
}

func TestCheckOrigin(t *testing.T) {
	m, _ := open(t, t.TempDir())
	tests := []struct {
		origin string
		want   OriginDecision
	}{
		{ChromeOrigin, OriginAllowed},
		{"", OriginRefused},
		{"null", OriginRefused},
		{"http://127.0.0.1:47615", OriginRefused},
		{"https://evil.example", OriginRefused},
		{"chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", OriginRefused},
		{ChromeOrigin + ".evil.example", OriginRefused},
		{ffOrigin, OriginPairOnly},
		{"moz-extension://not-a-uuid", OriginRefused},
		{"moz-extension://0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D", OriginRefused},
	}
	for _, tt := range tests {
		if got := m.CheckOrigin(tt.origin); got != tt.want {
			t.Errorf("CheckOrigin(%q) = %v, want %v", tt.origin, got, tt.want)
		}
	}
	code, _, _ := m.NewPairingCode()
	if _, _, err := m.Pair(code, "", ffOrigin); err != nil {
		t.Fatal(err)
	}
	if got := m.CheckOrigin(ffOrigin); got != OriginAllowed {
		t.Fatalf("paired firefox origin = %v", got)
	}
	if _, _, err := m.Pair(code, "", "https://evil.example"); !errors.Is(err, ErrOrigin) {
		t.Fatalf("pair from web origin: %v", err)
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{"ab12-cd34": "AB12CD34", " o1l i ": "0111", "K7QM-3TXD": "K7QM3TXD"} {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}
