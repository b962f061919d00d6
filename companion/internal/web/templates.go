package web

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/policy"
	"github.com/replyguard/replyguard/templates"
)

// builtins indexes the embedded library by id.
func builtins() map[string]templates.Template {
	list, _ := templates.Builtin()
	m := make(map[string]templates.Template, len(list))
	for _, t := range list {
		m[t.ID] = t
	}
	return m
}

type templateRow struct {
	store.Template
	Status    string // built-in, edited built-in, yours
	HasErrors bool
	Search    string // lower-case text the list filter matches
}

type templatesData struct {
	Rows     []templateRow
	Deleted  []templates.Template // built-ins the seller deleted
	Imported []importResult
}

type importResult struct {
	File, ID, Title string
	Problem         string
	Findings        []policy.Finding
}

func (w *Web) templateRows() ([]templateRow, []templates.Template, error) {
	list, err := w.d.Store.ListTemplates()
	if err != nil {
		return nil, nil, err
	}
	lib := builtins()
	rows := make([]templateRow, 0, len(list))
	present := map[string]bool{}
	for _, t := range list {
		present[t.ID] = true
		r := templateRow{Template: t, Status: "Yours"}
		if b, ok := lib[t.ID]; ok && t.Builtin {
			r.Status = "Built-in"
			if b.Body != t.Body || b.Title != t.Title {
				r.Status = "Edited built-in"
			}
		}
		for _, f := range t.Findings {
			if f.Severity == store.SeverityError {
				r.HasErrors = true
			}
		}
		r.Search = strings.ToLower(t.Title + " " + t.ID + " " + strings.Join(t.Scenarios, " ") + " " + t.Body)
		rows = append(rows, r)
	}
	var deleted []templates.Template
	for _, b := range sortedBuiltins() {
		if !present[b.ID] {
			deleted = append(deleted, b)
		}
	}
	return rows, deleted, nil
}

func sortedBuiltins() []templates.Template {
	list, _ := templates.Builtin()
	return list
}

func (w *Web) templatesList(c echo.Context) error {
	rows, deleted, err := w.templateRows()
	if err != nil {
		return w.storeFailure(c, "Listing templates", err)
	}
	return w.render(c, http.StatusOK, "templates", page{Title: "Templates", Nav: "templates", Page: "templates", Data: templatesData{Rows: rows, Deleted: deleted}})
}

// editorData is the template editor's state: what is in the form, and why
// a save was refused.
type editorData struct {
	T         store.Template
	IsNew     bool
	Builtin   bool
	Edited    bool
	Scenarios []string
	Refused   []policy.Finding
	Problem   string
	Preview   preview
	Guidance  string
	// Lines of the body, to show refused findings with their text.
	Body string
}

type preview struct {
	Text     string           `json:"text"`
	Findings []policy.Finding `json:"findings"`
	Problems []string         `json:"problems,omitempty"`
}

func (w *Web) editor(c echo.Context, status int, d editorData) error {
	d.Scenarios = policy.Scenarios
	if b, ok := builtins()[d.T.ID]; ok {
		d.Builtin = true
		d.Guidance = b.Guidance
		d.Edited = b.Body != d.T.Body || b.Title != d.T.Title
	}
	if d.T.Kind == "" {
		d.T.Kind = "reply"
	}
	d.Preview = w.renderPreview(c, d.T.ID, d.T.Title, d.T.Body, d.T.Kind, d.T.Scenarios)
	title := "New template"
	if !d.IsNew {
		title = d.T.Title
	}
	return w.render(c, status, "editor", page{Title: title, Nav: "templates", Page: "editor", Data: d})
}

func (w *Web) templateNew(c echo.Context) error {
	return w.editor(c, http.StatusOK, editorData{IsNew: true, T: store.Template{Kind: "reply",
		Body: "Hello {buyer_name},\n\nThank you for your message about order {order_id}.\n\nKind regards,\n{seller_name}"}})
}

func (w *Web) templateEdit(c echo.Context) error {
	t, err := w.d.Store.GetTemplate(c.Param("id"))
	if err != nil {
		return w.storeFailure(c, "Template "+strconv.Quote(c.Param("id")), err)
	}
	return w.editor(c, http.StatusOK, editorData{T: t})
}

