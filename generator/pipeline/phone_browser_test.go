package pipeline_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/generator/seal"
	"github.com/coachsite/coachsite/internal/browsertest"
	"github.com/coachsite/coachsite/internal/testsite"
)

// widths are the viewport widths the geometry is checked at: two phones, a
// tablet and a desktop.
var widths = []int{360, 390, 768, 1280}

// shotWidths are the widths at which every page kind is kept as a
// screenshot (light and dark).
var shotWidths = map[int]bool{390: true, 1280: true}

// minChartHeight is the least height, in CSS pixels, a chart of each kind
// must have at every width, found by its ID's prefix: enough for its labels
// at 11 px to stay legible and apart on a 360 px phone.
var minChartHeight = []struct {
	prefix string
	px     float64
}{
	{"chart_arc", 300},
	{"chart_time", 200},
	{"chart_trend_time_", 150},  // one small multiple per area
	{"chart_trend_ledger", 130}, // the accountability timeline: 24 px a commitment
	{"chart_trend_", 260},
	{"chart_spark", 56},
	{"chart_", 150},
}

// scrollingTables are the tables that may scroll sideways inside their own
// box on a narrow screen: none. Every content table reflows (see site.css).
var scrollingTables = map[string]bool{}

func minHeight(id string) float64 {
	for _, m := range minChartHeight {
		if strings.HasPrefix(id, m.prefix) {
			return m.px
		}
	}
	return 0
}

// writeLongSite writes a site with an eight-area client whose name, area
// labels, session titles and commitments are very long, with three
// sessions inside one month, and returns its content folder.
func writeLongSite(t testing.TB) string {
	t.Helper()
	content := filepath.Join(t.TempDir(), "content")
	areas := []string{
		"Career, vocation and the work that pays the bills",
		"Health, sleep, food and movement",
		"Family, friends and the people who matter most",
		"Money, savings and financial security",
		"Personal growth and learning new things every week",
		"Fun, recreation and unstructured time",
		"Home, surroundings and the physical environment",
		"Giving back to the community and volunteering",
	}
	var yaml strings.Builder
	for i, a := range areas {
		fmt.Fprintf(&yaml, "  - {key: a%d, label: %q}\n", i, a)
	}
	name := "Maximiliana Josephine Wolkenstein-Trostburg-Auersperg-Hohenlohe"
	files := map[string]string{
		"site.yaml":              "title: A coaching practice with a rather long and winding name for its reports\ncoach: Bartholomew Featherstonehaugh-Cholmondeley\nlanguage: en\nprivacy: public\nscale: {min: 1, max: 9}\nareas: [vision, service, accountability, community]\n",
		"clients/long/_index.md": "---\nname: " + name + "\nrole: Deputy Assistant Director of Interdepartmental Coordination and Strategic Alignment\norganization: The Extraordinarily Long-Named Municipal Consortium of Northern Waterways\nstarted: 2026-03-02\ngoals:\n  - Find a way to spend at least two evenings a week with the family, without the laptop anywhere in sight\nareas:\n" + yaml.String() + "---\n\nAn intro paragraph with a verylongwordwithoutanyspacesthatmightoverflowanarrowscreenifnothingwrapsit.\n",
	}
	ratings := [][]int{{3, 4, 6, 2, 5, 3, 7, 4}, {4, 5, 6, 3, 5, 4, 7, 5}, {6, 5, 7, 4, 6, 6, 8, 5}}
	times := [][2]int{{40, 20}, {10, 15}, {10, 20}, {5, 5}, {5, 10}, {10, 15}, {10, 10}, {10, 5}}
	for si, day := range []string{"2026-03-04", "2026-03-15", "2026-03-29"} {
		var r, tm strings.Builder
		for i, v := range ratings[si] {
			fmt.Fprintf(&r, "a%d: %d, ", i, v)
			fmt.Fprintf(&tm, "  a%d: {actual: %d, wished: %d}\n", i, times[i][0], times[i][1])
		}
		files["clients/long/"+day+".md"] = "---\ntitle: The session in which we finally talked about everything that had been left unsaid for years, part " + fmt.Sprint(si+1) + "\n" +
			"ratings: {" + strings.TrimSuffix(r.String(), ", ") + "}\ntime:\n" + tm.String() +
			"commitments:\n  - {text: Write a long and detailed letter to the board about the future of the interdepartmental coordination function, due: 2026-04-30, status: open}\n" +
			"energizers: [long walks along the river with the dog on a Sunday morning]\ntags: [a-very-long-tag-that-names-a-theme-of-the-engagement]\n---\n\n" +
			"| Area | Before | After | What we said about it in the session |\n|---|---|---|---|\n| Career, vocation and the work that pays the bills | 3 | 6 | A long cell of text that should wrap on a phone rather than widen the page |\n\n" +
			"```private\nCoach-only remark for session " + fmt.Sprint(si+1) + ".\n```\n"
	}
	testsite.WriteFiles(t, content, files)
	return content
}

