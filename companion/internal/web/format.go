package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"
)

// fmtDur prints a duration the way a seller reads it: "3 h 12 min",
// "45 min", "2 d 4 h".
func fmtDur(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		h := int(d.Hours())
		m := int(d.Minutes()) - h*60
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	days := int(d.Hours()) / 24
	h := int(d.Hours()) - days*24
	if h == 0 {
		return fmt.Sprintf("%d d", days)
	}
	return fmt.Sprintf("%d d %d h", days, h)
}

// ago is "in 3 h 5 min" or "2 h ago" relative to now.
func ago(t, now time.Time) string {
	d := t.Sub(now)
	if d >= 0 {
		return "in " + fmtDur(d)
	}
	return fmtDur(d) + " ago"
}

// sellerCentralHosts maps a marketplace (country code as the extension
// reports it) to its Seller Central host.
var sellerCentralHosts = map[string]string{
	"US": "sellercentral.amazon.com", "CA": "sellercentral.amazon.ca", "MX": "sellercentral.amazon.com.mx",
	"BR": "sellercentral.amazon.com.br", "UK": "sellercentral.amazon.co.uk", "GB": "sellercentral.amazon.co.uk",
	"DE": "sellercentral.amazon.de", "FR": "sellercentral.amazon.fr", "IT": "sellercentral.amazon.it",
	"ES": "sellercentral.amazon.es", "NL": "sellercentral.amazon.nl", "SE": "sellercentral.amazon.se",
	"PL": "sellercentral.amazon.pl", "BE": "sellercentral.amazon.com.be", "IE": "sellercentral.amazon.ie",
	"TR": "sellercentral.amazon.com.tr", "AE": "sellercentral.amazon.ae", "SA": "sellercentral.amazon.sa",
	"EG": "sellercentral.amazon.eg", "ZA": "sellercentral.amazon.co.za", "IN": "sellercentral.amazon.in",
	"JP": "sellercentral-japan.amazon.com", "AU": "sellercentral.amazon.com.au", "SG": "sellercentral.amazon.sg",
	"EU": "sellercentral-europe.amazon.com",
}

// marketplaceCodes orders the history filter's marketplaces.
var marketplaceCodes = []string{"US", "CA", "MX", "BR", "UK", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "BE", "IE", "TR", "AE", "SA", "EG", "ZA", "IN", "JP", "AU", "SG", "EU"}

// Marketplace is a history filter option. The extension records the
// Seller Central host it was on (docs/protocol.md), so Value is the host.
type Marketplace struct{ Code, Value string }

// Marketplaces lists the history filter's marketplaces.
var Marketplaces = func() []Marketplace {
	out := make([]Marketplace, 0, len(marketplaceCodes))
	for _, c := range marketplaceCodes {
		out = append(out, Marketplace{Code: c, Value: sellerCentralHosts[c]})
	}
	return out
}()

// mpLabel shows a recorded marketplace (a host or a code) as its code.
func mpLabel(v string) string {
	for c, h := range sellerCentralHosts {
		if strings.EqualFold(h, v) && c != "GB" {
			return c
		}
	}
	return v
}

// threadURL links an order's buyer-seller thread in Seller Central. The
// marketplace may be a country code or a Seller Central host.
func threadURL(marketplace, orderID string) string {
	host := sellerCentralHosts[strings.ToUpper(marketplace)]
	if host == "" && strings.HasPrefix(marketplace, "sellercentral") && !strings.ContainsAny(marketplace, "/?#@:") {
		host = marketplace
	}
	if host == "" {
		host = "sellercentral.amazon.com"
	}
	return "https://" + host + "/messaging/contact?orderID=" + url.QueryEscape(orderID)
}

// jsonHTML marshals v for a <script type="application/json"> block; the
// encoder escapes <, > and & so the block cannot be closed early.
func jsonHTML(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return template.JS(b), nil
}

// ScenarioLabels are the scenario ids as a seller reads them.
var ScenarioLabels = map[string]string{
	"return-refund": "Return / refund", "cancel-request": "Cancel request", "not-received": "Not received",
	"where-is-order": "Where is my order", "damaged-defective": "Damaged / defective", "wrong-item": "Wrong item",
	"product-question": "Product question", "thank-you": "Thank you", "address-change": "Address change",
	"a-to-z-claim": "A-to-z claim", "feedback-review": "Feedback / review", "invoice-request": "Invoice request",
	"other": "Other",
}

func scenarioLabel(s string) string {
	if s == "" {
		return "—"
	}
	if l, ok := ScenarioLabels[s]; ok {
		return l
	}
	return strings.ReplaceAll(s, "-", " ")
}
