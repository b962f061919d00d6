// Package server is the companion's HTTP face: an Echo v4 server bound to
// loopback that serves the websocket for the extension (/ws), a small JSON
// API for the local page, and mounts the local web page.
//
// Every route sits behind a Host allowlist (DNS rebinding), security headers
// (strict CSP, no framing) and CSRF checks for state-changing requests. The
// websocket additionally pins the Origin to the extension and requires a
// token in the first message (see docs/protocol.md).
//
// Echo stays at the edge: handlers for the websocket protocol do not see it,
// so a later move to Echo v5 touches server.go, security.go and web.go only.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/labstack/echo/v4"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/protocol"
	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/policy"
)

// DefaultPort is where `replyguard serve` listens unless told otherwise.
// The extension tries it first.
const DefaultPort = 47615

// Store is what the server needs from the data store (*store.Store).
type Store interface {
	ListTemplates() ([]store.Template, error)
	GetTemplate(id string) (store.Template, error)
	RecordReply(r store.Reply) (store.Reply, error)
	GetReply(id string) (store.Reply, error)
	RecordBuyerMessage(m store.BuyerMessage) (store.BuyerMessage, store.Deadline, error)
	GetBuyerMessage(id string) (store.BuyerMessage, error)
	ListDeadlines(f store.DeadlineFilter) ([]store.Deadline, error)
	GetDeadline(id string) (store.Deadline, error)
	ResolveDeadline(id string, res store.Resolution, at time.Time) (store.Deadline, error)
}

// ErrUnavailable, wrapped in a Policy error, means the engine is not
// running (yet): the client gets an "unavailable" error and retries.
var ErrUnavailable = errors.New("unavailable")

// Policy is the policy engine as run by the companion (policyhost under
// wazero).
type Policy interface {
	Lint(ctx context.Context, text string, pc policy.Context) ([]policy.Finding, error)
	Classify(ctx context.Context, text string) (policy.Classification, error)
	Version() string
}

// RenderFunc fills a stored template's placeholders. It is provided by the
// caller (the templates package) so this package does not parse templates.
type RenderFunc func(t store.Template, vars map[string]string, now time.Time) (Rendered, error)

// Rendered is the result of a RenderFunc.
type Rendered struct {
	Text     string
	Unfilled []RenderedSlot
	// Problems names missing or mistyped values; the text is still usable
	// (with markers) when only values are missing.
	Problems []string
}

// RenderedSlot is a placeholder left as a marker in Rendered.Text.
type RenderedSlot struct {
	Name, Label string
	Start, End  int
}

// Options configure a Server. Auth is required; a nil Store or Policy makes
// the requests that need them answer "unavailable".
type Options struct {
	Auth   *auth.Manager
	Store  Store
	Policy Policy
	Render RenderFunc
	// Version is the companion's version, reported to clients.
	Version string
	// Web mounts the local web page (issue 6). It receives the Echo
	// instance after the server's own routes; every route it adds is
	// already behind the Host check, the security headers and CSRF
	// protection (see security.go). The page must not use inline scripts
	// or styles (the CSP forbids them).
	Web func(e *echo.Echo)
	// DeadlinesChanged is called after a request added or resolved a
	// deadline (wire it to the scheduler's Wake).
	DeadlinesChanged func()
	// Logger receives connection and error logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Protocol tunables; zero means the documented default.
	AuthTimeout       time.Duration // 5 s
	KeepaliveInterval time.Duration // 20 s
	PingTimeout       time.Duration // 15 s
	WriteTimeout      time.Duration // 10 s
	RequestTimeout    time.Duration // 10 s
	SendQueue         int           // 256 messages per connection
	MaxConns          int           // 256
}

