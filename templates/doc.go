// Package templates holds ReplyGuard's built-in scenario templates and the
// code to parse, format, render and check them.
//
// A template is one text file (extension .tmpl): a "key: value" header, a
// line "---", then the message body with {placeholders}. README.md in this
// folder documents the format with a complete example. The built-in library
// lives in library/ and is embedded into the binary.
//
// API (the companion seeds its store from Builtin; the extension bundles the
// JSON form printed by `replyguard templates list --format json`, which is
// []Exported):
//
//	Builtin() ([]Template, error)             // the embedded library, sorted by id
//	Parse(name string, data []byte) (Template, error)
//	Format(Template) []byte                   // back to file form; Parse(Format(t)) == t
//	LoadDir(dir string) ([]Template, error)   // a seller's own folder of .tmpl files
//	(Template).Render(values, now) (Rendered, error)
//	(Template).Placeholders() []Field         // every placeholder, standard ones resolved
//	(Template).Export() Exported              // the JSON form for the extension
//	SampleValues(Template) map[string]string  // realistic values, used by Check
//	Check(Template, LintFunc, now) ([]Issue, error)
//
// Render fills placeholders from a name->value map. Values are typed: a date
// must be a date, money must be an amount, a choice must be one of its
// options. Every missing or mistyped value is reported by name in a
// *ValuesError, and its placeholder is left in the text as a marker such as
// "[Tracking number]" whose UTF-16 span is listed in Rendered.Unfilled, so
// the extension can select the markers in turn. Rendered is usable even when
// the error is a *ValuesError.
//
// Parse errors are an ErrorList of *ParseError, each naming the file, line and
// column. The package uses the standard library only (no YAML): templates are
// meant to be written by hand and reviewed in git diffs.
package templates
