package abi

// findingLayout is policy.Finding's layout, for the offsets the assembly
// uses (go_asm.h); TestFindingLayout holds the two to the same shape.
type findingLayout struct {
	Rule     string
	Severity string
	Start    int
	End      int
	Line     int
	Col      int
	Message  string
	Fix      *fixLayout
}

type fixLayout struct{ Replacement string }
