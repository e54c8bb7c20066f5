package pipeline_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/internal/testsite"
)

// exampleContent is the example site shipped in the repository.
const exampleContent = "../../content"

// buildSite builds the content folder into a fresh temporary folder and
// returns the public/ folder.
func buildSite(t testing.TB, content string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out}); err != nil {
		t.Fatalf("build %s: %v", content, err)
	}
	return out
}

// readFile returns the file at rel under dir.
func readFile(t testing.TB, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// clientPages lists, for every client portal under public/clients, the
// portal, the trends page and the session pages, as paths relative to
// public/, sessions in date order.
type clientPages struct {
	Portal, Trends string
	Sessions       []string
}

func listClients(t testing.TB, public string) []clientPages {
	t.Helper()
	dirs, err := os.ReadDir(filepath.Join(public, "clients"))
	if err != nil {
		t.Fatal(err)
	}
	var out []clientPages
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		base := "clients/" + d.Name() + "/"
		cp := clientPages{Portal: base + "index.html", Trends: base + "trends/index.html"}
		subs, err := os.ReadDir(filepath.Join(public, "clients", d.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range subs {
			// A session's folder is named after its file: the date first.
			if s.IsDir() && s.Name() != "" && s.Name()[0] >= '0' && s.Name()[0] <= '9' {
				cp.Sessions = append(cp.Sessions, base+s.Name()+"/index.html")
			}
		}
		out = append(out, cp)
	}
	if len(out) == 0 {
		t.Fatalf("no client portals under %s", public)
	}
	return out
}

var (
	containerRe = regexp.MustCompile(`<div class="chart" id="([^"]*)" data-height="[0-9]+" aria-hidden="true">`)
	dataRe      = regexp.MustCompile(`<script type="application/json" class="chart-data" data-chart="([^"]*)">`)
	idAttr      = regexp.MustCompile(`<[a-z0-9]+(?: class="[^"]*")? id="([^"]*)"`)
	jsIdent     = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
)

// chartIDs returns the IDs of the chart containers of page, checking that
// each is a valid JavaScript identifier, unique in the page and paired with
// exactly one data block.
func chartIDs(t *testing.T, name, page string) []string {
	t.Helper()
	var ids []string
	seen := map[string]bool{}
	for _, m := range containerRe.FindAllStringSubmatch(page, -1) {
		id := m[1]
		if !jsIdent.MatchString(id) {
			t.Errorf("%s: chart ID %q is not a JavaScript identifier", name, id)
		}
		if seen[id] {
			t.Errorf("%s: chart ID %q used twice", name, id)
		}
		seen[id] = true
		ids = append(ids, id)
	}
	// charts.js finds a container by its id: no other element may share it.
	for _, m := range idAttr.FindAllStringSubmatch(page, -1) {
		if seen[m[1]] && !strings.Contains(m[0], `class="chart"`) {
			t.Errorf("%s: chart ID %q is also the id of another element", name, m[1])
		}
	}
	blocks := dataRe.FindAllStringSubmatch(page, -1)
	if len(blocks) != len(ids) {
		t.Errorf("%s: %d chart containers but %d data blocks", name, len(ids), len(blocks))
	}
	for _, b := range blocks {
		if !seen[b[1]] {
			t.Errorf("%s: data block for %q has no container", name, b[1])
		}
	}
	return ids
}

// figure returns the <figure> holding the chart with the given ID.
func figure(page, id string) string {
	i := strings.Index(page, `<div class="chart" id="`+id+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(page[:i], `<figure class="chart-figure">`)
	end := strings.Index(page[i:], `</figure>`)
	if start < 0 || end < 0 {
		return ""
	}
	return page[start : i+end]
}

// TestChartsWithoutJavaScript checks the pages of the example site as
// written, before any script runs: every session page has its arc chart
// (and time split when the session gave one) as inline SVG with an
// accessible table, the portal its latest arc and one sparkline per area,
// the trends page its five charts each with a captioned table; IDs are
// valid, unique JavaScript identifiers; the session pages link to the trends
// page.
func TestChartsWithoutJavaScript(t *testing.T) {
	public := buildSite(t, exampleContent)
	for _, cp := range listClients(t, public) {
		for _, sp := range cp.Sessions {
			page := readFile(t, public, sp)
			ids := chartIDs(t, sp, page)
			arc := figure(page, "chart_arc")
			if arc == "" {
				t.Fatalf("%s: no arc chart; chart IDs %q", sp, ids)
			}
			for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg"`, `<table class="chart-table"><caption>Ratings: `, `<th scope="col">Area</th>`} {
				if !strings.Contains(arc, want) {
					t.Errorf("%s: arc chart lacks %q", sp, want)
				}
			}
			// One sector or hatched area per client area: the table has a
			// row per area, the SVG a <path>/<circle> fill per area.
			rows := strings.Count(arc, `<tr><th scope="row">`)
			if rows < 4 {
				t.Errorf("%s: arc table has %d area rows", sp, rows)
			}
			if strings.Contains(page, `class="time"`) { // the session gave a time split
				ts := figure(page, "chart_time")
				if !strings.Contains(ts, `class="chart-svg"`) || !strings.Contains(ts, `<caption>Time split: `) || !strings.Contains(ts, "Balance gap") {
					t.Errorf("%s: time split chart lacks SVG, caption or balance gap", sp)
				}
			}
			if !strings.Contains(page, `href="../trends/index.html"`) {
				t.Errorf("%s: no link to the trends page", sp)
			}
		}

		portal := readFile(t, public, cp.Portal)
		ids := chartIDs(t, cp.Portal, portal)
		if a := figure(portal, "chart_arc_latest"); !strings.Contains(a, `class="chart-svg"`) || !strings.Contains(a, `<caption>Latest ratings: `) {
			t.Errorf("%s: latest arc chart missing or without SVG/table", cp.Portal)
		}
		sparks := 0
		for _, id := range ids {
			if strings.HasPrefix(id, "chart_spark_") {
				sparks++
				f := figure(portal, id)
				if !strings.Contains(f, `<figcaption>`) || !strings.Contains(f, `class="chart-svg"`) || !strings.Contains(f, `<caption>`) {
					t.Errorf("%s: sparkline %s lacks caption, SVG or table", cp.Portal, id)
				}
			}
		}
		if sparks < 4 {
			t.Errorf("%s: %d sparklines, want one per area", cp.Portal, sparks)
		}
		if !strings.Contains(portal, `href="trends/index.html"`) {
			t.Errorf("%s: no link to the trends page", cp.Portal)
		}

		trends := readFile(t, public, cp.Trends)
		chartIDs(t, cp.Trends, trends)
		for _, id := range []string{"chart_trend_ratings", "chart_trend_balance", "chart_trend_time_0", "chart_trend_commitments", "chart_trend_cadence"} {
			f := figure(trends, id)
			if !strings.Contains(f, `<table class="chart-table"><caption>`) || !strings.Contains(f, `<th scope="row">`) {
				t.Errorf("%s: chart %s missing or without a captioned table", cp.Trends, id)
			}
		}
		// The summary comes before the charts.
		if s, c := strings.Index(trends, `class="summary"`), strings.Index(trends, `id="chart_trend_ratings"`); s < 0 || s > c {
			t.Errorf("%s: the summary is not above the charts", cp.Trends)
		}
	}
}

// TestSessionPageSize keeps every session page of the example site under
// 40 KB of its own HTML (shared assets are cached once).
func TestSessionPageSize(t *testing.T) {
	public := buildSite(t, exampleContent)
	const limit = 40 << 10
	largest, name := 0, ""
	for _, cp := range listClients(t, public) {
		for _, sp := range cp.Sessions {
			n := len(readFile(t, public, sp))
			if n > largest {
				largest, name = n, sp
			}
			if n >= limit {
				t.Errorf("%s: %d bytes, want under %d", sp, n, limit)
			}
		}
	}
	t.Logf("largest session page: %s, %d bytes", name, largest)
}

// TestBuildTwiceIsByteIdentical builds the example site into two folders
// and compares every file, byte for byte.
func TestBuildTwiceIsByteIdentical(t *testing.T) {
	a, b := buildSite(t, exampleContent), buildSite(t, exampleContent)
	files := map[string][]byte{}
	err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		data, err := os.ReadFile(p)
		files[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(b, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(b, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		want, ok := files[rel]
		switch {
		case !ok:
			t.Errorf("%s only in the second build", rel)
		case !bytes.Equal(want, data):
			t.Errorf("%s differs between two builds", rel)
		}
		n++
		delete(files, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel := range files {
		t.Errorf("%s only in the first build", rel)
	}
	if n < 20 {
		t.Errorf("only %d files built", n)
	}
}

// hostile is text that would run script if a chart treated it as markup or
// code: it closes the data block, and it is go-echarts' function marker.
const hostile = `</script><script>alert(1)</script> __f__alert(1)__f__`

// writeHostileSite writes a small site whose client name, area labels,
// session titles and tags are hostile text, and returns its content folder.
func writeHostileSite(t testing.TB) string {
	t.Helper()
	content := filepath.Join(t.TempDir(), "content")
	files := map[string]string{
		"site.yaml": "title: Hostile\ncoach: C\nlanguage: en\nprivacy: public\nscale: {min: 1, max: 9}\nareas:\n" +
			"  - {key: a, label: \"</script><script>alert(1)</script>\", color: \"#0072b2\"}\n" +
			"  - {key: b, label: \"__f__alert(1)__f__\"}\n" +
			"  - {key: c, label: \"<img src=x onerror=alert(1)>\"}\n",
		"clients/x/_index.md": "---\nname: \"" + hostile + "\"\nrole: \"" + hostile + "\"\n---\nIntro.\n",
		"clients/x/2026-01-05.md": "---\ntitle: \"" + hostile + "\"\nratings: {a: 3, b: 5}\n" +
			"time: {a: {actual: 50, wished: 30}, b: {actual: 30, wished: 40}, c: {actual: 20, wished: 30}}\n" +
			"commitments:\n  - {text: \"" + hostile + "\", status: done}\ntags: [\"" + hostile + "\"]\n---\nBody.\n",
		"clients/x/2026-02-02.md": "---\ntitle: \"" + hostile + " two\"\nratings: {a: 4, b: 7, c: 2}\n" +
			"time: {a: {actual: 40, wished: 30}, b: {actual: 40, wished: 40}, c: {actual: 20, wished: 30}}\n" +
			"commitments:\n  - {text: \"" + hostile + "\", status: open}\ntags: [\"" + hostile + "\"]\n---\nBody.\n",
	}
	testsite.WriteFiles(t, content, files)
	return content
}

// TestHostileTextStaysData checks the markup of a site full of hostile text:
// the only <script> elements are the page's own script links and the chart
// data blocks, and no data block holds an unescaped "<" or a function.
func TestHostileTextStaysData(t *testing.T) {
	public := buildSite(t, writeHostileSite(t))
	scriptRe := regexp.MustCompile(`<script[^>]*>`)
	for _, rel := range []string{"clients/x/index.html", "clients/x/trends/index.html", "clients/x/2026-01-05/index.html", "clients/x/2026-02-02/index.html"} {
		page := readFile(t, public, rel)
		ids := chartIDs(t, rel, page)
		if len(ids) == 0 {
			t.Errorf("%s: no charts", rel)
		}
		for _, tag := range scriptRe.FindAllString(page, -1) {
			if !strings.Contains(tag, ` src="`) && !strings.HasPrefix(tag, `<script type="application/json" class="chart-data"`) {
				t.Errorf("%s: unexpected script element %s", rel, tag)
			}
		}
		for _, m := range regexp.MustCompile(`(?s)<script type="application/json" class="chart-data" data-chart="[^"]*">(.*?)</script>`).FindAllStringSubmatch(page, -1) {
			if strings.ContainsAny(m[1], "<>") || strings.Contains(m[1], "function") {
				t.Errorf("%s: data block holds markup or code: %.200s", rel, m[1])
			}
		}
	}
}