// formTemplate reads the editor form.
func formTemplate(c echo.Context) (store.TemplateEdit, error) {
	form, err := c.FormParams()
	if err != nil {
		return store.TemplateEdit{}, fmt.Errorf("the form could not be read: %w", err)
	}
	e := store.TemplateEdit{
		Title: strings.TrimSpace(form.Get("title")),
		Body:  strings.ReplaceAll(form.Get("body"), "\r\n", "\n"),
		Kind:  form.Get("kind"),
	}
	for _, s := range form["scenarios"] {
		if slices.Contains(policy.Scenarios, s) && !slices.Contains(e.Scenarios, s) {
			e.Scenarios = append(e.Scenarios, s)
		}
	}
	if e.Kind != "reply" && e.Kind != "proactive" {
		e.Kind = "reply"
	}
	if v := form.Get("base_version"); v != "" {
		e.BaseVersion, _ = strconv.Atoi(v)
	}
	switch {
	case e.Title == "":
		return e, errors.New("Give the template a title.")
	case strings.TrimSpace(e.Body) == "":
		return e, errors.New("The message is empty.")
	case len(e.Body) > 64<<10:
		return e, errors.New("The message is longer than 64 KiB.")
	}
	return e, nil
}

func errorFindings(fs []policy.Finding) []policy.Finding {
	var out []policy.Finding
	for _, f := range fs {
		if f.Severity == policy.Error {
			out = append(out, f)
		}
	}
	return out
}

// saveChecked lints the body with the companion's policy.wasm and saves
// only when it has no error findings. It returns the refused findings.
func (w *Web) saveChecked(c echo.Context, e store.TemplateEdit) (store.Template, []policy.Finding, error) {
	fs, err := w.lint(c, e.Body, policy.Context{Kind: e.Kind})
	if err != nil {
		return store.Template{}, nil, fmt.Errorf("the policy check failed: %w", err)
	}
	if bad := errorFindings(fs); len(bad) > 0 {
		return store.Template{}, bad, nil
	}
	e.Findings = store.FindingsFrom(fs)
	t, err := w.d.Store.SaveTemplate(e)
	if err != nil {
		return store.Template{}, nil, err
	}
	w.d.TemplatesChanged([]string{t.ID})
	return t, nil, nil
}

func (w *Web) saveForm(c echo.Context, id string) error {
	e, ferr := formTemplate(c)
	e.ID = id
	draft := store.Template{ID: id, Title: e.Title, Body: e.Body, Scenarios: e.Scenarios, Kind: e.Kind, Version: e.BaseVersion}
	if ferr != nil {
		return w.editor(c, http.StatusUnprocessableEntity, editorData{T: draft, IsNew: id == "", Problem: ferr.Error()})
	}
	t, refused, err := w.saveChecked(c, e)
	switch {
	case len(refused) > 0:
		return w.editor(c, http.StatusUnprocessableEntity, editorData{T: draft, IsNew: id == "", Refused: refused,
			Problem: "Not saved: the template breaks Amazon's messaging rules. Fix the errors below and save again."})
	case errors.Is(err, store.ErrConflict):
		return w.editor(c, http.StatusConflict, editorData{T: draft, IsNew: id == "",
			Problem: "Not saved: this template was changed elsewhere since you opened it. Your text is still here; copy it, reload the page and apply your changes again."})
	case err != nil:
		return w.editor(c, http.StatusInternalServerError, editorData{T: draft, IsNew: id == "", Problem: "Not saved: " + err.Error()})
	}
	done := "saved"
	if id == "" {
		done = "created"
	}
	return c.Redirect(http.StatusSeeOther, "/templates/"+t.ID+"?done="+done)
}

func (w *Web) templateCreate(c echo.Context) error { return w.saveForm(c, "") }

func (w *Web) templateSave(c echo.Context) error {
	id := c.Param("id")
	if _, err := w.d.Store.GetTemplate(id); err != nil {
		return w.storeFailure(c, "Template "+strconv.Quote(id), err)
	}
	return w.saveForm(c, id)
}

func (w *Web) templateDuplicate(c echo.Context) error {
	t, err := w.d.Store.GetTemplate(c.Param("id"))
	if err != nil {
		return w.storeFailure(c, "Template "+strconv.Quote(c.Param("id")), err)
	}
	// The copy keeps the original's placeholder declarations in its Source.
	src := asLibrary(t) // its id stays: the stored template's id is authoritative
	src.Title = "Copy of " + t.Title
	cp, err := w.d.Store.SaveTemplate(store.TemplateEdit{Title: "Copy of " + t.Title, Body: t.Body, Scenarios: t.Scenarios, Kind: t.Kind, Findings: t.Findings,
		Source: string(templates.Format(src))})
	if err != nil {
		return w.storeFailure(c, "Duplicating the template", err)
	}
	w.d.TemplatesChanged([]string{cp.ID})
	return c.Redirect(http.StatusSeeOther, "/templates/"+cp.ID+"?done=duplicate")
}

