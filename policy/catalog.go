package policy

// Where Amazon's rules live. Seller Central help pages need a seller login;
// the ids are stable across marketplaces (swap the host for your own).
const (
	urlCommunication = "https://sellercentral.amazon.com/help/hub/reference/external/G1801"       // Communication guidelines (Buyer-Seller Messaging)
	urlProhibited    = "https://sellercentral.amazon.com/help/hub/reference/external/G200386250"  // Prohibited seller activities and actions
	urlReviews       = "https://sellercentral.amazon.com/help/hub/reference/external/G200386250"  // reviews: under prohibited seller activities
	urlMessagingAPI  = "https://developer-docs.amazon.com/sp-api/docs/messaging-api-v1-reference" // Messaging API limits
)

func ex(text string, violates bool) Example { return Example{Text: text, Violates: violates} }

func exCtx(text string, violates bool, ctx Context) Example {
	return Example{Text: text, Violates: violates, Context: &ctx}
}

var proactive = Context{Kind: "proactive", OrderDate: "2026-11-15", Now: "2026-11-16T09:00:00Z"}

var catalog = []Rule{
	{ID: "external-link", Title: "Link to a site outside Amazon", Severity: Error, PolicyURL: urlCommunication,
		Rationale: "Amazon's communication guidelines prohibit links to external websites in buyer messages, except secure links needed to complete the order (such as a carrier's tracking page). Obfuscated addresses (\"shop dot com\") count as links.",
		Examples: []Example{ex("Assembly video: https://www.youtube.com/watch?v=abc123", true), ex("Find us at glowlamps dot net.", true),
			ex("Visit shop[.]example[.]com for more.", true), ex("See our return policy at https://www.amazon.com/gp/help/customer/display.html", false),
			ex("Thanks.It arrived safely, I hope.", false)}},
	{ID: "insecure-link", Title: "Link that is not https", Severity: Error, PolicyURL: urlCommunication,
		Rationale: "Amazon allows only secure (https) links, and only those needed to complete the order.",
		Examples:  []Example{ex("Get the driver from http://downloads.pixelpro.org/latest", true), ex("Track it at https://www.ups.com/track", false)}},
	{ID: "email-address", Title: "Email address", Severity: Error, PolicyURL: urlCommunication,
		Rationale: "Buyer-Seller Messaging must stay on Amazon: email addresses, including spelled-out ones (\"name (at) shop (dot) com\"), are not allowed in messages.",
		Examples: []Example{ex("Reach me at anna.k@yahoo.com if you need anything else.", true), ex("Write to orders (at) maplecraft (dot) co (dot) uk.", true),
			ex("Mail me: bob＠example．com", true), ex("We are at the warehouse today.", false)}},
	{ID: "phone-number", Title: "Phone number", Severity: Error, PolicyURL: urlCommunication,
		Rationale: "Phone numbers invite contact outside Amazon and are not allowed in buyer messages. A carrier's or manufacturer's support number is only a warning: check it is not your own.",
		Examples: []Example{ex("Give us a call on 020 7946 0958 and we will sort it out.", true), ex("Text +1 (312) 555-0187 for help.", true),
			ex("Order 304-7719230-1189034 shipped with DHL, tracking JD014600006281133327.", false),
			ex("Part number 5500-1183-02 replaces the older 5500-1183-01.", false), ex("The box is 30 x 40 x 50 cm and weighs 12.5 kg.", false)}},
	{ID: "off-amazon-contact", Title: "Contact outside Amazon", Severity: Error, PolicyURL: urlCommunication,
		Rationale: "Sellers may not direct buyers to communicate outside Amazon (chat apps, social media, phone calls, personal email).",
		Examples: []Example{ex("Ping us on Signal or WhatsApp for a quicker answer.", true), ex("DM us on Facebook and we'll help.", true),
			ex("Please contact the carrier so they can trace the parcel.", false)}},
	{ID: "off-amazon-sale", Title: "Selling outside Amazon", Severity: Error, PolicyURL: urlProhibited,
		Rationale: "Attempting to divert a transaction or a buyer away from Amazon is a prohibited seller activity.",
		Examples: []Example{ex("Buy directly through our web shop next time and we'll knock 10% off.", true), ex("It is cheaper on our website.", true),
			ex("You can reorder it on Amazon whenever you like.", false)}},
	{ID: "extra-payment", Title: "Payment outside Amazon", Severity: Error, PolicyURL: urlProhibited,
		Rationale: "All payments go through Amazon; asking for payment by PayPal, bank transfer or any other channel is prohibited.",
		Examples: []Example{ex("The larger size costs $15 more; send the difference by PayPal and we'll swap it.", true),
			ex("There is no extra payment needed for the replacement.", false)}},
	{ID: "promotional-content", Title: "Marketing or promotion", Severity: Error, PolicyURL: urlCommunication,
		Rationale: "Buyer messages may not contain marketing: discount codes, sales, loyalty clubs, or suggestions to buy other products.",
		Examples: []Example{ex("Use code WINTER15 for 15% off your next order with us!", true), ex("Join our VIP club to get early access to new designs!", true),
			ex("We have issued a partial refund of 20% for the scratch.", false)}},
	{ID: "review-incentive", Title: "Incentive for a review", Severity: Error, PolicyURL: urlReviews,
		Rationale: "Offering money, refunds, discounts, gifts or free products in exchange for a review is review manipulation and can lead to suspension.",
		Examples: []Example{ex("Leave a review and we will refund 50% of your order.", true), ex("Post a review with a video and receive a $5 gift card.", true),
			ex("We have refunded your order. If you have a moment, we would appreciate an honest review.", false)}},
	{ID: "review-manipulation", Title: "Asking for a positive review", Severity: Error, PolicyURL: urlReviews,
		Rationale: "Sellers may ask for a review only neutrally: asking for positive or 5-star reviews, asking only happy buyers, or asking buyers to contact you instead of leaving negative feedback is manipulation.",
		Examples: []Example{ex("If you loved the product, a 5-star review would mean the world to us!", true),
			ex("Please reach out to us first before posting any negative feedback.", true),
			ex("Thank you for the positive review!", false), ex("We would appreciate an honest review of the product.", false)}},
	{ID: "feedback-removal-exchange", Title: "Feedback removal in exchange for something", Severity: Error, PolicyURL: urlProhibited,
		Rationale: "Asking a buyer to change or remove feedback or a review in exchange for a refund, replacement or anything else is prohibited.",
		Examples: []Example{ex("We'll send you a free second set if you take down your negative review.", true),
			ex("Could you please change your 2-star rating now that we've refunded you?", true),
			ex("Since your issue is now resolved, we would be grateful if you would consider revising your feedback.", false)}},
	{ID: "feedback-removal-pressure", Title: "Pressure to change feedback", Severity: Warning, PolicyURL: urlProhibited,
		Rationale: "You may ask once, after resolving the buyer's problem and without pressure, whether they would consider updating feedback. Repeated or insistent requests, or requests before the problem is resolved, are not allowed.",
		Examples: []Example{ex("You must remove your negative feedback immediately.", true),
			ex("The replacement is on its way and your issue is resolved.", false)}},
	{ID: "opt-out-link", Title: "Opt-out or unsubscribe wording", Severity: Error, PolicyURL: urlCommunication,
		Rationale: "Amazon manages buyers' messaging opt-outs; sellers may not add opt-out or unsubscribe links or wording.",
		Examples:  []Example{ex("Click here to unsubscribe from future messages.", true), ex("We will send the replacement tomorrow.", false)}},
	{ID: "emoji", Title: "Emoji or emoticon", Severity: Error, PolicyURL: urlCommunication,
		Rationale: "Amazon's guidelines ask for plain, professional text; emoji and emoticons are not allowed in buyer messages.",
		Examples: []Example{ex("Enjoy your new mug ☕️ and have a great day!", true), ex("All fixed now ;)", true), ex("Thanks a lot :D", true),
			ex("Step 1) open the lid; step 2) fill it.", false), ex("Reason: Damaged item", false)}},
	{ID: "hostile-tone", Title: "Hostile, accusing or threatening tone", Severity: Error, PolicyURL: urlCommunication,
		Rationale: "Messages must be courteous. Accusing a buyer of lying or fraud, insulting or threatening them breaks the communication guidelines and invites A-to-z claims.",
		Examples: []Example{ex("You are trying to scam us and we know it.", true), ex("We will sue you if the item is not returned.", true),
			ex("We are not suggesting anything is wrong; the carrier's photo shows the parcel at the door.", false)}},
	{ID: "html-markup", Title: "HTML markup", Severity: Error, PolicyURL: urlMessagingAPI,
		Rationale: "Amazon's messaging accepts plain text only (the Messaging API says \"Do not include HTML\"); tags show up as raw text or are rejected.",
		Examples:  []Example{ex("<div align=\"center\">Thank you for shopping with us</div>", true), ex("Sizes run from 2 < 3 in our chart.", false)}},
	{ID: "pii-request", Title: "Asking for personal or payment data", Severity: Error, PolicyURL: urlProhibited,
		Rationale: "Sellers may not ask buyers for personal information (phone numbers, email addresses, payment details, ID); Amazon provides what is needed to fulfil the order.",
		Examples: []Example{ex("Please send us your phone number so the driver can call you.", true), ex("Could you share your credit card details?", true),
			ex("Could you please send us a photo of the label on the bottom of the unit?", false)}},
	{ID: "excess-line-breaks", Title: "Excessive line breaks", Severity: Warning, PolicyURL: urlCommunication,
		Rationale: "Amazon asks sellers to avoid excessive line breaks and formatting; one blank line between paragraphs is enough.",
		Examples:  []Example{ex("Best,\n\n\n\nTom", true), ex("Hello Priya,\n\nThe replacement ships today.\n\nKind regards,\nTom", false)}},
	{ID: "shouting", Title: "Writing in capitals", Severity: Warning, PolicyURL: urlCommunication,
		Rationale: "Text in capitals reads as shouting; Amazon expects a professional tone.",
		Examples:  []Example{ex("DO NOT OPEN THE BOX UNTIL IT IS AT ROOM TEMPERATURE!!!", true), ex("It shipped with USPS from our NYC warehouse.", false)}},
	{ID: "misspelling", Title: "Common misspelling", Severity: Warning, PolicyURL: urlCommunication,
		Rationale: "Amazon asks for clear, professional messages; common misspellings undermine trust.",
		Examples:  []Example{ex("We apreciate your buisness and will recieve the item soon.", true), ex("We appreciate your business.", false)}},
	{ID: "invalid-order-id", Title: "Malformed order id", Severity: Warning, PolicyURL: urlCommunication,
		Rationale: "Amazon order ids have 17 digits in three groups (123-1234567-1234567); a wrong id confuses the buyer and fails Amazon's order id check for proactive messages.",
		Examples:  []Example{ex("About order 114-39416899-8772232: it has shipped.", true), ex("About order 114-3941689-8772232: it has shipped.", false)}},
	{ID: "missing-order-id", Title: "Proactive message without order id", Severity: Warning, PolicyURL: urlCommunication,
		Rationale: "Proactive messages (not replies) must include the Amazon order id they are about.",
		Examples: []Example{exCtx("We want to confirm the delivery window for your sofa. Is Saturday morning okay?", true, proactive),
			exCtx("Regarding order 208-5522190-3390045: we want to confirm the delivery window for your sofa.", false, proactive)}},
	{ID: "proactive-window", Title: "Proactive message after 30 days", Severity: Warning, PolicyURL: urlCommunication,
		Rationale: "Proactive messages may be sent only within 30 days of order completion.",
		Examples: []Example{exCtx("Regarding order 208-5522190-3390045: how are you enjoying the sofa?", true, Context{Kind: "proactive", OrderDate: "2026-08-15", Now: "2026-11-16T09:00:00Z"}),
			exCtx("Regarding order 208-5522190-3390045: we need to confirm your delivery time.", false, proactive)}},
	{ID: "redundant-notification", Title: "Repeats Amazon's own notifications", Severity: Warning, PolicyURL: urlCommunication,
		Rationale: "Amazon already sends order, shipping and delivery confirmations; proactive messages that only repeat them are not permitted.",
		Examples: []Example{exCtx("Order 208-5522190-3390045: your item has shipped! Here is the shipping confirmation.", true, proactive),
			exCtx("Order 208-5522190-3390045 has shipped, but the carrier reports a one-day delay. We are sorry.", false, proactive)}},
	{ID: "review-request-repeat", Title: "Second review request for an order", Severity: Warning, PolicyURL: urlReviews,
		Rationale: "Amazon allows one review request per order; asking again is not allowed.",
		Examples: []Example{exCtx("Would you leave a review of the lamp?", true, Context{PreviousReviewRequests: 1}),
			exCtx("Would you leave a review of the lamp?", false, Context{})}},
	{ID: "review-request-timing", Title: "Review request outside 5-30 days after delivery", Severity: Warning, PolicyURL: urlReviews,
		Rationale: "Review requests may be sent only between 5 and 30 days after delivery.",
		Examples: []Example{exCtx("Would you leave a review of the lamp?", true, Context{DeliveryDate: "2026-11-14", Now: "2026-11-16T09:00:00Z"}),
			exCtx("Would you leave a review of the lamp?", false, Context{DeliveryDate: "2026-11-01", Now: "2026-11-16T09:00:00Z"})}},
	{ID: "cancel-request-ask", Title: "Asking the buyer to cancel", Severity: Warning, PolicyURL: urlCommunication,
		Rationale: "When you cannot fulfil an order, cancel it yourself promptly; asking the buyer to request the cancellation shifts your responsibility onto them.",
		Examples: []Example{ex("Unfortunately it is out of stock, so please cancel the order from your side.", true),
			ex("It is out of stock, so we have cancelled the order and you will not be charged.", false)}},
	{ID: "overpromise", Title: "Promise you cannot control", Severity: Warning, PolicyURL: urlCommunication,
		Rationale: "Guaranteeing delivery dates or outcomes you do not control sets up a broken promise and an A-to-z claim.",
		Examples:  []Example{ex("We guarantee it will arrive tomorrow.", true), ex("We cannot promise a date, but the carrier expects Tuesday.", false)}},
	{ID: "length-limit", Title: "Message too long", Severity: Warning, PolicyURL: urlMessagingAPI,
		Rationale: "Amazon's messaging limits a message to 2,000 characters; longer text is cut or rejected.",
		Examples:  []Example{ex(repeatText("We are sorry for the delay. ", 80), true), ex("We are sorry for the delay.", false)}},
}

func repeatText(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for i := 0; i < n; i++ {
		b = append(b, s...)
	}
	return string(b)
}

// Rules returns the rule catalog, ordered by id.
func Rules() []Rule {
	out := make([]Rule, len(catalog))
	copy(out, catalog)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].ID < out[j-1].ID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
