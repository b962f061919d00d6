// Package auth decides who may talk to the companion: the per-install
// secret, one-time pairing codes, paired clients and their tokens, and the
// websocket Origin policy.
//
// The model follows Syncthing and Jupyter: a local port is reachable by every
// web page the seller opens (DNS rebinding, cross-site requests), so nothing is
// trusted for being local. A browser extension proves itself twice: by its
// Origin, which web pages cannot forge, and by a token it received once by
// pairing with a code the seller read on the local page.
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// ChromeExtensionID is fixed by the "key" in extension/manifest.json (see
// extension/EXTENSION_ID).
const ChromeExtensionID = "lfafmbajngejkaeajgpmadbfoaoldpgk"

// ChromeOrigin is the Origin Chrome sends on the extension's websocket.
const ChromeOrigin = "chrome-extension://" + ChromeExtensionID

// File names inside the data directory.
const (
	KeyFile     = "install.key"  // 256-bit install secret, hex, mode 0600
	ClientsFile = "clients.json" // paired clients, mode 0600
)

// Pairing code parameters.
const (
	CodeTTL         = 5 * time.Minute
	codeLen         = 8
	maxOpenCodes    = 5
	maxCodeFailures = 10
	tokenPrefix     = "rgc1."
)

// Errors returned by Pair and Authenticate. They are safe to show a client.
var (
	ErrBadToken       = errors.New("token is not valid for this companion")
	ErrRevoked        = errors.New("this browser's pairing was removed; pair again")
	ErrOriginMismatch = errors.New("token was paired from another origin")
	ErrBadCode        = errors.New("pairing code is wrong")
	ErrCodeExpired    = errors.New("pairing code expired; show a new one on the local page")
	ErrCodeUsed       = errors.New("pairing code was already used; show a new one on the local page")
	ErrOrigin         = errors.New("origin not allowed")
)

// Client is a paired browser.
type Client struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Origin  string    `json:"origin"`
	Created time.Time `json:"created"`
}

type code struct {
	norm    string
	expires time.Time
	used    bool
}

// Manager holds the install secret, the paired clients and the pairing codes.
// It is safe for concurrent use.
type Manager struct {
	dir    string
	secret []byte
	// Now is the clock; tests replace it.
	Now func() time.Time

	mu       sync.Mutex
	clients  map[string]Client
	codes    []*code
	failures int
}

// Open loads the install secret and paired clients from dir, creating the
// secret on first run.
func Open(dir string) (*Manager, error) {
	secret, err := loadOrCreateSecret(filepath.Join(dir, KeyFile))
	if err != nil {
		return nil, err
	}
	m := &Manager{dir: dir, secret: secret, Now: time.Now, clients: map[string]Client{}}
	b, err := os.ReadFile(filepath.Join(dir, ClientsFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("auth: read paired clients: %w", err)
	default:
		var list []Client
		if err := json.Unmarshal(b, &list); err != nil {
			return nil, fmt.Errorf("auth: %s is corrupt (%v); delete it and pair your browsers again", filepath.Join(dir, ClientsFile), err)
		}
		for _, c := range list {
			m.clients[c.ID] = c
		}
	}
	return m, nil
}

func loadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		secret, derr := hex.DecodeString(strings.TrimSpace(string(b)))
		if derr != nil || len(secret) != 32 {
			return nil, fmt.Errorf("auth: %s is corrupt; delete it to create a new one (every paired browser must then pair again)", path)
		}
		// Tighten a secret someone loosened: it is the root of every token.
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(path, 0o600); err != nil {
				return nil, fmt.Errorf("auth: %s is readable by others and chmod failed: %w", path, err)
			}
		}
		return secret, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("auth: read install secret: %w", err)
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("auth: generate install secret: %w", err)
	}
	if err := writeFileAtomic(path, []byte(hex.EncodeToString(secret)+"\n")); err != nil {
		return nil, fmt.Errorf("auth: write install secret: %w", err)
	}
	return secret, nil
}

// writeFileAtomic writes data to path with mode 0600 via a synced temporary
// file and a rename, so a crash leaves the old or the new file, never half.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// ---- origins ----

// OriginDecision is the handshake verdict for an Origin header.
type OriginDecision int

const (
	OriginRefused  OriginDecision = iota
	OriginAllowed                 // a known extension origin
	OriginPairOnly                // an unknown Firefox install: may only pair
)

// CheckOrigin decides whether a websocket handshake with this Origin header
// may proceed. A missing Origin is refused: every browser sends one on
// websockets, and only non-browser clients (or attackers' tools) omit it.
func (m *Manager) CheckOrigin(origin string) OriginDecision {
	if origin == ChromeOrigin {
		return OriginAllowed
	}
	if !IsFirefoxOrigin(origin) {
		return OriginRefused
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.clients {
		if c.Origin == origin {
			return OriginAllowed
		}
	}
	return OriginPairOnly
}

// IsFirefoxOrigin reports whether o is moz-extension://<uuid>.
func IsFirefoxOrigin(o string) bool {
	id, ok := strings.CutPrefix(o, "moz-extension://")
	if !ok || len(id) != 36 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		default:
			return false
		}
	}
	return true
}

// ---- pairing ----

