package load

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/model"
)

func mustLoad(t *testing.T, opts Options) *model.Site {
	t.Helper()
	site, err := Site("content", opts)
	if err != nil {
		t.Fatalf("Site: %v", err)
	}
	return site
}

func TestLoadSite(t *testing.T) {
	writeTree(t, nil, map[string]string{
		"content/site.yaml": "title: Practice\ncoach: Ana Coach\nlanguage: de-CH\nprivacy: unlisted\ntheme: calm\n" +
			"scale: {min: 0, max: 10}\nareas:\n  - vision\n  - {key: service, label: In service, description: Serving others, color: \"#AA0000\"}\n  - work-life\n",
		"content/_index.md": "---\ntitle: Welcome\n---\n# Hello\n",
		"content/clients/kim/_index.md": "---\nname: Kim Lee\nrole: CEO\norganization: Acme\nstarted: 2026-01-01\n" +
			"ended: \"2026-06-30\"\ngoals: [Delegate, Rest]\n---\nKim's intro.\n",
		"content/clients/ben/_index.md": "---\nname: Ben\nareas: [health, vision, {key: service, label: Own label}]\n---\n",
		// Sessions: out of order on disk, one with a slug, one rating only
		// some areas, one with nothing but a date.
		"content/clients/kim/2026-02-11-vision-work.md": "---\ntitle: Vision work\nduration: 75\nformat: video\n" +
			"ratings: {vision: 0, service: 10}\ntime:\n  vision: {actual: 10, wished: 40}\n  service: {actual: 90, wished: 60}\n" +
			"commitments:\n  - {text: Call Sam, due: 2026-02-18, status: done}\n  - Write the list\n" +
			"energizers: [interviews]\ndrainers: [budgets]\ntags: [vision]\n---\nNotes.\n\n```private\nTired.\n```\n",
		"content/clients/kim/2026-02-11.md":      "---\nratings: {vision: 3}\n---\n",
		"content/clients/kim/2026-01-14.md":      "---\n---\n",
		"content/clients/kim/2026-03-01.md":      "---\ndraft: true\n---\n",
		"content/clients/kim/photo.jpg":          "not content",
		"content/clients/kim/.2026-01-20.md.swp": "x",
		"content/clients/kim/2026-01-20.md~":     "x",
		"content/clients/kim/#2026-01-20.md#":    "x",
		"content/clients/kim/attachments/":       "",
		"content/clients/.hidden/_index.md":      "junk",
	})
	site := mustLoad(t, Options{})

	if site.Title != "Practice" || site.Coach != "Ana Coach" || site.Language != "de-CH" || site.Privacy != model.Unlisted ||
		site.Theme != "calm" || site.Scale != (model.Scale{Min: 0, Max: 10}) {
		t.Errorf("site settings: %+v", site)
	}
	if !strings.Contains(string(site.Home.Client), "Hello</h1>") {
		t.Errorf("home = %q", site.Home.Client)
	}
	wantAreas := []model.Area{
		{Key: "vision", Label: "Vision", Color: Palette[0]},
		{Key: "service", Label: "In service", Description: "Serving others", Color: "#aa0000"},
		{Key: "work-life", Label: "Work Life", Color: Palette[1]},
	}
	if !reflect.DeepEqual(site.Areas, wantAreas) {
		t.Errorf("site areas\n got %+v\nwant %+v", site.Areas, wantAreas)
	}

	if len(site.Clients) != 2 || site.Clients[0].Slug != "ben" || site.Clients[1].Slug != "kim" {
		t.Fatalf("clients not sorted by slug: %v", site.Clients)
	}
	ben, kim := site.Clients[0], site.Clients[1]
	// Ben's own areas: a new key gets the next colour; shared keys keep the
	// site's colour, label and description unless overridden.
	wantBen := []model.Area{
		{Key: "health", Label: "Health", Color: Palette[2]},
		{Key: "vision", Label: "Vision", Color: Palette[0]},
		{Key: "service", Label: "Own label", Description: "Serving others", Color: "#aa0000"},
	}
	if !reflect.DeepEqual(ben.Areas, wantBen) {
		t.Errorf("ben's areas\n got %+v\nwant %+v", ben.Areas, wantBen)
	}
	if !reflect.DeepEqual(kim.Areas, site.Areas) {
		t.Errorf("kim does not have the site's areas: %+v", kim.Areas)
	}
	if kim.Name != "Kim Lee" || kim.Role != "CEO" || kim.Organization != "Acme" || kim.Started.String() != "2026-01-01" ||
		kim.Ended.String() != "2026-06-30" || !reflect.DeepEqual(kim.Goals, []string{"Delegate", "Rest"}) ||
		!strings.Contains(string(kim.Intro.Client), "Kim’s intro.") && !strings.Contains(string(kim.Intro.Client), "Kim's intro.") ||
		kim.Path != filepath.Join("content", "clients", "kim", "_index.md") {
		t.Errorf("kim: %+v", kim)
	}

	var slugs []string
	for _, s := range kim.Sessions {
		slugs = append(slugs, s.Slug)
	}
	if want := []string{"2026-01-14", "2026-02-11", "2026-02-11-vision-work"}; !reflect.DeepEqual(slugs, want) {
		t.Errorf("sessions %v, want %v (date then slug, draft left out)", slugs, want)
	}
	bare := kim.Sessions[0]
	if bare.Title != "Session of 14 January 2026" || bare.Date.String() != "2026-01-14" || bare.Ratings != nil || bare.Time != nil {
		t.Errorf("bare session: %+v", bare)
	}
	if r := kim.Sessions[1].Ratings; !reflect.DeepEqual(r, map[string]int{"vision": 3}) {
		t.Errorf("partial ratings = %v", r)
	}
	s := kim.Sessions[2]
	want := &model.Session{
		Slug: "2026-02-11-vision-work", Title: "Vision work", Date: model.NewDate(2026, 2, 11), Duration: 75, Format: "video",
		Ratings: map[string]int{"vision": 0, "service": 10},
		Time:    map[string]model.TimeShare{"vision": {Actual: 10, Wished: 40}, "service": {Actual: 90, Wished: 60}},
		Commitments: []model.Commitment{
			{ID: "zqqa", Text: "Call Sam", Due: model.NewDate(2026, 2, 18), Status: "done"},
			{ID: "sxne", Text: "Write the list", Status: "open"},
		},
		Energizers: []string{"interviews"}, Drainers: []string{"budgets"}, Tags: []string{"vision"},
		Notes: s.Notes, Path: filepath.Join("content", "clients", "kim", "2026-02-11-vision-work.md"),
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("session\n got %+v\nwant %+v", s, want)
	}
	if !s.Notes.HasPrivate || strings.Contains(string(s.Notes.Client), "Tired") || !strings.Contains(string(s.Notes.Coach), "Tired") {
		t.Errorf("notes: %+v", s.Notes)
	}

	withDrafts := mustLoad(t, Options{Drafts: true})
	last := withDrafts.Clients[1].Sessions[len(withDrafts.Clients[1].Sessions)-1]
	if last.Slug != "2026-03-01" || !last.Draft {
		t.Errorf("draft not loaded with Drafts: %+v", last)
	}
}

