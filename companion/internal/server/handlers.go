package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"time"

	"github.com/replyguard/replyguard/companion/internal/policyhost"
	"github.com/replyguard/replyguard/companion/internal/protocol"
	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/policy"
)

// dispatch answers one authenticated request. It never panics out: a panic
// in a handler becomes an internal error reply.
func (s *Server) dispatch(c *conn, req protocol.Request) (out protocol.Reply) {
	defer func() {
		if r := recover(); r != nil {
			s.opt.Logger.Error("panic in websocket handler", "type", req.Type, "panic", r)
			out = protocol.ErrReply(req.ID, protocol.Errorf(protocol.CodeInternal, "internal error handling %s", req.Type))
		}
	}()
	ctx, cancel := context.WithTimeout(s.baseCtx, s.opt.RequestTimeout)
	defer cancel()
	var payload any
	var perr *protocol.Error
	switch req.Type {
	case protocol.TypeAuth, protocol.TypePair:
		perr = protocol.Errorf(protocol.CodeConflict, "this connection is already authenticated")
	case protocol.TypePing:
		payload = map[string]any{"time": s.opt.Now().UTC()}
	case protocol.TypeTemplatesList:
		payload, perr = handle(req, s.templatesList)
	case protocol.TypeTemplatesGet:
		payload, perr = handle(req, s.templatesGet)
	case protocol.TypeTemplatesRender:
		payload, perr = handleCtx(ctx, req, s.templatesRender)
	case protocol.TypeReplyRecord:
		payload, perr = handleCtx(ctx, req, s.replyRecord)
	case protocol.TypeMessageSeen:
		payload, perr = handle(req, s.messageSeen)
	case protocol.TypeDeadlinesList:
		payload, perr = handle(req, s.deadlinesList)
	case protocol.TypeDeadlineResolve:
		payload, perr = handle(req, s.deadlineResolve)
	case protocol.TypeLint:
		payload, perr = handleCtx(ctx, req, s.lint)
	case protocol.TypeClassify:
		payload, perr = handleCtx(ctx, req, s.classify)
	default:
		// ParseRequest already refuses unknown types; this is a missing case.
		perr = protocol.Errorf(protocol.CodeUnknownType, "request type %q is not implemented", req.Type)
	}
	if perr != nil {
		return protocol.ErrReply(req.ID, perr)
	}
	return protocol.OK(req.ID, req.Type, payload)
}

func handle[P any, R any](req protocol.Request, fn func(P) (R, *protocol.Error)) (any, *protocol.Error) {
	p, e := protocol.DecodePayload[P](req)
	if e != nil {
		return nil, e
	}
	return fn(p)
}

func handleCtx[P any, R any](ctx context.Context, req protocol.Request, fn func(context.Context, P) (R, *protocol.Error)) (any, *protocol.Error) {
	p, e := protocol.DecodePayload[P](req)
	if e != nil {
		return nil, e
	}
	return fn(ctx, p)
}

var (
	errNoStore  = protocol.Errorf(protocol.CodeUnavailable, "the data store is not open")
	errNoPolicy = protocol.Errorf(protocol.CodeUnavailable, "the policy engine is not running")
)

// storeErr maps a store error to a protocol error; the details of I/O
// failures go to the log, the client gets their gist.
func (s *Server) storeErr(what string, err error) *protocol.Error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return protocol.Errorf(protocol.CodeNotFound, "%s: not found", what)
	case errors.Is(err, store.ErrInvalid):
		return protocol.Errorf(protocol.CodeInvalidPayload, "%s: %v", what, err)
	case errors.Is(err, store.ErrConflict):
		return protocol.Errorf(protocol.CodeConflict, "%s: %v", what, err)
	case errors.Is(err, store.ErrDiskFull):
		s.opt.Logger.Error(what, "err", err)
		return protocol.Errorf(protocol.CodeInternal, "%s: the disk is full; nothing was saved", what)
	case errors.Is(err, store.ErrReadOnly):
		s.opt.Logger.Error(what, "err", err)
		return protocol.Errorf(protocol.CodeInternal, "%s: the data directory is not writable; nothing was saved", what)
	}
	s.opt.Logger.Error(what, "err", err)
	return protocol.Errorf(protocol.CodeInternal, "%s failed; nothing was saved", what)
}

