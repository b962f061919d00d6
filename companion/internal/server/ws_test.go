package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/protocol"
	"github.com/replyguard/replyguard/companion/internal/store"
)

const orderID = "113-1234567-7654321"

// Bad input gets an error reply naming the problem and the connection
// stays usable.
func TestBadMessagesKeepConnection(t *testing.T) {
	s := startServer(t, nil)
	cl := s.authed(t)
	tests := []struct {
		name string
		send func()
		code string
		msg  string
		re   string
	}{
		{"malformed JSON", func() { cl.sendRaw(`{"v":1,"id":"m1","type":`) }, protocol.CodeBadJSON, "malformed JSON", ""},
		{"wrong field type keeps id", func() { cl.sendRaw(`{"v":"1","id":"m2","type":"ping"}`) }, protocol.CodeBadJSON, `"v"`, "m2"},
		{"not an object", func() { cl.sendRaw(`"hello"`) }, protocol.CodeBadJSON, "JSON object", ""},
		{"invalid UTF-8", func() { cl.sendRaw("{\"v\":1,\"id\":\"m3\",\"type\":\"lint\",\"payload\":{\"text\":\"\xff\xfe\"}}") }, protocol.CodeBadUTF8, "UTF-8", ""},
		{"unknown type", func() { cl.sendRaw(`{"v":1,"id":"m4","type":"templates.delete"}`) }, protocol.CodeUnknownType, `"templates.delete"`, "m4"},
		{"wrong version", func() { cl.sendRaw(`{"v":2,"id":"m5","type":"ping"}`) }, protocol.CodeBadVersion, "version 1", "m5"},
		{"missing id", func() { cl.sendRaw(`{"v":1,"type":"ping"}`) }, protocol.CodeBadEnvelope, `"id"`, ""},
		{"invalid payload", func() { cl.sendRaw(`{"v":1,"id":"m6","type":"reply.record","payload":{"order_id":"1"}}`) }, protocol.CodeInvalidPayload, `"reply_id" is required`, "m6"},
		{"payload wrong type", func() { cl.sendRaw(`{"v":1,"id":"m7","type":"templates.get","payload":[1]}`) }, protocol.CodeInvalidPayload, "JSON object", "m7"},
		{"binary frame", func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			cl.c.Write(ctx, websocket.MessageBinary, []byte{1, 2, 3})
		}, protocol.CodeBinary, "binary", ""},
		{"too big (2 MiB)", func() {
			cl.sendRaw(`{"v":1,"id":"big","type":"lint","payload":{"text":"` + strings.Repeat("a", 2<<20) + `"}}`)
		}, protocol.CodeTooBig, "1048576", ""},
		{"auth again", func() { cl.sendRaw(`{"v":1,"id":"m8","type":"auth","payload":{"token":"x"}}`) }, protocol.CodeConflict, "already authenticated", "m8"},
		{"text over 64 KiB", func() {
			cl.sendRaw(`{"v":1,"id":"m9","type":"lint","payload":{"text":"` + strings.Repeat("a", 70000) + `"}}`)
		}, protocol.CodeInvalidPayload, `"text" is longer`, "m9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl.t = t
			tt.send()
			e := cl.read()
			checkErr(t, e, tt.code, tt.msg)
			if e.Re != tt.re {
				t.Fatalf("re = %q, want %q", e.Re, tt.re)
			}
			cl.ok("ping", nil, nil) // still usable
		})
	}
	t.Run("beyond the hard limit closes with 1009", func(t *testing.T) {
		cl.t = t
		// The server stops reading at 4 MiB and closes while the client is
		// still writing, so the write may fail with a reset and the close
		// frame may be lost with it; then the server must still have
		// dropped the connection.
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			cl.c.Write(ctx, websocket.MessageText, []byte(`{"v":1,"id":"huge","type":"lint","payload":{"text":"`+strings.Repeat("a", 5<<20)+`"}}`))
		}()
		st := expectClose(t, cl.c)
		if st == websocket.StatusMessageTooBig {
			return
		}
		deadline := time.Now().Add(5 * time.Second)
		for s.Clients() > 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if s.Clients() != 0 {
			t.Fatalf("close status %v and the server kept the connection", st)
		}
	})
}