// Crockford's base32 alphabet: no I, L, O, U, so a code read aloud or typed
// from a screen is hard to get wrong.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewPairingCode makes a one-time code, valid for CodeTTL, formatted for
// display as XXXX-XXXX.
func (m *Manager) NewPairingCode() (display string, expires time.Time, err error) {
	raw := make([]byte, codeLen)
	if _, err := rand.Read(raw); err != nil {
		return "", time.Time{}, fmt.Errorf("auth: pairing code: %w", err)
	}
	for i, b := range raw {
		raw[i] = codeAlphabet[b&31] // 32 divides 256: uniform
	}
	norm := string(raw)
	now := m.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pruneLocked(now)
	if len(m.codes) >= maxOpenCodes {
		m.codes = m.codes[1:]
	}
	c := &code{norm: norm, expires: now.Add(CodeTTL)}
	m.codes = append(m.codes, c)
	return norm[:4] + "-" + norm[4:], c.expires, nil
}

// pruneLocked forgets codes that expired long enough ago that reporting
// "expired" instead of "wrong" no longer helps anyone.
func (m *Manager) pruneLocked(now time.Time) {
	m.codes = slices.DeleteFunc(m.codes, func(c *code) bool { return now.Sub(c.expires) > time.Hour })
}

// NormalizeCode uppercases, drops separators and maps the letters Crockford
// base32 treats as digits.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case '-', ' ', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Pair consumes a pairing code and registers a new client for origin,
// returning its token. origin must already have passed CheckOrigin.
func (m *Manager) Pair(displayCode, name, origin string) (Client, string, error) {
	if m.CheckOrigin(origin) == OriginRefused {
		return Client{}, "", ErrOrigin
	}
	norm := NormalizeCode(displayCode)
	now := m.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	var found *code
	for _, c := range m.codes {
		// Constant-time over the few open codes: the comparison must not
		// leak how many leading characters matched.
		if subtle.ConstantTimeCompare([]byte(c.norm), []byte(norm)) == 1 {
			found = c
		}
	}
	switch {
	case found == nil:
		m.failures++
		if m.failures >= maxCodeFailures {
			// Someone is guessing: void every open code.
			for _, c := range m.codes {
				c.used = true
			}
			m.failures = 0
		}
		return Client{}, "", ErrBadCode
	case found.used:
		return Client{}, "", ErrCodeUsed
	case !now.Before(found.expires):
		return Client{}, "", ErrCodeExpired
	}
	found.used = true
	id, err := newClientID()
	if err != nil {
		return Client{}, "", err
	}
	if name == "" {
		name = "browser"
	}
	c := Client{ID: id, Name: name, Origin: origin, Created: now.UTC()}
	m.clients[id] = c
	if err := m.saveLocked(); err != nil {
		delete(m.clients, id)
		found.used = false
		return Client{}, "", err
	}
	return c, m.token(id), nil
}

func newClientID() (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: client id: %w", err)
	}
	return "c_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

func (m *Manager) token(clientID string) string {
	return tokenPrefix + clientID + "." + base64.RawURLEncoding.EncodeToString(m.mac(clientID))
}

func (m *Manager) mac(clientID string) []byte {
	h := hmac.New(sha256.New, m.secret)
	h.Write([]byte("replyguard client token v1\x00" + clientID))
	return h.Sum(nil)
}

// Authenticate checks a client token presented from origin.
func (m *Manager) Authenticate(token, origin string) (Client, error) {
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return Client{}, ErrBadToken
	}
	id, sig, ok := strings.Cut(rest, ".")
	if !ok {
		return Client{}, ErrBadToken
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, m.mac(id)) {
		return Client{}, ErrBadToken
	}
	m.mu.Lock()
	c, ok := m.clients[id]
	m.mu.Unlock()
	if !ok {
		return Client{}, ErrRevoked
	}
	if c.Origin != origin {
		return Client{}, ErrOriginMismatch
	}
	return c, nil
}

// Clients lists paired clients, oldest first.
func (m *Manager) Clients() []Client {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Client, 0, len(m.clients))
	for _, c := range m.clients {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Client) int { return a.Created.Compare(b.Created) })
	return out
}

// Revoke removes a paired client; its token stops working at once for new
// connections (the server also drops its open ones).
func (m *Manager) Revoke(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.clients[id]
	if !ok {
		return fmt.Errorf("auth: no paired client %q", id)
	}
	delete(m.clients, id)
	if err := m.saveLocked(); err != nil {
		m.clients[id] = c
		return err
	}
	return nil
}

func (m *Manager) saveLocked() error {
	list := make([]Client, 0, len(m.clients))
	for _, c := range m.clients {
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b Client) int { return strings.Compare(a.ID, b.ID) })
	b, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(m.dir, ClientsFile), b); err != nil {
		return fmt.Errorf("auth: save paired clients: %w", err)
	}
	return nil
}

// Sign returns an HMAC of data under the install secret, domain-separated
// by purpose. The server uses it for CSRF tokens so that a cookie planted by
// another service on 127.0.0.1 (cookies ignore ports) is not a valid token.
func (m *Manager) Sign(purpose string, data []byte) []byte {
	h := hmac.New(sha256.New, m.secret)
	h.Write([]byte("replyguard " + purpose + "\x00"))
	h.Write(data)
	return h.Sum(nil)
}
