package render

import (
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
	"github.com/coachsite/coachsite/themes"
)

const (
	hostile = `</script><script>alert(1)</script>{{.}}`
	secret  = "SECRET-board-tired"
)

var areas = []model.Area{
	{Key: "vision", Label: "Vision", Color: "#0072b2"},
	{Key: "service", Label: "Service", Color: "#e69f00"},
	{Key: "accountability", Label: "Accountability", Color: "url(javascript:alert(1))"},
}

func date(m time.Month, d int) model.Date { return model.NewDate(2026, m, d) }

// testSite builds a site with one client of n sessions, every few of them
// holding a private note.
func testSite(n int) *model.Site {
	c := &model.Client{
		Slug: "kim", Name: "Kim " + hostile, Role: "Head of Engineering", Organization: "Acme",
		Started: date(1, 2), Goals: []string{"Lead with vision"}, Areas: areas,
		Intro: model.Notes{Client: "<p>Intro</p>", Coach: "<p>Intro</p>"},
	}
	start := date(1, 14)
	for i := range n {
		d := model.Date{Time: start.AddDate(0, 0, 14*i)}
		s := &model.Session{
			Slug: d.String(), Title: fmt.Sprintf("Session %d %s", i+1, hostile), Date: d, Duration: 60, Format: "video",
			Ratings: map[string]int{"vision": 3 + i%5, "service": 8 - i%3},
			Time: map[string]model.TimeShare{
				"vision": {Actual: 10, Wished: 30}, "service": {Actual: 60, Wished: 50}, "accountability": {Actual: 30, Wished: 20},
			},
			Commitments: []model.Commitment{
				{Text: fmt.Sprintf("Write the list %d", i), Due: model.Date{Time: d.AddDate(0, 0, 7)}, Status: model.StatusOpen},
				{Text: "Call Sam", Status: model.StatusDone},
			},
			Energizers: []string{"interviews"},
			Drainers:   []string{"budget " + hostile},
			Tags:       []string{"vision"},
			Notes:      model.Notes{Client: "<p>We talked. <a href=\"https://example.org/x\">reading</a></p>", Coach: "<p>We talked. <a href=\"https://example.org/x\">reading</a></p>"},
		}
		if i%3 == 0 {
			s.Notes.Coach += "<div class=\"private\"><p>" + secret + "</p></div>"
			s.Notes.HasPrivate = true
		}
		c.Sessions = append(c.Sessions, s)
	}
	return &model.Site{
		Title: "Coaching notes", Coach: "Ada", Language: "en", Areas: areas,
		Scale: model.Scale{Min: 1, Max: 9}, Privacy: model.Public, Clients: []*model.Client{c},
	}
}

