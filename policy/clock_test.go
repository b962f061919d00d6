package policy

import (
	"testing"
	"time"
)

// The hand-written date code must agree with the time package.
func TestClockMatchesTimePackage(t *testing.T) {
	for _, s := range []string{"2026-11-16T09:00:00Z", "1999-12-31T23:59:59+05:30", "2024-02-29T00:00:00.123456-08:00", "1970-01-01T00:00:00Z", "2100-03-01T12:00:00Z"} {
		want, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := parseRFC3339(s)
		if !ok || got != want.Unix() {
			t.Errorf("parseRFC3339(%q) = %d, %v; want %d", s, got, ok, want.Unix())
		}
	}
	for _, s := range []string{"", "2026-11-16", "2026-11-16T09:00:00", "2026-13-16T09:00:00Z", "2026-11-16T09:00:00+0100", "x026-11-16T09:00:00Z"} {
		if _, ok := parseRFC3339(s); ok {
			t.Errorf("parseRFC3339(%q) accepted a malformed time", s)
		}
	}
	d, ok := daysSince("2026-08-15", "2026-11-16T09:00:00Z")
	if !ok || d != 93 {
		t.Errorf("daysSince = %d, %v; want 93", d, ok)
	}
	if d, _ := daysSince("2026-11-17", "2026-11-16T09:00:00Z"); d != -1 {
		t.Errorf("a future date is %d days ago, want -1", d)
	}
	now, _ := daysSince("1970-01-01", "")
	if want := int(time.Since(time.Unix(0, 0)).Hours() / 24); now != want {
		t.Errorf("days since epoch now = %d, want %d", now, want)
	}
}
