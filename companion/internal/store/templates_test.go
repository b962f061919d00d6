package store

import (
	"errors"
	"slices"
	"testing"
)

func TestSeedUpgradeKeepsSellerEdits(t *testing.T) {
	c := newClock()
	s := openT(t, t.TempDir(), Options{Now: c.now})
	v1 := []Seed{
		{ID: "thanks", Title: "Thank you", Body: "Thanks for your order.", Scenarios: []string{"thank-you"}, Kind: "reply"},
		{ID: "refund", Title: "Refund", Body: "We have issued a refund.", Scenarios: []string{"return-refund"}, Kind: "reply"},
		{ID: "gone", Title: "To delete", Body: "Old.", Kind: "reply"},
	}
	rep, err := s.SeedTemplates(v1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 3 {
		t.Fatalf("first seed: %+v", rep)
	}
	// Seeding the same set again changes nothing.
	if rep, err = s.SeedTemplates(v1); err != nil || rep.Unchanged != 3 || len(rep.Added)+len(rep.Upgraded)+len(rep.Kept) != 0 {
		t.Fatalf("reseed: %+v %v", rep, err)
	}
	// The seller edits "refund" and deletes "gone".
	c.add(3600e9)
	ed, err := s.SaveTemplate(TemplateEdit{ID: "refund", Title: "Refund", Body: "Your refund is on its way, thank you for your patience.", BaseVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !ed.Modified || ed.Version != 2 {
		t.Fatalf("edited built-in: %+v", ed)
	}
	if err := s.DeleteTemplate("gone"); err != nil {
		t.Fatal(err)
	}
	// A new release changes all three built-ins.
	v2 := slices.Clone(v1)
	for i := range v2 {
		v2[i].Body += " (v2)"
	}
	rep, err = s.SeedTemplates(v2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Upgraded, []string{"thanks"}) || !slices.Equal(rep.Kept, []string{"refund", "gone"}) {
		t.Fatalf("upgrade report: %+v", rep)
	}
	got, _ := s.GetTemplate("thanks")
	if got.Body != "Thanks for your order. (v2)" || got.Version != 2 || got.Modified {
		t.Errorf("untouched built-in not upgraded: %+v", got)
	}
	got, _ = s.GetTemplate("refund")
	if got.Body != "Your refund is on its way, thank you for your patience." || got.UpgradeAvailable == "" {
		t.Errorf("seller edit overwritten or upgrade not flagged: %+v", got)
	}
	if _, err := s.GetTemplate("gone"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted built-in came back: %v", err)
	}
	list, err := s.ListTemplates()
	if err != nil || len(list) != 2 || list[0].ID != "refund" || list[1].ID != "thanks" {
		t.Fatalf("list: %+v %v", list, err)
	}
	vers, err := s.TemplateVersions("refund")
	if err != nil || len(vers) != 2 || vers[0].Body != "We have issued a refund." {
		t.Fatalf("versions: %+v %v", vers, err)
	}
	// Reset to built-in accepts the upgrade; the next release upgrades it.
	reset, err := s.ResetTemplate(v2[1])
	if err != nil || reset.Modified || reset.UpgradeAvailable != "" || reset.Body != v2[1].Body || reset.Version != 3 {
		t.Fatalf("reset: %+v %v", reset, err)
	}
	v3 := slices.Clone(v2)
	v3[1].Body += " (v3)"
	if rep, _ := s.SeedTemplates(v3); !slices.Equal(rep.Upgraded, []string{"refund"}) {
		t.Fatalf("after reset, upgrade report: %+v", rep)
	}
	if restored, err := s.ResetTemplate(v3[2]); err != nil || restored.Deleted {
		t.Fatalf("restore deleted built-in: %+v %v", restored, err)
	}
	if _, err := s.GetTemplate("gone"); err != nil {
		t.Fatalf("restored built-in not visible: %v", err)
	}
}

func TestSaveTemplateValidatesAndDetectsConflicts(t *testing.T) {
	s := openT(t, t.TempDir(), Options{})
	cases := []struct {
		name string
		e    TemplateEdit
		want error
	}{
		{"empty body", TemplateEdit{Title: "x"}, ErrInvalid},
		{"empty title", TemplateEdit{Body: "x"}, ErrInvalid},
		{"slash in id", TemplateEdit{ID: "a/b", Title: "x", Body: "y"}, ErrInvalid},
		{"base version of a missing template", TemplateEdit{ID: "nope", Title: "x", Body: "y", BaseVersion: 3}, ErrConflict},
	}
	for _, tc := range cases {
		if _, err := s.SaveTemplate(tc.e); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	tpl, err := s.SaveTemplate(TemplateEdit{Title: "Mine", Body: "Hello", Findings: []Finding{{Rule: "emoji", Severity: "error", Start: 1, End: 2}}})
	if err != nil || tpl.ID == "" || tpl.Version != 1 || len(tpl.Findings) != 1 {
		t.Fatalf("create: %+v %v", tpl, err)
	}
	if _, err := s.SaveTemplate(TemplateEdit{ID: tpl.ID, Title: "Mine", Body: "Hello 2", BaseVersion: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveTemplate(TemplateEdit{ID: tpl.ID, Title: "Mine", Body: "Hello 3", BaseVersion: 1}); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale edit: got %v, want ErrConflict", err)
	}
}