func TestBOMAndCRLF(t *testing.T) {
	writeTree(t, baseSite, map[string]string{
		"content/site.yaml": "\ufefftitle: Practice\r\nareas: [vision, service]\r\n",
		kimS:                "\ufeff---\r\ntitle: Crlf\r\nratings: {vision: 4}\r\n---\r\n# Heading\r\n\r\n```private\r\nsecret\r\n```\r\n",
	})
	site := mustLoad(t, Options{})
	s := site.Clients[0].Sessions[0]
	if s.Title != "Crlf" || s.Ratings["vision"] != 4 || !s.Notes.HasPrivate {
		t.Errorf("session: %+v", s)
	}
	if !strings.HasPrefix(string(s.Notes.Client), `<h1 id="heading">Heading</h1>`) || strings.Contains(string(s.Notes.Client), "secret") {
		t.Errorf("body: %q", s.Notes.Client)
	}
	// Errors in a CRLF file are on the right line.
	writeTree(t, baseSite, map[string]string{kimS: "\ufeff---\r\ntitle: x\r\nratings: {vision: 12}\r\n---\r\n"})
	if got := loadErrors(t); len(got) != 1 || got[0] != kimS+":3: ratings.vision: 12 is outside the scale 1..9" {
		t.Errorf("errors = %q", got)
	}
}

