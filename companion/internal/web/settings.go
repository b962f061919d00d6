package web

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/retention"
	"github.com/replyguard/replyguard/companion/internal/store"
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
	data.Starter = "Hello Maria,\n\nSorry the mug arrived broken! We have sent a replacement today. If you like it, please leave us a 5-star review and we'll refund you $5. Any questions? Email me at sales@shop-example.com.\n\nBest regards,\nSunny Home Goods"
	return w.render(c, http.StatusOK, "playground", page{Title: "Playground", Nav: "playground", Page: "playground", Data: data})
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
