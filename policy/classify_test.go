package policy

import (
	"slices"
	"testing"
)

// Buyer messages written for this test (not the shared corpus), one or more
// per scenario, phrased the many ways buyers write.
func TestClassifyScenarios(t *testing.T) {
	cases := []struct{ text, want string }{
		{"Hi, I'd like to return the blender, it is too loud for us.", "return-refund"},
		{"How do I get my money back? The shoes don't fit.", "return-refund"},
		{"Ich möchte den Artikel zurücksenden und eine Erstattung.", "return-refund"},
		{"I ordered this by mistake, please cancel it before it ships.", "cancel-request"},
		{"Bitte stornieren Sie meine Bestellung.", "cancel-request"},
		{"Tracking shows delivered yesterday but there is nothing at my door.", "not-received"},
		{"My parcel was stolen from the porch, it never arrived.", "not-received"},
		{"Where is my package? It was supposed to come Monday.", "where-is-order"},
		{"Any update on when my order will ship?", "where-is-order"},
		{"The lamp arrived with a cracked base.", "damaged-defective"},
		{"The kettle stopped working after two days.", "damaged-defective"},
		{"I ordered the blue one but you sent a red one, wrong color.", "wrong-item"},
		{"This is not what I ordered, I got size 8 instead of 10.", "wrong-item"},
		{"Does this case fit the iPhone 15 Pro?", "product-question"},
		{"Is the mug dishwasher safe?", "product-question"},
		{"Thanks so much, works great!", "thank-you"},
		{"Can you send it to my work address instead? I typed the wrong address.", "address-change"},
		{"I have filed an A-to-z claim because nobody answered.", "a-to-z-claim"},
		{"I will dispute the charge with my bank if I don't hear back.", "a-to-z-claim"},
		{"Why do you keep asking me to leave a review?", "feedback-review"},
		{"Could you send me an invoice with my company name for my records?", "invoice-request"},
		{"Hello", "other"},
	}
	for _, c := range cases {
		got := Classify(c.text)
		if got.Scenario != c.want {
			t.Errorf("%q: got %s (%.2f), want %s", c.text, got.Scenario, got.Confidence, c.want)
		}
	}
}

func TestClassifyForwardedMessage(t *testing.T) {
	text := "We've been contacted by a customer regarding the order identified below.\n" +
		"Order ID: 114-3941689-8772232\nReason: Item not received\nDetail: The buyer says the parcel never arrived."
	c := Classify(text)
	if !c.Forwarded || c.Scenario != "a-to-z-claim" || c.OrderID != "114-3941689-8772232" {
		t.Fatalf("got %+v", c)
	}
	if len(c.Evidence) == 0 {
		t.Fatalf("no evidence spans")
	}
}

// Every phrase list belongs to a scenario that Classify can answer.
func TestScenarioPhrasesNameScenarios(t *testing.T) {
	for _, sp := range scenarioPhrases {
		if !slices.Contains(Scenarios, sp.scenario) {
			t.Errorf("phrases for %q, which is not in Scenarios", sp.scenario)
		}
	}
}
