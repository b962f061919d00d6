package protocol

import (
	"time"
	"unicode/utf8"

	"github.com/replyguard/replyguard/policy"
)

// Request types (client to companion). The reply to type T is "T.ok" or
// "error".
const (
	TypeAuth            = "auth"
	TypePair            = "pair"
	TypePing            = "ping"
	TypeTemplatesList   = "templates.list"
	TypeTemplatesGet    = "templates.get"
	TypeTemplatesRender = "templates.render"
	TypeReplyRecord     = "reply.record"
	TypeMessageSeen     = "message.seen"
	TypeDeadlinesList   = "deadlines.list"
	TypeDeadlineResolve = "deadline.resolve"
	TypeLint            = "lint"
	TypeClassify        = "classify"
)

// Reply and push types (companion to client).
const (
	TypeError            = "error"
	PushHello            = "hello" // sent right after the handshake
	PushKeepalive        = "keepalive"
	PushDeadlineDueSoon  = "deadline.due_soon"
	PushDeadlineOverdue  = "deadline.overdue"
	PushTemplatesChanged = "templates.changed"
	PushDeadlineOpened   = "deadline.opened"
)

var requestTypes = map[string]struct{}{
	TypeAuth: {}, TypePair: {}, TypePing: {},
	TypeTemplatesList: {}, TypeTemplatesGet: {}, TypeTemplatesRender: {},
	TypeReplyRecord: {}, TypeMessageSeen: {},
	TypeDeadlinesList: {}, TypeDeadlineResolve: {},
	TypeLint: {}, TypeClassify: {},
}

// RequestTypes lists every request type, for documentation and tests.
func RequestTypes() []string {
	out := make([]string, 0, len(requestTypes))
	for t := range requestTypes {
		out = append(out, t)
	}
	return out
}

// Field limits.
const (
	MaxTextLen  = 64 << 10 // bytes in a reply or message text
	MaxTokenLen = 256
	MaxKeyLen   = 128 // client-generated ids
)

// ---- authentication ----

// Auth authenticates a paired client with the token it got from "pair".
type Auth struct {
	Token string `json:"token"`
}

func (a *Auth) Validate() error {
	var f fieldErrors
	if a.Token == "" {
		f.addf(`"token" is required`)
	} else if len(a.Token) > MaxTokenLen {
		f.addf(`"token" is too long`)
	}
	return f.err()
}

// Pair exchanges a one-time pairing code shown on the local page for a
// client token.
type Pair struct {
	Code string `json:"code"`
	// Name labels the client on the local page ("Chrome on laptop").
	Name string `json:"name,omitempty"`
}

func (p *Pair) Validate() error {
	var f fieldErrors
	if p.Code == "" {
		f.addf(`"code" is required`)
	} else if len(p.Code) > 32 {
		f.addf(`"code" is too long`)
	}
	if utf8.RuneCountInString(p.Name) > 64 {
		f.addf(`"name" is longer than 64 characters`)
	}
	return f.err()
}

// AuthOK answers auth and pair. Token is set only in pair.ok: the client
// stores it and sends it in "auth" from then on.
type AuthOK struct {
	ClientID        string `json:"client_id"`
	Token           string `json:"token,omitempty"`
	Protocol        int    `json:"protocol"`
	ServerVersion   string `json:"server_version"`
	PolicyVersion   string `json:"policy_version"`
	KeepaliveMillis int    `json:"keepalive_ms"`
}

// Hello is pushed right after the websocket handshake, before auth, so the
// client knows what it talks to and how long it has to authenticate.
type Hello struct {
	Protocol      int    `json:"protocol"`
	ServerVersion string `json:"server_version"`
	AuthTimeoutMS int    `json:"auth_timeout_ms"`
}

// ---- templates ----

// TemplatesList filters the template list; every field is optional.
type TemplatesList struct {
	Scenario string `json:"scenario,omitempty"`
	// Kind is "reply" or "proactive".
	Kind string `json:"kind,omitempty"`
}

func (t *TemplatesList) Validate() error {
	var f fieldErrors
	if t.Scenario != "" && !knownScenario(t.Scenario) {
		f.addf(`"scenario" %q is not a known scenario`, t.Scenario)
	}
	switch t.Kind {
	case "", "reply", "proactive":
	default:
		f.addf(`"kind" %q must be "reply" or "proactive"`, t.Kind)
	}
	return f.err()
}

