// Package render turns the derived reports of a site into HTML pages through
// the templates of a theme. It is the "render" stage of the pipeline: it reads
// a *report.Site and hands back pages as bytes; writing and sealing them is
// left to later stages.
//
// A theme is a folder with layouts/ (html/template files) and assets/ (files
// copied to public/assets/). A site's own theme folder overrides any file of
// the default theme by the same path.
package render

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
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

var kinds = []string{KindHome, KindPortal, KindSession, KindTrends, KindNotFound}

// Theme is a parsed theme: its templates, parsed once, and its assets, read
// once. A Theme is safe for use by several goroutines at once.
type Theme struct {
	layout *template.Template            // layouts/base.html and layouts/partials/*.html
	kinds  map[string]*template.Template // per page kind: layout clone + layouts/<kind>.html
	assets []File                        // public/assets/..., sorted by path
	frames sync.Map                      // frameKey -> *frame, see Wrap
}

// LoadTheme reads and parses the theme in base with the files of override
// (which may be nil) taking the place of base's files by the same path.
// Override may also add files: new partials, assets or scripts.
func LoadTheme(base, override fs.FS) (*Theme, error) {
	files := map[string][]byte{}
	for _, fsys := range []fs.FS{base, override} {
		if fsys == nil {
			continue
		}
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !(strings.HasPrefix(p, "layouts/") || strings.HasPrefix(p, "assets/")) {
				return nil
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
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

	t := &Theme{kinds: map[string]*template.Template{}}
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
			t.assets = append(t.assets, File{Path: p, Data: files[p]})
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
