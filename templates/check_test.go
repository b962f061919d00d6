package templates

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/replyguard/replyguard/policy"
)

// flagWord is a LintFunc that reports every occurrence of word, with
// UTF-16 offsets as the real engine does.
func flagWord(word string) LintFunc {
	return func(text string, _ policy.Context) ([]policy.Finding, error) {
		var fs []policy.Finding
		for i := 0; ; {
			k := strings.Index(text[i:], word)
			if k < 0 {
				return fs, nil
			}
			start := len(utf16.Encode([]rune(text[:i+k])))
			fs = append(fs, policy.Finding{Rule: "test-word", Severity: policy.Warning, Start: start, End: start + len(word), Message: "found " + word})
			i += k + len(word)
		}
	}
}

// TestCheckPlacesFindings maps findings in the rendered text back to the
// template file: in literal text after wide characters and escapes, and in
// a placeholder's value.
func TestCheckPlacesFindings(t *testing.T) {
	src := "id: place\ntitle: T\nscenarios: other\nkind: reply\nfield: note text example=\"a bad idea\"\n---\nHello {buyer_name},\n\n𝒜é {{x}} bad start; then {note}.\n"
	tp, err := Parse("place.tmpl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	issues, err := Check(tp, flagWord("bad"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, is := range issues {
		got = append(got, is.String())
	}
	want := []string{
		`place.tmpl:9:10: warning test-word: found bad ("bad")`,
		`place.tmpl:9:26: warning test-word: found bad ("bad", in the value of {note})`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCheckVariesChoices lints every option of a choice, and says which
// one produced a finding.
func TestCheckVariesChoices(t *testing.T) {
	src := "id: vary\ntitle: T\nscenarios: other\nkind: reply\nfield: c choice options=\"fine|bad\" default=fine\n---\nIt is {c}.\n"
	tp, err := Parse("vary.tmpl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	issues, err := Check(tp, flagWord("bad"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(issues) != 1 || issues[0].Sample != "c=bad" || issues[0].Field != "c" || issues[0].Line != 7 || issues[0].Col != 7 {
		t.Errorf("issues = %+v", issues)
	}
}

func TestCheckProactiveNeedsOrderID(t *testing.T) {
	src := "id: pro\ntitle: T\nscenarios: where-is-order\nkind: proactive\n---\nHello {buyer_name}, a delay.\n"
	tp, _ := Parse("pro.tmpl", []byte(src))
	issues, err := Check(tp, NativeLint, testNow)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, is := range issues {
		if is.Rule == RuleProactiveOrderID && is.Severity == policy.Error && is.Line == 6 {
			found = true
		}
	}
	if !found {
		t.Errorf("no %s: %v", RuleProactiveOrderID, issues)
	}
}