// TemplateRef names one template.
type TemplateRef struct {
	ID string `json:"id"`
}

func (t *TemplateRef) Validate() error {
	var f fieldErrors
	checkKey(&f, "id", t.ID, true)
	return f.err()
}

// TemplatesRender fills a template's placeholders and lints the result.
type TemplatesRender struct {
	ID      string            `json:"id"`
	Vars    map[string]string `json:"vars,omitempty"`
	Context *policy.Context   `json:"context,omitempty"`
}

func (t *TemplatesRender) Validate() error {
	var f fieldErrors
	checkKey(&f, "id", t.ID, true)
	if len(t.Vars) > 64 {
		f.addf(`"vars" has more than 64 entries`)
	}
	for k, v := range t.Vars {
		if k == "" || len(k) > 64 {
			f.addf(`"vars" key %q must be 1-64 characters`, k)
		}
		if len(v) > 4096 {
			f.addf(`"vars" value for %q is longer than 4096 bytes`, k)
		}
	}
	return f.err()
}

// TemplateSummary is one entry of templates.list.ok.
type TemplateSummary struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Scenarios []string `json:"scenarios"`
	Kind      string   `json:"kind,omitempty"`
	Version   int      `json:"version"`
	Builtin   bool     `json:"builtin"`
	// Modified is true once the seller edited a built-in template.
	Modified bool      `json:"modified,omitempty"`
	Updated  time.Time `json:"updated,omitzero"`
	// HasErrors is true when the body has error findings (a built-in that
	// a newer rule set flags, for instance).
	HasErrors bool `json:"has_errors,omitempty"`
}

// TemplatesListOK answers templates.list.
type TemplatesListOK struct {
	Templates []TemplateSummary `json:"templates"`
}

// Template is a full template (templates.get.ok payload "template").
type Template struct {
	TemplateSummary
	Body     string           `json:"body"`
	Findings []policy.Finding `json:"findings"`
}

// TemplateOK answers templates.get.
type TemplateOK struct {
	Template Template `json:"template"`
}

// Rendered answers templates.render.
type Rendered struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Text    string `json:"text"`
	// Unfilled lists placeholders left as "[Label]" markers in Text, with
	// their UTF-16 spans, so the extension can select them in turn.
	Unfilled []Slot `json:"unfilled,omitempty"`
	// Problems names values that were missing or mistyped.
	Problems []string         `json:"problems,omitempty"`
	Findings []policy.Finding `json:"findings"`
}

// Slot is an unfilled placeholder marker in a rendered text.
type Slot struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// ---- replies and buyer messages ----

// BuyerMessage is the buyer message a reply answers.
type BuyerMessage struct {
	MessageID  string    `json:"message_id,omitempty"`
	Text       string    `json:"text,omitempty"`
	ReceivedAt time.Time `json:"received_at,omitzero"`
}

// ReplyRecord records a reply the seller sent. ReplyID is generated by the
// client (a UUID is fine) and makes the request idempotent: an offline queue
// may resend it any number of times and it is stored once.
type ReplyRecord struct {
	ReplyID     string          `json:"reply_id"`
	OrderID     string          `json:"order_id"`
	Marketplace string          `json:"marketplace,omitempty"`
	Text        string          `json:"text"`
	SentAt      time.Time       `json:"sent_at,omitzero"`
	TemplateID  string          `json:"template_id,omitempty"`
	Scenario    string          `json:"scenario,omitempty"`
	Buyer       *BuyerMessage   `json:"buyer_message,omitempty"`
	Context     *policy.Context `json:"context,omitempty"`
}

func (r *ReplyRecord) Validate() error {
	var f fieldErrors
	checkKey(&f, "reply_id", r.ReplyID, true)
	checkOrderID(&f, r.OrderID)
	if r.Text == "" {
		f.addf(`"text" is required`)
	}
	checkText(&f, "text", r.Text)
	checkKey(&f, "template_id", r.TemplateID, false)
	if r.Scenario != "" && !knownScenario(r.Scenario) {
		f.addf(`"scenario" %q is not a known scenario`, r.Scenario)
	}
	if len(r.Marketplace) > 128 {
		f.addf(`"marketplace" is too long`)
	}
	if r.Buyer != nil {
		checkKey(&f, "buyer_message.message_id", r.Buyer.MessageID, false)
		checkText(&f, "buyer_message.text", r.Buyer.Text)
	}
	return f.err()
}

