package templates

import (
	"slices"
	"strings"

	"github.com/replyguard/replyguard/policy"
)

// Kind says who starts the conversation.
const (
	KindReply     = "reply"     // answers a buyer's message
	KindProactive = "proactive" // seller-initiated; Amazon limits the reasons
)

// Template is one parsed template file.
type Template struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Scenarios are the buyer-message scenario ids (policy.Scenarios) the
	// template answers.
	Scenarios []string `json:"scenarios"`
	Kind      string   `json:"kind"`
	// Action is the Messaging API action (Actions) that carries this message
	// when one exists, e.g. "confirmDeliveryDetails".
	Action string `json:"action,omitempty"`
	// Reason is the contact reason to pick on Seller Central's Contact Buyer
	// page, free text (Amazon renames them).
	Reason string `json:"reason,omitempty"`
	// Attachments the seller must add before sending (Attachments).
	Attachments []string `json:"attachments,omitempty"`
	// Guidance says when to use the template and what Amazon's policy says.
	Guidance string `json:"guidance,omitempty"`
	// Fields declares every placeholder the body uses (and date bases), in
	// order of first use in the body. Standard placeholders (StandardFields)
	// need no declaration in the file but are listed here all the same.
	Fields []Field `json:"fields"`
	Body   string  `json:"body"`

	// Source is the file name given to Parse; not part of the format.
	Source string `json:"-"`
	// bodyLine is the file line of the first body line, to map render
	// offsets back to the file.
	bodyLine int
}

// Field types.
const (
	TypeName     = "name"     // a person's or shop's name
	TypeOrderID  = "order-id" // 123-1234567-1234567
	TypeDate     = "date"     // YYYY-MM-DD or today+N / today+Nbd
	TypeMoney    = "money"    // $24.99, 24,99 EUR
	TypeCarrier  = "carrier"  // UPS, Royal Mail
	TypeTracking = "tracking" // 1Z999AA10123456784
	TypeText     = "text"     // free text, one line
	TypeChoice   = "choice"   // one of Options
	TypeNumber   = "number"   // a whole number, e.g. days
)

var fieldTypes = []string{TypeName, TypeOrderID, TypeDate, TypeMoney, TypeCarrier, TypeTracking, TypeText, TypeChoice, TypeNumber}

// Field is a typed placeholder.
type Field struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Label string `json:"label"`
	// Default is used when no value is given. For dates it is an expression:
	// "today", "today+3bd" (business days), "today+30d", "delivered+30d"
	// (another date field of the template), or YYYY-MM-DD.
	Default string `json:"default,omitempty"`
	// Format names a date format (DateFormats); empty means "medium".
	Format string `json:"format,omitempty"`
	// Options are the allowed values of a choice.
	Options []string `json:"options,omitempty"`
	// Max is the longest text value in characters; 0 means DefaultTextMax.
	Max int `json:"max,omitempty"`
	// Example is a realistic value, used by Check and shown to the seller.
	Example string `json:"example,omitempty"`

	line int // header line that declared it; 0 for standard fields
}

// DefaultTextMax bounds free-text values when a field sets no max.
const DefaultTextMax = 300

// StandardFields are placeholders every template may use without declaring
// them. A template may redeclare one to change its label or default.
var StandardFields = []Field{
	{Name: "buyer_name", Type: TypeName, Label: "Buyer first name", Example: "Maria"},
	{Name: "order_id", Type: TypeOrderID, Label: "Order ID", Example: "114-3941689-8772232"},
	{Name: "seller_name", Type: TypeName, Label: "Your name or shop name", Example: "Oakridge Home"},
	{Name: "carrier", Type: TypeCarrier, Label: "Carrier", Example: "UPS"},
	{Name: "tracking_number", Type: TypeTracking, Label: "Tracking number", Example: "1Z999AA10123456784"},
	{Name: "product", Type: TypeText, Label: "Product name", Max: 120, Example: "stoneware mug set"},
}

func standardField(name string) (Field, bool) {
	for _, f := range StandardFields {
		if f.Name == name {
			f.Options = slices.Clone(f.Options)
			return f, true
		}
	}
	return Field{}, false
}

// Actions are the Messaging API actions a template may name (the names of
// getMessagingActionsForOrder).
var Actions = []string{
	"amazonMotors", "confirmCustomizationDetails", "confirmDeliveryDetails",
	"confirmOrderDetails", "confirmServiceDetails", "digitalAccessKey",
	"legalDisclosure", "negativeFeedbackRemoval", "sendInvoice",
	"unexpectedProblem", "warranty",
}

// Attachments a template may ask the seller to add.
var Attachments = []string{
	"prepaid-return-label", "invoice", "credit-note", "warranty-terms",
	"user-guide", "photo",
}

// DateFormats maps a date format name to a Go time layout. Names rather
// than layouts keep the files readable and let the extension reimplement
// them.
var DateFormats = map[string]string{
	"medium":         "January 2, 2006",
	"long":           "Monday, January 2, 2006",
	"short":          "January 2",
	"weekday":        "Monday, January 2",
	"day-month":      "2 January 2006",
	"day-month-long": "Monday 2 January 2006",
	"iso":            "2006-01-02",
}

// DefaultDateFormat is used when a date field names none.
const DefaultDateFormat = "medium"

// Field returns the template's field with that name, falling back to the
// standard placeholders so that a Template built in code (say, from a body
// stored by the companion) renders {buyer_name} and friends without
// declaring them.
func (t Template) Field(name string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return standardField(name)
}

// Placeholders returns the fields used in the body, in order of first use.
// Fields only used as a date base are left out.
func (t Template) Placeholders() []Field {
	parts, err := parseBody(t.Body)
	if err != nil {
		return nil
	}
	var out []Field
	seen := map[string]bool{}
	for _, p := range parts {
		if p.field == "" || seen[p.field] {
			continue
		}
		seen[p.field] = true
		if f, ok := t.Field(p.field); ok {
			out = append(out, f)
		}
	}
	return out
}

// Exported is the JSON form of a template for the extension: the template,
// its body split into literal text and placeholders, so the extension need
// not parse braces.
type Exported struct {
	Template
	Parts []Part `json:"parts"`
}

// Part is a piece of a body: literal Text, or the name of a Field.
type Part struct {
	Text  string `json:"text,omitempty"`
	Field string `json:"field,omitempty"`
}

// Export returns the JSON form.
func (t Template) Export() Exported {
	e := Exported{Template: t}
	parts, _ := parseBody(t.Body)
	for _, p := range parts {
		e.Parts = append(e.Parts, Part{Text: p.text, Field: p.field})
	}
	return e
}

// label derives a label from a field name: "return_by" -> "Return by".
func label(name string) string {
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func knownScenario(s string) bool { return slices.Contains(policy.Scenarios, s) }
