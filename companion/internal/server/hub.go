package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/labstack/echo/v4"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/protocol"
)

// Read limits. Before authentication a client may send only a small auth or
// pair message; after it, messages up to protocol.MaxFrame are read and
// larger ones (up to hardReadLimit) are discarded with a too_big error while
// the connection stays open. Beyond hardReadLimit the library closes the
// connection with 1009.
const (
	preAuthReadLimit = 4 << 10
	hardReadLimit    = 4 << 20
)

// hub tracks the open websocket connections.
type hub struct {
	s     *Server
	mu    sync.Mutex
	conns map[*conn]struct{}
	wg    sync.WaitGroup
	// closing is set by closeAll: new handshakes are refused.
	closing atomic.Bool
}

func newHub(s *Server) *hub { return &hub{s: s, conns: map[*conn]struct{}{}} }

func (h *hub) add(c *conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing.Load() || len(h.conns) >= h.s.opt.MaxConns {
		return false
	}
	h.conns[c] = struct{}{}
	h.wg.Add(1)
	return true
}

func (h *hub) remove(c *conn) {
	h.mu.Lock()
	_, ok := h.conns[c]
	delete(h.conns, c)
	h.mu.Unlock()
	if ok {
		h.wg.Done()
	}
}

func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.conns)
}

func (h *hub) snapshot() []*conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*conn, 0, len(h.conns))
	for c := range h.conns {
		out = append(out, c)
	}
	return out
}

// broadcast queues msg for every authenticated connection. It never blocks:
// a connection whose queue is full is closed (see conn.enqueue).
func (h *hub) broadcast(msg []byte) {
	for _, c := range h.snapshot() {
		if c.authed.Load() {
			c.enqueue(outMsg{data: msg})
		}
	}
}

func (h *hub) closeAll(code websocket.StatusCode, reason string) {
	h.closing.Store(true)
	for _, c := range h.snapshot() {
		c.closeWith(code, reason)
	}
}

// wait blocks until every connection has ended or ctx is done; then it
// drops whatever is left.
func (h *hub) wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		for _, c := range h.snapshot() {
			c.ws.CloseNow()
		}
	}
}

// dropClient closes every connection authenticated as clientID (after the
// client was revoked on the local page).
func (h *hub) dropClient(clientID string) {
	for _, c := range h.snapshot() {
		if id, _ := c.clientID.Load().(string); id == clientID {
			c.closeWith(websocket.StatusPolicyViolation, "pairing removed")
		}
	}
}

type outMsg struct {
	data  []byte
	close *closeReq
}

type closeReq struct {
	code   websocket.StatusCode
	reason string
}

// conn is one websocket connection.
type conn struct {
	s        *Server
	ws       *websocket.Conn
	origin   string
	pairOnly bool
	send     chan outMsg
	done     chan struct{} // closed when the connection is finished
	doneOnce sync.Once
	authed   atomic.Bool
	clientID atomic.Value // string
	closing  atomic.Bool
}

// handleWS upgrades /ws after checking the Origin. The Host was checked by
// the Pre middleware.
func (s *Server) handleWS(c echo.Context) error {
	r := c.Request()
	origin := r.Header.Get("Origin")
	decision := s.opt.Auth.CheckOrigin(origin)
	if decision == auth.OriginRefused {
		if origin == "" {
			return echo.NewHTTPError(http.StatusForbidden, "websocket refused: missing Origin header")
		}
		return echo.NewHTTPError(http.StatusForbidden, "websocket refused: origin "+origin+" is not the ReplyGuard extension")
	}
	cn := &conn{
		s:        s,
		origin:   origin,
		pairOnly: decision == auth.OriginPairOnly,
		send:     make(chan outMsg, s.opt.SendQueue),
		done:     make(chan struct{}),
	}
	if !s.hub.add(cn) {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "too many connections")
	}
	defer s.hub.remove(cn)
	// The Origin is already pinned above; passing it on keeps the library's
	// own check as a second line.
	ws, err := websocket.Accept(c.Response(), r, &websocket.AcceptOptions{
		OriginPatterns:  []string{origin},
		CompressionMode: websocket.CompressionDisabled,
	})
	if err != nil {
		return nil // Accept wrote the HTTP error
	}
	cn.ws = ws
	cn.run()
	return nil
}