// ReplyRecorded answers reply.record once the store has durably written it.
type ReplyRecorded struct {
	ReplyID string `json:"reply_id"`
	// Duplicate is true when this reply_id was already recorded; nothing
	// changed.
	Duplicate bool `json:"duplicate"`
	// Findings are the companion's own lint of the text (policy.wasm under
	// wazero), which is what history keeps.
	Findings      []policy.Finding `json:"findings"`
	PolicyVersion string           `json:"policy_version"`
	// ResponseMS is the time from the buyer message to this reply, when known.
	ResponseMS int64 `json:"response_ms,omitempty"`
	// ResolvedDeadline is the reply deadline this reply resolved, if any.
	ResolvedDeadline string `json:"resolved_deadline,omitempty"`
}

// MessageSeen reports a buyer message the seller has not answered yet; it
// starts the message's reply deadline. Idempotent by MessageID when given,
// else by (OrderID, ReceivedAt).
type MessageSeen struct {
	MessageID   string    `json:"message_id,omitempty"`
	OrderID     string    `json:"order_id"`
	Marketplace string    `json:"marketplace,omitempty"`
	ReceivedAt  time.Time `json:"received_at"`
	Text        string    `json:"text,omitempty"`
	// Kind is the deadline kind; empty means "reply-24h".
	Kind string `json:"kind,omitempty"`
}

// Deadline kinds a client may start with message.seen.
var DeadlineKinds = []string{"reply-24h", "a-to-z-info-48h", "chargeback-7d"}

func (m *MessageSeen) Validate() error {
	var f fieldErrors
	checkKey(&f, "message_id", m.MessageID, false)
	checkOrderID(&f, m.OrderID)
	if m.ReceivedAt.IsZero() {
		f.addf(`"received_at" is required (RFC 3339)`)
	} else if m.ReceivedAt.After(time.Now().Add(24 * time.Hour)) {
		f.addf(`"received_at" is in the future`)
	}
	checkText(&f, "text", m.Text)
	if len(m.Marketplace) > 128 {
		f.addf(`"marketplace" is too long`)
	}
	if m.Kind != "" && !contains(DeadlineKinds, m.Kind) {
		f.addf(`"kind" %q must be one of %v`, m.Kind, DeadlineKinds)
	}
	return f.err()
}

