package render

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/themes"
)

// TestAssetsMinified: the theme's own stylesheets and scripts are
// published minified (smaller, keeping the strings other files rely on),
// the same bytes on every load; vendored files are published as they are.
func TestAssetsMinified(t *testing.T) {
	th, err := LoadTheme(themes.Default, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := LoadTheme(themes.Default, nil)
	if err != nil {
		t.Fatal(err)
	}
	published := map[string][]byte{}
	for i, f := range th.assets {
		published[f.Path] = f.Data
		if !bytes.Equal(f.Data, again.assets[i].Data) {
			t.Errorf("%s: two loads publish different bytes", f.Path)
		}
	}
	var minified int
	err = fs.WalkDir(themes.Default, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(themes.Default, p)
		if err != nil {
			return err
		}
		got, ok := published[p]
		switch {
		case !ok:
			t.Errorf("%s: not published", p)
		case strings.HasPrefix(p, "assets/vendor/") || (filepath.Ext(p) != ".js" && filepath.Ext(p) != ".css"):
			if !bytes.Equal(got, src) {
				t.Errorf("%s: changed on the way to public/", p)
			}
		case len(got) >= len(src)*9/10:
			t.Errorf("%s: %d bytes published for %d in the theme: not minified", p, len(got), len(src))
		default:
			minified++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if minified < 3 {
		t.Errorf("%d stylesheets and scripts minified, want every one of the theme's", minified)
	}
	// The names the templates, the other scripts and the unlock form's
	// markup contract rely on survive minification.
	for p, want := range map[string][]string{
		"assets/js/unlock.js": {"coachsite:content", "data-unlock-ready", "unlock-passphrase", "deflate-raw"},
		"assets/js/charts.js": {"coachsite:content", "chart-live"},
		"assets/css/site.css": {".chart", "prefers-color-scheme"},
	} {
		for _, w := range want {
			if !bytes.Contains(published[p], []byte(w)) {
				t.Errorf("%s: %q lost in minification", p, w)
			}
		}
	}
}

// TestAssetsOfASiteTheme: a site theme's script that does not parse fails
// the theme with its path and line; its *.min.js is published as it is.
func TestAssetsOfASiteTheme(t *testing.T) {
	dir := t.TempDir()
	js := filepath.Join(dir, "assets", "js")
	if err := os.MkdirAll(js, 0o755); err != nil {
		t.Fatal(err)
	}
	lib := []byte("/* kept */ var  a = 1 ;\n")
	if err := os.WriteFile(filepath.Join(js, "lib.min.js"), lib, 0o644); err != nil {
		t.Fatal(err)
	}
	th, err := LoadTheme(themes.Default, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range th.assets {
		if f.Path == "assets/js/lib.min.js" {
			found = bytes.Equal(f.Data, lib)
		}
	}
	if !found {
		t.Error("assets/js/lib.min.js not published as it is")
	}
	if err := os.WriteFile(filepath.Join(js, "extra.js"), []byte("var ok = 1;\nfunction ( {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadTheme(themes.Default, os.DirFS(dir))
	if err == nil || !strings.Contains(err.Error(), "assets/js/extra.js:2: ") {
		t.Errorf("a script that does not parse: got %v, want an error at assets/js/extra.js:2", err)
	}
}
