package web

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/replyguard/replyguard/companion/internal/store"
	"github.com/replyguard/replyguard/companion/internal/web/demo"
	"github.com/replyguard/replyguard/templates"
)

// inlineScript finds a <script> without src that is not a JSON data block,
// and style attributes: the CSP forbids both, so the page must not use them.
var (
	inlineScript = regexp.MustCompile(`<script(?:\s+(?:id|type)="[^"]*")*\s*>`)
	jsonBlock    = regexp.MustCompile(`<script type="application/json"`)
	styleAttr    = regexp.MustCompile(`\sstyle=`)
	onHandler    = regexp.MustCompile(`\son[a-z]+=`)
)

func TestPagesRender(t *testing.T) {
	e := newEnv(t, envOpt{demo: true})
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"<h1>Dashboard</h1>", "Missed while offline", "Overdue", "data-due=", "svg class=\"chart\"", "7 days", "30 days", "90 days"}},
		{"/history", 200, []string{"<h1>History</h1>", "name=\"q\"", demo.OrderWithThread, "Older →"}},
		{"/history?q=" + demo.SearchWord, 200, []string{demo.OrderWithThread}},
		{"/history?from=2026-13-40", 200, []string{"is not a date"}},
		{"/history?q=zzqxnothing", 200, []string{"No replies match."}},
		{"/history/order/" + demo.OrderWithThread, 200, []string{"Order " + demo.OrderWithThread, "email-address", "Export JSON", "sellercentral.amazon.com/messaging/contact?orderID=" + demo.OrderWithThread}},
		{"/history/order/" + demo.OrderWithThread + "/print", 200, []string{"Buyer–seller conversation, order " + demo.OrderWithThread}},
		{"/history/order/111-0000000-0000000", 404, []string{"No messages or replies are recorded"}},
		{"/history/order/..%2f..%2fetc", 400, []string{"not an order id"}},
		{"/templates", 200, []string{"<h1>Templates</h1>", "Refund issued", "Built-in"}},
		{"/templates/new", 200, []string{"New template", "name=\"_csrf\""}},
		{"/templates/refund-issued", 200, []string{"Refund issued", "Preview with sample values", "Hello Maria"}},
		{"/templates/no-such", 404, []string{"not found"}},
		{"/playground", 200, []string{"<h1>Playground</h1>", "id=\"pg-data\"", "Send message to Maria"}},
		{"/settings", 200, []string{"<h1>Settings</h1>", "Pair a browser", "Keep buyer data for", "Encryption at rest"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := e.get(tt.path, nil)
			if r.StatusCode != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.StatusCode, tt.status, r.Body)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval';") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP %q", csp)
			}
			if n := len(inlineScript.FindAllString(r.Body, -1)) - len(jsonBlock.FindAllString(r.Body, -1)); n > 0 {
				t.Errorf("%d inline scripts", n)
			}
			if styleAttr.MatchString(r.Body) || onHandler.MatchString(r.Body) {
				t.Errorf("inline style or event handler attribute")
			}
		})
	}
}

