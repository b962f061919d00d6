package web

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
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

// openDeadlines lists unresolved deadlines of every kind, overdue ones
// included, from the store's index of unresolved deadlines, plus the reply
// deadlines of the last 90 days (recent, already read for the figures) that
// passed unanswered.
func (w *Web) openDeadlines(now time.Time, recent []store.Deadline) ([]deadlineRow, error) {
	pending, err := w.d.Store.ListDeadlines(store.DeadlineFilter{Unresolved: true, Limit: 500})
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

// recentCache holds the reply deadlines of the last 90 days: reading them
// costs about 15 us each (a store get and a JSON decode), 380 ms for a
// seller with 25k messages a quarter. The dashboard serves a copy up to
// freshFor old at once, refreshes it in the background until staleAfter,
// and reads it again beyond. Unresolved deadlines in it are re-read one by
// one (few), so the list of what is due is never stale; only the figures
// and the chart may lag by up to staleAfter.
type recentCache struct {
	mu         sync.Mutex
	at         time.Time
	ds         []store.Deadline
	refreshing bool
}

const (
	freshFor   = 30 * time.Second
	staleAfter = 5 * time.Minute
)

func (w *Web) loadRecent(now time.Time) ([]store.Deadline, error) {
	ds, err := w.d.Store.ReplyDeadlines(now.Add(-90 * 24 * time.Hour))
	if err != nil {
		return nil, err
	}
	w.recent.mu.Lock()
	w.recent.at, w.recent.ds = now, ds
	w.recent.mu.Unlock()
	return ds, nil
}

// recentDeadlines returns the 90-day reply deadlines, current as described
// on recentCache.
func (w *Web) recentDeadlines(now time.Time) ([]store.Deadline, error) {
	rc := &w.recent
	rc.mu.Lock()
	age, ds := now.Sub(rc.at), rc.ds
	if rc.at.IsZero() || age > staleAfter || age < 0 {
		rc.mu.Unlock()
		return w.refreshPending(w.loadRecent(now))
	}
	if age > freshFor && !rc.refreshing {
		rc.refreshing = true
		go func() {
			if _, err := w.loadRecent(w.d.Now()); err != nil {
				w.d.Logger.Warn("refresh response times", "err", err)
			}
			rc.mu.Lock()
			rc.refreshing = false
			rc.mu.Unlock()
		}()
	}
	rc.mu.Unlock()
	return w.refreshPending(ds, nil)
}

// refreshPending re-reads the unresolved deadlines of a (possibly cached)
// list, so a reply sent a second ago shows as answered.
func (w *Web) refreshPending(ds []store.Deadline, err error) ([]store.Deadline, error) {
	if err != nil {
		return nil, err
	}
	out := ds
	copied := false
	for i, d := range ds {
		if !d.ResolvedAt.IsZero() {
			continue
		}
		fresh, err := w.d.Store.GetDeadline(d.ID)
		if err != nil {
			continue // purged meanwhile: keep what we had
		}
		if !copied {
			out = slices.Clone(ds)
			copied = true
		}
		out[i] = fresh
	}
	return out, nil
}

func (w *Web) dashboard(c echo.Context) error {
	now := w.d.Now()
	ds, err := w.recentDeadlines(now)
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