// ---- templates ----

func summary(t store.Template) protocol.TemplateSummary {
	sum := protocol.TemplateSummary{
		ID: t.ID, Title: t.Title, Scenarios: t.Scenarios, Kind: t.Kind, Version: t.Version,
		Builtin: t.Builtin, Modified: t.Modified, Updated: t.UpdatedAt,
	}
	if sum.Scenarios == nil {
		sum.Scenarios = []string{}
	}
	for _, f := range t.Findings {
		if f.Severity == store.SeverityError {
			sum.HasErrors = true
		}
	}
	return sum
}

func (s *Server) templatesList(p protocol.TemplatesList) (protocol.TemplatesListOK, *protocol.Error) {
	if s.opt.Store == nil {
		return protocol.TemplatesListOK{}, errNoStore
	}
	list, err := s.opt.Store.ListTemplates()
	if err != nil {
		return protocol.TemplatesListOK{}, s.storeErr("list templates", err)
	}
	out := protocol.TemplatesListOK{Templates: []protocol.TemplateSummary{}}
	for _, t := range list {
		if p.Scenario != "" && !slices.Contains(t.Scenarios, p.Scenario) {
			continue
		}
		if p.Kind != "" && t.Kind != "" && t.Kind != p.Kind {
			continue
		}
		out.Templates = append(out.Templates, summary(t))
	}
	return out, nil
}

func (s *Server) templatesGet(p protocol.TemplateRef) (protocol.TemplateOK, *protocol.Error) {
	if s.opt.Store == nil {
		return protocol.TemplateOK{}, errNoStore
	}
	t, err := s.opt.Store.GetTemplate(p.ID)
	if err != nil {
		return protocol.TemplateOK{}, s.storeErr("template "+quote(p.ID), err)
	}
	return protocol.TemplateOK{Template: protocol.Template{
		TemplateSummary: summary(t), Body: t.Body, Findings: store.PolicyFindings(t.Findings),
	}}, nil
}

func (s *Server) templatesRender(ctx context.Context, p protocol.TemplatesRender) (protocol.Rendered, *protocol.Error) {
	if s.opt.Store == nil {
		return protocol.Rendered{}, errNoStore
	}
	if s.opt.Render == nil {
		return protocol.Rendered{}, protocol.Errorf(protocol.CodeUnavailable, "template rendering is not available")
	}
	if s.opt.Policy == nil {
		return protocol.Rendered{}, errNoPolicy
	}
	t, err := s.opt.Store.GetTemplate(p.ID)
	if err != nil {
		return protocol.Rendered{}, s.storeErr("template "+quote(p.ID), err)
	}
	r, err := s.opt.Render(t, p.Vars, s.opt.Now())
	if err != nil {
		return protocol.Rendered{}, protocol.Errorf(protocol.CodeInvalidPayload, "render %s: %v", quote(p.ID), err)
	}
	pc := policy.Context{Kind: t.Kind}
	if p.Context != nil {
		pc = *p.Context
	}
	findings, err := s.opt.Policy.Lint(ctx, r.Text, pc)
	if err != nil {
		return protocol.Rendered{}, s.policyErr(err)
	}
	out := protocol.Rendered{ID: t.ID, Version: t.Version, Text: r.Text, Findings: nonNil(findings), Problems: r.Problems}
	for _, u := range r.Unfilled {
		out.Unfilled = append(out.Unfilled, protocol.Slot{Name: u.Name, Label: u.Label, Start: u.Start, End: u.End})
	}
	return out, nil
}

// ---- replies ----