func TestAssetsAreHashedCachedAndGzipped(t *testing.T) {
	e := newEnv(t, envOpt{})
	page := e.get("/playground", nil).Body
	m := regexp.MustCompile(`/assets/policy\.[0-9a-f]{12}\.wasm`).FindString(page)
	if m == "" {
		t.Fatal("playground does not name policy.wasm")
	}
	r := e.get(m, map[string]string{"Accept-Encoding": "gzip"})
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/wasm" || r.Header.Get("Content-Encoding") != "gzip" ||
		!strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("wasm served as %d %v", r.StatusCode, r.Header)
	}
	if r := e.get("/assets/app.000000000000.js", nil); r.StatusCode != 404 {
		t.Fatalf("unknown asset: %d", r.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, envOpt{})
	form := url.Values{"days": {"12"}}
	tests := []struct {
		name   string
		form   url.Values
		hdr    map[string]string
		status int
	}{
		{"cross-site form post", url.Values{"days": {"1"}}, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"}, 403},
		{"foreign origin, no fetch metadata", url.Values{"days": {"1"}}, map[string]string{"Sec-Fetch-Site": "", "Origin": "http://evil.example"}, 403},
		{"missing token", url.Values{"days": {"1"}, "_csrf": {""}}, nil, 403},
		{"forged token", url.Values{"days": {"1"}, "_csrf": {"AAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA"}}, nil, 403},
		{"same origin with token", form, nil, 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.post("/settings/retention", tt.form, tt.hdr)
			if r.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", r.StatusCode, tt.status, r.Body)
			}
		})
	}
	if v, _ := e.st.Setting(SettingRetentionDays); v != "12" {
		t.Fatalf("retention = %q: a refused post changed it, or the good one did not", v)
	}
	// Every state-changing route is covered, not only the one above.
	for _, p := range []string{"/templates/new", "/templates/refund-issued", "/templates/refund-issued/delete", "/templates/refund-issued/duplicate",
		"/templates/refund-issued/restore", "/templates/import", "/templates/preview", "/settings/backup", "/settings/restore"} {
		r := e.post(p, url.Values{"_csrf": {""}, "title": {"x"}, "body": {"y"}}, nil)
		if r.StatusCode != 403 {
			t.Errorf("POST %s without a token: %d", p, r.StatusCode)
		}
	}
	if _, err := e.st.GetTemplate("refund-issued"); err != nil {
		t.Fatalf("a refused delete deleted: %v", err)
	}
}

func TestTemplateSaveRefusedWithErrors(t *testing.T) {
	e := newEnv(t, envOpt{})
	body := "Hello {buyer_name},\n\nWrite to me at jane.doe@example.com any time.\n\nKind regards,\n{seller_name}"
	r := e.post("/templates/new", url.Values{"title": {"Direct contact"}, "body": {body}, "kind": {"reply"}, "scenarios": {"other"}}, nil)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.StatusCode)
	}
	for _, w := range []string{"Not saved", "email-address", "jane.doe@example.com", "Direct contact"} {
		if !strings.Contains(r.Body, w) {
			t.Errorf("refusal page lacks %q", w)
		}
	}
	list, _ := e.st.ListTemplates()
	for _, tpl := range list {
		if tpl.Title == "Direct contact" {
			t.Fatal("template with an error was saved")
		}
	}
	// Fixed, it saves; then an edit with a stale base version conflicts.
	ok := e.post("/templates/new", url.Values{"title": {"Direct contact"}, "body": {strings.Replace(body, "Write to me at jane.doe@example.com any time.", "Reply here any time.", 1)}, "kind": {"reply"}}, nil)
	if ok.StatusCode != http.StatusSeeOther || !strings.Contains(ok.Header.Get("Location"), "done=created") {
		t.Fatalf("save: %d %s", ok.StatusCode, ok.Header.Get("Location"))
	}
	id := strings.TrimPrefix(strings.Split(ok.Header.Get("Location"), "?")[0], "/templates/")
	saved, err := e.st.GetTemplate(id)
	if err != nil || saved.Version != 1 {
		t.Fatalf("saved %+v %v", saved, err)
	}
	edit := e.post("/templates/"+id, url.Values{"title": {"Direct contact"}, "body": {saved.Body + "\n"}, "base_version": {"1"}}, nil)
	if edit.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", edit.StatusCode)
	}
	stale := e.post("/templates/"+id, url.Values{"title": {"Direct contact"}, "body": {"Hello, stale edit"}, "base_version": {"1"}}, nil)
	if stale.StatusCode != http.StatusConflict || !strings.Contains(stale.Body, "Hello, stale edit") {
		t.Fatalf("stale edit: %d", stale.StatusCode)
	}
	bad := e.post("/templates/new", url.Values{"title": {""}, "body": {"x"}}, nil)
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "Give the template a title") {
		t.Fatalf("empty title: %d", bad.StatusCode)
	}
}

