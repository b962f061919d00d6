package templates

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// FileExt is the extension of template files.
const FileExt = ".tmpl"

//go:embed library/*.tmpl
var library embed.FS

var builtinOnce = sync.OnceValues(func() ([]Template, error) {
	return loadFS(library, "library", "templates/library")
})

// Builtin returns the embedded library, parsed and sorted by id. The files
// are parsed once per process; each call returns its own copy.
func Builtin() ([]Template, error) {
	ts, err := builtinOnce()
	out := make([]Template, len(ts))
	for i, t := range ts {
		out[i] = t.clone()
	}
	return out, err
}

// LoadDir parses every .tmpl file in dir (not recursive), sorted by id. It
// reports every file's errors, not just the first, and duplicate ids.
func LoadDir(dir string) ([]Template, error) {
	return loadFS(os.DirFS(dir), ".", dir)
}

// loadFS reads dir of fsys; display prefixes file names in Source and errors.
func loadFS(fsys fs.FS, dir, display string) ([]Template, error) {
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	var out []Template
	var errs []error
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), FileExt) {
			continue
		}
		// Refuse oversized files before reading them into memory.
		if info, err := e.Info(); err == nil && info.Size() > MaxFileSize {
			errs = append(errs, fmt.Errorf("%s: file is %d bytes, more than the %d allowed", filepath.Join(display, e.Name()), info.Size(), MaxFileSize))
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			errs = append(errs, fmt.Errorf("templates: %w", err))
			continue
		}
		t, err := Parse(filepath.Join(display, e.Name()), data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, t)
	}
	SortByID(out)
	for i := 1; i < len(out); i++ {
		if out[i].ID == out[i-1].ID {
			errs = append(errs, fmt.Errorf("%s: id %q is also used by %s", out[i].Source, out[i].ID, out[i-1].Source))
		}
	}
	return out, errors.Join(errs...)
}

// SortByID sorts templates by id, then source.
func SortByID(ts []Template) {
	slices.SortStableFunc(ts, func(a, b Template) int {
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return strings.Compare(a.Source, b.Source)
	})
}

// clone copies the slices so a caller's edits never reach the shared copy.
func (t Template) clone() Template {
	t.Scenarios = slices.Clone(t.Scenarios)
	t.Attachments = slices.Clone(t.Attachments)
	t.Fields = slices.Clone(t.Fields)
	for i := range t.Fields {
		t.Fields[i].Options = slices.Clone(t.Fields[i].Options)
	}
	return t
}
