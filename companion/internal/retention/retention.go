// Package retention periodically removes buyer personal data the seller
// no longer needs: Amazon allows keeping it at most 30 days after delivery.
package retention

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// DefaultPeriod is how long buyer data is kept after delivery or the last
// activity on a message or reply, whichever is later.
const DefaultPeriod = 30 * 24 * time.Hour

// Redactor is what the runner needs (*store.Store has it).
type Redactor interface {
	RedactBuyerData(ctx context.Context, cutoff time.Time) (int, error)
}

// Options configures Run.
type Options struct {
	// Period defaults to DefaultPeriod.
	Period time.Duration
	// PeriodFrom, when set, is asked before each sweep (e.g. reading the
	// seller's setting) so a change applies without a restart; a result
	// <= 0 falls back to Period.
	PeriodFrom func() time.Duration
	// Every is how often to sweep; default 1 hour.
	Every time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger reports sweeps that redacted something, and failures.
	Logger *slog.Logger
}

func (o *Options) defaults() {
	if o.Period <= 0 {
		o.Period = DefaultPeriod
	}
	if o.Every <= 0 {
		o.Every = time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Sweep redacts what is older than the period at the clock's time once
// and returns how many records it redacted.
func Sweep(ctx context.Context, r Redactor, o Options) (int, error) {
	o.defaults()
	period := o.Period
	if o.PeriodFrom != nil {
		if p := o.PeriodFrom(); p > 0 {
			period = p
		}
	}
	n, err := r.RedactBuyerData(ctx, o.Now().Add(-period))
	if err != nil {
		return n, fmt.Errorf("retention sweep: %w", err)
	}
	return n, nil
}

// Run sweeps at start and then every o.Every until ctx ends.
func Run(ctx context.Context, r Redactor, o Options) error {
	o.defaults()
	t := time.NewTicker(o.Every)
	defer t.Stop()
	for {
		n, err := Sweep(ctx, r, o)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			o.Logger.Error("buyer data retention", "err", err)
		case n > 0:
			o.Logger.Info("buyer data redacted", "records", n, "older_than", o.Period)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