func TestTemplateDeleteRestoreDuplicate(t *testing.T) {
	e := newEnv(t, envOpt{})
	if r := e.post("/templates/thank-you-reply/delete", nil, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	list := e.get("/templates", nil)
	if !strings.Contains(list.Body, `action="/templates/thank-you-reply/restore"`) {
		t.Fatal("deleted built-in not offered for restore")
	}
	if r := e.post("/templates/thank-you-reply/restore", nil, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: %d %s", r.StatusCode, r.Body)
	}
	if _, err := e.st.GetTemplate("thank-you-reply"); err != nil {
		t.Fatal(err)
	}
	if r := e.post("/templates/not-a-builtin/restore", nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("restore unknown: %d", r.StatusCode)
	}
	d := e.post("/templates/thank-you-reply/duplicate", nil, nil)
	loc := d.Header.Get("Location")
	if d.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/templates/t-") {
		t.Fatalf("duplicate: %d %q", d.StatusCode, loc)
	}
	if r := e.get(loc, nil); !strings.Contains(r.Body, "Copy of ") || !strings.Contains(r.Body, "Template duplicated") {
		t.Fatal("duplicate page")
	}
}

func TestTemplateImportExport(t *testing.T) {
	e := newEnv(t, envOpt{})
	exp := e.get("/templates/refund-issued/export", nil)
	if exp.StatusCode != 200 || !strings.HasPrefix(exp.Body, "id: refund-issued\n") || !strings.Contains(exp.Body, "field: refund_amount") {
		t.Fatalf("export: %d\n%s", exp.StatusCode, exp.Body)
	}
	good := strings.Replace(strings.Replace(exp.Body, "id: refund-issued", "id: my-refund", 1), "title: Refund issued", "title: My refund", 1)
	bad := strings.Replace(good, "id: my-refund", "id: my-bad", 1) + "\nCall me on WhatsApp at +1 415 555 0100.\n"
	r := e.upload("/templates/import", map[string]string{"good.tmpl": good, "bad.tmpl": bad, "broken.tmpl": "no header here"})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("import: %d", r.StatusCode)
	}
	for _, w := range []string{"Imported 1 of 3", "good.tmpl", "bad.tmpl", "broken.tmpl", "not imported"} {
		if !strings.Contains(r.Body, w) {
			t.Errorf("import report lacks %q", w)
		}
	}
	tpl, err := e.st.GetTemplate("my-refund")
	if err != nil || tpl.Title != "My refund" {
		t.Fatalf("imported: %+v %v", tpl, err)
	}
	// The imported template keeps its own placeholder declarations (it is
	// not a built-in, so nothing else could supply them) and renders.
	assertRenders := func(tpl store.Template) {
		t.Helper()
		lt := LibraryTemplate(tpl)
		if !slices.ContainsFunc(lt.Fields, func(f templates.Field) bool { return f.Name == "refund_amount" }) {
			t.Fatalf("%s lost its placeholder declarations: %+v", tpl.ID, lt.Fields)
		}
		if _, err := lt.Render(templates.SampleValues(lt), time.Now()); err != nil {
			t.Fatalf("%s does not render: %v", tpl.ID, err)
		}
	}
	assertRenders(tpl)
	// So does a duplicate of it, and an edit that does not touch the source.
	dup := e.post("/templates/my-refund/duplicate", url.Values{}, nil)
	if dup.StatusCode >= 400 {
		t.Fatalf("duplicate: %d", dup.StatusCode)
	}
	list, _ := e.st.ListTemplates()
	var copyOf store.Template
	for _, x := range list {
		if x.Title == "Copy of My refund" {
			copyOf = x
		}
	}
	assertRenders(copyOf)
	edited, err := e.st.SaveTemplate(store.TemplateEdit{ID: copyOf.ID, Title: copyOf.Title, Body: copyOf.Body + "\n", Kind: copyOf.Kind})
	if err != nil {
		t.Fatal(err)
	}
	assertRenders(edited)
	if _, err := e.st.GetTemplate("my-bad"); err == nil {
		t.Fatal("a template with errors was imported")
	}
	z := e.get("/templates/export.zip", nil)
	zr, err := zip.NewReader(strings.NewReader(z.Body), int64(len(z.Body)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	if !names["templates/my-refund.tmpl"] || !names["templates/refund-issued.tmpl"] {
		t.Fatalf("zip holds %v", names)
	}
}

func (e *env) upload(path string, files map[string]string) response {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", e.csrf)
	for name, body := range files {
		fw, _ := mw.CreateFormFile("files", name)
		fw.Write([]byte(body))
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.base)
	return e.do(req)
}

func TestPreviewRendersSampleValuesAndLints(t *testing.T) {
	e := newEnv(t, envOpt{})
	body, _ := json.Marshal(previewRequest{ID: "", Body: "Hello {buyer_name}, order {order_id}. Mail me: a@b.com", Kind: "reply"})
	req, _ := http.NewRequest(http.MethodPost, e.base+"/templates/preview", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", e.csrf)
	r := e.do(req)
	var p preview
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
	if !strings.HasPrefix(p.Text, "Hello Maria, order 114-3941689-8772232.") {
		t.Errorf("text %q", p.Text)
	}
	found := false
	for _, f := range p.Findings {
		found = found || f.Rule == "email-address"
	}
	if !found {
		t.Errorf("findings %+v", p.Findings)
	}
}

func TestHistorySearchAndExport(t *testing.T) {
	e := newEnv(t, envOpt{demo: true})
	frag := e.get("/history?q="+demo.SearchWord, map[string]string{"X-Partial": "1"})
	if !strings.HasPrefix(frag.Body, `<div id="results"`) || strings.Contains(frag.Body, "<html") {
		t.Fatalf("partial is not the results fragment: %.200s", frag.Body)
	}
	if n := strings.Count(frag.Body, "<tr>"); n != 2 { // header + one entry
		t.Fatalf("%d rows for %q", n-1, demo.SearchWord)
	}
	// Search as you type: the word being typed matches as a prefix.
	typing := e.get("/history?q="+demo.SearchWord[:5], map[string]string{"X-Partial": "1"})
	if !strings.Contains(typing.Body, demo.SearchWord) {
		t.Fatalf("prefix %q does not find %q: %.300s", demo.SearchWord[:5], demo.SearchWord, typing.Body)
	}
	// Paging: the second page starts where the first ended, no overlap.
	p1 := e.get("/history", nil)
	next := regexp.MustCompile(`href="(/history\?cursor=[0-9a-f]+)" rel="next"`).FindStringSubmatch(p1.Body)
	if next == nil {
		t.Fatal("no next page link")
	}
	p2 := e.get(strings.ReplaceAll(next[1], "&amp;", "&"), nil)
	if p2.StatusCode != 200 || !strings.Contains(p2.Body, "← Newest") {
		t.Fatalf("page 2: %d", p2.StatusCode)
	}
	bad := e.get("/history?cursor=zz", nil)
	if !strings.Contains(bad.Body, "no longer valid") {
		t.Fatal("bad cursor not reported")
	}
	// Marketplace filter: the extension records hosts; rows show the code.
	de := e.get("/history?marketplace=sellercentral.amazon.de", map[string]string{"X-Partial": "1"})
	if n := strings.Count(de.Body, "<tr>") - 1; n < 1 || strings.Count(de.Body, `<div class="muted small">DE</div>`) != n {
		t.Fatalf("marketplace filter: %d rows\n%.500s", n, de.Body)
	}
	// Errors only.
	errs := e.get("/history?findings=errors", map[string]string{"X-Partial": "1"})
	if !strings.Contains(errs.Body, demo.OrderWithThread) || strings.Contains(errs.Body, "pill-good") {
		t.Fatal("errors filter")
	}
	ex := e.get("/history/order/"+demo.OrderWithThread+"/export.json", nil)
	if !strings.Contains(ex.Header.Get("Content-Disposition"), "attachment") {
		t.Fatal("export is not a download")
	}
	var x ExportedConversation
	if err := json.Unmarshal([]byte(ex.Body), &x); err != nil {
		t.Fatal(err)
	}
	var from []string
	for _, m := range x.Messages {
		from = append(from, m.From)
	}
	if strings.Join(from, ",") != "buyer,seller,buyer,seller" || len(x.Messages[1].Findings) == 0 || x.OrderID != demo.OrderWithThread || len(x.Deadlines) == 0 {
		t.Fatalf("export %+v", x)
	}
	for i := 1; i < len(x.Messages); i++ {
		if x.Messages[i].At.Before(x.Messages[i-1].At) {
			t.Fatal("messages out of order")
		}
	}
}

func TestSettingsRetentionBackupRestore(t *testing.T) {
	e := newEnv(t, envOpt{demo: true})
	for _, v := range []string{"0", "-3", "abc", "99999"} {
		r := e.post("/settings/retention", url.Values{"days": {v}}, nil)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "between 1 and") {
			t.Errorf("days=%s: %d", v, r.StatusCode)
		}
	}
	bk := e.post("/settings/backup", nil, nil)
	if bk.StatusCode != 200 || len(bk.Body) < 1000 || !strings.Contains(bk.Header.Get("Content-Disposition"), ".rgbackup") {
		t.Fatalf("backup: %d, %d bytes", bk.StatusCode, len(bk.Body))
	}
	restore := func(data string, replace bool) response {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("_csrf", e.csrf)
		if replace {
			mw.WriteField("replace", "yes")
		}
		fw, _ := mw.CreateFormFile("backup", "b.rgbackup")
		fw.Write([]byte(data))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, e.base+"/settings/restore", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", e.base)
		return e.do(req)
	}
	if r := restore(bk.Body, false); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "Nothing was changed") {
		t.Fatalf("restore over data: %d", r.StatusCode)
	}
	if r := restore(bk.Body[:len(bk.Body)/2], true); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Nothing was changed") {
		t.Fatalf("restore of a truncated file: %d", r.StatusCode)
	}
	// Delete a template, restore the backup: it is back.
	if err := e.st.DeleteTemplate("refund-issued"); err != nil {
		t.Fatal(err)
	}
	if r := restore(bk.Body, true); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: %d %s", r.StatusCode, r.Body)
	}
	if _, err := e.st.GetTemplate("refund-issued"); err != nil {
		t.Fatalf("after restore: %v", err)
	}
}

