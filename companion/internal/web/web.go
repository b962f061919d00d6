// Package web is the companion's local web page: dashboard, history,
// template editor, playground and settings, served on the companion's
// loopback port.
//
// Pages are rendered on the server with html/template and enhanced by one
// small script (ui/, bundled by esbuild into assets/dist/app.js): the first
// paint already holds the data, so nothing shifts when it loads, the page
// works without a framework, and the companion stays small. The script
// reuses the extension's own overlay and card code (extension/src/content)
// and the same policy.wasm, so underlines in the editor and the playground
// are exactly the extension's.
//
// Every route sits behind the server's Host check, security headers and
// CSRF protection; pages add 'wasm-unsafe-eval' to script-src (policy.wasm
// must compile) and nothing else: no inline script or style.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/replyguard/replyguard/companion/internal/auth"
	"github.com/replyguard/replyguard/companion/internal/server"
	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/wasm/artifact"
)

//go:embed tmpl/*.html
var tmplFS embed.FS

//go:embed assets
var assetFS embed.FS

// Store is what the pages need from the data store (*store.Store).
type Store interface {
	ListTemplates() ([]store.Template, error)
	GetTemplate(id string) (store.Template, error)
	SaveTemplate(e store.TemplateEdit) (store.Template, error)
	DeleteTemplate(id string) error
	SearchHistory(q store.Query) (store.Page, error)
	ListDeadlines(f store.DeadlineFilter) ([]store.Deadline, error)
	GetDeadline(id string) (store.Deadline, error)
	ReplyDeadlines(since time.Time) ([]store.Deadline, error)
	GetBuyerMessage(id string) (store.BuyerMessage, error)
	Setting(key string) (string, error)
	SetSetting(key, value string) error
	Backup(w io.Writer) error
	Restore(r io.ReadSeeker, backupKey []byte, force bool) error
	Dir() string
	Encrypted() bool
}

// Policy is the policy engine under wazero (server.Policy).
type Policy = server.Policy

// Deps are what the pages use. Store, Policy and Auth are required.
type Deps struct {
	Store  Store
	Policy Policy
	Auth   *auth.Manager
	// Version is the companion's version, shown in the footer.
	Version string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// TemplatesChanged is told about saved or deleted templates (wire it to
	// the server's PushTemplatesChanged so open tabs refetch).
	TemplatesChanged func(ids []string)
	Logger           *slog.Logger
}

// Web holds the parsed page templates and assets.
type Web struct {
	d      Deps
	pages  map[string]*template.Template
	assets map[string]*asset // by hashed name
	urls   map[string]string // logical name -> /assets/hashed name
	recent recentCache
}

type asset struct {
	body  []byte
	ctype string
	// gz is made on first use: compressing policy.wasm takes longer than
	// the companion's whole start-up budget.
	gzOnce sync.Once
	gz     []byte
}

func (a *asset) gzipped() []byte {
	a.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(a.body)
		zw.Close()
		if buf.Len() < len(a.body)*9/10 {
			a.gz = buf.Bytes()
		}
	})
	return a.gz
}

// Setting keys owned by the page.
const (
	// SettingRetentionDays is the buyer-data retention period in days
	// (retention.DefaultPeriod when unset).
	SettingRetentionDays = "web.retention_days"
)

