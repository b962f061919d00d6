package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/labstack/echo/v4"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/retention"
	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/policy"
)

// ---- playground ----

// sampleTemplate is a template as the playground offers it: rendered with
// sample values, ready to drop into the reply box.
type sampleTemplate struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Scenarios []string `json:"scenarios"`
	Text      string   `json:"text"`
}

// example buyer messages for the playground's "try one" buttons.
type example struct {
	Label, Text string
}

var examples = []example{
	{"Where is my order?", "Hi, I ordered a lamp on the 3rd (order 113-4829301-5567812) and tracking hasn't moved in five days. Where is my package? I need it before Friday."},
	{"Arrived broken", "The mug arrived in pieces, the box was crushed. Order 114-3941689-8772232. What can you do?"},
	{"Wants to cancel", "Please cancel my order 112-7781920-3345581, I ordered the wrong size by mistake. It hasn't shipped yet I think."},
	{"Forwarded by Amazon", "We've been contacted by a customer regarding the order identified below.\n\nOrder ID: 111-2222222-3333333\n\nReason: Return request\n\nDetail: The customer says the item does not match the description and would like to return it."},
}

type playgroundData struct {
	Labels    map[string]string
	Templates []sampleTemplate
	Examples  []example
	Starter   string
	// The first paint, computed here with the same policy.wasm so nothing
	// moves when the script takes over.
	Buyer      string       `json:"-"`
	Scenario   string       `json:"-"`
	Confidence string       `json:"-"`
	Suggested  []suggestion `json:"-"`
	Cards      []card       `json:"-"`
	Count      string       `json:"-"`
	Verdict    string       `json:"-"`
	VerdictCls string       `json:"-"`
}

// suggestion and card mirror the markup ui/playground.ts and
// ui/findings.ts build.
type suggestion struct{ ID, Title, Snippet string }

type card struct {
	Severity, Rule, Title, Message, Quote, Why, FixLabel string
	Show                                                 bool
}

func (w *Web) playground(c echo.Context) error {
	list, err := w.d.Store.ListTemplates()
	if err != nil {
		return w.storeFailure(c, "Listing templates", err)
	}
	now := w.d.Now()
	data := playgroundData{Examples: examples, Labels: ScenarioLabels}
	for _, t := range list {
		if t.Kind == "proactive" {
			continue
		}
		lt := asLibrary(t)
		vals := samples(lt)
		vals["buyer_name"] = "Maria"
		vals["order_id"] = "114-3941689-8772232"
		r, _ := lt.Render(vals, now)
		data.Templates = append(data.Templates, sampleTemplate{ID: t.ID, Title: t.Title, Scenarios: lt.Scenarios, Text: r.Text})
	}
	// A first reply that shows what the checker catches, so the page is
	// useful before anything is typed.
	data.Starter = "Hello Maria,\n\nSorry the mug arrived broken! We have sent a replacement today.\n\nIf you like it, please leave us a 5-star review and we'll refund you $5. Any questions? Email me at sales@shop-example.com.\n\nBest regards,\nSunny Home Goods"
	data.Buyer = examples[1].Text
	w.firstPaint(c, &data, now)
	return w.render(c, http.StatusOK, "playground", page{Title: "Playground", Nav: "playground", Page: "playground", Data: data})
}