func TestTemplates(t *testing.T) {
	s := startServer(t, nil)
	cl := s.authed(t)
	var list protocol.TemplatesListOK
	cl.ok("templates.list", nil, &list)
	if len(list.Templates) < 10 {
		t.Fatalf("%d templates", len(list.Templates))
	}
	var filtered protocol.TemplatesListOK
	cl.ok("templates.list", protocol.TemplatesList{Scenario: "not-received"}, &filtered)
	if len(filtered.Templates) == 0 || len(filtered.Templates) >= len(list.Templates) {
		t.Fatalf("scenario filter: %d of %d", len(filtered.Templates), len(list.Templates))
	}
	for _, tm := range filtered.Templates {
		found := false
		for _, sc := range tm.Scenarios {
			found = found || sc == "not-received"
		}
		if !found {
			t.Fatalf("template %s does not answer not-received: %v", tm.ID, tm.Scenarios)
		}
	}
	cl.wantError("templates.list", protocol.TemplatesList{Scenario: "nope"}, protocol.CodeInvalidPayload, `"scenario" "nope"`)

	var got protocol.TemplateOK
	cl.ok("templates.get", protocol.TemplateRef{ID: "refund-issued"}, &got)
	if got.Template.ID != "refund-issued" || !strings.Contains(got.Template.Body, "{") || got.Template.Version < 1 {
		t.Fatalf("template %+v", got.Template)
	}
	cl.wantError("templates.get", protocol.TemplateRef{ID: "no-such-template"}, protocol.CodeNotFound, `"no-such-template"`)

	var r protocol.Rendered
	cl.ok("templates.render", protocol.TemplatesRender{ID: "refund-issued", Vars: map[string]string{"buyer_name": "Anna", "order_id": orderID}}, &r)
	if !strings.Contains(r.Text, "Anna") || !strings.Contains(r.Text, orderID) || strings.Contains(r.Text, "{buyer_name}") {
		t.Fatalf("rendered %q", r.Text)
	}
	if r.Findings == nil {
		t.Fatal("rendered without findings array")
	}
	for _, u := range r.Unfilled {
		if u.End <= u.Start || u.Label == "" {
			t.Fatalf("bad slot %+v", u)
		}
	}
}