// New parses the templates and prepares the assets.
func New(d Deps) (*Web, error) {
	if d.Store == nil || d.Policy == nil || d.Auth == nil {
		return nil, errors.New("web: Store, Policy and Auth are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Version == "" {
		d.Version = "0.1.0" // the server's default too
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.TemplatesChanged == nil {
		d.TemplatesChanged = func([]string) {}
	}
	w := &Web{d: d, assets: map[string]*asset{}, urls: map[string]string{}}
	if err := w.loadAssets(); err != nil {
		return nil, err
	}
	if err := w.parse(); err != nil {
		return nil, err
	}
	return w, nil
}

// loadAssets reads the embedded files and policy.wasm, names each by a hash
// of its content (so browsers may cache them forever) and gzips them once.
func (w *Web) loadAssets() error {
	add := func(name string, body []byte) {
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		w.assets[hashed] = &asset{body: body, ctype: contentType(ext)}
		w.urls[name] = "/assets/" + hashed
	}
	err := fs.WalkDir(assetFS, "assets", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		add(path.Base(p), b)
		return nil
	})
	if err != nil {
		return fmt.Errorf("web assets: %w", err)
	}
	add("policy.wasm", artifact.Wasm)
	return nil
}

func contentType(ext string) string {
	switch ext {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".wasm":
		return "application/wasm"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	}
	return "application/octet-stream"
}

// ScriptReady reports whether the page script was built into the binary.
func (w *Web) ScriptReady() bool { _, ok := w.urls["app.js"]; return ok }

// Mount registers the pages on e (pass it as server.Options.Web).
func (w *Web) Mount(e *echo.Echo) {
	// Read the response-time data once the companion has started, so the
	// first dashboard a busy seller opens does not wait for it.
	time.AfterFunc(2*time.Second, func() {
		defer func() { recover() }() // the store may be closing already
		w.recent.mu.Lock()
		cold := w.recent.at.IsZero()
		w.recent.mu.Unlock()
		if cold {
			w.loadRecent(w.d.Now())
		}
	})
	g := e.Group("", pageHeaders)
	g.GET("/assets/:name", w.serveAsset)
	g.GET("/", w.dashboard)
	g.GET("/history", w.history)
	g.GET("/history/order/:order", w.conversation)
	g.GET("/history/order/:order/print", w.conversationPrint)
	g.GET("/history/order/:order/export.json", w.conversationJSON)
	g.GET("/templates", w.templatesList)
	g.GET("/templates/new", w.templateNew)
	g.POST("/templates/new", w.templateCreate)
	g.POST("/templates/import", w.templatesImport)
	g.GET("/templates/export.zip", w.templatesExportAll)
	g.POST("/templates/preview", w.templatePreview)
	g.GET("/templates/:id", w.templateEdit)
	g.POST("/templates/:id", w.templateSave)
	g.POST("/templates/:id/duplicate", w.templateDuplicate)
	g.POST("/templates/:id/delete", w.templateDelete)
	g.POST("/templates/:id/restore", w.templateRestore)
	g.GET("/templates/:id/export", w.templateExport)
	g.GET("/playground", w.playground)
	g.GET("/settings", w.settings)
	g.POST("/settings/retention", w.settingsRetention)
	g.POST("/settings/backup", w.settingsBackup)
	g.POST("/settings/restore", w.settingsRestore)
}

// PageCSP is the server's policy plus 'wasm-unsafe-eval', which lets the
// page compile policy.wasm; it still forbids inline script, eval and style.
var PageCSP = strings.Replace(server.ContentSecurityPolicy, "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1)

func pageHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", PageCSP)
		// no-referrer would make Chromium send "Origin: null" on the page's
		// own form posts, which the CSRF check rightly refuses; same-origin
		// still sends nothing to other sites (Seller Central links).
		h.Set("Referrer-Policy", "same-origin")
		return next(c)
	}
}

func (w *Web) serveAsset(c echo.Context) error {
	a := w.assets[c.Param("name")]
	if a == nil {
		return echo.NewHTTPError(http.StatusNotFound, "no such asset (the page may be older than the companion: reload it)")
	}
	h := c.Response().Header()
	// Hashed names never change content: cache for good.
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Vary", "Accept-Encoding")
	body := a.body
	if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		if gz := a.gzipped(); gz != nil {
			h.Set("Content-Encoding", "gzip")
			body = gz
		}
	}
	return c.Blob(http.StatusOK, a.ctype, body)
}

// ---- rendering ----

// page is what every page template receives.
type page struct {
	Title   string
	Nav     string // which nav entry is current
	Page    string // data-page for the script
	CSRF    string
	Version string
	Policy  string
	Flash   string
	Error   string
	Data    any
	// NoScript is set when app.js was not built.
	NoScript bool
}