// firstPaint classifies the example message, picks its templates and
// lints the starter reply, exactly as the script will.
func (w *Web) firstPaint(c echo.Context, d *playgroundData, now time.Time) {
	ctx, cancel := context.WithTimeout(w.ctx(c), 5*time.Second)
	defer cancel()
	cl, err := w.d.Policy.Classify(ctx, d.Buyer)
	if err != nil {
		return // the script fills it in
	}
	d.Scenario = ScenarioLabels[cl.Scenario]
	d.Confidence = fmt.Sprintf("confidence %d%%", int(math.Round(cl.Confidence*100)))
	if cl.OrderID != "" {
		d.Confidence += " · order " + cl.OrderID
	}
	if cl.Forwarded {
		d.Confidence += " · forwarded by Amazon"
	}
	for _, t := range d.Templates {
		if slices.Contains(t.Scenarios, cl.Scenario) && len(d.Suggested) < 6 {
			d.Suggested = append(d.Suggested, suggestion{ID: t.ID, Title: t.Title, Snippet: jsSnippet(t.Text, 90)})
		}
	}
	fs, err := w.d.Policy.Lint(ctx, d.Starter, policy.Context{Kind: "reply", Now: now.UTC().Format(time.RFC3339)})
	if err != nil {
		return
	}
	rank := map[policy.Severity]int{policy.Error: 0, policy.Warning: 1, policy.Info: 2}
	slices.SortStableFunc(fs, func(a, b policy.Finding) int {
		return cmp.Or(a.Start-b.Start, a.End-b.End, rank[a.Severity]-rank[b.Severity])
	})
	rules := map[string]policy.Rule{}
	for _, r := range policy.Rules() {
		rules[r.ID] = r
	}
	u := utf16.Encode([]rune(d.Starter))
	text16 := len(u)
	errs, warns := 0, 0
	for _, f := range fs {
		quote := string(utf16.Decode(u[max(0, min(f.Start, text16)):max(0, min(f.End, text16))]))
		cd := card{Severity: string(f.Severity), Rule: f.Rule, Title: f.Rule, Message: f.Message}
		if r, ok := rules[f.Rule]; ok {
			cd.Title, cd.Why = r.Title, r.Rationale
		}
		if quote != "" && len(utf16.Encode([]rune(quote))) < 80 && quote != d.Starter {
			cd.Quote = quote
		}
		if f.Fix != nil {
			r := f.Fix.Replacement
			switch {
			case r == "":
				cd.FixLabel = "Remove it"
			case len(utf16.Encode([]rune(r))) > 30:
				cd.FixLabel = "Replace with “" + string(utf16.Decode(utf16.Encode([]rune(r))[:30])) + "…”"
			default:
				cd.FixLabel = "Replace with “" + r + "”"
			}
		}
		cd.Show = f.End > f.Start && !(f.Start <= 0 && f.End >= text16)
		d.Cards = append(d.Cards, cd)
		switch f.Severity {
		case policy.Error:
			errs++
		case policy.Warning:
			warns++
		}
	}
	d.Count = fmt.Sprintf("%d / 4000", text16)
	switch {
	case errs > 0:
		d.Verdict, d.VerdictCls = fmt.Sprintf("%d error%s: Amazon may block this message", errs, plural(errs)), "bad"
	case warns > 0:
		d.Verdict, d.VerdictCls = fmt.Sprintf("%d warning%s to review", warns, plural(warns)), "warn"
	default:
		d.Verdict, d.VerdictCls = "Ready to send", "ok"
	}
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

var spaces = regexp.MustCompile(`\s+`)

// jsSnippet is ui/playground.ts's snippet: whitespace collapsed, the first
// n UTF-16 units, then an ellipsis.
func jsSnippet(s string, n int) string {
	s = spaces.ReplaceAllString(s, " ")
	u := utf16.Encode([]rune(s))
	if len(u) > n {
		u = u[:n]
	}
	return string(utf16.Decode(u)) + "…"
}

// ---- settings ----

type settingsData struct {
	Clients       []auth.Client
	DataDir       string
	Encrypted     bool
	RetentionDays int
	DefaultDays   int
	Problem       string
}

func (w *Web) retentionDays() int {
	def := int(retention.DefaultPeriod / (24 * time.Hour))
	v, err := w.d.Store.Setting(SettingRetentionDays)
	if err != nil {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return def
	}
	return n
}

// RetentionPeriod is the buyer-data retention period the seller chose on
// the settings page (pass it as retention.Options.PeriodFrom).
func (w *Web) RetentionPeriod() time.Duration {
	return time.Duration(w.retentionDays()) * 24 * time.Hour
}

func (w *Web) settingsPage(c echo.Context, status int, problem string) error {
	data := settingsData{
		Clients: w.d.Auth.Clients(), DataDir: w.d.Store.Dir(), Encrypted: w.d.Store.Encrypted(),
		RetentionDays: w.retentionDays(), DefaultDays: int(retention.DefaultPeriod / (24 * time.Hour)), Problem: problem,
	}
	return w.render(c, status, "settings", page{Title: "Settings", Nav: "settings", Page: "settings", Data: data})
}

func (w *Web) settings(c echo.Context) error { return w.settingsPage(c, http.StatusOK, "") }

// MaxRetentionDays caps the retention period: Amazon allows keeping buyer
// data at most 30 days after delivery unless tax law requires more; a
// seller who must keep invoices longer can go up to ten years.
const MaxRetentionDays = 3650

func (w *Web) settingsRetention(c echo.Context) error {
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("days")))
	if err != nil || n < 1 || n > MaxRetentionDays {
		return w.settingsPage(c, http.StatusUnprocessableEntity, "The retention period must be a whole number of days between 1 and "+strconv.Itoa(MaxRetentionDays)+".")
	}
	if err := w.d.Store.SetSetting(SettingRetentionDays, strconv.Itoa(n)); err != nil {
		return w.storeFailure(c, "Saving the retention period", err)
	}
	return c.Redirect(http.StatusSeeOther, "/settings?done=retention")
}

// settingsBackup streams a backup file. It is a POST (with the CSRF
// token) so no other page can start a download of the seller's data.
func (w *Web) settingsBackup(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", `attachment; filename="replyguard-`+w.d.Now().Format("2006-01-02")+`.rgbackup"`)
	c.Response().WriteHeader(http.StatusOK)
	if err := w.d.Store.Backup(c.Response()); err != nil {
		// Headers are gone; cut the stream so the file is visibly broken
		// (Restore refuses a truncated backup).
		w.d.Logger.Error("backup", "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

func (w *Web) settingsRestore(c echo.Context) error {
	fh, err := c.FormFile("backup")
	if err != nil {
		return w.settingsPage(c, http.StatusBadRequest, "Choose a backup file to restore.")
	}
	src, err := fh.Open()
	if err != nil {
		return w.settingsPage(c, http.StatusBadRequest, "The upload could not be read: "+err.Error())
	}
	defer src.Close()
	// Restore reads the file twice (check, then load): spool it to disk.
	tmp, err := os.CreateTemp("", "replyguard-restore-*")
	if err != nil {
		return w.settingsPage(c, http.StatusInternalServerError, "Could not store the upload: "+err.Error())
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := io.Copy(tmp, src); err != nil {
		return w.settingsPage(c, http.StatusInternalServerError, "Could not store the upload: "+err.Error())
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return w.settingsPage(c, http.StatusInternalServerError, err.Error())
	}
	force := c.FormValue("replace") == "yes"
	err = w.d.Store.Restore(tmp, nil, force)
	switch {
	case errors.Is(err, store.ErrBadBackup):
		return w.settingsPage(c, http.StatusUnprocessableEntity, "Nothing was changed: "+err.Error()+".")
	case errors.Is(err, store.ErrNotEmpty):
		return w.settingsPage(c, http.StatusConflict, "Nothing was changed: this companion already holds data. Tick “Replace everything” to overwrite it with the backup.")
	case err != nil:
		return w.settingsPage(c, http.StatusInternalServerError, "Restore failed: "+err.Error())
	}
	return c.Redirect(http.StatusSeeOther, "/settings?done=restored-backup")
}