func TestDashboardOrderAndCountdowns(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	e := newEnv(t, envOpt{})
	w, _ := New(Deps{Store: e.st, Policy: engine, Auth: e.am, Now: func() time.Time { return now }})
	add := func(age time.Duration) store.Deadline {
		_, d, err := e.st.RecordBuyerMessage(store.BuyerMessage{OrderID: fmt.Sprintf("111-0000000-%07d", int(age.Hours())), Marketplace: "DE", ReceivedAt: now.Add(-age)})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	add(2 * time.Hour)
	add(22 * time.Hour)
	over := add(30 * time.Hour)
	e.st.MarkFired(over.ID, "overdue", store.StateOverdue)
	// An A-to-z information request that went overdue stays listed.
	atoz, err := e.st.AddDeadline(store.Deadline{Kind: store.KindAtoZInfo, OrderID: "111-0000000-0000099", Marketplace: "DE", Start: now.Add(-50 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	e.st.MarkFired(atoz.ID, "overdue", store.StateOverdue)
	recent, _ := e.st.ReplyDeadlines(now.Add(-90 * 24 * time.Hour))
	rows, err := w.openDeadlines(now, recent)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Urgency+" "+r.Left)
	}
	want := []string{"overdue 6 h ago", "overdue 2 h ago", "due-soon in 2 h", "open in 22 h"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
	if rows[0].Thread != "https://sellercentral.amazon.de/messaging/contact?orderID="+rows[0].OrderID {
		t.Fatalf("thread %s", rows[0].Thread)
	}
}

func TestThreadURL(t *testing.T) {
	for _, tt := range []struct{ mp, want string }{
		{"US", "https://sellercentral.amazon.com/messaging/contact?orderID=1"},
		{"jp", "https://sellercentral-japan.amazon.com/messaging/contact?orderID=1"},
		{"sellercentral.amazon.de", "https://sellercentral.amazon.de/messaging/contact?orderID=1"},
		{"sellercentral.evil.example/x", "https://sellercentral.amazon.com/messaging/contact?orderID=1"},
		{"", "https://sellercentral.amazon.com/messaging/contact?orderID=1"},
	} {
		if got := threadURL(tt.mp, "1"); got != tt.want {
			t.Errorf("threadURL(%q) = %s", tt.mp, got)
		}
	}
}

func TestFmtDur(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Second, "30 s"}, {45 * time.Minute, "45 min"}, {3*time.Hour + 12*time.Minute, "3 h 12 min"},
		{5 * time.Hour, "5 h"}, {50 * time.Hour, "2 d 2 h"}, {-90 * time.Minute, "1 h 30 min"},
	} {
		if got := fmtDur(tt.d); got != tt.want {
			t.Errorf("fmtDur(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func FuzzHistoryQuery(f *testing.F) {
	e := newEnv(f, envOpt{})
	for _, s := range []string{"q=refund", "from=2026-01-01&to=2025-01-01", "cursor=zz", "findings=maybe", "q=%00%ff", "scenario=x&marketplace=%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, qs string) {
		if _, err := url.ParseQuery(qs); err != nil {
			return
		}
		te := *e
		te.t = t
		r := te.get("/history?"+qs, map[string]string{"X-Partial": "1"})
		if r.StatusCode != 200 {
			t.Fatalf("/history?%s: %d %s", qs, r.StatusCode, r.Body)
		}
	})
}

func TestEmptyStatesAreHonest(t *testing.T) {
	e := newEnv(t, envOpt{})
	for path, want := range map[string][]string{
		"/":         {"Nothing is waiting for a reply.", "No replies recorded in the last 30 days.", "No buyer messages counted in the last 30 days yet.", "no messages counted"},
		"/history":  {"No replies recorded yet."},
		"/settings": {"No browser is paired yet."},
	} {
		r := e.get(path, nil)
		for _, w := range want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
}

func TestRetentionPeriodFollowsTheSetting(t *testing.T) {
	e := newEnv(t, envOpt{})
	w, _ := New(Deps{Store: e.st, Policy: engine, Auth: e.am})
	if got := w.RetentionPeriod(); got != 30*24*time.Hour {
		t.Fatalf("default %v", got)
	}
	if r := e.post("/settings/retention", url.Values{"days": {"7"}}, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatal(r.StatusCode)
	}
	if got := w.RetentionPeriod(); got != 7*24*time.Hour {
		t.Fatalf("after saving 7 days: %v", got)
	}
}

func TestDashboardCacheNeverShowsAnsweredAsDue(t *testing.T) {
	e := newEnv(t, envOpt{})
	now := time.Now()
	w, _ := New(Deps{Store: e.st, Policy: engine, Auth: e.am, Now: func() time.Time { return now }})
	_, d, err := e.st.RecordBuyerMessage(store.BuyerMessage{OrderID: "111-1234567-7654321", Marketplace: "US", ReceivedAt: now.Add(-30 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	e.st.MarkFired(d.ID, "overdue", store.StateOverdue)
	listed := func(at time.Time) bool {
		ds, err := w.recentDeadlines(at)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := w.openDeadlines(at, ds)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.ID == d.ID {
				return true
			}
		}
		return false
	}
	if !listed(now) {
		t.Fatal("overdue deadline not listed")
	}
	if _, err := e.st.RecordReply(store.Reply{OrderID: "111-1234567-7654321", Text: "Sorry for the wait, it ships today.", SentAt: now}); err != nil {
		t.Fatal(err)
	}
	// Served from the cache (a second later), yet the answered deadline is gone.
	if listed(now.Add(time.Second)) {
		t.Fatal("an answered deadline is still listed as overdue")
	}
}