func mustTheme(t testing.TB) *Theme {
	t.Helper()
	th, err := LoadTheme(themes.Default, nil)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func renderAll(t testing.TB, th *Theme, s *model.Site, o Options) map[string]Page {
	t.Helper()
	rs := report.Derive(s)
	out := map[string]Page{}
	pages, files, err := th.Site(rs, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		out[p.Path] = p
	}
	for _, f := range files {
		out[f.Path] = Page{File: f}
	}
	for _, c := range rs.Clients {
		ps, err := th.Client(rs, c, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if _, dup := out[p.Path]; dup {
				t.Fatalf("two pages at %s", p.Path)
			}
			out[p.Path] = p
		}
	}
	return out
}

var (
	linkRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	tagRE  = regexp.MustCompile(`<(script|style)\b[^>]*>`)
)

func TestPagesAndLinks(t *testing.T) {
	all := renderAll(t, mustTheme(t), testSite(4), Options{ListClients: true})
	for _, want := range []string{"index.html", "404.html", "robots.txt", "_headers", "assets/css/site.css", "assets/js/site.js",
		"clients/kim/index.html", "clients/kim/trends/index.html", "clients/kim/2026-01-14/index.html", "clients/kim/2026-02-25/index.html"} {
		if _, ok := all[want]; !ok {
			t.Errorf("no %s", want)
		}
	}
	for path, p := range all {
		if !strings.HasSuffix(path, ".html") {
			continue
		}
		html := string(p.Data)
		for _, m := range linkRE.FindAllStringSubmatch(html, -1) {
			link := m[1]
			if link == "https://example.org/x" { // the coach's own link in the notes stays
				continue
			}
			if strings.HasPrefix(link, "#") {
				continue
			}
			if strings.HasPrefix(link, "/") || strings.Contains(link, "://") || strings.HasPrefix(link, "//") || !strings.HasSuffix(link, ".html") && !strings.HasPrefix(link, strings.Repeat("../", strings.Count(path, "/"))+"assets/") {
				t.Errorf("%s: bad link %q", path, link)
				continue
			}
			if path == "404.html" {
				continue
			}
			target := filepath.ToSlash(filepath.Join(filepath.Dir(path), link))
			if _, ok := all[target]; !ok {
				t.Errorf("%s: link %q leads to missing %s", path, link, target)
			}
		}
		for _, want := range []string{`<html lang="en" dir="ltr">`, `<meta charset="utf-8">`, `name="viewport"`, `<meta name="robots" content="noindex, nofollow">`, `<meta name="referrer" content="no-referrer">`, `http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;self&#39;`} {
			if !strings.Contains(html, want) {
				t.Errorf("%s lacks %s", path, want)
			}
		}
		if strings.Contains(html, "unsafe-") || strings.Contains(html, " style=") {
			t.Errorf("%s has inline style or unsafe CSP", path)
		}
		for _, m := range tagRE.FindAllString(html, -1) {
			if !strings.Contains(m, ` src="`) || !strings.Contains(m, "defer") {
				t.Errorf("%s: inline or blocking %s", path, m)
			}
		}
		if strings.Contains(html, "<script>alert") || strings.Contains(html, "javascript:") {
			t.Errorf("%s: hostile text not escaped", path)
		}
	}
	if got := string(all["robots.txt"].Data); !strings.Contains(got, "Disallow: /") {
		t.Errorf("robots.txt = %q", got)
	}
	if h := string(all["_headers"].Data); !strings.Contains(h, "Referrer-Policy: no-referrer") || !strings.Contains(h, "Content-Security-Policy: "+CSP) {
		t.Errorf("_headers = %q", h)
	}
}

func TestSessionPage(t *testing.T) {
	all := renderAll(t, mustTheme(t), testSite(3), Options{CoachViews: true})
	first := all["clients/kim/2026-01-14/index.html"]
	mid := string(all["clients/kim/2026-01-28/index.html"].Data)
	if !strings.Contains(mid, `href="../2026-01-14/index.html"`) || !strings.Contains(mid, `href="../2026-02-11/index.html"`) {
		t.Error("middle session lacks prev/next links")
	}
	if !strings.Contains(mid, `href="../index.html"`) || !strings.Contains(mid, `href="../../../assets/css/site.css"`) || !strings.Contains(mid, `src="../../../assets/js/site.js"`) {
		t.Error("middle session lacks portal or asset links")
	}
	if strings.Contains(string(first.Data), `rel="prev"`) {
		t.Error("first session links to a previous one")
	}
	for _, want := range []string{
		`<time datetime="2026-01-28">28 January 2026</time>`,
		"▲+1", "▼−1", "not rated", "Balance gap", "20%", "60 min", "video",
		`data-due="2026-02-04"`, "Session 2 &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{.}}",
		`fill="currentColor"`, `fill="#0072b2"`,
	} {
		if !strings.Contains(mid, want) {
			t.Errorf("session page lacks %q", want)
		}
	}
	// Private notes: never in Main or Data, always in CoachMain.
	if strings.Contains(string(first.Main), secret) || strings.Contains(string(first.Data), secret) {
		t.Error("private note in the client's page")
	}
	if !strings.Contains(string(first.CoachMain), secret) {
		t.Error("private note missing from the coach's view")
	}
	if p := all["clients/kim/2026-01-28/index.html"]; p.CoachMain != nil {
		t.Error("CoachMain set for a session without private notes")
	}
	if !strings.Contains(string(first.Data), string(first.Main)) {
		t.Error("Data does not hold Main")
	}
	// Without CoachViews no coach version is made at all.
	if p := renderAll(t, mustTheme(t), testSite(3), Options{})["clients/kim/2026-01-14/index.html"]; p.CoachMain != nil {
		t.Error("CoachMain rendered without CoachViews")
	}
	if first.Client == nil || first.Kind != KindSession {
		t.Error("page metadata missing")
	}
}

func TestPortalAndHome(t *testing.T) {
	all := renderAll(t, mustTheme(t), testSite(3), Options{ListClients: true})
	portal := string(all["clients/kim/index.html"].Data)
	for _, want := range []string{
		"Kim &lt;/script&gt;", "Head of Engineering", "Acme", "Lead with vision",
		`href="2026-02-11/index.html"`, `href="trends/index.html"`,
		`data-due="2026-01-21"`, `data-due="2026-02-18"`, "interviews", "×3",
		`<time datetime="2026-01-02">2 January 2026</time>`,
	} {
		if !strings.Contains(portal, want) {
			t.Errorf("portal lacks %q", want)
		}
	}
	// Sessions newest first.
	if a, b := strings.Index(portal, "Session 3 "), strings.Index(portal, "Session 1 "); a < 0 || b < 0 || a > b {
		t.Error("portal does not list sessions newest first")
	}
	home := string(all["index.html"].Data)
	if !strings.Contains(home, `href="clients/kim/index.html"`) || !strings.Contains(home, "Ada") {
		t.Error("home lacks the client list or coach")
	}
	unlisted := renderAll(t, mustTheme(t), testSite(1), Options{PortalDir: func(*model.Client) string { return "p/x7Qa" }})
	if strings.Contains(string(unlisted["index.html"].Data), "Kim") {
		t.Error("home names a client without ListClients")
	}
	if _, ok := unlisted["p/x7Qa/2026-01-14/index.html"]; !ok {
		t.Error("PortalDir not used")
	}
	trends := string(all["clients/kim/trends/index.html"].Data)
	if !strings.Contains(trends, `href="../2026-01-14/index.html"`) || !strings.Contains(trends, "rose most") {
		t.Error("trends page lacks session links or summary")
	}
}

func TestNoSessions(t *testing.T) {
	s := testSite(0)
	all := renderAll(t, mustTheme(t), s, Options{ListClients: true})
	if !strings.Contains(string(all["clients/kim/index.html"].Data), "No sessions yet") {
		t.Error("empty portal")
	}
}

func TestBadPortalDir(t *testing.T) {
	th := mustTheme(t)
	rs := report.Derive(testSite(1))
	for _, dir := range []string{"/abs", "../up", "a/../b", ""} {
		if _, err := th.Client(rs, rs.Clients[0], Options{PortalDir: func(*model.Client) string { return dir }}); err == nil {
			t.Errorf("PortalDir %q accepted", dir)
		}
	}
}

func TestCharts(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	o := Options{Charts: func(slot string, c *report.Client, s *report.Session) (template.HTML, error) {
		mu.Lock()
		seen[slot]++
		mu.Unlock()
		if slot == SlotSessionTime {
			return "", nil
		}
		return template.HTML(`<div class="chart-mark" data-slot="` + slot + `"></div>`), nil
	}}
	all := renderAll(t, mustTheme(t), testSite(2), o)
	sess := string(all["clients/kim/2026-01-14/index.html"].Data)
	if !strings.Contains(sess, `data-slot="session-arc"`) || strings.Contains(sess, `data-slot="session-time"`) {
		t.Error("session chart slots wrong")
	}
	if !strings.Contains(sess, `src="../../../assets/js/charts.js"`) {
		t.Error("chart page lacks chart scripts")
	}
	if seen[SlotPortalArc] != 1 || seen[SlotTrends] != 1 || seen[SlotSessionArc] != 2 {
		t.Errorf("slots asked %v", seen)
	}
	plain := renderAll(t, mustTheme(t), testSite(1), Options{})
	if strings.Contains(string(plain["clients/kim/index.html"].Data), "charts.js") {
		t.Error("page without charts loads chart scripts")
	}
}

func TestOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "layouts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "assets", "css"), 0o755); err != nil {
		t.Fatal(err)
	}
	tmpl := `{{define "main"}}<p class="mine">{{.Session.Session.Title}}</p>{{end}}`
	if err := os.WriteFile(filepath.Join(dir, "layouts", "session.html"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "assets", "css", "extra.css"), []byte("p{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	th, err := LoadTheme(themes.Default, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	all := renderAll(t, th, testSite(1), Options{})
	got := string(all["clients/kim/2026-01-14/index.html"].Data)
	if !strings.Contains(got, `<p class="mine">Session 1 &lt;/script&gt;`) || strings.Contains(got, "Ratings") {
		t.Errorf("override not used: %s", got)
	}
	if !strings.Contains(string(all["clients/kim/index.html"].Data), "Lead with vision") {
		t.Error("default portal template lost")
	}
	if _, ok := all["assets/css/extra.css"]; !ok {
		t.Error("override asset not copied")
	}

	if err := os.WriteFile(filepath.Join(dir, "layouts", "session.html"), []byte(`{{define "main"}}{{.Nope}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadTheme(themes.Default, os.DirFS(dir)); err == nil {
		t.Error("broken template accepted")
	}
}

func TestConcurrentClient(t *testing.T) {
	th := mustTheme(t)
	rs := report.Derive(testSite(6))
	want, err := th.Client(rs, rs.Clients[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := th.Client(rs, rs.Clients[0], Options{})
			if err != nil {
				t.Error(err)
				return
			}
			for i := range got {
				if string(got[i].Data) != string(want[i].Data) {
					t.Errorf("%s differs between runs", got[i].Path)
				}
			}
		}()
	}
	wg.Wait()
}

// TestDateInLanguage checks dates through the theme's translations: month
// names and the order of day, month and year are the language file's, and
// a language the theme does not ship falls back to English.
func TestDateInLanguage(t *testing.T) {
	th := mustTheme(t)
	d := date(1, 14)
	for lang, want := range dateWants {
		l, err := th.Lang(lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := l.Date(d.Time); got != want {
			t.Errorf("Date(%q) = %q, want %q", lang, got, want)
		}
	}
	l, _ := th.Lang("en")
	if l.Date(model.Date{}.Time) != "" {
		t.Error("zero date not empty")
	}
}

var dateWants = map[string]string{"en": "14 January 2026", "en-GB": "14 January 2026", "de-CH": "14. Januar 2026", "fr": "14 janvier 2026",
	"es": "14 de enero de 2026", "pt": "14 de janeiro de 2026", "nl": "14 januari 2026", "ar": "14 يناير 2026", "xx": "14 January 2026"}

// TestClientLanguage renders a site in English with one client in French:
// the client's pages are French (lang, words, dates, numbers, the summary
// sentences), the site's own pages English.
func TestClientLanguage(t *testing.T) {
	s := testSite(3)
	s.Clients[0].Language = "fr"
	all := renderAll(t, mustTheme(t), s, Options{})
	portal := string(all["clients/kim/index.html"].Data)
	for _, want := range []string{`<html lang="fr" dir="ltr">`, "Dernière séance", "Engagements en cours", "Écart d’équilibre", "janvier 2026", "Aller au contenu"} {
		if !strings.Contains(portal, want) {
			t.Errorf("French portal lacks %q", want)
		}
	}
	trends := string(all["clients/kim/trends/index.html"].Data)
	for _, want := range []string{"3 séances, en moyenne tous les 14 jours.", "<title>Évolutions · Kim"} {
		if !strings.Contains(trends, want) {
			t.Errorf("French trends page lacks %q", want)
		}
	}
	for _, english := range []string{"Latest session", "Open commitments", "Balance gap", "Skip to content", "January"} {
		if strings.Contains(portal, english) {
			t.Errorf("French portal still says %q", english)
		}
	}
	home := string(all["index.html"].Data)
	if !strings.Contains(home, `<html lang="en" dir="ltr">`) || !strings.Contains(home, "Skip to content") {
		t.Error("the site's own pages left English")
	}
}

// TestArabicPages checks that an Arabic site is written right to left,
// with Arabic plural forms and Arabic month names.
func TestArabicPages(t *testing.T) {
	s := testSite(2)
	s.Language = "ar"
	all := renderAll(t, mustTheme(t), s, Options{})
	trends := string(all["clients/kim/trends/index.html"].Data)
	for _, want := range []string{`<html lang="ar" dir="rtl">`, "جلستان", "يناير"} {
		if !strings.Contains(trends, want) {
			t.Errorf("Arabic trends page lacks %q", want)
		}
	}
}

// TestOverrideOneString overrides a single key in a site's theme: that
// string changes, every other key still comes from the default, in English
// and in another language.
func TestOverrideOneString(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "i18n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for lang, v := range map[string]string{"en": "Homework", "de": "Hausaufgaben"} {
		if err := os.WriteFile(filepath.Join(dir, "i18n", lang+".yaml"), []byte("open_commitments: "+v+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	th, err := LoadTheme(themes.Default, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string][]string{"en": {">Homework<", ">Latest session<"}, "de": {">Hausaufgaben<", ">Letzte Sitzung<"}} {
		s := testSite(2)
		s.Language = lang
		portal := string(renderAll(t, th, s, Options{})["clients/kim/index.html"].Data)
		for _, w := range want {
			if !strings.Contains(portal, w) {
				t.Errorf("%s portal with one string overridden lacks %q", lang, w)
			}
		}
	}
	// A key English does not have fails the page that uses it.
	if err := os.MkdirAll(filepath.Join(dir, "layouts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "layouts", "404.html"), []byte(`{{define "main"}}{{T "no_such_key"}}{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	th, err = LoadTheme(themes.Default, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := th.Site(report.Derive(testSite(1)), Options{}); err == nil || !strings.Contains(err.Error(), "no_such_key") {
		t.Errorf("unknown key: err = %v", err)
	}
}

func TestHref(t *testing.T) {
	d := &PageData{Dir: "clients/kim/2026-01-14"}
	for target, want := range map[string]string{
		"clients/kim/2026-02-11/index.html": "../2026-02-11/index.html",
		"clients/kim/index.html":            "../index.html",
		"clients/kim/2026-01-14/index.html": "index.html",
		"clients/kimberly/index.html":       "../../kimberly/index.html",
		"index.html":                        "../../../index.html",
	} {
		if got := d.Href(target); got != want {
			t.Errorf("Href(%q) = %q, want %q", target, got, want)
		}
	}
	if got := (&PageData{}).Href("clients/kim/index.html"); got != "clients/kim/index.html" {
		t.Errorf("from the top: %q", got)
	}
}

func BenchmarkRenderClient(b *testing.B) {
	th := mustTheme(b)
	rs := report.Derive(testSite(20))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := th.Client(rs, rs.Clients[0], Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestClientRendersSummaryAndDataLinks checks that Client renders the
// engagement summary with the portal's other pages, and that the portal links
// exactly the data files Options.DataFiles names: the export files as
// downloads, or the sealed data page as a page.
func TestClientRendersSummaryAndDataLinks(t *testing.T) {
	th := mustTheme(t)
	all := renderAll(t, th, testSite(2), Options{})
	sum, ok := all["clients/kim/summary/index.html"]
	if !ok || sum.Kind != KindSummary {
		t.Fatalf("Client rendered no summary page (kind %q)", sum.Kind)
	}
	if portal := string(all["clients/kim/index.html"].Data); strings.Contains(portal, `class="downloads"`) || !strings.Contains(portal, `href="summary/index.html"`) {
		t.Error("portal without DataFiles links a data export, or lacks the summary link")
	}
	files := renderAll(t, th, testSite(2), Options{DataFiles: []string{"data.json", "ratings.csv"}})
	portal := string(files["clients/kim/index.html"].Data)
	for _, want := range []string{`<a href="data/data.json" download>data.json</a>`, `<a href="data/ratings.csv" download>ratings.csv</a>`} {
		if !strings.Contains(portal, want) {
			t.Errorf("portal lacks %s", want)
		}
	}
	sealed := renderAll(t, th, testSite(2), Options{DataFiles: []string{"index.html"}})
	portal = string(sealed["clients/kim/index.html"].Data)
	if !strings.Contains(portal, `<a href="data/index.html">Data export</a>`) || strings.Contains(portal, "data.json") {
		t.Error("portal of an encrypted site does not link the data page alone")
	}
}