func (c *conn) finish() { c.doneOnce.Do(func() { close(c.done) }) }

// enqueue queues a message without blocking. A full queue means the client
// stopped reading: it is disconnected so that it cannot hold memory or slow
// the others.
func (c *conn) enqueue(m outMsg) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.send <- m:
		return true
	default:
		c.s.opt.Logger.Warn("websocket send queue full, closing", "origin", c.origin)
		c.finish()
		go c.ws.Close(websocket.StatusTryAgainLater, "send queue full")
		return false
	}
}

// closeWith sends the queued messages, then a close frame.
func (c *conn) closeWith(code websocket.StatusCode, reason string) {
	if c.closing.Swap(true) {
		return
	}
	if !c.enqueue(outMsg{close: &closeReq{code, reason}}) {
		c.ws.CloseNow()
	}
}

func (c *conn) reply(r protocol.Reply) {
	b, err := json.Marshal(r)
	if err != nil {
		c.s.opt.Logger.Error("marshal reply", "type", r.Type, "err", err)
		b, _ = json.Marshal(protocol.ErrReply(r.Re, protocol.Errorf(protocol.CodeInternal, "could not encode the reply")))
	}
	c.enqueue(outMsg{data: b})
}

func pushMsg(typ string, payload any) []byte {
	b, _ := json.Marshal(protocol.Push(typ, payload))
	return b
}

// writer sends queued messages, keepalives and pings until the connection
// ends. It is the only goroutine that writes data frames.
func (c *conn) writer() {
	opt := &c.s.opt
	tick := time.NewTicker(opt.KeepaliveInterval)
	defer tick.Stop()
	for {
		select {
		case <-c.done:
			return
		case m := <-c.send:
			if m.close != nil {
				c.ws.Close(m.close.code, m.close.reason)
				c.finish()
				return
			}
			ctx, cancel := context.WithTimeout(c.s.baseCtx, opt.WriteTimeout)
			err := c.ws.Write(ctx, websocket.MessageText, m.data)
			cancel()
			if err != nil {
				c.ws.CloseNow()
				c.finish()
				return
			}
		case <-tick.C:
			if !c.authed.Load() {
				continue
			}
			// A data message keeps an MV3 service worker awake; the ping
			// finds peers that vanished without closing.
			c.enqueue(outMsg{data: pushMsg(protocol.PushKeepalive, protocol.Keepalive{Time: opt.Now().UTC()})})
			go func() {
				ctx, cancel := context.WithTimeout(c.s.baseCtx, opt.PingTimeout)
				defer cancel()
				if err := c.ws.Ping(ctx); err != nil && !errors.Is(err, context.Canceled) {
					c.ws.CloseNow()
				}
			}()
		}
	}
}

// run serves one connection: hello, authentication, then requests in order.
func (c *conn) run() {
	defer c.finish()
	defer c.ws.CloseNow()
	go c.writer()
	opt := &c.s.opt
	c.ws.SetReadLimit(preAuthReadLimit)
	c.enqueue(outMsg{data: pushMsg(protocol.PushHello, protocol.Hello{
		Protocol: protocol.Version, ServerVersion: opt.Version, AuthTimeoutMS: int(opt.AuthTimeout / time.Millisecond),
	})})
	authTimer := time.AfterFunc(opt.AuthTimeout, func() {
		if !c.authed.Load() {
			c.closeWith(websocket.StatusPolicyViolation, "authentication timeout")
		}
	})
	defer authTimer.Stop()

	ctx := c.s.baseCtx
	buf := make([]byte, 0, 4096)
	for {
		typ, rd, err := c.ws.Reader(ctx)
		if err != nil {
			return
		}
		data, tooBig, err := readCapped(rd, buf[:0], protocol.MaxFrame)
		if err != nil {
			return // the connection failed or hit the hard limit
		}
		if cap(data) <= 64<<10 {
			buf = data // reuse small buffers; let big ones go
		}
		if !c.authed.Load() {
			if !c.authenticate(typ, data, tooBig) {
				return
			}
			authTimer.Stop()
			c.ws.SetReadLimit(hardReadLimit)
			continue
		}
		switch {
		case typ != websocket.MessageText:
			c.reply(protocol.ErrReply("", protocol.Errorf(protocol.CodeBinary, "binary messages are not part of the protocol; send JSON text")))
			continue
		case tooBig:
			c.reply(protocol.ErrReply("", protocol.Errorf(protocol.CodeTooBig, "message is larger than %d bytes and was discarded", protocol.MaxFrame)))
			continue
		}
		req, perr := protocol.ParseRequest(data)
		if perr != nil {
			c.reply(protocol.ErrReply(req.ID, perr))
			continue
		}
		c.reply(c.s.dispatch(c, req))
	}
}

