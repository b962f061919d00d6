// Package policy is ReplyGuard's rule engine: it checks a seller's reply
// against Amazon's Buyer-Seller Messaging rules and classifies buyer messages
// into scenarios.
//
// It is pure Go with no I/O so that the same code compiles to policy.wasm
// (run by the extension in V8 and by the companion in wazero). Keep it free of
// fmt, regexp, encoding/json and reflection: they would blow the wasm size and
// speed budgets in DESIGN.md.
package policy

// Severity of a finding. Errors break Amazon's rules; warnings are risky;
// info is advice.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Fix is a mechanical correction: replace the finding's [Start, End) span
// with Replacement (which may be empty, to delete).
type Fix struct {
	Replacement string `json:"replacement"`
}

// Finding is one rule violation in a text.
//
// Start and End count UTF-16 code units of the input (what browsers use), so
// one offset format serves the extension, the companion and the CLI. Line and
// Col are 1-based; Col counts UTF-16 code units from the start of the line.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Start    int      `json:"start"`
	End      int      `json:"end"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Message  string   `json:"message"`
	Fix      *Fix     `json:"fix,omitempty"`
}

// Context tells context-aware rules what kind of message this is and when.
// Every field is optional; a rule whose inputs are missing stays silent.
type Context struct {
	// Kind is "reply" (answering a buyer) or "proactive" (seller-initiated).
	// Empty means "reply".
	Kind string `json:"kind,omitempty"`
	// OrderDate and DeliveryDate are YYYY-MM-DD.
	OrderDate    string `json:"order_date,omitempty"`
	DeliveryDate string `json:"delivery_date,omitempty"`
	// Now is RFC 3339. Empty means the current time.
	Now string `json:"now,omitempty"`
	// Marketplace is a host or country code, e.g. "amazon.de" or "DE".
	Marketplace string `json:"marketplace,omitempty"`
	// PreviousReviewRequests counts review requests already sent for the order.
	PreviousReviewRequests int `json:"previous_review_requests,omitempty"`
}

// Span is a stretch of text in UTF-16 code units.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Classification is the scenario of a buyer message.
type Classification struct {
	Scenario   string  `json:"scenario"`
	Confidence float64 `json:"confidence"`
	// Evidence holds the spans of the phrases that decided the scenario.
	Evidence []Span `json:"evidence,omitempty"`
	// Forwarded is true for messages Amazon forwards ("We've been contacted
	// by a customer regarding the order identified below").
	Forwarded bool `json:"forwarded,omitempty"`
	// OrderID is the first valid 17-digit order id in the message, if any.
	OrderID string `json:"order_id,omitempty"`
}

// Example is a sentence a rule must (Violates) or must not flag. Examples
// are documentation and tests at once.
type Example struct {
	Text     string   `json:"text"`
	Violates bool     `json:"violates"`
	Context  *Context `json:"context,omitempty"`
}

// Rule describes one check in the catalog.
type Rule struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Severity  Severity  `json:"severity"`
	Rationale string    `json:"rationale"`
	PolicyURL string    `json:"policy_url"`
	Examples  []Example `json:"examples"`
}

// Scenarios lists every buyer-message scenario id, in DESIGN.md order.
var Scenarios = []string{
	"return-refund", "cancel-request", "not-received", "where-is-order",
	"damaged-defective", "wrong-item", "product-question", "thank-you",
	"address-change", "a-to-z-claim", "feedback-review", "invoice-request",
	"other",
}

// ValidOrderID reports whether s is an Amazon order id: 3-7-7 digits with
// hyphens (123-1234567-1234567).
func ValidOrderID(s string) bool {
	if len(s) != 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 3 || i == 11 {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