func TestRepliesAndDeadlines(t *testing.T) {
	s := startServer(t, nil)
	cl := s.authed(t)
	received := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)

	// message.seen starts a 24 h deadline, idempotently.
	seen := protocol.MessageSeen{OrderID: orderID, Marketplace: "sellercentral.amazon.de", ReceivedAt: received, Text: "Where is my parcel?"}
	var m1, m2 protocol.MessageSeenOK
	cl.ok("message.seen", seen, &m1)
	if m1.Duplicate || m1.Deadline.Kind != "reply-24h" || !m1.Deadline.DueAt.Equal(received.Add(24*time.Hour)) || m1.Deadline.State != "open" {
		t.Fatalf("message.seen = %+v", m1)
	}
	seen.Text = "" // a re-report without the text is the same message
	cl.ok("message.seen", seen, &m2)
	if !m2.Duplicate || m2.Deadline.ID != m1.Deadline.ID {
		t.Fatalf("second message.seen = %+v", m2)
	}
	cl.wantError("message.seen", protocol.MessageSeen{OrderID: "bad", ReceivedAt: received}, protocol.CodeInvalidPayload, "order_id")

	var open protocol.DeadlinesListOK
	cl.ok("deadlines.list", nil, &open)
	if len(open.Deadlines) != 1 || open.Deadlines[0].ID != m1.Deadline.ID {
		t.Fatalf("open deadlines %+v", open)
	}

	// reply.record: linted under wazero, durable, idempotent by reply_id,
	// and it resolves the order's reply deadline.
	rec := protocol.ReplyRecord{
		ReplyID: "6f1c2d3e-0000-4000-8000-000000000001", OrderID: orderID, Marketplace: "sellercentral.amazon.de",
		Text: "Hello Anna, your parcel is on its way. Email me at anna@example.com.", Scenario: "where-is-order",
		Buyer: &protocol.BuyerMessage{ReceivedAt: received},
	}
	var r1, r2 protocol.ReplyRecorded
	cl.ok("reply.record", rec, &r1)
	if r1.Duplicate || r1.ResolvedDeadline != m1.Deadline.ID || r1.PolicyVersion == "" {
		t.Fatalf("reply.record = %+v", r1)
	}
	if r1.ResponseMS < int64(time.Hour/time.Millisecond) {
		t.Fatalf("response time %d ms", r1.ResponseMS)
	}
	// A second connection (offline-queue retry after reconnect) sends it again.
	cl2 := s.authed(t)
	cl2.ok("reply.record", rec, &r2)
	if !r2.Duplicate {
		t.Fatalf("retry not detected: %+v", r2)
	}
	page, err := s.store.SearchHistory(store.Query{OrderID: orderID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Replies) != 1 {
		t.Fatalf("%d history entries after a retry, want 1", len(page.Replies))
	}
	// What history keeps is the companion's own lint.
	want, _ := engine.Lint(context.Background(), rec.Text, policyContextReply())
	if len(page.Replies[0].Findings) != len(want) || len(r1.Findings) != len(want) {
		t.Fatalf("stored %d findings, reply %d, wazero %d", len(page.Replies[0].Findings), len(r1.Findings), len(want))
	}

	cl.ok("deadlines.list", nil, &open)
	if len(open.Deadlines) != 0 {
		t.Fatalf("deadline still open after the reply: %+v", open)
	}
	var all protocol.DeadlinesListOK
	cl.ok("deadlines.list", protocol.DeadlinesList{State: "all"}, &all)
	if len(all.Deadlines) != 1 || all.Deadlines[0].Resolution != "replied" {
		t.Fatalf("all deadlines %+v", all)
	}

	// deadline.resolve: no response needed; repeating is fine, changing is a conflict.
	var m3 protocol.MessageSeenOK
	cl.ok("message.seen", protocol.MessageSeen{MessageID: "msg-2", OrderID: orderID, ReceivedAt: received.Add(time.Minute), Kind: "a-to-z-info-48h"}, &m3)
	if m3.Deadline.Kind != "a-to-z-info-48h" || !m3.Deadline.DueAt.Equal(received.Add(time.Minute+48*time.Hour)) {
		t.Fatalf("a-to-z deadline %+v", m3.Deadline)
	}
	var res protocol.DeadlineOK
	cl.ok("deadline.resolve", protocol.DeadlineResolve{ID: m3.Deadline.ID, Resolution: "no-response-needed"}, &res)
	if res.Deadline.State != "resolved" || res.Deadline.Resolution != "no-response-needed" {
		t.Fatalf("resolved %+v", res.Deadline)
	}
	cl.ok("deadline.resolve", protocol.DeadlineResolve{ID: m3.Deadline.ID, Resolution: "no-response-needed"}, nil)
	cl.wantError("deadline.resolve", protocol.DeadlineResolve{ID: m3.Deadline.ID, Resolution: "replied"}, protocol.CodeConflict, "already resolved")
	cl.wantError("deadline.resolve", protocol.DeadlineResolve{ID: "d-nope", Resolution: "replied"}, protocol.CodeNotFound, "not found")
	cl.wantError("deadline.resolve", protocol.DeadlineResolve{ID: "d-nope", Resolution: "later"}, protocol.CodeInvalidPayload, "resolution")
}

func TestConcurrentRetriesRecordOnce(t *testing.T) {
	s := startServer(t, nil)
	rec := protocol.ReplyRecord{ReplyID: "same-id", OrderID: orderID, Text: "Thank you for your order."}
	var wg sync.WaitGroup
	dups := make(chan bool, 8)
	for i := 0; i < 8; i++ {
		cl := s.authed(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r protocol.ReplyRecorded
			cl.ok("reply.record", rec, &r)
			dups <- r.Duplicate
		}()
	}
	wg.Wait()
	close(dups)
	fresh := 0
	for d := range dups {
		if !d {
			fresh++
		}
	}
	page, _ := s.store.SearchHistory(store.Query{OrderID: orderID})
	if fresh != 1 || len(page.Replies) != 1 {
		t.Fatalf("%d fresh acks, %d entries; want 1 and 1", fresh, len(page.Replies))
	}
}

