package render

import (
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/coachsite/coachsite/themes"
)

// slowWrap executes the layout in full, as Wrap did before caching frames.
func slowWrap(t *testing.T, th *Theme, p *Page, main template.HTML) string {
	t.Helper()
	ld := layoutData(p, main)
	var b strings.Builder
	set, err := th.set(ld.Lang)
	if err != nil {
		t.Fatal(err)
	}
	if err := set.layout.ExecuteTemplate(&b, "base", &ld); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWrapMatchesLayout(t *testing.T) {
	site := testSite(1)
	for _, base := range []string{
		"", // the default layout
		`{{define "base"}}<title>{{.Title}}</title><a href="x.html?t={{.Title}}">x</a><script src="{{index .Scripts 0}}" defer></script><p title="{{.Title}}">{{.Main}}</p>{{end}}`,
		`{{define "base"}}<title>{{.Title}}</title><main>{{.Main}}</main>{{.Main}}{{end}}`,
		// .Title and .Main used other than printed: the frame cannot stand in.
		`{{define "base"}}<title>{{.Title}}</title>{{if eq .Title "Plain"}}<p>plain</p>{{end}}{{.Main}}{{end}}`,
		`{{define "base"}}<title>{{.Title}}</title><p>{{len .Title}} {{len .Main}}</p>{{.Main}}{{end}}`,
		`{{define "base"}}{{with .Title}}<title>{{.}}</title>{{end}}{{$m := .Main}}{{$m}}{{end}}`,
		`{{define "base"}}<title>{{$.Title}}</title>{{template "t" .}}{{.Main}}{{end}}{{define "t"}}{{if .Title}}<h1>{{.Title}}</h1>{{end}}{{end}}`,
	} {
		th := mustTheme(t)
		if base != "" {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "layouts"), 0o755)
			os.WriteFile(filepath.Join(dir, "layouts", "base.html"), []byte(base), 0o644)
			var err error
			if th, err = LoadTheme(themes.Default, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
		}
		for _, title := range []string{"", "Plain", hostile + " a+b & 'q' \x00", "Coaching notes"} {
			for _, path := range []string{"index.html", "clients/kim/2026-01-14/index.html"} {
				p := &Page{File: File{Path: path}, Kind: KindSession, Title: title, Scripts: []string{"assets/js/x.js"}, site: site}
				main := template.HTML("<p>main " + hostile + "</p>")
				got, err := th.Wrap(p, main)
				if err != nil {
					t.Fatal(err)
				}
				if want := slowWrap(t, th, p, main); string(got) != want {
					t.Errorf("layout %.30q title %q path %s:\n got %s\nwant %s", base, title, path, got, want)
				}
			}
		}
	}
}

// FuzzWrap lays arbitrary titles and main content out with the cached
// frame of the default layout and checks the page against executing the
// layout in full, at the top of the site and in a portal.
func FuzzWrap(f *testing.F) {
	th := mustTheme(f)
	site := testSite(1)
	f.Add("Plain", "<p>main</p>", false)
	f.Add(hostile+" a+b & 'q' \x00", "\x00M1\x01 \x00T1\x01", true)
	f.Fuzz(func(t *testing.T, title, main string, deep bool) {
		if !utf8.ValidString(title) || !utf8.ValidString(main) {
			t.Skip() // content is UTF-8 by the time it is laid out
		}
		path := "index.html"
		if deep {
			path = "clients/kim/2026-01-14/index.html"
		}
		p := &Page{File: File{Path: path}, Kind: KindSession, Title: title, Scripts: []string{"assets/js/x.js"}, site: site}
		got, err := th.Wrap(p, template.HTML(main))
		if err != nil {
			t.Fatal(err)
		}
		if want := slowWrap(t, th, p, template.HTML(main)); string(got) != want {
			t.Errorf("title %q main %q:\n got %s\nwant %s", title, main, got, want)
		}
	})
}

// TestDefaultLayoutIsFramed checks that the default layout is laid out
// from a frame, not executed for every page, and that a layout testing the
// title is not.
func TestDefaultLayoutIsFramed(t *testing.T) {
	th := mustTheme(t)
	set, err := th.set("en")
	if err != nil {
		t.Fatal(err)
	}
	p := &Page{File: File{Path: "clients/kim/index.html"}, Kind: KindPortal, Title: "Kim", site: testSite(1)}
	if fr, err := th.frame(set, p.site, layoutData(p, "<p>x</p>")); err != nil || fr == nil {
		t.Fatalf("the default layout is executed for every page (%v)", err)
	}
	if !plainUses(set.layout) {
		t.Error("plainUses refuses the default layout")
	}
	other, err := template.New("base").Parse(`{{define "base"}}<title>{{.Title}}</title>{{if .Main}}{{.Main}}{{end}}{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	if plainUses(other) {
		t.Error("plainUses accepts a layout that tests .Main")
	}
}
