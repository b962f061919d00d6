package policy

import "testing"

// Ordinary seller replies written for this test (none from the shared
// corpus): numbers, dates, measurements, tracking, refunds, foreign text.
// The linter must not raise a single error or warning on any of them.
func TestCleanSellerReplies(t *testing.T) {
	for _, s := range []string{
		"Hi Tom,\n\nThanks for getting in touch. I'm sorry the charger isn't working. Could you try a different wall socket and let me know if the LED lights up? If it still doesn't charge, we'll send a new one at no cost.\n\nBest wishes,\nAnna",
		"Good news: your replacement left our warehouse this morning via USPS Priority Mail, tracking 9405 5036 9930 0123 4567 89. It should arrive by Thursday, Nov 27.",
		"We're sorry, but this item is final sale and can't be returned. However, it is covered by a 2-year manufacturer warranty.",
		"Your return was received on 11/18 and a refund of $129.99 was issued to your original payment method. Banks usually take 3-5 business days.",
		"The bulb is E26, 9W (60W equivalent), 800 lumens, 2700K warm white, and dimmable with most LED dimmers.",
		"The product comes with a 30 day money-back guarantee through Amazon's return policy.",
		"Unfortunately we are out of stock and have cancelled your order. You have not been charged. We are very sorry for the inconvenience.",
		"Hello Mr. Schmidt, the invoice for order 302-1234567-7654321 is attached as a PDF. If you need the VAT number added, please let us know.",
		"Please could you send a photo of the damaged corner? This helps us file a claim with the carrier.",
		"Thank you so much for the kind words! We're delighted the quilt arrived in time for the holidays.",
		"It looks like the parcel was delivered to a safe place (behind the bin) according to the driver's note. Could you take a look?",
		"The stand is compatible with iPad Pro 11\" and 12.9\" (2018-2024) and Galaxy Tab S8/S9.",
		"Our team works Monday to Friday, 9:00-17:00 CET, and we reply to every message within 24 hours.",
		"We've issued a partial refund of 15% to compensate for the scratch, as agreed.",
		"To request a return, go to Your Orders, select the item and choose Return or Replace Items.",
		"We offer free returns within 30 days; the prepaid label is in your Amazon account.",
		"The serial number is on the sticker: SN 2023-0045-1187.",
		"I've attached the assembly instructions. Step 3 is where most people get stuck: the long screws go in the top holes.",
		"Since the order shipped with Amazon Buy Shipping, you can file an item-not-received claim and Amazon will refund you.",
		"Hi! Just checking: did the replacement arrive OK? If not, let us know and we'll sort it out.",
		"As requested, we've cancelled the order. You'll see a confirmation email from Amazon shortly.",
		"Please note: the colour may look slightly different depending on your screen settings.",
		"We are sorry the item did not meet your expectations. You can return it for a full refund within 30 days.",
		"The battery is 3.7 V, 2000 mAh, and a full charge takes about 2 hours with the included USB-C cable.",
		"Hello,\nThe order was dispatched on 20.11.2026 with DHL. Tracking: 00340434161234567890.\nKind regards",
		"Hello, the package was handed to Royal Mail on 14/11 and the tracking number is AB123456789GB.",
		"Dear customer, your refund of €24,90 has been processed and should show in 3-5 business days.",
		"The dimensions are 45 x 30 x 12 cm and it weighs 2.3 kg. It fits most 24-inch shelves.",
		"The item ships from our warehouse in Leeds, LS1 4AP, within 24 hours.",
		"Hi Maria, I hope you are enjoying your new lamp. Would you be willing to share your experience by leaving a review on Amazon? Thanks!",
		"Nous sommes désolés pour le retard. Votre colis arrivera demain.",
		"Vielen Dank für Ihre Nachricht. Die Rücksendung ist kostenlos.",
		"The speaker works with Google Home and Alexa, and the app is on Google Play.",
		"For sizing, we recommend ordering one size up on your next order.",
		"Message us on Amazon anytime if the lid does not fit.",
		"Contact us directly on Amazon if the lid does not fit.",
		"Your parcel number is 1234 5678 9012 with Evri.",
		"Hi Kevin, I checked with our warehouse and the order left on Monday. UPS shows it at the local depot, so it should reach you tomorrow. If it doesn't, just reply here and we'll send a replacement straight away.",
		"Thanks for asking! Yes, the cover is machine washable at 30°C. Please don't tumble dry it.",
		"Dear Mr. Lopez, thank you for your patience. The replacement (same size, black) was dispatched today with Royal Mail Tracked 48.",
		"It is compatible with 220-240 V outlets; in the US you will need a step-down converter.",
		"We noticed the courier left it at the wrong house number (14 instead of 41). We've asked them to collect it.",
		"Order #701-8860012-0044781 - your replacement has been shipped.",
		"Our records show the return was scanned at 9:42 am on 3 December.",
		"We can offer a 20% partial refund for the scuff, or a full refund if you send it back.",
		"If you need a VAT invoice, you can download it from Your Orders > Invoice.",
		"Please message us via Buyer-Seller Messaging with a photo of the label.",
	} {
		for _, f := range Lint(s, Context{}) {
			if f.Severity != Info {
				t.Errorf("%q: %s (%s) on %q", s, f.Rule, f.Severity, spanText(s, f))
			}
		}
	}
}

