package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/policy"
)

// PageSize is how many history entries one page shows.
const PageSize = 50

type historyFilter struct {
	Q, Scenario, Marketplace, Template, Findings, From, To, Cursor string
}

func (f historyFilter) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": f.Q, "scenario": f.Scenario, "marketplace": f.Marketplace, "template": f.Template, "findings": f.Findings, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// Active reports whether any filter (not the page) is set.
func (f historyFilter) Active() bool { return len(f.values()) > 0 }

type historyData struct {
	F            historyFilter
	Replies      []store.Reply
	Next         string // URL of the next page
	First        string // URL of the first page, when not on it
	Scenarios    []string
	Marketplaces []Marketplace
	Templates    []store.Template
	Problem      string
	Took         time.Duration
}

// parseQuery turns the page's query string into a store query. Bad dates
// are reported, not ignored.
func parseHistoryQuery(c echo.Context) (historyFilter, store.Query, string) {
	f := historyFilter{
		Q: c.QueryParam("q"), Scenario: c.QueryParam("scenario"), Marketplace: c.QueryParam("marketplace"),
		Template: c.QueryParam("template"), Findings: c.QueryParam("findings"),
		From: c.QueryParam("from"), To: c.QueryParam("to"), Cursor: c.QueryParam("cursor"),
	}
	// PrefixLast: the word being typed matches as a prefix ("refu" finds
	// "refund"), so results follow every keystroke.
	q := store.Query{Text: f.Q, PrefixLast: true, Scenario: f.Scenario, Marketplace: f.Marketplace, TemplateID: f.Template, Limit: PageSize, Cursor: f.Cursor}
	var problem string
	switch f.Findings {
	case "with", "errors":
		t := true
		q.HasFindings = &t
	case "without":
		t := false
		q.HasFindings = &t
	case "":
	default:
		problem = "Unknown findings filter " + strconv.Quote(f.Findings) + "."
	}
	date := func(s string, name string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", s, time.Local)
		if err != nil {
			problem = "The " + name + " date " + strconv.Quote(s) + " is not a date (YYYY-MM-DD)."
			return time.Time{}
		}
		return t
	}
	q.From = date(f.From, "from")
	if to := date(f.To, "to"); !to.IsZero() {
		q.To = to.AddDate(0, 0, 1) // the whole "to" day
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		problem = "The from date is after the to date."
	}
	return f, q, problem
}

func (w *Web) history(c echo.Context) error {
	f, q, problem := parseHistoryQuery(c)
	data := historyData{F: f, Scenarios: policyScenarios(), Marketplaces: Marketplaces, Problem: problem}
	partial := c.Request().Header.Get("X-Partial") == "1"
	if !partial {
		ts, err := w.d.Store.ListTemplates()
		if err != nil {
			return w.storeFailure(c, "Listing templates", err)
		}
		data.Templates = ts
	}
	if problem == "" {
		start := time.Now()
		pg, err := w.d.Store.SearchHistory(q)
		switch {
		case errors.Is(err, store.ErrInvalid):
			data.Problem = "That page link is no longer valid; showing the newest entries."
			q.Cursor = ""
			pg, err = w.d.Store.SearchHistory(q)
		}
		if err != nil {
			return w.storeFailure(c, "Searching history", err)
		}
		data.Took = time.Since(start)
		data.Replies = pg.Replies
		if f.Findings == "errors" {
			// The index knows "has findings"; errors only are picked here.
			data.Replies = slices.DeleteFunc(data.Replies, func(r store.Reply) bool { return !r.HasErrors() })
		}
		v := f.values()
		if pg.Next != "" {
			v.Set("cursor", pg.Next)
			data.Next = "/history?" + v.Encode()
			v.Del("cursor")
		}
		if f.Cursor != "" {
			data.First = "/history?" + v.Encode()
		}
	}
	c.Response().Header().Set("Server-Timing", "search;dur="+strconv.FormatFloat(float64(data.Took.Microseconds())/1000, 'f', 2, 64))
	if partial {
		return w.render(c, http.StatusOK, "frag_history", page{Data: data})
	}
	return w.render(c, http.StatusOK, "history", page{Title: "History", Nav: "history", Page: "history", Data: data})
}

func policyScenarios() []string { return policy.Scenarios }

// orderIDPattern accepts Amazon order ids and the looser ids tests and
// imports may use; it keeps path junk out of links.
var orderIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// conversationEntry is one message in an order's thread, oldest first.
type conversationEntry struct {
	From     string // "buyer" or "seller"
	At       time.Time
	Text     string
	Findings []store.Finding
	Reply    *store.Reply
	Redacted bool
	// NoResponse marks a "no response needed" resolution.
	NoResponse bool
}

type conversationData struct {
	OrderID     string
	Marketplace string
	Thread      string
	Entries     []conversationEntry
	Deadlines   []store.Deadline
	Generated   time.Time
}

// ExportedConversation is the JSON export of one order's conversation.
type ExportedConversation struct {
	OrderID     string           `json:"order_id"`
	Marketplace string           `json:"marketplace,omitempty"`
	ExportedAt  time.Time        `json:"exported_at"`
	Generator   string           `json:"generator"`
	Messages    []ExportedEntry  `json:"messages"`
	Deadlines   []store.Deadline `json:"deadlines"`
}