// replyRecord lints a sent reply under wazero and stores it with those
// findings. reply_id is the store's RequestID: the duplicate check and the
// write are one synced transaction, so a retry after a lost ack (or a crash)
// never records twice, and the ack is sent only after the write.
func (s *Server) replyRecord(ctx context.Context, p protocol.ReplyRecord) (protocol.ReplyRecorded, *protocol.Error) {
	st := s.opt.Store
	if st == nil {
		return protocol.ReplyRecorded{}, errNoStore
	}
	if s.opt.Policy == nil {
		return protocol.ReplyRecorded{}, errNoPolicy
	}
	// Concurrent retries of one reply_id queue here rather than collide in
	// Badger's conflict detection.
	unlock := s.replyLocks.lock(p.ReplyID)
	defer unlock()

	pc := policy.Context{Kind: "reply"}
	if p.Context != nil {
		pc = *p.Context
	}
	findings, lerr := s.opt.Policy.Lint(ctx, p.Text, pc)
	if lerr != nil {
		return protocol.ReplyRecorded{}, s.policyErr(lerr)
	}
	r := store.Reply{
		RequestID: p.ReplyID,
		OrderID:   p.OrderID, Marketplace: p.Marketplace, Scenario: p.Scenario, TemplateID: p.TemplateID,
		Text: p.Text, Findings: store.FindingsFrom(findings), SentAt: p.SentAt,
	}
	if b := p.Buyer; b != nil {
		r.BuyerMessage, r.BuyerMessageAt = b.Text, b.ReceivedAt
		if b.MessageID != "" {
			// Link the reported message only if the companion knows it;
			// otherwise keep the text and time the client sent.
			if _, err := st.GetBuyerMessage(b.MessageID); err == nil {
				r.BuyerMessageID = b.MessageID
			}
		}
	}
	saved, err := st.RecordReply(r)
	if err != nil {
		return protocol.ReplyRecorded{}, s.storeErr("record reply", err)
	}
	if !saved.Duplicate && len(saved.ResolvedDeadlines) > 0 {
		s.opt.DeadlinesChanged()
	}
	return recorded(p.ReplyID, saved, saved.Duplicate, s.opt.Policy.Version()), nil
}

func recorded(replyID string, r store.Reply, dup bool, policyVersion string) protocol.ReplyRecorded {
	out := protocol.ReplyRecorded{
		ReplyID: replyID, Duplicate: dup, Findings: store.PolicyFindings(r.Findings), PolicyVersion: policyVersion,
		ResponseMS: r.ResponseTime.Milliseconds(),
	}
	if len(r.ResolvedDeadlines) > 0 {
		out.ResolvedDeadline = r.ResolvedDeadlines[0]
	}
	return out
}

// ---- buyer messages and deadlines ----

var kindFromProtocol = map[string]store.Kind{
	"": store.KindReply, "reply-24h": store.KindReply,
	"a-to-z-info-48h": store.KindAtoZInfo, "chargeback-7d": store.KindChargeback,
}

func (s *Server) messageSeen(p protocol.MessageSeen) (protocol.MessageSeenOK, *protocol.Error) {
	st := s.opt.Store
	if st == nil {
		return protocol.MessageSeenOK{}, errNoStore
	}
	id := p.MessageID
	if id == "" {
		// Without a page-provided id, (order, received time) identifies the
		// message, so a re-report with or without its text is the same one.
		h := sha256.Sum256([]byte(p.OrderID + "\x00" + p.ReceivedAt.UTC().Format(time.RFC3339Nano)))
		id = "s-" + hex.EncodeToString(h[:10])
	}
	_, gerr := st.GetBuyerMessage(id)
	dup := gerr == nil
	_, d, err := st.RecordBuyerMessage(store.BuyerMessage{
		ID: id, OrderID: p.OrderID, Marketplace: p.Marketplace, Text: p.Text,
		ReceivedAt: p.ReceivedAt, Kind: kindFromProtocol[p.Kind],
	})
	if err != nil {
		return protocol.MessageSeenOK{}, s.storeErr("record buyer message", err)
	}
	if !dup {
		s.opt.DeadlinesChanged()
	}
	return protocol.MessageSeenOK{Duplicate: dup, Deadline: toDeadline(d)}, nil
}

