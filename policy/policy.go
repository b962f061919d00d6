package policy

// Version identifies the rule set; hosts show it and history records it.
const Version = "0.1.0"

// Lint checks a seller's message and returns its findings ordered by Start,
// then End, then Rule.
func Lint(text string, ctx Context) []Finding {
	return nil // TODO(policy engine): in progress
}

// Classify returns the scenario of a buyer message.
func Classify(text string) Classification {
	return Classification{Scenario: "other"}
}

// Rules returns the rule catalog, ordered by id.
func Rules() []Rule {
	return nil
}