// Violations written for this test, phrased differently from the catalog.
func TestUnseenViolations(t *testing.T) {
	cases := []struct{ text, rule string }{
		{"Would you mind updating your review? We fixed the issue and sent you a gift card.", "feedback-removal-exchange"},
		{"If you're satisfied, please leave us 5 stars!", "review-manipulation"},
		{"Please don't leave negative feedback, contact us and we will fix it.", "review-manipulation"},
		{"Check out our new spring collection on our storefront!", "promotional-content"},
		{"Add us on WeChat: oakridge88", "off-amazon-contact"},
		{"Our email is support at oakridge dot com", "email-address"},
		{"Visit www dot oakridge dot com for 20% off", "external-link"},
		{"If you send us $10 via Venmo we will upgrade your shipping.", "extra-payment"},
		{"You are lying about the damage and we will report you to Amazon.", "hostile-tone"},
		{"Leave us an honest review and we'll send a free refill.", "review-incentive"},
		{"For a faster answer, shoot us an email at hello@oakridge.co.uk", "email-address"},
		{"Our direct line is +49 30 1234 5678.", "phone-number"},
		{"Can you confirm your card number so we can refund you?", "pii-request"},
		{"We can't ship this, so please request a cancellation.", "cancel-request-ask"},
		{"Drop us a line at oakridge.help@outlook.com", "email-address"},
		{"our site: https://oakridge.shop/returns", "external-link"},
		{"Search 'Oakridge Kitchen' on Google to find our store.", "off-amazon-sale"},
		{"We can give you 30% off if you order from our site.", "off-amazon-sale"},
		{"Feel free to ring us on 07700 900123.", "phone-number"},
		{"Our hotline: 1800 555 019", "phone-number"},
		{"Please pay the remaining $20 through our PayPal link.", "extra-payment"},
		{"Sign up for our newsletter and get exclusive deals!", "promotional-content"},
		{"Buy 2 and get 1 free on your next purchase!", "promotional-content"},
		{"This week only: buy 2 & get 1 free on every candle.", "promotional-content"},
		{"A positive rating would really help our small business.", "review-manipulation"},
		{"Rate us 5 stars and we'll send you a surprise gift!", "review-incentive"},
		{"We'll refund you in full if you delete your review.", "feedback-removal-exchange"},
		{"If you remove the negative feedback we will send a replacement for free.", "feedback-removal-exchange"},
		{"Reply STOP to opt out of these messages.", "opt-out-link"},
		{"Thanks 😀😀", "emoji"},
		{"Cheers! :-)", "emoji"},
		{"Are you stupid? Read the manual.", "hostile-tone"},
		{"We know you damaged it yourself.", "hostile-tone"},
		{"<p>Hello</p>", "html-markup"},
		{"Please send your full address and phone number so we can ship directly.", "pii-request"},
		{"What is your email so we can send the file?", "pii-request"},
		{"PLEASE RESPOND IMMEDIATELY TO THIS MESSAGE", "shouting"},
		{"We will definately recieve it tommorow.", "misspelling"},
		{"Order #111-22233-4445556 is on its way.", "invalid-order-id"},
		{"We guarantee delivery before Christmas.", "overpromise"},
		{"Kindly cancel the order on your end since we can't fulfil it.", "cancel-request-ask"},
		{"Message us on Instagram @oakridgekitchen", "off-amazon-contact"},
		{"Contact me directly at my personal email.", "off-amazon-contact"},
		{"Go to oakridge-kitchen.co.uk/warranty to register.", "external-link"},
		{"Our website is OAKRIDGE.COM", "external-link"},
	}
	for _, c := range cases {
		found := false
		for _, f := range Lint(c.text, Context{}) {
			found = found || f.Rule == c.rule
		}
		if !found {
			t.Errorf("%q: want %s, got %v", c.text, c.rule, Lint(c.text, Context{}))
		}
	}
}