func (s *Server) deadlinesList(p protocol.DeadlinesList) (protocol.DeadlinesListOK, *protocol.Error) {
	st := s.opt.Store
	if st == nil {
		return protocol.DeadlinesListOK{}, errNoStore
	}
	f := store.DeadlineFilter{OrderID: p.OrderID}
	limit := p.Limit
	if limit == 0 {
		limit = 200
	}
	if p.State == "" || p.State == "open" {
		f.States = []store.State{store.StateOpen, store.StateDueSoon, store.StateOverdue, store.StateMissed}
	} else {
		f.Limit = limit
	}
	list, err := st.ListDeadlines(f)
	if err != nil {
		return protocol.DeadlinesListOK{}, s.storeErr("list deadlines", err)
	}
	out := protocol.DeadlinesListOK{Deadlines: []protocol.Deadline{}}
	for _, d := range list {
		if (p.State == "" || p.State == "open") && !d.ResolvedAt.IsZero() {
			continue
		}
		out.Deadlines = append(out.Deadlines, toDeadline(d))
		if len(out.Deadlines) == limit {
			break
		}
	}
	return out, nil
}

func (s *Server) deadlineResolve(p protocol.DeadlineResolve) (protocol.DeadlineOK, *protocol.Error) {
	st := s.opt.Store
	if st == nil {
		return protocol.DeadlineOK{}, errNoStore
	}
	res := store.Resolution(p.Resolution)
	d, err := st.ResolveDeadline(p.ID, res, s.opt.Now())
	if err != nil {
		return protocol.DeadlineOK{}, s.storeErr("deadline "+quote(p.ID), err)
	}
	if d.Resolution != res {
		return protocol.DeadlineOK{}, protocol.Errorf(protocol.CodeConflict, "deadline %s was already resolved as %q", quote(p.ID), d.Resolution)
	}
	s.opt.DeadlinesChanged()
	return protocol.DeadlineOK{Deadline: toDeadline(d)}, nil
}

func toDeadline(d store.Deadline) protocol.Deadline {
	return protocol.Deadline{
		ID: d.ID, Kind: string(d.Kind), OrderID: d.OrderID, Marketplace: d.Marketplace, MessageID: d.MessageID,
		StartAt: d.Start, DueAt: d.Due, State: string(d.State), Resolution: string(d.Resolution), ResolvedAt: d.ResolvedAt,
	}
}

func deadlineOK(d store.Deadline) protocol.DeadlineOK {
	return protocol.DeadlineOK{Deadline: toDeadline(d)}
}

// ---- policy passthrough ----

func (s *Server) lint(ctx context.Context, p protocol.Lint) (protocol.LintOK, *protocol.Error) {
	if s.opt.Policy == nil {
		return protocol.LintOK{}, errNoPolicy
	}
	var pc policy.Context
	if p.Context != nil {
		pc = *p.Context
	}
	f, err := s.opt.Policy.Lint(ctx, p.Text, pc)
	if err != nil {
		return protocol.LintOK{}, s.policyErr(err)
	}
	return protocol.LintOK{Findings: nonNil(f), PolicyVersion: s.opt.Policy.Version()}, nil
}

func (s *Server) classify(ctx context.Context, p protocol.Classify) (protocol.ClassifyOK, *protocol.Error) {
	if s.opt.Policy == nil {
		return protocol.ClassifyOK{}, errNoPolicy
	}
	c, err := s.opt.Policy.Classify(ctx, p.Text)
	if err != nil {
		return protocol.ClassifyOK{}, s.policyErr(err)
	}
	return protocol.ClassifyOK{Classification: c}, nil
}

// policyErr: an input the engine refused is the client's problem; anything
// else is ours.
func (s *Server) policyErr(err error) *protocol.Error {
	if errors.Is(err, ErrUnavailable) {
		return protocol.Errorf(protocol.CodeUnavailable, "%v", err)
	}
	var ie *policyhost.ErrInput
	if errors.As(err, &ie) {
		return protocol.Errorf(protocol.CodeInvalidPayload, "%v", err)
	}
	s.opt.Logger.Error("policy engine", "err", err)
	return protocol.Errorf(protocol.CodeInternal, "the policy engine failed: %v", err)
}

func nonNil(f []policy.Finding) []policy.Finding {
	if f == nil {
		return []policy.Finding{}
	}
	return f
}

func quote(s string) string { return `"` + s + `"` }
