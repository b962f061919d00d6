// Package figures computes response-time figures the way Amazon's Late
// Response Rate does: over the buyer messages of the last 7, 30 and 90
// days, the share answered within 24 hours, with "no response needed"
// messages removed from the metric, plus median and 90th percentile
// response times.
package figures

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
)

// Limit is Amazon's response-time limit.
const Limit = 24 * time.Hour

// DefaultDays are the windows Amazon reports.
var DefaultDays = []int{7, 30, 90}

// Sample is one buyer message and what became of it.
type Sample struct {
	Received time.Time
	// Answered is when the seller replied; zero if not (yet).
	Answered time.Time
	// NoResponseNeeded removes the message from the metric, as Amazon does.
	NoResponseNeeded bool
	// Marketplace, when known, lets ByMarketplace split the figures the
	// way Account Health reports them.
	Marketplace string
}

// Window holds the figures of one period.
type Window struct {
	Days int `json:"days"`
	// Counted is how many messages the metric counts: answered ones and
	// unanswered ones older than 24 hours.
	Counted int `json:"counted"`
	// OnTime were answered within 24 hours; Late after, or not at all yet.
	OnTime int `json:"on_time"`
	Late   int `json:"late"`
	// Pending are unanswered but still inside their 24 hours: not counted yet.
	Pending int `json:"pending"`
	// NoResponseNeeded were removed from the metric.
	NoResponseNeeded int `json:"no_response_needed"`
	// OnTimeShare is OnTime/Counted and LateResponseRate Late/Counted
	// (both 0 when nothing is counted).
	OnTimeShare      float64 `json:"on_time_share"`
	LateResponseRate float64 `json:"late_response_rate"`
	// Median and P90 are over answered messages (zero when none).
	Median time.Duration `json:"median_ns"`
	P90    time.Duration `json:"p90_ns"`
}

// Report is the figures for each window at a moment.
type Report struct {
	Now     time.Time `json:"now"`
	Windows []Window  `json:"windows"`
}

// Compute returns the figures for the windows (DefaultDays when none),
// each covering messages received in [now - days, now].
func Compute(samples []Sample, now time.Time, days ...int) Report {
	if len(days) == 0 {
		days = DefaultDays
	}
	rep := Report{Now: now}
	for _, d := range days {
		from := now.Add(-time.Duration(d) * 24 * time.Hour)
		w := Window{Days: d}
		var times []time.Duration
		for _, s := range samples {
			if s.Received.Before(from) || s.Received.After(now) {
				continue
			}
			switch {
			case s.NoResponseNeeded:
				w.NoResponseNeeded++
			case !s.Answered.IsZero() && !s.Answered.After(now):
				rt := max(s.Answered.Sub(s.Received), 0)
				times = append(times, rt)
				if rt <= Limit {
					w.OnTime++
				} else {
					w.Late++
				}
			case now.Sub(s.Received) > Limit:
				w.Late++
			default:
				w.Pending++
			}
		}
		w.Counted = w.OnTime + w.Late
		if w.Counted > 0 {
			w.OnTimeShare = float64(w.OnTime) / float64(w.Counted)
			w.LateResponseRate = float64(w.Late) / float64(w.Counted)
		}
		slices.Sort(times)
		w.Median = percentile(times, 0.5)
		w.P90 = percentile(times, 0.9)
		rep.Windows = append(rep.Windows, w)
	}
	return rep
}

// percentile uses the nearest-rank method on sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

// ByMarketplace computes one report per marketplace (samples without one
// are reported under "").
func ByMarketplace(samples []Sample, now time.Time, days ...int) map[string]Report {
	groups := map[string][]Sample{}
	for _, s := range samples {
		groups[s.Marketplace] = append(groups[s.Marketplace], s)
	}
	out := make(map[string]Report, len(groups))
	for m, g := range groups {
		out[m] = Compute(g, now, days...)
	}
	return out
}

// FromDeadlines turns reply deadlines (store.ReplyDeadlines) into samples.
func FromDeadlines(ds []store.Deadline) []Sample {
	out := make([]Sample, 0, len(ds))
	for _, d := range ds {
		if d.Kind != store.KindReply {
			continue
		}
		s := Sample{Received: d.Start, Marketplace: d.Marketplace}
		switch d.Resolution {
		case store.ResolvedNoResponse:
			s.NoResponseNeeded = true
		case store.ResolvedReplied:
			s.Answered = d.ResolvedAt
		}
		out = append(out, s)
	}
	return out
}

// Source is what ForStore needs (*store.Store has it).
type Source interface {
	ReplyDeadlines(since time.Time) ([]store.Deadline, error)
}

// ForStore computes the report from the store's reply deadlines.
func ForStore(src Source, now time.Time, days ...int) (Report, error) {
	if len(days) == 0 {
		days = DefaultDays
	}
	longest := slices.Max(days)
	ds, err := src.ReplyDeadlines(now.Add(-time.Duration(longest) * 24 * time.Hour))
	if err != nil {
		return Report{}, fmt.Errorf("figures: %w", err)
	}
	return Compute(FromDeadlines(ds), now, days...), nil
}