func (w *Web) templateDelete(c echo.Context) error {
	id := c.Param("id")
	if err := w.d.Store.DeleteTemplate(id); err != nil {
		return w.storeFailure(c, "Deleting template "+strconv.Quote(id), err)
	}
	w.d.TemplatesChanged([]string{id})
	return c.Redirect(http.StatusSeeOther, "/templates?done=deleted")
}

// templateRestore puts a built-in back as shipped (after an edit or a
// delete). The store keeps every earlier version.
func (w *Web) templateRestore(c echo.Context) error {
	id := c.Param("id")
	b, ok := builtins()[id]
	if !ok {
		return w.failure(c, http.StatusNotFound, strconv.Quote(id)+" is not a built-in template.")
	}
	fs, err := w.lint(c, b.Body, policy.Context{Kind: b.Kind})
	if err != nil {
		return w.failure(c, http.StatusInternalServerError, "The policy check failed: "+err.Error())
	}
	if _, err := w.d.Store.SaveTemplate(store.TemplateEdit{ID: id, Title: b.Title, Body: b.Body, Scenarios: b.Scenarios, Kind: b.Kind, Findings: store.FindingsFrom(fs)}); err != nil {
		return w.storeFailure(c, "Restoring "+strconv.Quote(id), err)
	}
	w.d.TemplatesChanged([]string{id})
	return c.Redirect(http.StatusSeeOther, "/templates/"+id+"?done=restored")
}

// asLibrary turns a stored template into the file form, with the
// placeholder declarations of the built-in of the same id.
// LibraryTemplate turns a stored template into the templates package's
// form, ready to render: the stored title, body, kind and scenarios, with
// placeholder declarations, guidance and attachments from the template's own
// file form when it has one (imported, duplicated) or else from the
// built-in with the same id.
func LibraryTemplate(t store.Template) templates.Template { return asLibrary(t) }

func asLibrary(t store.Template) templates.Template {
	lt := templates.Template{ID: t.ID, Title: t.Title, Scenarios: t.Scenarios, Kind: t.Kind, Body: t.Body}
	b, ok := builtins()[t.ID]
	if t.Source != "" {
		if p, err := templates.Parse(t.ID+".tmpl", []byte(t.Source)); err == nil {
			b, ok = p, true
		}
	}
	if ok {
		lt.Fields, lt.Reason, lt.Action, lt.Guidance, lt.Attachments = b.Fields, b.Reason, b.Action, b.Guidance, b.Attachments
	}
	if lt.Kind == "" {
		lt.Kind = "reply"
	}
	if lt.Scenarios == nil {
		lt.Scenarios = []string{}
	}
	return lt
}

func (w *Web) templateExport(c echo.Context) error {
	t, err := w.d.Store.GetTemplate(c.Param("id"))
	if err != nil {
		return w.storeFailure(c, "Template "+strconv.Quote(c.Param("id")), err)
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+safeName(t.ID)+`.tmpl"`)
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", templates.Format(asLibrary(t)))
}