var funcs = template.FuncMap{
	"ago":       ago,
	"dur":       fmtDur,
	"pct":       func(f float64) string { return fmt.Sprintf("%.1f%%", f*100) },
	"datetime":  func(t time.Time) string { return t.Local().Format("2 Jan 2006 15:04") },
	"isodate":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"day":       func(t time.Time) string { return t.Local().Format("2006-01-02") },
	"threadURL": threadURL,
	"mp":        mpLabel,
	"join":      strings.Join,
	"hasScenario": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
	"scenarioLabel": scenarioLabel,
	"json":          jsonHTML,
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"snippet": func(s string, n int) string {
		s = strings.Join(strings.Fields(s), " ")
		r := []rune(s)
		if len(r) <= n {
			return s
		}
		return string(r[:n]) + "…"
	},
}

func (w *Web) parse() error {
	w.pages = map[string]*template.Template{}
	base := template.New("").Funcs(funcs).Funcs(template.FuncMap{
		"asset": func(name string) string { return w.urls[name] },
	})
	base, err := base.ParseFS(tmplFS, "tmpl/layout.html", "tmpl/parts.html")
	if err != nil {
		return fmt.Errorf("web templates: %w", err)
	}
	names, _ := fs.Glob(tmplFS, "tmpl/*.html")
	for _, n := range names {
		b := path.Base(n)
		if b == "layout.html" || b == "parts.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(tmplFS, n)
		if err != nil {
			return fmt.Errorf("web template %s: %w", b, err)
		}
		w.pages[strings.TrimSuffix(b, ".html")] = t
	}
	return nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (w *Web) render(c echo.Context, status int, name string, p page) error {
	t := w.pages[name]
	if t == nil {
		return fmt.Errorf("web: no page template %q", name)
	}
	p.CSRF = server.CSRFToken(c)
	p.Version = w.d.Version
	p.Policy = w.d.Policy.Version()
	p.NoScript = !w.ScriptReady()
	if p.Flash == "" {
		p.Flash = flashFrom(c)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	entry := "layout"
	if strings.HasSuffix(name, "_print") || strings.HasPrefix(name, "frag_") {
		entry = name
	}
	if err := t.ExecuteTemplate(buf, entry, p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// flash messages travel in the redirect's query (?done=...), a fixed set
// of words so a link cannot put arbitrary text on the page.
var flashes = map[string]string{
	"saved":           "Template saved.",
	"created":         "Template created.",
	"deleted":         "Template deleted.",
	"restored":        "Built-in template restored.",
	"duplicate":       "Template duplicated: you are editing the copy.",
	"retention":       "Retention period saved.",
	"restored-backup": "Backup restored.",
}

func flashFrom(c echo.Context) string { return flashes[c.QueryParam("done")] }

// failure renders a full error page in the layout: a message a seller can
// act on, never a stack trace.
func (w *Web) failure(c echo.Context, status int, msg string) error {
	return w.render(c, status, "error", page{Title: http.StatusText(status), Error: msg})
}

func (w *Web) storeFailure(c echo.Context, what string, err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return w.failure(c, http.StatusNotFound, what+": not found.")
	case errors.Is(err, store.ErrDiskFull):
		return w.failure(c, http.StatusInsufficientStorage, what+": the disk is full; nothing was saved.")
	case errors.Is(err, store.ErrReadOnly):
		return w.failure(c, http.StatusInternalServerError, what+": the data directory is not writable; nothing was saved.")
	}
	w.d.Logger.Error(what, "err", err)
	return w.failure(c, http.StatusInternalServerError, what+" failed: "+err.Error())
}

func (w *Web) ctx(c echo.Context) context.Context { return c.Request().Context() }

func (w *Web) lint(c echo.Context, text string, pc policy.Context) ([]policy.Finding, error) {
	ctx, cancel := context.WithTimeout(w.ctx(c), 5*time.Second)
	defer cancel()
	return w.d.Policy.Lint(ctx, text, pc)
}
