package store

// Finding is a lint finding as stored with templates and replies. It has
// the JSON shape of the Finding contract in DESIGN.md (and policy.Finding),
// so the linter's JSON output decodes into it directly; the store keeps
// its own type so it does not depend on the rule engine.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Message  string `json:"message,omitempty"`
	Fix      *Fix   `json:"fix,omitempty"`
}

// Fix is a finding's mechanical correction.
type Fix struct {
	Replacement string `json:"replacement"`
}

// SeverityError is the severity of findings that break Amazon's rules.
const SeverityError = "error"
