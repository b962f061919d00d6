package web

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/replyguard/replyguard/companion/internal/figures"
	"github.com/replyguard/replyguard/companion/internal/store"
)

// deadlineRow is one open deadline on the dashboard.
type deadlineRow struct {
	store.Deadline
	Label   string // "Reply to buyer", "A-to-z information", ...
	Urgency string // overdue, missed, due-soon, open
	Left    string // "in 3 h 5 min" / "2 h ago"
	Thread  string
}

var kindLabels = map[store.Kind]string{
	store.KindReply:           "Reply to buyer (24 h)",
	store.KindAtoZInfo:        "A-to-z information (48 h)",
	store.KindChargeback:      "Chargeback response (7 d)",
	store.KindReviewWindow:    "Review request window",
	store.KindProactiveWindow: "Proactive message window",
}

// dueSoon is when an open deadline is shown as due soon.
const dueSoon = 4 * time.Hour

type dashboardData struct {
	Now       time.Time
	Deadlines []deadlineRow
	Overdue   int
	DueSoon   int
	Missed    int
	Figures   figures.Report
	Chart     chart
	// Risk is a one-line verdict on the 30-day late response rate.
	Risk, RiskLevel string
}

// openDeadlines lists unresolved deadlines: the pending ones of every kind
// from the due index, and the reply deadlines of the last 90 days (recent,
// already read for the figures) that passed unanswered. Overdue deadlines
// of other kinds leave the due index when they fire and the store has no
// index of unresolved ones, so they are not listed once overdue (a full
// scan of every deadline ever would not meet the page budget).
func (w *Web) openDeadlines(now time.Time, recent []store.Deadline) ([]deadlineRow, error) {
	pending, err := w.d.Store.ListDeadlines(store.DeadlineFilter{PendingOnly: true, Limit: 500})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, d := range pending {
		seen[d.ID] = true
	}
	var late []store.Deadline
	for _, d := range recent {
		if !seen[d.ID] && d.ResolvedAt.IsZero() && (d.State == store.StateOverdue || d.State == store.StateMissed) {
			late = append(late, d)
		}
	}
	var rows []deadlineRow
	for _, d := range append(late, pending...) {
		if !d.ResolvedAt.IsZero() {
			continue
		}
		r := deadlineRow{Deadline: d, Label: kindLabels[d.Kind], Left: ago(d.Due, now), Thread: threadURL(d.Marketplace, d.OrderID)}
		if r.Label == "" {
			r.Label = string(d.Kind)
		}
		switch {
		case d.State == store.StateMissed:
			r.Urgency = "missed"
		case d.State == store.StateOverdue || !d.Due.After(now):
			r.Urgency = "overdue"
		case d.Due.Sub(now) <= dueSoon || d.State == store.StateDueSoon:
			r.Urgency = "due-soon"
		default:
			r.Urgency = "open"
		}
		rows = append(rows, r)
	}
	rank := map[string]int{"overdue": 0, "missed": 1, "due-soon": 2, "open": 3}
	slices.SortStableFunc(rows, func(a, b deadlineRow) int {
		if d := rank[a.Urgency] - rank[b.Urgency]; d != 0 {
			return d
		}
		return a.Due.Compare(b.Due)
	})
	return rows, nil
}

func (w *Web) dashboard(c echo.Context) error {
	now := w.d.Now()
	ds, err := w.d.Store.ReplyDeadlines(now.Add(-90 * 24 * time.Hour))
	if err != nil {
		return w.storeFailure(c, "Reading response times", err)
	}
	rows, err := w.openDeadlines(now, ds)
	if err != nil {
		return w.storeFailure(c, "Reading deadlines", err)
	}
	data := dashboardData{Now: now, Deadlines: rows}
	data.Figures = figures.Compute(figures.FromDeadlines(ds), now)
	data.Chart = buildChart(ds, now, 30)
	for _, r := range rows {
		switch r.Urgency {
		case "overdue":
			data.Overdue++
		case "missed":
			data.Missed++
		case "due-soon":
			data.DueSoon++
		}
	}
	data.Risk, data.RiskLevel = risk(data.Figures)
	return w.render(c, http.StatusOK, "dashboard", page{Title: "Dashboard", Nav: "dashboard", Page: "dashboard", Data: data})
}

// risk reads Amazon's target: a Late Response Rate under 10%.
func risk(r figures.Report) (string, string) {
	for _, win := range r.Windows {
		if win.Days != 30 {
			continue
		}
		if win.Counted == 0 {
			return "No buyer messages counted in the last 30 days yet.", "none"
		}
		lrr := win.LateResponseRate * 100
		switch {
		case lrr >= 10:
			return fmt.Sprintf("At risk: %.1f%% of replies in the last 30 days were late; Amazon expects under 10%%.", lrr), "bad"
		case lrr >= 5:
			return fmt.Sprintf("Watch it: %.1f%% late in the last 30 days (Amazon's limit is 10%%).", lrr), "warn"
		default:
			return fmt.Sprintf("Healthy: %.1f%% late in the last 30 days (Amazon's limit is 10%%).", lrr), "good"
		}
	}
	return "", "none"
}