func TestLintAndClassify(t *testing.T) {
	s := startServer(t, nil)
	cl := s.authed(t)
	text := "Please leave us a 5 star review and we will refund you. Visit www.example.com"
	var l protocol.LintOK
	cl.ok("lint", protocol.Lint{Text: text}, &l)
	want, _ := engine.Lint(context.Background(), text, policyContextZero())
	if len(l.Findings) != len(want) || l.PolicyVersion != engine.Version() {
		t.Fatalf("lint %d findings (wazero %d), version %q", len(l.Findings), len(want), l.PolicyVersion)
	}
	var c protocol.ClassifyOK
	cl.ok("classify", protocol.Classify{Text: "Where is my order? It has not arrived."}, &c)
	wantC, _ := engine.Classify(context.Background(), "Where is my order? It has not arrived.")
	if c.Scenario != wantC.Scenario || c.Scenario == "" {
		t.Fatalf("classify %+v, wazero %+v", c, wantC)
	}
}

func TestPushes(t *testing.T) {
	s := startServer(t, func(o *Options) { o.KeepaliveInterval = 150 * time.Millisecond })
	a, b := s.authed(t), s.authed(t)
	unauthed := s.connect(t, auth.ChromeOrigin) // must receive nothing but hello
	d := store.Deadline{ID: "d-1", Kind: store.KindReply, OrderID: orderID, State: store.StateOverdue, Due: time.Now()}
	s.PushDeadlineEvent("missed", d)
	s.PushTemplatesChanged([]string{"refund-issued"})
	for _, cl := range []*client{a, b} {
		var gotOverdue, gotTemplates, gotKeepalive bool
		for !(gotOverdue && gotTemplates && gotKeepalive) {
			e := cl.read()
			switch e.Type {
			case "deadline.overdue":
				var p protocol.DeadlineEvent
				json.Unmarshal(e.Payload, &p)
				gotOverdue = p.Deadline.ID == "d-1" && p.Event == "missed" && e.Re == ""
			case "templates.changed":
				gotTemplates = strings.Contains(string(e.Payload), "refund-issued")
			case "keepalive":
				gotKeepalive = true
			}
		}
	}
	// The unauthenticated connection is closed at its auth timeout and
	// never saw a push.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, msg, err := unauthed.c.Read(ctx); err == nil {
		t.Fatalf("unauthenticated client got %s", msg)
	}
}

// A client that stops reading is dropped; a client that keeps reading gets
// every push and prompt answers. The pushes are paced by the healthy
// client (never more than half its queue behind), so the test does not
// depend on scheduling; the silent client's socket buffers (about 10 MB on
// Linux loopback) fill and its queue overflows.
func TestSlowClientDoesNotStallOthers(t *testing.T) {
	s := startServer(t, func(o *Options) { o.SendQueue = 16; o.WriteTimeout = 500 * time.Millisecond })
	_ = s.authed(t) // the slow one: never reads again
	fast := s.authed(t)
	const pushes = 400 // 25 MB at 64 KiB each
	var got atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for got.Load() < pushes {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_, b, err := fast.c.Read(ctx)
			cancel()
			if err != nil {
				return
			}
			if strings.Contains(string(b), "templates.changed") {
				got.Add(1)
			}
		}
	}()
	big := strings.Repeat("x", 64<<10)
	for i := 0; i < pushes; i++ {
		for deadline := time.Now().Add(10 * time.Second); got.Load() < int64(i-8); {
			if time.Now().After(deadline) {
				t.Fatalf("fast client stuck at %d of %d pushes", got.Load(), i)
			}
			time.Sleep(100 * time.Microsecond)
		}
		s.PushTemplatesChanged([]string{big})
	}
	<-done
	if n := got.Load(); n != pushes {
		t.Fatalf("fast client got %d of %d pushes", n, pushes)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.Clients() > 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := s.Clients(); n != 1 {
		t.Fatalf("%d connections, want the slow one dropped", n)
	}
	fast.ok("ping", nil, nil)
}

// A peer that stops answering pings (a sleeping laptop, a dead tab) is
// dropped after the ping timeout.
func TestUnresponsivePeerDropped(t *testing.T) {
	s := startServer(t, func(o *Options) { o.KeepaliveInterval = 100 * time.Millisecond; o.PingTimeout = 200 * time.Millisecond })
	cl := s.authed(t) // coder/websocket answers pings only while reading: never read again
	_ = cl
	deadline := time.Now().Add(5 * time.Second)
	for s.Clients() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := s.Clients(); n != 0 {
		t.Fatalf("%d connections, want the silent peer dropped", n)
	}
}