// A proactive review request that opens with thanks is a review request,
// not a repeated order confirmation, and counts for the one-per-order rule.
func TestProactiveReviewRequest(t *testing.T) {
	text := "Thank you for your order 114-3941689-8772232. We hope the stoneware mug set is working well for you. " +
		"If you have a moment, we would appreciate it if you would share your experience of the product in a review on Amazon."
	ctx := Context{Kind: "proactive", OrderDate: "2026-11-01", DeliveryDate: "2026-11-05", Now: "2026-11-16T09:00:00Z", PreviousReviewRequests: 1}
	got := map[string]bool{}
	for _, f := range Lint(text, ctx) {
		got[f.Rule] = true
	}
	if got["redundant-notification"] || !got["review-request-repeat"] {
		t.Fatalf("findings %v", Lint(text, ctx))
	}
}

// Buyer messages written for this test, phrased the many ways buyers write.
func TestClassifyUnseen(t *testing.T) {
	cases := [][2]string{
		{"Hi, I received the jacket but it's too big. How can I exchange it for a medium?", "return-refund"},
		{"I need to return this, it arrived after the party. How do I get a label?", "return-refund"},
		{"I never got my refund for the returned boots.", "return-refund"},
		{"Can you cancel my order? I found it cheaper elsewhere.", "cancel-request"},
		{"Please don't ship it, I changed my mind.", "cancel-request"},
		{"My package says delivered yesterday but I have searched everywhere.", "not-received"},
		{"It's been 3 weeks and nothing has arrived.", "not-received"},
		{"Tracking hasn't updated in 5 days. Is my parcel lost?", "where-is-order"},
		{"When will my order be dispatched?", "where-is-order"},
		{"The screen has a big crack across the middle.", "damaged-defective"},
		{"The zipper broke the first time I used it.", "damaged-defective"},
		{"Half the cups were smashed when the box arrived.", "damaged-defective"},
		{"I ordered a queen size sheet set and got a twin.", "wrong-item"},
		{"This is the wrong colour, I ordered black not navy.", "wrong-item"},
		{"Is this available in a larger size?", "product-question"},
		{"What is the wattage of this heater?", "product-question"},
		{"Does it come with batteries?", "product-question"},
		{"Just wanted to say the mug is lovely, thanks!", "thank-you"},
		{"Great seller, fast shipping, thanks again.", "thank-you"},
		{"I entered the wrong street number, can you change it to 14 instead of 41?", "address-change"},
		{"I'm moving next week, could you deliver to my new address?", "address-change"},
		{"I opened an A-to-Z claim since nobody answered.", "a-to-z-claim"},
		{"I am going to file a chargeback with my credit card company.", "a-to-z-claim"},
		{"Why did you ask me to remove my feedback?", "feedback-review"},
		{"I left a 1 star review because of the delay.", "feedback-review"},
		{"Can I get a receipt for my expense report?", "invoice-request"},
		{"Please issue an invoice in the name of my company, Acme GmbH.", "invoice-request"},
		{"Ok", "other"},
	}
	for _, c := range cases {
		if got := Classify(c[0]); got.Scenario != c[1] {
			t.Errorf("%q: got %s (%.2f), want %s", c[0], got.Scenario, got.Confidence, c[1])
		}
	}
}