func (w *Web) templatesExportAll(c echo.Context) error {
	list, err := w.d.Store.ListTemplates()
	if err != nil {
		return w.storeFailure(c, "Listing templates", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, t := range list {
		f, err := zw.Create("templates/" + safeName(t.ID) + ".tmpl")
		if err != nil {
			return err
		}
		f.Write(templates.Format(asLibrary(t)))
	}
	if err := zw.Close(); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="replyguard-templates-`+w.d.Now().Format("2006-01-02")+`.zip"`)
	return c.Blob(http.StatusOK, "application/zip", buf.Bytes())
}

func safeName(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			return r
		}
		return '_'
	}, id)
}

// templatesImport reads .tmpl files (or a .zip of them), checks each and
// saves the ones without error findings. Nothing is half-saved: a file is
// saved whole or reported.
func (w *Web) templatesImport(c echo.Context) error {
	form, err := c.MultipartForm()
	if err != nil {
		return w.failure(c, http.StatusBadRequest, "No file was uploaded: choose one or more .tmpl files (or a .zip of them).")
	}
	var results []importResult
	var changed []string
	one := func(name string, data []byte) {
		r := importResult{File: name}
		t, err := templates.Parse(name, data)
		if err != nil {
			r.Problem = err.Error()
			results = append(results, r)
			return
		}
		r.ID, r.Title = t.ID, t.Title
		saved, refused, err := w.saveChecked(c, store.TemplateEdit{ID: t.ID, Title: t.Title, Body: t.Body, Scenarios: t.Scenarios, Kind: t.Kind,
			Source: string(templates.Format(t))})
		switch {
		case len(refused) > 0:
			r.Problem = "not imported: it breaks Amazon's messaging rules"
			r.Findings = refused
		case err != nil:
			r.Problem = "not imported: " + err.Error()
		default:
			changed = append(changed, saved.ID)
		}
		results = append(results, r)
	}
	for _, fh := range form.File["files"] {
		f, err := fh.Open()
		if err != nil {
			results = append(results, importResult{File: fh.Filename, Problem: err.Error()})
			continue
		}
		data, err := io.ReadAll(io.LimitReader(f, 8<<20))
		f.Close()
		if err != nil {
			results = append(results, importResult{File: fh.Filename, Problem: err.Error()})
			continue
		}
		if strings.HasSuffix(strings.ToLower(fh.Filename), ".zip") {
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				results = append(results, importResult{File: fh.Filename, Problem: "not a readable zip file: " + err.Error()})
				continue
			}
			for _, zf := range zr.File {
				if !strings.HasSuffix(zf.Name, ".tmpl") || zf.UncompressedSize64 > 1<<20 {
					continue
				}
				rc, err := zf.Open()
				if err != nil {
					results = append(results, importResult{File: zf.Name, Problem: err.Error()})
					continue
				}
				b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
				rc.Close()
				if err != nil {
					results = append(results, importResult{File: zf.Name, Problem: err.Error()})
					continue
				}
				one(zf.Name, b)
			}
			continue
		}
		one(fh.Filename, data)
	}
	if len(results) == 0 {
		return w.failure(c, http.StatusBadRequest, "No template files were found in the upload.")
	}
	rows, deleted, err := w.templateRows()
	if err != nil {
		return w.storeFailure(c, "Listing templates", err)
	}
	status := http.StatusOK
	if len(changed) < len(results) {
		status = http.StatusUnprocessableEntity
	}
	return w.render(c, status, "templates", page{Title: "Templates", Nav: "templates", Page: "templates",
		Flash: fmt.Sprintf("Imported %d of %d template files.", len(changed), len(results)),
		Data:  templatesData{Rows: rows, Deleted: deleted, Imported: results}})
}

// previewRequest is the editor's preview call.
type previewRequest struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	Kind      string   `json:"kind"`
	Scenarios []string `json:"scenarios"`
}

func (w *Web) templatePreview(c echo.Context) error {
	var p previewRequest
	if err := c.Bind(&p); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "preview: "+err.Error())
	}
	if len(p.Body) > 64<<10 {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the message is longer than 64 KiB")
	}
	return c.JSON(http.StatusOK, w.renderPreview(c, p.ID, p.Title, p.Body, p.Kind, p.Scenarios))
}

// renderPreview fills the body with sample values and lints the result the
// way a sent reply would be linted.
func (w *Web) renderPreview(c echo.Context, id, title, body, kind string, scenarios []string) preview {
	lt := asLibrary(store.Template{ID: id, Title: title, Body: body, Kind: kind, Scenarios: scenarios})
	now := w.d.Now()
	r, err := lt.Render(samples(lt), now)
	var ve *templates.ValuesError
	out := preview{Text: r.Text, Findings: []policy.Finding{}}
	if err != nil && !errors.As(err, &ve) {
		out.Text = body
		out.Problems = []string{err.Error()}
		return out
	}
	if ve != nil {
		for _, p := range ve.Problems {
			out.Problems = append(out.Problems, p.Name+": "+p.Problem)
		}
	}
	fs, err := w.lint(c, r.Text, templates.SampleContext(lt, now))
	if err != nil {
		out.Problems = append(out.Problems, "policy check failed: "+err.Error())
		return out
	}
	if fs != nil {
		out.Findings = fs
	}
	return out
}

// samples are realistic values for every placeholder the body uses,
// standard ones (buyer_name, order_id, ...) included.
func samples(lt templates.Template) map[string]string {
	v := templates.SampleValues(lt)
	for _, f := range lt.Placeholders() {
		if _, ok := v[f.Name]; !ok && f.Example != "" && f.Default == "" {
			v[f.Name] = f.Example
		}
	}
	return v
}