// TestPhoneGeometry opens every page kind of the example site and of a site
// with an eight-area client and very long names (home, portal, first and
// latest session, trends, summary, the 404 page) at 360, 390, 768 and 1280
// px in light, and at 390 and 1280 px in dark too, and asserts what a reader sees rather than what exists:
// the page is never wider than the viewport; no content table is wider than
// its box (it reflows instead of scrolling sideways); every chart is at
// least its kind's height; no text is cut off by its box or the viewport;
// the charts' labels lie inside the chart and do not overlap. It keeps a
// screenshot of every page at 390 and 1280 px, light and dark.
func TestPhoneGeometry(t *testing.T) {
	b := browsertest.New(t)
	shots := browsertest.ArtifactDir(t)
	sites := []struct{ name, content string }{
		{"example", exampleContent},
		{"long", writeLongSite(t)},
	}
	for _, site := range sites {
		public := buildSite(t, site.content)
		// A four-area client of the example and the eight-area client of
		// the long site cover every layout; the first session has no
		// previous one to compare with.
		pages := map[string]string{"home": "index.html"}
		cp := listClients(t, public)[0]
		pages["portal0"] = cp.Portal
		pages["trends0"] = cp.Trends
		pages["summary0"] = strings.TrimSuffix(cp.Portal, "index.html") + "summary/index.html"
		pages["session0"] = cp.Sessions[len(cp.Sessions)-1]
		if site.name == "example" {
			pages["session-first0"] = cp.Sessions[0]
			pages["404"] = "404.html"
		}
		for kind, rel := range pages {
			t.Run(site.name+"/"+kind, func(t *testing.T) {
				p := b.Open(t, browsertest.FileURL(public, rel))
				checkGeometry(t, p, filepath.Join(shots, site.name+"-"+kind))
			})
		}
		// The first paint: the server's SVG drawings, before (or without)
		// any script, on a phone.
		for _, kind := range []string{"trends0", "session0"} {
			t.Run(site.name+"/"+kind+"-first-paint", func(t *testing.T) {
				p := b.Open(t, "about:blank")
				p.Emulate(browsertest.Media{Width: 390, Height: 844}) // while scripts run: it waits for frames
				if _, err := chromedp.Call(p.Context(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
				p.Navigate(browsertest.FileURL(public, pages[kind]))
				p.AssertChartsDrawn(t, ".chart")
				g := p.Geometry()
				// Only the drawings are at stake here: without a script,
				// charts take their drawings' own proportions and wide
				// tables scroll in their wrappers (site.js stacks them).
				for i := range g.Charts {
					g.Charts[i].Height = 1e6
				}
				g.Tables, g.Clipped = nil, nil
				assertGeometry(t, "390 px, no script", g)
				for _, c := range p.CrowdedLabels(axisCharts, labelGap) {
					t.Errorf("390 px, no script: labels run together: %s", c)
				}
				p.Screenshot(filepath.Join(shots, site.name+"-"+kind+"-first-paint-390-light.png"))
			})
		}
	}
}

// checkGeometry emulates every width, light and dark, on the open page and
// checks its geometry; shot is the screenshot path without its suffix.
func checkGeometry(t *testing.T, p *browsertest.Page, shot string) {
	t.Helper()
	for _, w := range widths {
		for _, dark := range []bool{false, true} {
			if dark && !shotWidths[w] {
				continue // dark changes colours, not layout: checked where screenshots are kept
			}
			p.Emulate(browsertest.Media{Width: w, Height: 844, Dark: dark})
			mode := "light"
			if dark {
				mode = "dark"
			}
			where := fmt.Sprintf("%d px %s", w, mode)
			g := p.Geometry()
			assertGeometry(t, where, g)
			for _, c := range p.CrowdedLabels(axisCharts, labelGap) {
				t.Errorf("%s: labels run together: %s", where, c)
			}
			if shotWidths[w] {
				p.Screenshot(fmt.Sprintf("%s-%d-%s.png", shot, w, mode))
			}
			if w == 390 && !dark {
				for _, c := range g.Charts {
					t.Logf("390 px: chart %s", c)
				}
				for _, tb := range g.Tables {
					t.Logf("390 px: table %s %.0f px in a %.0f px box (scrolls: %v, stacked: %v)", tb.Name, tb.Width, tb.Box, tb.Scrolls, tb.Stacked)
				}
			}
		}
	}
}

// assertGeometry fails t for every rule g breaks.
func assertGeometry(t *testing.T, where string, g browsertest.Geometry) {
	t.Helper()
	if g.ScrollWidth > g.Viewport {
		t.Errorf("%s: the page is %d px wide in a %d px viewport", where, g.ScrollWidth, g.Viewport)
	}
	for _, tb := range g.Tables {
		if (tb.Width > tb.Box+1 || tb.Scrolls) && !scrollingTables[tb.Name] {
			t.Errorf("%s: table %q is %.0f px wide in a %.0f px box", where, tb.Name, tb.Width, tb.Box)
		}
	}
	for _, c := range g.Charts {
		if min := minHeight(c.ID); c.Height < min {
			t.Errorf("%s: chart %s is %.0f px tall, want at least %.0f", where, c.ID, c.Height, min)
		}
		if c.Width > float64(g.Viewport) {
			t.Errorf("%s: chart %s is %.0f px wide", where, c.ID, c.Width)
		}
		if len(c.Outside) > 0 {
			t.Errorf("%s: chart %s has labels outside its box: %q", where, c.ID, c.Outside)
		}
		if len(c.Overlapping) > 0 {
			t.Errorf("%s: chart %s has overlapping labels: %q", where, c.ID, c.Overlapping)
		}
	}
	for _, c := range g.Clipped {
		t.Errorf("%s: text cut off: %s", where, c)
	}
}

// TestPhoneGeometrySealed builds the example site encrypted and checks the
// pages only a sealed site has — the unlock form, the coach dashboard and a
// client's data page (unlocked) — and a client's portal, latest session,
// trends and summary opened with the client's passphrase, as
// TestPhoneGeometry does; and that a
// session page opened with the coach's passphrase marks its coach-only
// notes unmistakably.
func TestPhoneGeometrySealed(t *testing.T) {
	ss := buildSealedExample(t)
	sec := ss.sec
	shots := browsertest.ArtifactDir(t)
	b := browsertest.New(t)
	base := browsertest.Serve(t, ss.public)
	client, private := firstPrivate(t, ss.site)
	portal := seal.Token(ss.key, client.Slug)

	t.Run("unlock", func(t *testing.T) {
		p := b.Open(t, base+"coach/index.html")
		if st := pageState(p); st != "locked" {
			t.Fatalf("state %s, want locked", st)
		}
		checkGeometry(t, p, filepath.Join(shots, "sealed-unlock"))
	})
	t.Run("dashboard", func(t *testing.T) {
		p := b.Open(t, base+"coach/index.html")
		if st := unlock(t, p, sec.Coach, false); !strings.HasPrefix(st.State, "unlocked") {
			t.Fatalf("dashboard: %+v", st)
		}
		checkGeometry(t, p, filepath.Join(shots, "sealed-dashboard"))
	})
	t.Run("data", func(t *testing.T) {
		p := b.Open(t, base+portal+"/data/index.html")
		if st := unlock(t, p, sec.Clients[client.Slug], false); !strings.HasPrefix(st.State, "unlocked") {
			t.Fatalf("data page: %+v", st)
		}
		checkGeometry(t, p, filepath.Join(shots, "sealed-data"))
	})
	// The client's pages, unlocked: their tables are fitted and their
	// charts sized after the content arrives, not on load as in a public
	// build.
	for _, pg := range []struct{ name, rel string }{
		{"portal", portal + "/index.html"},
		{"session", ss.sessionPage(client, client.Sessions[len(client.Sessions)-1])},
		{"trends", portal + "/trends/index.html"},
		{"summary", portal + "/summary/index.html"},
	} {
		t.Run(pg.name, func(t *testing.T) {
			p := b.Open(t, base+pg.rel)
			if st := unlock(t, p, sec.Clients[client.Slug], false); st.State != "unlocked:reader" {
				t.Fatalf("%s: %+v", pg.name, st)
			}
			checkGeometry(t, p, filepath.Join(shots, "sealed-"+pg.name))
		})
	}
	t.Run("coach-only", func(t *testing.T) {
		p := b.Open(t, base+ss.sessionPage(client, private))
		if st := unlock(t, p, sec.Coach, false); !strings.HasPrefix(st.State, "unlocked") {
			t.Fatalf("session page: %+v", st)
		}
		var notes []struct {
			Border, Label float64
			Background    string
		}
		p.Eval(`[...document.querySelectorAll('.private-note')].map(n => {
		  const label = n.querySelector('.private-note-label');
		  return {Border: parseFloat(getComputedStyle(n).borderLeftWidth),
		    Label: label ? label.getBoundingClientRect().height : 0,
		    Background: getComputedStyle(n).backgroundColor};
		})`, &notes)
		if len(notes) == 0 {
			t.Fatal("the coach's session page shows no coach-only note")
		}
		for _, n := range notes {
			if n.Border < 4 || n.Label < 8 || n.Background == "rgba(0, 0, 0, 0)" {
				t.Errorf("a coach-only note is not marked: %+v", n)
			}
		}
		p.Emulate(browsertest.Media{Width: 390, Height: 844})
		p.Screenshot(filepath.Join(shots, "sealed-coach-session-390-light.png"))
	})
}
