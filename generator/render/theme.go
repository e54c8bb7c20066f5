// Package render turns the derived reports of a site into HTML pages through
// the templates of a theme. It is the "render" stage of the pipeline: it reads
// a *report.Site and hands back pages as bytes; writing and sealing them is
// left to later stages.
//
// A theme is a folder with layouts/ (html/template files) and assets/ (files
// copied to public/assets/, stylesheets and scripts minified). A site's own
// theme folder overrides any file of the default theme by the same path.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/coachsite/coachsite/generator/locale"
)

// Page kinds: the templates layouts/<kind>.html a theme must provide. Each
// defines a template named "main" holding the content of the page's <main>.
const (
	KindHome     = "home"
	KindPortal   = "portal"
	KindSession  = "session"
	KindTrends   = "trends"
	KindNotFound = "404"
)

// kinds are the page kinds LoadTheme parses: those above, and the coach
// dashboard, the hand-over sheet, the engagement summary and the check-in,
// each defined in its own file.
var kinds = []string{KindHome, KindPortal, KindSession, KindTrends, KindNotFound, KindDashboard, KindHandover, KindSummary, KindCheckIn}

// Theme is a parsed theme: its templates, parsed once, its translations
// and its assets, read once. A Theme is safe for use by several goroutines
// at once.
type Theme struct {
	// layout and kinds are the templates as parsed, never executed: each
	// language gets its own clones of them (see set), whose T writes its words.
	layout  *template.Template            // layouts/base.html and layouts/partials/*.html
	kinds   map[string]*template.Template // per page kind: layout clone + layouts/<kind>.html
	catalog *locale.Catalog               // i18n/*.yaml, the site's over the default's, key by key
	assets  []File                        // public/assets/..., sorted by path
	sets    sync.Map                      // language tag -> *langSet
	setMu   sync.Mutex                    // held while a language's templates are cloned
}

// langSet is the theme's templates bound to one language.
type langSet struct {
	lang   *locale.Lang
	layout *template.Template
	kinds  map[string]*template.Template
}

// Catalog is the theme's translations.
func (t *Theme) Catalog() *locale.Catalog { return t.catalog }

// Lang returns the words and formats of language tag from the theme's
// translations.
func (t *Theme) Lang(tag string) (*locale.Lang, error) {
	if tag == "" {
		tag = locale.Fallback
	}
	return t.catalog.Lang(tag)
}

// set returns the theme's templates bound to language tag, cloning them the
// first time the language is asked for.
func (t *Theme) set(tag string) (*langSet, error) {
	if tag == "" {
		tag = locale.Fallback
	}
	if s, ok := t.sets.Load(tag); ok {
		return s.(*langSet), nil
	}
	t.setMu.Lock()
	defer t.setMu.Unlock()
	if s, ok := t.sets.Load(tag); ok {
		return s.(*langSet), nil
	}
	l, err := t.Lang(tag)
	if err != nil {
		return nil, err
	}
	fm := langFuncs(l)
	ls := &langSet{lang: l, kinds: make(map[string]*template.Template, len(t.kinds))}
	if ls.layout, err = t.layout.Clone(); err != nil {
		return nil, err
	}
	ls.layout.Funcs(fm)
	for k, kt := range t.kinds {
		c, err := kt.Clone()
		if err != nil {
			return nil, err
		}
		ls.kinds[k] = c.Funcs(fm)
	}
	t.sets.Store(tag, ls)
	return ls, nil
}

// LoadTheme reads and parses the theme in base with the files of override
// (which may be nil) taking the place of base's files by the same path.
// Override may also add files: new partials, assets or scripts.
func LoadTheme(base, override fs.FS) (*Theme, error) {
	files := map[string][]byte{}
	var trans []File // the translation files, the default's first: later keys win
	for _, fsys := range []fs.FS{base, override} {
		if fsys == nil {
			continue
		}
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !(strings.HasPrefix(p, "layouts/") || strings.HasPrefix(p, "assets/") || strings.HasPrefix(p, "i18n/")) {
				return nil
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			if strings.HasPrefix(p, "i18n/") {
				if path.Ext(p) == ".yaml" || path.Ext(p) == ".yml" {
					trans = append(trans, File{Path: p, Data: b})
				}
				return nil
			}
			files[p] = b
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading theme: %w", err)
		}
	}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)

	t := &Theme{kinds: map[string]*template.Template{}, catalog: locale.NewCatalog()}
	for _, f := range trans {
		if err := t.catalog.Add(f.Path, f.Data); err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
	}
	if _, err := t.catalog.Lang(locale.Fallback); err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	t.layout = template.New("").Funcs(funcs)
	parse := func(tt *template.Template, p string) error {
		if _, err := tt.New(p).Parse(string(files[p])); err != nil {
			return fmt.Errorf("theme: %w", err)
		}
		return nil
	}
	if _, ok := files["layouts/base.html"]; !ok {
		return nil, fmt.Errorf("theme: missing layouts/base.html")
	}
	if err := parse(t.layout, "layouts/base.html"); err != nil {
		return nil, err
	}
	for _, p := range names {
		if strings.HasPrefix(p, "layouts/partials/") && path.Ext(p) == ".html" {
			if err := parse(t.layout, p); err != nil {
				return nil, err
			}
		}
		if strings.HasPrefix(p, "assets/") {
			b, err := minifyAsset(p, files[p])
			if err != nil {
				return nil, err
			}
			t.assets = append(t.assets, File{Path: p, Data: b})
		}
	}
	if t.layout.Lookup("base") == nil {
		return nil, fmt.Errorf("theme: layouts/base.html defines no template \"base\"")
	}
	for _, k := range kinds {
		p := "layouts/" + k + ".html"
		if _, ok := files[p]; !ok {
			return nil, fmt.Errorf("theme: missing %s", p)
		}
		kt, err := t.layout.Clone()
		if err != nil {
			return nil, err
		}
		if err := parse(kt, p); err != nil {
			return nil, err
		}
		if kt.Lookup("main") == nil {
			return nil, fmt.Errorf("theme: %s defines no template \"main\"", p)
		}
		t.kinds[k] = kt
	}
	return t, nil
}

// Partial executes the theme's partial template name (defined in
// layouts/partials/) for data in language lang. The privacy stage lays out
// the unlock form and the sealed data page with it.
func (t *Theme) Partial(lang, name string, data any) ([]byte, error) {
	set, err := t.set(lang)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := set.layout.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	return b.Bytes(), nil
}

// T returns the message id of the theme's translations in language lang,
// as the templates' T does (without escaping): page titles the pipeline
// sets, for instance.
func (t *Theme) T(lang, id string, arg ...any) (string, error) {
	l, err := t.Lang(lang)
	if err != nil {
		return "", err
	}
	return l.T(id, arg...)
}

// ExportFile is one file of a client's data export as the sealed data page
// (the partial "data-export") carries it.
type ExportFile struct {
	ID   string      // the id of its data block, e.g. "export-0"
	Name string      // the file name, e.g. "ratings.csv"
	Type string      // its media type, e.g. "text/csv"
	JSON template.JS // its text as a JSON string, <, > and & escaped
}