// Deadline is a running or finished deadline.
type Deadline struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	OrderID     string    `json:"order_id,omitempty"`
	Marketplace string    `json:"marketplace,omitempty"`
	MessageID   string    `json:"message_id,omitempty"`
	StartAt     time.Time `json:"start_at"`
	DueAt       time.Time `json:"due_at"`
	// State is "open", "due-soon", "overdue" (passed while the companion
	// ran), "missed" (passed while it was down) or "resolved". An overdue or
	// missed deadline may still be resolved later: Resolution is then set.
	State      string    `json:"state"`
	Resolution string    `json:"resolution,omitempty"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
}

// MessageSeenOK answers message.seen.
type MessageSeenOK struct {
	Duplicate bool     `json:"duplicate"`
	Deadline  Deadline `json:"deadline"`
}

// DeadlinesList filters deadlines.
type DeadlinesList struct {
	// State is "open" (default: not yet resolved, including overdue) or "all".
	State   string `json:"state,omitempty"`
	OrderID string `json:"order_id,omitempty"`
	Limit   int    `json:"limit,omitempty"` // default 200, at most 1000
}

func (d *DeadlinesList) Validate() error {
	var f fieldErrors
	switch d.State {
	case "", "open", "all":
	default:
		f.addf(`"state" %q must be "open" or "all"`, d.State)
	}
	if d.OrderID != "" {
		checkOrderID(&f, d.OrderID)
	}
	if d.Limit < 0 || d.Limit > 1000 {
		f.addf(`"limit" must be 0-1000`)
	}
	return f.err()
}

// DeadlinesListOK answers deadlines.list.
type DeadlinesListOK struct {
	Deadlines []Deadline `json:"deadlines"`
}

// Resolutions accepted by deadline.resolve.
const (
	ResolutionReplied          = "replied"
	ResolutionNoResponseNeeded = "no-response-needed"
)

// DeadlineResolve closes a deadline.
type DeadlineResolve struct {
	ID         string `json:"id"`
	Resolution string `json:"resolution"`
}

func (d *DeadlineResolve) Validate() error {
	var f fieldErrors
	checkKey(&f, "id", d.ID, true)
	switch d.Resolution {
	case ResolutionReplied, ResolutionNoResponseNeeded:
	case "":
		f.addf(`"resolution" is required ("replied" or "no-response-needed")`)
	default:
		f.addf(`"resolution" %q must be "replied" or "no-response-needed"`, d.Resolution)
	}
	return f.err()
}

// DeadlineOK answers deadline.resolve.
type DeadlineOK struct {
	Deadline Deadline `json:"deadline"`
}

// DeadlineEvent is the payload of the deadline pushes. Event is the
// scheduler's event name: "due-soon-4h", "due-soon-1h", ... for
// deadline.due_soon; "overdue" or "missed" (it passed while the companion
// was not running) for deadline.overdue; "opened" for deadline.opened.
type DeadlineEvent struct {
	Event    string   `json:"event"`
	Deadline Deadline `json:"deadline"`
}

// ---- policy passthrough ----

// Lint asks the companion's policy.wasm for findings.
type Lint struct {
	Text    string          `json:"text"`
	Context *policy.Context `json:"context,omitempty"`
}

func (l *Lint) Validate() error {
	var f fieldErrors
	checkText(&f, "text", l.Text)
	return f.err()
}

// LintOK answers lint.
type LintOK struct {
	Findings      []policy.Finding `json:"findings"`
	PolicyVersion string           `json:"policy_version"`
}

// Classify asks for the scenario of a buyer message.
type Classify struct {
	Text string `json:"text"`
}

func (c *Classify) Validate() error {
	var f fieldErrors
	checkText(&f, "text", c.Text)
	return f.err()
}

// ClassifyOK answers classify.
type ClassifyOK struct {
	policy.Classification
}

// TemplatesChanged is pushed when templates were created, edited or deleted.
type TemplatesChanged struct {
	IDs []string `json:"ids,omitempty"`
}

// Keepalive is pushed every keepalive interval so an MV3 service worker sees
// traffic and stays awake.
type Keepalive struct {
	Time time.Time `json:"time"`
}

// ---- helpers ----

func checkKey(f *fieldErrors, name, v string, required bool) {
	if v == "" {
		if required {
			f.addf("%q is required", name)
		}
		return
	}
	if len(v) > MaxKeyLen {
		f.addf("%q is longer than %d bytes", name, MaxKeyLen)
		return
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x21 || v[i] > 0x7e {
			f.addf("%q must be printable ASCII without spaces", name)
			return
		}
	}
}

func checkText(f *fieldErrors, name, v string) {
	if len(v) > MaxTextLen {
		f.addf("%q is longer than %d bytes", name, MaxTextLen)
	}
}

func checkOrderID(f *fieldErrors, v string) {
	switch {
	case v == "":
		f.addf(`"order_id" is required`)
	case !policy.ValidOrderID(v):
		f.addf(`"order_id" %q is not an Amazon order id (123-1234567-1234567)`, truncate(v, 40))
	}
}

func knownScenario(s string) bool { return contains(policy.Scenarios, s) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Decode parses a request's payload into the type its request type takes
// and validates it. The server dispatches with the concrete types; Decode
// serves tools and tests that handle any request.
func Decode(req Request) (any, *Error) {
	switch req.Type {
	case TypeAuth:
		return DecodePayload[Auth](req)
	case TypePair:
		return DecodePayload[Pair](req)
	case TypePing:
		return DecodePayload[struct{}](req)
	case TypeTemplatesList:
		return DecodePayload[TemplatesList](req)
	case TypeTemplatesGet:
		return DecodePayload[TemplateRef](req)
	case TypeTemplatesRender:
		return DecodePayload[TemplatesRender](req)
	case TypeReplyRecord:
		return DecodePayload[ReplyRecord](req)
	case TypeMessageSeen:
		return DecodePayload[MessageSeen](req)
	case TypeDeadlinesList:
		return DecodePayload[DeadlinesList](req)
	case TypeDeadlineResolve:
		return DecodePayload[DeadlineResolve](req)
	case TypeLint:
		return DecodePayload[Lint](req)
	case TypeClassify:
		return DecodePayload[Classify](req)
	}
	return nil, Errorf(CodeUnknownType, "unknown request type %q", req.Type)
}
