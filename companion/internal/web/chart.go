package web

import (
	"fmt"
	"slices"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
)

// chart is the dashboard's daily response-time chart, laid out on the
// server and drawn as inline SVG: bars are the day's median response time,
// red marks the replies that were late (after 24 h or not at all). No
// script, no chart library, nothing moves when the page loads.
type chart struct {
	W, H      int
	PlotTop   int
	PlotBot   int
	Bars      []bar
	Ticks     []tick
	LimitY    float64 // y of the 24 h line, or -1 when off scale
	MaxHours  int
	Empty     bool
	Total     int
	TotalLate int
}

type bar struct {
	X, Y, W, H float64
	LateY      float64 // top of the late marker
	LateH      float64
	Late       int
	Count      int
	Label      string // x axis label (every 5th day)
	LabelX     float64
	Title      string // tooltip
	Over       bool   // median over 24 h
}

type tick struct {
	Y     float64
	Label string
}

func buildChart(ds []store.Deadline, now time.Time, days int) chart {
	c := chart{W: 1120, H: 230, PlotTop: 12, PlotBot: 188}
	loc := now.Location()
	start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, -(days - 1))
	times := make([][]time.Duration, days)
	late := make([]int, days)
	counts := make([]int, days)
	for _, d := range ds {
		if d.Kind != store.KindReply || d.Resolution == store.ResolvedNoResponse {
			continue
		}
		i := int(d.Start.In(loc).Sub(start).Hours() / 24)
		if d.Start.Before(start) || i < 0 || i >= days {
			continue
		}
		switch {
		case d.Resolution == store.ResolvedReplied && !d.ResolvedAt.IsZero():
			rt := max(d.ResolvedAt.Sub(d.Start), 0)
			times[i] = append(times[i], rt)
			counts[i]++
			if rt > 24*time.Hour {
				late[i]++
			}
		case now.Sub(d.Start) > 24*time.Hour:
			counts[i]++
			late[i]++
		}
	}
	medians := make([]float64, days)
	maxH := 24.0
	for i := range times {
		if len(times[i]) > 0 {
			slices.Sort(times[i])
			medians[i] = times[i][(len(times[i])-1)/2].Hours()
			maxH = max(maxH, medians[i])
		}
		c.Total += counts[i]
		c.TotalLate += late[i]
	}
	c.Empty = c.Total == 0
	// Round the scale up to a multiple of 6 hours.
	top := int(maxH+5.999) / 6 * 6
	c.MaxHours = top
	plotH := float64(c.PlotBot - c.PlotTop)
	y := func(h float64) float64 { return float64(c.PlotBot) - h/float64(top)*plotH }
	for h := 0; h <= top; h += max(6, top/4/6*6) {
		c.Ticks = append(c.Ticks, tick{Y: y(float64(h)), Label: fmt.Sprintf("%d h", h)})
	}
	c.LimitY = y(24)
	left, right := 44.0, float64(c.W-28)
	slot := (right - left) / float64(days)
	maxLate := 1
	for _, n := range late {
		maxLate = max(maxLate, n)
	}
	for i := 0; i < days; i++ {
		day := start.AddDate(0, 0, i)
		b := bar{X: left + float64(i)*slot + slot*0.18, W: slot * 0.64, Late: late[i], Count: counts[i]}
		b.Y = y(medians[i])
		b.H = float64(c.PlotBot) - b.Y
		if counts[i] > 0 && b.H < 2 {
			b.H, b.Y = 2, float64(c.PlotBot)-2
		}
		b.Over = medians[i] > 24
		if late[i] > 0 {
			b.LateH = 3 + 9*float64(late[i])/float64(maxLate)
			b.LateY = float64(c.PlotBot) + 4
		}
		if i%5 == 0 || i == days-1 {
			b.Label = day.Format("2 Jan")
			b.LabelX = b.X + b.W/2
		}
		switch {
		case counts[i] == 0:
			b.Title = day.Format("Mon 2 Jan") + ": no buyer messages"
		default:
			b.Title = fmt.Sprintf("%s: %d messages, median reply %s, %d late", day.Format("Mon 2 Jan"), counts[i], fmtDur(time.Duration(medians[i]*float64(time.Hour))), late[i])
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}