// readCapped reads a message into buf, keeping at most limit bytes; the rest
// is drained so the connection can read the next message.
func readCapped(r io.Reader, buf []byte, limit int) ([]byte, bool, error) {
	for {
		if len(buf) == cap(buf) {
			if len(buf) > limit {
				_, err := io.Copy(io.Discard, r)
				return buf[:0], true, err
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if len(buf) > limit {
				return buf[:0], true, nil
			}
			return buf, false, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
}

// authenticate handles the first message. It returns false when the
// connection must end; the error reply and close frame are already queued.
func (c *conn) authenticate(typ websocket.MessageType, data []byte, tooBig bool) bool {
	fail := func(re string, e *protocol.Error) bool {
		c.reply(protocol.ErrReply(re, e))
		c.closeWith(websocket.StatusPolicyViolation, e.Code)
		<-c.done // the writer flushes the error, then closes
		return false
	}
	if typ != websocket.MessageText || tooBig {
		return fail("", protocol.Errorf(protocol.CodeAuthRequired, "the first message must be an auth or pair request"))
	}
	req, perr := protocol.ParseRequest(data)
	if perr != nil {
		return fail(req.ID, protocol.Errorf(protocol.CodeAuthRequired, "the first message must be an auth or pair request (%s: %s)", perr.Code, perr.Message))
	}
	opt := &c.s.opt
	ok := protocol.AuthOK{
		Protocol: protocol.Version, ServerVersion: opt.Version,
		KeepaliveMillis: int(opt.KeepaliveInterval / time.Millisecond),
	}
	if opt.Policy != nil {
		ok.PolicyVersion = opt.Policy.Version()
	}
	switch req.Type {
	case protocol.TypeAuth:
		p, e := protocol.DecodePayload[protocol.Auth](req)
		if e != nil {
			return fail(req.ID, e)
		}
		if c.pairOnly {
			return fail(req.ID, protocol.Errorf(protocol.CodeUnauthorized, "this browser is not paired yet: send a pair request with the code shown on the local page"))
		}
		cl, err := opt.Auth.Authenticate(p.Token, c.origin)
		if err != nil {
			return fail(req.ID, protocol.Errorf(protocol.CodeUnauthorized, "%v", err))
		}
		ok.ClientID = cl.ID
	case protocol.TypePair:
		p, e := protocol.DecodePayload[protocol.Pair](req)
		if e != nil {
			return fail(req.ID, e)
		}
		cl, token, err := opt.Auth.Pair(p.Code, p.Name, c.origin)
		if err != nil {
			return fail(req.ID, protocol.Errorf(protocol.CodeUnauthorized, "%v", err))
		}
		ok.ClientID, ok.Token = cl.ID, token
		opt.Logger.Info("paired a browser", "client", cl.ID, "origin", c.origin)
	default:
		return fail(req.ID, protocol.Errorf(protocol.CodeAuthRequired, "the first message must be an auth or pair request, not %q", req.Type))
	}
	c.clientID.Store(ok.ClientID)
	c.authed.Store(true)
	c.reply(protocol.OK(req.ID, req.Type, ok))
	return true
}
