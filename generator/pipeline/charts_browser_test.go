package pipeline_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/internal/browsertest"
)

// TestMain shares one Chromium between the browser tests of the package.
func TestMain(m *testing.M) { browsertest.Main(m) }

// checkPage asserts what every chart page must give in a real browser:
// every chart container drawn, nothing logged as an error, no request
// outside root and no dialog.
func checkPage(t *testing.T, p *browsertest.Page, root string) {
	t.Helper()
	p.AssertChartsDrawn(t, ".chart")
	for _, e := range p.ConsoleErrors() {
		t.Errorf("browsertest: console error: %s", e)
	}
	p.AssertNoOutsideRequests(t, root)
	p.AssertNoDialogs(t)
}

// TestChartsDrawnInBrowser opens, for every client of the example site, the
// portal, the trends page and the first and latest session pages in
// Chromium, from file:// and over HTTP, and checks that every chart is
// drawn with no console error, outside request or dialog. It saves
// screenshots of a session page and a trends page.
func TestChartsDrawnInBrowser(t *testing.T) {
	public := buildSite(t, exampleContent)
	clients := listClients(t, public)
	b := browsertest.New(t)
	schemes := []struct {
		name string
		url  func(rel string) string
		root string
	}{
		{"file", func(rel string) string { return browsertest.FileURL(public, rel) }, browsertest.FileURL(public, "")},
	}
	base := browsertest.Serve(t, public)
	schemes = append(schemes, struct {
		name string
		url  func(rel string) string
		root string
	}{"http", func(rel string) string { return base + rel }, base})

	shots := browsertest.ArtifactDir(t)
	for _, sc := range schemes {
		t.Run(sc.name, func(t *testing.T) {
			for ci, cp := range clients {
				pages := []string{cp.Portal, cp.Trends, cp.Sessions[0], cp.Sessions[len(cp.Sessions)-1]}
				if sc.name == "http" {
					pages = pages[:3] // the session pages differ only in data; file:// covers both ends
				}
				for _, rel := range pages {
					p := b.Open(t, sc.url(rel))
					checkPage(t, p, sc.root)
					// The drawing replaced the fallback: ECharts put its own SVG in.
					var live int
					p.Eval(`document.querySelectorAll('.chart.chart-live').length`, &live)
					var all int
					p.Eval(`document.querySelectorAll('.chart').length`, &all)
					if live != all || all == 0 {
						t.Errorf("%s: %d of %d charts live", rel, live, all)
					}
					if sc.name == "file" && ci == 0 {
						switch rel {
						case cp.Sessions[len(cp.Sessions)-1]:
							p.Screenshot(filepath.Join(shots, "session.png"))
						case cp.Trends:
							p.Screenshot(filepath.Join(shots, "trends.png"))
						case cp.Portal:
							p.Screenshot(filepath.Join(shots, "portal.png"))
						}
					}
				}
			}
		})
	}
}

// TestHostileTextInBrowser opens the pages of a site whose client name, area
// labels, titles, commitments and tags are hostile text and checks, in
// Chromium, that no dialog opens, nothing is logged, every chart is drawn
// and the text is shown as text, in the page and in the drawn charts.
func TestHostileTextInBrowser(t *testing.T) {
	public := buildSite(t, writeHostileSite(t))
	b := browsertest.New(t)
	root := browsertest.FileURL(public, "")
	for _, rel := range []string{"clients/x/index.html", "clients/x/trends/index.html", "clients/x/2026-02-02/index.html"} {
		p := b.Open(t, browsertest.FileURL(public, rel))
		checkPage(t, p, root)
		var drawn string
		p.Eval(`[...document.querySelectorAll('.chart svg')].map(s => s.textContent).join('\n')`, &drawn)
		var text string
		p.Eval(`document.body.innerText`, &text)
		for _, want := range []string{"</script><script>alert(1)</script>", "__f__alert(1)__f__"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: page text does not show %q", rel, want)
			}
		}
		if rel == "clients/x/2026-02-02/index.html" {
			if got := p.Text("h1"); got != hostile+" two" {
				t.Errorf("%s: title shown as %q", rel, got)
			}
			for _, want := range []string{"</script><script>alert(1)</script>", "__f__alert(1)__f__", "<img src=x onerror=alert(1)>"} {
				// A drawing shortens a label past 32 characters (the
				// table keeps it whole): its start is still text.
				if !strings.Contains(drawn, want[:min(len(want), 24)]) {
					t.Errorf("%s: the drawn arc chart does not show the label %q as text", rel, want)
				}
			}
		}
		var injected int
		p.Eval(`document.querySelectorAll('main script:not([type="application/json"]), main img').length`, &injected)
		if injected != 0 {
			t.Errorf("%s: %d script or img elements were injected", rel, injected)
		}
	}
	var tags string
	p := b.Open(t, browsertest.FileURL(public, "clients/x/2026-01-05/index.html"))
	checkPage(t, p, root)
	p.Eval(`[...document.querySelectorAll('ul.tags li')].map(li => li.textContent).join('|')`, &tags)
	if tags != hostile {
		t.Errorf("tag shown as %q", tags)
	}
}

// TestChartsDarkAndWithoutScript opens a session page in dark mode (the
// charts redraw with the dark theme) and then with JavaScript disabled (the
// inline SVG fallbacks show, with their tables in the page), saving a
// screenshot of each.
func TestChartsDarkAndWithoutScript(t *testing.T) {
	public := buildSite(t, exampleContent)
	cp := listClients(t, public)[0]
	rel := cp.Sessions[len(cp.Sessions)-1]
	root := browsertest.FileURL(public, "")
	shots := browsertest.ArtifactDir(t)
	b := browsertest.New(t)

	p := b.Open(t, browsertest.FileURL(public, rel))
	dark := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}
	if _, err := chromedp.Call(p.Context(), emulation.SetEmulatedMedia, dark); err != nil {
		t.Fatal(err)
	}
	checkPage(t, p, root)
	var bg string
	p.Eval(`getComputedStyle(document.body).backgroundColor`, &bg)
	if bg == "rgb(251, 250, 248)" {
		t.Errorf("dark mode not applied: body background %s", bg)
	}
	p.Screenshot(filepath.Join(shots, "session-dark.png"))

	q := b.Open(t, "about:blank")
	if _, err := chromedp.Call(q.Context(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	q.Navigate(browsertest.FileURL(public, rel))
	q.AssertChartsDrawn(t, ".chart") // the inline SVG fallbacks
	var st struct{ Live, SVG, Tables, Captions int }
	q.Eval(`({Live: document.querySelectorAll('.chart-live').length,
		SVG: document.querySelectorAll('.chart > svg.chart-svg').length,
		Tables: document.querySelectorAll('figure.chart-figure table.chart-table').length,
		Captions: document.querySelectorAll('table.chart-table > caption').length})`, &st)
	if st.Live != 0 || st.SVG < 1 || st.Tables != st.SVG || st.Captions != st.Tables {
		t.Errorf("without JavaScript: %+v, want no live chart and an SVG and a captioned table per chart", st)
	}
	q.AssertNoDialogs(t)
	q.Screenshot(filepath.Join(shots, "session-noscript.png"))
}