// ExportedEntry is one message of an export.
type ExportedEntry struct {
	From       string          `json:"from"`
	At         time.Time       `json:"at"`
	Text       string          `json:"text"`
	TemplateID string          `json:"template_id,omitempty"`
	Findings   []store.Finding `json:"findings_at_send,omitempty"`
	NoResponse bool            `json:"no_response_needed,omitempty"`
	Redacted   bool            `json:"redacted,omitempty"`
}

func (w *Web) loadConversation(c echo.Context) (conversationData, error) {
	order := c.Param("order")
	if !orderIDPattern.MatchString(order) {
		return conversationData{}, echo.NewHTTPError(http.StatusBadRequest, "not an order id")
	}
	data := conversationData{OrderID: order, Generated: w.d.Now()}
	var replies []store.Reply
	q := store.Query{OrderID: order, Limit: 500}
	for {
		pg, err := w.d.Store.SearchHistory(q)
		if err != nil {
			return data, err
		}
		replies = append(replies, pg.Replies...)
		if pg.Next == "" || len(replies) >= 5000 {
			break
		}
		q.Cursor = pg.Next
	}
	seen := map[string]bool{}
	for i := range replies {
		r := &replies[i]
		if data.Marketplace == "" {
			data.Marketplace = r.Marketplace
		}
		if r.BuyerMessage != "" || r.BuyerMessageID != "" {
			key := r.BuyerMessageID
			if key == "" {
				key = r.BuyerMessageAt.String() + r.BuyerMessage
			}
			if !seen[key] {
				seen[key] = true
				data.Entries = append(data.Entries, conversationEntry{From: "buyer", At: r.BuyerMessageAt, Text: r.BuyerMessage, Redacted: r.Redacted})
			}
		}
		data.Entries = append(data.Entries, conversationEntry{From: "seller", At: r.SentAt, Text: r.Text, Findings: r.Findings, Reply: r,
			Redacted: r.Redacted, NoResponse: r.Resolution == store.ResolvedNoResponse})
	}
	ds, err := w.d.Store.ListDeadlines(store.DeadlineFilter{OrderID: order})
	if err != nil {
		return data, err
	}
	data.Deadlines = ds
	// Buyer messages known only from their deadline (not answered yet).
	for _, d := range ds {
		if d.MessageID == "" || seen[d.MessageID] {
			continue
		}
		m, err := w.d.Store.GetBuyerMessage(d.MessageID)
		if err != nil {
			continue
		}
		seen[d.MessageID] = true
		if data.Marketplace == "" {
			data.Marketplace = m.Marketplace
		}
		data.Entries = append(data.Entries, conversationEntry{From: "buyer", At: m.ReceivedAt, Text: m.Text, Redacted: m.Redacted})
	}
	slices.SortStableFunc(data.Entries, func(a, b conversationEntry) int { return a.At.Compare(b.At) })
	data.Thread = threadURL(data.Marketplace, order)
	if len(data.Entries) == 0 {
		return data, store.ErrNotFound
	}
	return data, nil
}

func (w *Web) conversation(c echo.Context) error {
	data, err := w.loadConversation(c)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return w.failure(c, he.Code, "That is not an order id.")
		}
		if errors.Is(err, store.ErrNotFound) {
			return w.failure(c, http.StatusNotFound, "No messages or replies are recorded for order "+c.Param("order")+".")
		}
		return w.storeFailure(c, "Reading the conversation", err)
	}
	return w.render(c, http.StatusOK, "conversation", page{Title: "Order " + data.OrderID, Nav: "history", Page: "conversation", Data: data})
}

func (w *Web) conversationPrint(c echo.Context) error {
	data, err := w.loadConversation(c)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return w.failure(c, http.StatusNotFound, "No messages or replies are recorded for order "+c.Param("order")+".")
		}
		return w.storeFailure(c, "Reading the conversation", err)
	}
	return w.render(c, http.StatusOK, "conversation_print", page{Title: "Order " + data.OrderID, Page: "print", Data: data})
}

func (w *Web) conversationJSON(c echo.Context) error {
	data, err := w.loadConversation(c)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return echo.NewHTTPError(http.StatusNotFound, "no messages or replies are recorded for this order")
		}
		return err
	}
	out := ExportedConversation{OrderID: data.OrderID, Marketplace: data.Marketplace, ExportedAt: data.Generated.UTC(),
		Generator: "ReplyGuard " + w.d.Version, Messages: []ExportedEntry{}, Deadlines: data.Deadlines}
	for _, e := range data.Entries {
		x := ExportedEntry{From: e.From, At: e.At.UTC(), Text: e.Text, Findings: e.Findings, NoResponse: e.NoResponse, Redacted: e.Redacted}
		if e.Reply != nil {
			x.TemplateID = e.Reply.TemplateID
		}
		out.Messages = append(out.Messages, x)
	}
	if out.Deadlines == nil {
		out.Deadlines = []store.Deadline{}
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="order-`+data.OrderID+`.json"`)
	return c.JSONPretty(http.StatusOK, out, "  ")
}