func TestDeterministic(t *testing.T) {
	files := map[string]string{}
	for k, v := range baseSite {
		files[k] = v
	}
	for _, slug := range []string{"c", "a", "b", "e", "d"} {
		files["content/clients/"+slug+"/_index.md"] = "---\nname: " + slug + "\nareas: [" + slug + "x, vision]\n---\n"
		for _, d := range []string{"2026-01-03", "2026-01-01-b", "2026-01-01-a", "2026-01-02"} {
			files["content/clients/"+slug+"/"+d+".md"] = "---\nratings: {vision: 5}\n---\nText.\n"
		}
	}
	writeTree(t, nil, files)
	first := mustLoad(t, Options{})
	for range 5 {
		if again := mustLoad(t, Options{}); !reflect.DeepEqual(first, again) {
			t.Fatal("two loads differ")
		}
	}
	// Area keys are coloured in order of first appearance: the site's,
	// then each client's by slug.
	colors := map[string]string{}
	for _, c := range first.Clients {
		for _, a := range c.Areas {
			if prev, ok := colors[a.Key]; ok && prev != a.Color {
				t.Errorf("area %s has two colours", a.Key)
			}
			colors[a.Key] = a.Color
		}
	}
	if colors["vision"] != Palette[0] || colors["ax"] != Palette[4] || colors["ex"] != Palette[8] {
		t.Errorf("colours: %v", colors)
	}
}