func (o *Options) defaults() {
	if o.Version == "" {
		o.Version = "0.1.0"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.DeadlinesChanged == nil {
		o.DeadlinesChanged = func() {}
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.AuthTimeout, 5*time.Second)
	def(&o.KeepaliveInterval, 20*time.Second)
	def(&o.PingTimeout, 15*time.Second)
	def(&o.WriteTimeout, 10*time.Second)
	def(&o.RequestTimeout, 10*time.Second)
	if o.SendQueue <= 0 {
		o.SendQueue = 256
	}
	if o.MaxConns <= 0 {
		o.MaxConns = 256
	}
}

// Server is one running companion server.
type Server struct {
	opt   Options
	e     *echo.Echo
	hs    *http.Server
	ln    net.Listener
	port  int
	hosts map[string]bool
	hub   *hub

	baseCtx context.Context
	cancel  context.CancelFunc

	replyLocks keyedMutex
}

// New prepares a server on ln, which must be a loopback TCP listener (use
// Listen). Call Serve to start answering.
func New(ln net.Listener, opt Options) (*Server, error) {
	if opt.Auth == nil {
		return nil, errors.New("server: Options.Auth is required")
	}
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !tcp.IP.IsLoopback() {
		return nil, fmt.Errorf("server: refusing to serve on %v: only loopback addresses are allowed", ln.Addr())
	}
	opt.defaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opt:     opt,
		ln:      ln,
		port:    tcp.Port,
		hosts:   allowedHosts(tcp.Port),
		baseCtx: ctx,
		cancel:  cancel,
	}
	s.hub = newHub(s)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.httpError
	e.Pre(s.hostCheck)
	e.Use(securityHeaders, s.recoverer, s.csrf)
	e.GET("/ws", s.handleWS)
	s.webRoutes(e)
	if opt.Web != nil {
		opt.Web(e)
	}
	s.e = e
	s.hs = &http.Server{
		Handler:           e,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	return s, nil
}

// Listen opens a loopback TCP listener on addr, refusing anything that is
// not a loopback address ("127.0.0.1:PORT", "[::1]:PORT", "localhost:PORT").
func Listen(addr string) (net.Listener, error) {
	if !IsLoopback(addr) {
		return nil, fmt.Errorf("refusing to listen on %q: only loopback addresses (127.0.0.1:PORT, [::1]:PORT) are allowed", addr)
	}
	host, port, _ := net.SplitHostPort(addr)
	if host == "localhost" {
		addr = net.JoinHostPort("127.0.0.1", port) // never let a resolver pick
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// Addr is the listening address, e.g. 127.0.0.1:47615.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the local page's address.
func (s *Server) URL() string { return "http://" + s.Addr() + "/" }

// Serve answers requests until Shutdown. It returns nil after Shutdown.
func (s *Server) Serve() error {
	err := s.hs.Serve(s.ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown closes every websocket with "going away", then stops the HTTP
// server, waiting for in-flight requests until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.hub.closeAll(websocket.StatusGoingAway, "companion shutting down")
	err := s.hs.Shutdown(ctx)
	s.hub.wait(ctx)
	s.cancel()
	return err
}

// Clients is the number of open websocket connections.
func (s *Server) Clients() int { return s.hub.count() }

// PushDeadlineEvent tells every authenticated client about a scheduler
// event: "due-soon-*" becomes deadline.due_soon, "overdue" and "missed"
// deadline.overdue, "opened" deadline.opened. Wire it to the deadline
// scheduler's Notify.
func (s *Server) PushDeadlineEvent(event string, d store.Deadline) {
	typ := protocol.PushDeadlineOverdue
	switch {
	case strings.HasPrefix(event, "due-soon"):
		typ = protocol.PushDeadlineDueSoon
	case event == "opened":
		typ = protocol.PushDeadlineOpened
	}
	s.hub.broadcast(pushMsg(typ, protocol.DeadlineEvent{Event: event, Deadline: toDeadline(d)}))
}

// PushTemplatesChanged tells clients to refetch templates.
func (s *Server) PushTemplatesChanged(ids []string) {
	s.hub.broadcast(pushMsg(protocol.PushTemplatesChanged, protocol.TemplatesChanged{IDs: ids}))
}

func (s *Server) httpError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msg := http.StatusInternalServerError, "internal error"
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code = he.Code
		if m, ok := he.Message.(string); ok {
			msg = m
		} else {
			msg = http.StatusText(code)
		}
	} else {
		s.opt.Logger.Error("http handler", "path", c.Path(), "err", err)
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(code)
		return
	}
	c.JSON(code, map[string]string{"error": msg})
}

func (s *Server) recoverer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.opt.Logger.Error("panic in handler", "path", c.Path(), "panic", r)
				err = echo.NewHTTPError(http.StatusInternalServerError, "internal error")
			}
		}()
		return next(c)
	}
}

// keyedMutex serialises work per key (e.g. one reply_id at a time) without
// one lock for everything.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedEntry{}
	}
	e := k.locks[key]
	if e == nil {
		e = &keyedEntry{}
		k.locks[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
