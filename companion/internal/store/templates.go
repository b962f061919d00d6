package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// Template is a reply template as stored: the current version of a
// built-in or seller-written template.
type Template struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	Scenarios []string `json:"scenarios,omitempty"`
	// Kind is "reply" or "proactive".
	Kind string `json:"kind,omitempty"`
	// Version counts saves, starting at 1.
	Version int `json:"version"`
	// Findings are the lint findings of Body at save time (the caller lints).
	Findings []Finding `json:"findings,omitempty"`
	// Source is the template in its file form (templates/README.md), kept
	// for what the fields above do not hold: placeholder declarations,
	// guidance, attachments. Title, Body, Kind and Scenarios win over it.
	Source string `json:"source,omitempty"`
	// Builtin is true for templates that came from the built-in set.
	Builtin bool `json:"builtin,omitempty"`
	// BuiltinVersion is the version (or hash) of the built-in last applied.
	BuiltinVersion string `json:"builtin_version,omitempty"`
	// Modified is true once the seller has edited a built-in template;
	// seeding never overwrites it after that.
	Modified bool `json:"modified,omitempty"`
	// UpgradeAvailable names a newer built-in version that was not applied
	// because the seller had edited the template.
	UpgradeAvailable string `json:"upgrade_available,omitempty"`
	// Deleted marks a tombstone: deleted templates are not listed, and a
	// deleted built-in is not seeded again.
	Deleted   bool      `json:"deleted,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TemplateEdit is a create (empty ID) or an edit of an existing template.
type TemplateEdit struct {
	ID        string
	Title     string
	Body      string
	Scenarios []string
	Kind      string
	// BaseVersion, when non-zero, must equal the stored version or the save
	// fails with ErrConflict (someone else saved in between).
	BaseVersion int
	Findings    []Finding
	// Source, when set, replaces the stored file form (see Template.Source);
	// an edit without it keeps the one stored.
	Source string
}

// ErrConflict means a save was based on an outdated version.
var ErrConflict = errors.New("template was changed since it was loaded")

// Seed is one built-in template offered to SeedTemplates. The wiring
// converts templates.Builtin() into this so the store does not import it.
type Seed struct {
	ID        string
	Title     string
	Body      string
	Scenarios []string
	Kind      string
	// Version identifies the built-in text; empty means a hash of the fields.
	Version string
	// Findings of Body, when the caller linted it.
	Findings []Finding
}

func (sd Seed) version() string {
	if sd.Version != "" {
		return sd.Version
	}
	h := sha256.New()
	for _, f := range []string{sd.Title, sd.Body, strings.Join(sd.Scenarios, ","), sd.Kind} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}

// SeedReport says what SeedTemplates did, by template id.
type SeedReport struct {
	Added    []string `json:"added,omitempty"`
	Upgraded []string `json:"upgraded,omitempty"`
	// Kept lists seller-edited templates whose built-in changed; their
	// UpgradeAvailable field is set.
	Kept      []string `json:"kept,omitempty"`
	Unchanged int      `json:"unchanged"`
}

// SeedTemplates adds missing built-ins and upgrades the ones the seller has
// not edited. Seller edits and deletions are never overwritten.
func (s *Store) SeedTemplates(seeds []Seed) (SeedReport, error) {
	var rep SeedReport
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC()
	err := s.update(func(txn *badger.Txn) error {
		rep = SeedReport{}
		for _, sd := range seeds {
			if sd.ID == "" || strings.ContainsAny(sd.ID, "/\x00") {
				return fmt.Errorf("%w: built-in template id %q", ErrInvalid, sd.ID)
			}
			ver := sd.version()
			var cur Template
			err := getJSON(txn, prefTemplate+sd.ID, &cur)
			switch {
			case errors.Is(err, ErrNotFound):
				t := Template{ID: sd.ID, Title: sd.Title, Body: sd.Body, Scenarios: sd.Scenarios, Kind: sd.Kind,
					Version: 1, Findings: sd.Findings, Builtin: true, BuiltinVersion: ver, CreatedAt: now, UpdatedAt: now}
				if err := putTemplate(txn, t); err != nil {
					return err
				}
				rep.Added = append(rep.Added, sd.ID)
			case err != nil:
				return err
			case !cur.Builtin || cur.BuiltinVersion == ver:
				rep.Unchanged++
			case cur.Modified || cur.Deleted:
				if cur.UpgradeAvailable != ver {
					cur.UpgradeAvailable = ver
					if err := setJSON(txn, prefTemplate+cur.ID, cur); err != nil {
						return err
					}
				}
				rep.Kept = append(rep.Kept, sd.ID)
			default:
				cur.Title, cur.Body, cur.Scenarios, cur.Kind, cur.Findings = sd.Title, sd.Body, sd.Scenarios, sd.Kind, sd.Findings
				cur.Version++
				cur.BuiltinVersion, cur.UpgradeAvailable, cur.UpdatedAt = ver, "", now
				if err := putTemplate(txn, cur); err != nil {
					return err
				}
				rep.Upgraded = append(rep.Upgraded, sd.ID)
			}
		}
		return nil
	})
	if err != nil {
		return SeedReport{}, fmt.Errorf("seed templates: %w", err)
	}
	return rep, nil
}

// putTemplate writes the head and the version record.
func putTemplate(txn *badger.Txn, t Template) error {
	if err := setJSON(txn, prefTemplate+t.ID, t); err != nil {
		return err
	}
	return setJSON(txn, fmt.Sprintf("%s%s/%08d", prefTemplateVer, t.ID, t.Version), t)
}

// SaveTemplate creates a template (empty ID) or saves a new version of an
// existing one; earlier versions stay readable with TemplateVersions.
func (s *Store) SaveTemplate(e TemplateEdit) (Template, error) {
	if strings.TrimSpace(e.Title) == "" || strings.TrimSpace(e.Body) == "" {
		return Template{}, fmt.Errorf("save template: %w: title and body are required", ErrInvalid)
	}
	if strings.ContainsAny(e.ID, "/\x00") {
		return Template{}, fmt.Errorf("save template: %w: id %q contains / or NUL", ErrInvalid, e.ID)
	}
	if len(e.Body) > MaxTextSize || len(e.Title) > 1024 || len(e.Source) > 2*MaxTextSize {
		return Template{}, fmt.Errorf("save template: %w: body over %d bytes or title over 1024", ErrInvalid, MaxTextSize)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC()
	var out Template
	err := s.update(func(txn *badger.Txn) error {
		var cur Template
		id := e.ID
		if id == "" {
			id = "t-" + randomID()
		}
		err := getJSON(txn, prefTemplate+id, &cur)
		switch {
		case errors.Is(err, ErrNotFound):
			if e.BaseVersion != 0 {
				return fmt.Errorf("%w: template %q: %w", ErrConflict, id, ErrNotFound)
			}
			cur = Template{ID: id, CreatedAt: now}
		case err != nil:
			return err
		case e.BaseVersion != 0 && e.BaseVersion != cur.Version:
			return fmt.Errorf("%w: template %q is at version %d, edit was based on %d", ErrConflict, id, cur.Version, e.BaseVersion)
		}
		if cur.Builtin {
			cur.Modified = true
		}
		cur.Title, cur.Body, cur.Scenarios, cur.Kind, cur.Findings = e.Title, e.Body, e.Scenarios, e.Kind, e.Findings
		if e.Source != "" {
			cur.Source = e.Source
		}
		cur.Version++
		cur.Deleted = false
		cur.UpdatedAt = now
		out = cur
		return putTemplate(txn, cur)
	})
	if err != nil {
		return Template{}, fmt.Errorf("save template: %w", err)
	}
	return out, nil
}

// GetTemplate returns the current version of a template.
func (s *Store) GetTemplate(id string) (Template, error) {
	var t Template
	err := s.view(func(txn *badger.Txn) error { return getJSON(txn, prefTemplate+id, &t) })
	if err == nil && t.Deleted {
		err = ErrNotFound
	}
	if err != nil {
		return Template{}, fmt.Errorf("get template %q: %w", id, err)
	}
	return t, nil
}

// ListTemplates returns the current, non-deleted templates ordered by title.
func (s *Store) ListTemplates() ([]Template, error) {
	var out []Template
	err := s.view(func(txn *badger.Txn) error {
		return scanJSON(txn, prefTemplate, func(_ []byte, t *Template) error {
			if !t.Deleted {
				out = append(out, *t)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	slices.SortFunc(out, func(a, b Template) int {
		return strings.Compare(strings.ToLower(a.Title)+a.ID, strings.ToLower(b.Title)+b.ID)
	})
	return out, nil
}

// TemplateVersions returns every saved version of a template, oldest first.
func (s *Store) TemplateVersions(id string) ([]Template, error) {
	var out []Template
	err := s.view(func(txn *badger.Txn) error {
		return scanJSON(txn, prefTemplateVer+id+"/", func(_ []byte, t *Template) error {
			out = append(out, *t)
			return nil
		})
	})
	if err == nil && len(out) == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("template versions %q: %w", id, err)
	}
	return out, nil
}

// DeleteTemplate hides a template. Its versions are kept, and a deleted
// built-in is not seeded again.
func (s *Store) DeleteTemplate(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.update(func(txn *badger.Txn) error {
		var cur Template
		if err := getJSON(txn, prefTemplate+id, &cur); err != nil {
			return err
		}
		if cur.Deleted {
			return ErrNotFound
		}
		cur.Deleted = true
		cur.UpdatedAt = s.now().UTC()
		return setJSON(txn, prefTemplate+id, cur)
	})
	if err != nil {
		return fmt.Errorf("delete template %q: %w", id, err)
	}
	return nil
}

// scanJSON decodes every value under prefix into a fresh T.
func scanJSON[T any](txn *badger.Txn, prefix string, fn func(key []byte, v *T) error) error {
	opt := badger.DefaultIteratorOptions
	opt.Prefix = []byte(prefix)
	it := txn.NewIterator(opt)
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		v := new(T)
		if err := item.Value(func(b []byte) error { return jsonUnmarshal(b, v) }); err != nil {
			return fmt.Errorf("decode %s: %w", item.Key(), err)
		}
		if err := fn(item.KeyCopy(nil), v); err != nil {
			return err
		}
	}
	return nil
}

// ResetTemplate replaces a template with its built-in text (sd), as a new
// version: the seller's "reset to built-in", which also accepts a pending
// upgrade and restores a deleted built-in. Later seeds upgrade it again.
func (s *Store) ResetTemplate(sd Seed) (Template, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC()
	var out Template
	err := s.update(func(txn *badger.Txn) error {
		var cur Template
		switch err := getJSON(txn, prefTemplate+sd.ID, &cur); {
		case errors.Is(err, ErrNotFound):
			cur = Template{ID: sd.ID, CreatedAt: now}
		case err != nil:
			return err
		}
		cur.Title, cur.Body, cur.Scenarios, cur.Kind, cur.Findings = sd.Title, sd.Body, sd.Scenarios, sd.Kind, sd.Findings
		cur.Version++
		cur.Builtin, cur.BuiltinVersion, cur.Modified, cur.UpgradeAvailable, cur.Deleted = true, sd.version(), false, "", false
		cur.UpdatedAt = now
		out = cur
		return putTemplate(txn, cur)
	})
	if err != nil {
		return Template{}, fmt.Errorf("reset template %q: %w", sd.ID, err)
	}
	return out, nil
}
