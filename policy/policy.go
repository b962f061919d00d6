package policy

// Version identifies the rule set; hosts show it and history records it.
const Version = "0.1.0"

// Rules returns the rule catalog, ordered by id.
func Rules() []Rule {
	return nil
}