func TestClientReload(t *testing.T) {
	writeTree(t, baseSite, map[string]string{
		kimS:                            "---\nratings: {vision: 4}\n---\n",
		"content/clients/ana/_index.md": "---\nname: Ana\nareas: [health]\n---\n",
	})
	site := mustLoad(t, Options{})
	if err := os.WriteFile("content/clients/kim/2026-01-21.md", []byte("---\nratings: {vision: 6}\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("content/clients/kim/_index.md", []byte("---\nname: Kim\nareas: [vision, fun]\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, errs := Client(site, "content", "kim", Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if c.Name != "Kim" || len(c.Sessions) != 2 || c.Sessions[1].Ratings["vision"] != 6 {
		t.Errorf("reloaded: %+v", c)
	}
	// vision keeps the site's colour; fun gets one no other area uses.
	if c.Areas[0].Color != site.Areas[0].Color || c.Areas[1].Color != Palette[5] {
		t.Errorf("areas %+v (ana's health has %s)", c.Areas, site.Clients[0].Areas[0].Color)
	}

	if err := os.WriteFile("content/clients/kim/2026-01-21.md", []byte("---\nratings: {vision: 60}\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs := Client(site, "content", "kim", Options{}); len(errs) != 1 ||
		errs[0].Error() != "content/clients/kim/2026-01-21.md:2: ratings.vision: 60 is outside the scale 1..9" {
		t.Errorf("errors = %v", errs)
	}
	if _, errs := Client(site, "content", "nobody", Options{}); len(errs) != 1 || errs[0].Error() != "content/clients/nobody: no such client folder" {
		t.Errorf("errors = %v", errs)
	}

	s, errs := SessionFile(site, site.Clients[1], "content", "clients/kim/2026-01-14.md", Options{})
	if len(errs) > 0 || s.Ratings["vision"] != 4 || s.Path != kimS {
		t.Errorf("SessionFile = %+v, %v", s, errs)
	}
	os.WriteFile("content/clients/kim/2026-01-28.md", []byte("---\ndraft: true\n---\n"), 0o644)
	if s, errs := SessionFile(site, site.Clients[1], "content", "clients/kim/2026-01-28.md", Options{}); s != nil || errs != nil {
		t.Errorf("draft: %v, %v", s, errs)
	}
}

// corpus writes the gen_corpus.py corpus of clients×sessions into a
// temporary folder and returns its content folder.
func corpus(tb testing.TB, clients, sessions int) string {
	tb.Helper()
	script := filepath.Join("..", "..", "..", "shared", "bench", "gen_corpus.py")
	if _, err := os.Stat(script); err != nil {
		tb.Skip("gen_corpus.py not found:", err)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		tb.Skip("python3 not found")
	}
	dir := tb.TempDir()
	out, err := exec.Command(py, script, "--clients", strconv.Itoa(clients), "--sessions", strconv.Itoa(sessions), "--out", dir).CombinedOutput()
	if err != nil {
		tb.Fatalf("gen_corpus.py: %v\n%s", err, out)
	}
	return filepath.Join(dir, "content")
}

func TestCorpusLoads(t *testing.T) {
	dir := corpus(t, 3, 5)
	site, err := Site(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range site.Clients {
		n += len(c.Sessions)
	}
	if len(site.Clients) != 3 || n != 15 {
		t.Errorf("%d clients, %d sessions", len(site.Clients), n)
	}
}

func TestNoHTMLLoadsTheSameSite(t *testing.T) {
	dir := corpus(t, 3, 5)
	full, err := Site(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	bare, err := Site(dir, Options{NoHTML: true})
	if err != nil {
		t.Fatal(err)
	}
	private := 0
	for i, c := range full.Clients {
		b := bare.Clients[i]
		if b.Slug != c.Slug || len(b.Sessions) != len(c.Sessions) || b.Intro.HasPrivate != c.Intro.HasPrivate || b.Intro.Client != "" {
			t.Errorf("client %s differs without HTML", c.Slug)
		}
		for j, s := range c.Sessions {
			bs := b.Sessions[j]
			if bs.Notes.Client != "" || bs.Notes.Coach != "" {
				t.Errorf("%s: HTML rendered", bs.Path)
			}
			if bs.Notes.HasPrivate != s.Notes.HasPrivate {
				t.Errorf("%s: HasPrivate %v without HTML, %v with", s.Path, bs.Notes.HasPrivate, s.Notes.HasPrivate)
			}
			if s.Notes.HasPrivate {
				private++
			}
			bs.Notes, s.Notes = model.Notes{}, model.Notes{}
			if !reflect.DeepEqual(bs, s) {
				t.Errorf("%s differs without HTML:\n%+v\n%+v", s.Path, bs, s)
			}
		}
	}
	if private == 0 {
		t.Error("the corpus has no private notes: HasPrivate is not tested")
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, size := range []struct {
		name              string
		clients, sessions int
	}{{"1k", 50, 20}, {"10k", 500, 20}} {
		b.Run(size.name, func(b *testing.B) {
			dir := corpus(b, size.clients, size.sessions)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Site(dir, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size.name+"-nohtml", func(b *testing.B) {
			dir := corpus(b, size.clients, size.sessions)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Site(dir, Options{NoHTML: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestOpenKeepsProfilesLean opens a site as a build streams it: the site's
// profiles hold no text (Client gives it with the sessions), a client
// without areas of its own shares the site's slice rather than a copy, and
// reloading a client colours its own copy, never the site's areas.
func TestOpenKeepsProfilesLean(t *testing.T) {
	writeTree(t, baseSite, map[string]string{
		kimS:                            "---\nratings: {vision: 4}\n---\n",
		"content/clients/ana/_index.md": "---\nname: Ana\nareas: [health]\n---\nAna's text.\n",
	})
	ct, err := Open("content", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ct.Close()
	ana, kim := ct.Site.Clients[0], ct.Site.Clients[1]
	if ana.Intro != (model.Notes{}) || kim.Intro != (model.Notes{}) {
		t.Errorf("the opened site keeps a profile's text: %q, %q", ana.Intro.Client, kim.Intro.Client)
	}
	if len(kim.Areas) != 4 || &kim.Areas[0] != &ct.Site.Areas[0] {
		t.Errorf("kim's areas are a copy of the site's, or not the site's: %+v", kim.Areas)
	}
	if &ana.Areas[0] == &ct.Site.Areas[0] {
		t.Error("ana's own areas share the site's slice")
	}
	for i, want := range []string{"Ana's text.", "Intro."} {
		c, errs := ct.Client(i)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if !strings.Contains(string(c.Intro.Client), want) {
			t.Errorf("%s: Client gives the text %q, want %q", c.Slug, c.Intro.Client, want)
		}
	}
	site := mustLoad(t, Options{})
	colors := make([]string, len(site.Areas))
	for i, a := range site.Areas {
		colors[i] = a.Color
		site.Areas[i].Color = "" // a site not coloured: a reload must not colour it
	}
	c, errs := Client(site, "content", "kim", Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for i, a := range site.Areas {
		if a.Color != "" {
			t.Errorf("reloading kim coloured the site's area %s", a.Key)
		}
		if c.Areas[i].Color == "" {
			t.Errorf("reloaded kim's area %s has no colour (the site's was %s)", c.Areas[i].Key, colors[i])
		}
	}
}