func TestShutdownGoingAway(t *testing.T) {
	s := startServer(t, nil)
	cl := s.authed(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- s.Shutdown(ctx) }()
	if st := expectClose(t, cl.c); st != websocket.StatusGoingAway {
		t.Fatalf("close status %v, want going away", st)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.dial(t, auth.ChromeOrigin, ""); err == nil {
		t.Fatal("dial after shutdown succeeded")
	}
}

// 200 concurrent clients, valid and malformed traffic mixed, some never
// authenticating, some sending garbage: the server keeps serving.
func TestManyClientsMixedTraffic(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	s := startServer(t, func(o *Options) { o.AuthTimeout = time.Second })
	const n = 200
	_, token := s.pair(t, auth.ChromeOrigin)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			h := map[string][]string{"Origin": {auth.ChromeOrigin}}
			if i%10 == 9 {
				h["Origin"] = []string{"https://evil.example"}
			}
			c, _, err := websocket.Dial(ctx, s.wsURL(), &websocket.DialOptions{HTTPHeader: h})
			if i%10 == 9 {
				if err == nil {
					errs <- fmt.Errorf("client %d: foreign origin accepted", i)
					c.CloseNow()
				}
				return
			}
			if err != nil {
				errs <- fmt.Errorf("client %d dial: %w", i, err)
				return
			}
			defer c.CloseNow()
			c.SetReadLimit(8 << 20)
			write := func(s string) error { return c.Write(ctx, websocket.MessageText, []byte(s)) }
			switch i % 5 {
			case 0: // never authenticates
				return
			case 1: // garbage first
				write("\x00\xff garbage")
				return
			}
			if err := write(fmt.Sprintf(`{"v":1,"id":"a","type":"auth","payload":{"token":%q}}`, token)); err != nil {
				errs <- err
				return
			}
			msgs := []string{
				`{"v":1,"id":"1","type":"templates.get","payload":{"id":"refund-issued"}}`,
				`{"v":1,"id":"2","type":"lint","payload":{"text":"Hi, call me at 555-123-4567"}}`,
				`{not json`, "\xff\xfe", `{"v":1,"id":"3","type":"nope"}`,
				fmt.Sprintf(`{"v":1,"id":"4","type":"reply.record","payload":{"reply_id":"c%d","order_id":%q,"text":"Thanks!"}}`, i, orderID),
				`{"v":1,"id":"5","type":"deadline.resolve","payload":{}}`,
			}
			for r := 0; r < 3; r++ {
				for _, m := range msgs {
					if err := write(m); err != nil {
						errs <- fmt.Errorf("client %d write: %w", i, err)
						return
					}
				}
			}
			// 1 hello + 1 auth.ok + 3*len(msgs) replies (keepalives may interleave).
			want := 2 + 3*len(msgs)
			for got := 0; got < want; {
				_, b, err := c.Read(ctx)
				if err != nil {
					errs <- fmt.Errorf("client %d read after %d: %w", i, got, err)
					return
				}
				if !strings.Contains(string(b), `"keepalive"`) {
					got++
				}
			}
			c.Close(websocket.StatusNormalClosure, "")
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Still serving, and nothing leaked.
	cl := s.authed(t)
	var got protocol.TemplateOK
	cl.ok("templates.get", protocol.TemplateRef{ID: "refund-issued"}, &got)
	deadline := time.Now().Add(5 * time.Second)
	for s.Clients() > 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if c := s.Clients(); c != 2 { // the pairing connection and cl
		t.Fatalf("%d connections left open, want 2", c)
	}
	// Clients i%5 in {2,3,4} authenticated (minus the foreign-origin ones,
	// i%10 == 9) and sent their reply three times: one entry each.
	page, _ := s.store.SearchHistory(store.Query{OrderID: orderID, Limit: 500})
	if len(page.Replies) != 100 {
		t.Fatalf("%d replies recorded, want 100", len(page.Replies))
	}
}

func TestConnectionLimit(t *testing.T) {
	s := startServer(t, func(o *Options) { o.MaxConns = 3 })
	for i := 0; i < 3; i++ {
		s.authed(t)
	}
	_, resp, err := s.dial(t, auth.ChromeOrigin, "")
	if err == nil || resp == nil || resp.StatusCode != 503 {
		t.Fatalf("fourth connection: %v %v, want HTTP 503", err, resp)
	}
}
