package pipeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/internal/browsertest"
)

// TestArchiveOpensFromFile unzips an archive and opens it as someone who
// double-clicks data/index.html would: from file://, no server. Every page
// of the portal must load with no outside request, no console error, and
// every chart drawn live.
func TestArchiveOpensFromFile(t *testing.T) {
	a := archiveExample(t, pipeline.ArchiveOptions{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	data := filepath.Join(unzipArchive(t, a), "data")
	root := browsertest.FileURL(data, "")
	b := browsertest.New(t)

	p := b.Open(t, browsertest.FileURL(data, "index.html"))
	p.Click(`a[href="clients/` + archiveClient + `/index.html"]`)
	p.WaitVisible(".page-portal h1, body.page-portal")

	pages, err := filepath.Glob(filepath.Join(data, "clients", archiveClient, "*", "index.html"))
	if err != nil || len(pages) < 3 {
		t.Fatalf("pages of the archived portal: %v %v", pages, err)
	}
	pages = append(pages, filepath.Join(data, "clients", archiveClient, "index.html"))
	for _, page := range pages {
		rel, _ := filepath.Rel(data, page)
		p := b.Open(t, browsertest.FileURL(data, filepath.ToSlash(rel)))
		p.AssertNoOutsideRequests(t, root)
		p.AssertNoConsoleErrors(t)
		if failed := p.FailedRequests(); len(failed) > 0 {
			t.Errorf("%s: failed requests %v", rel, failed)
		}
		p.AssertChartsDrawn(t, ".chart")
		var live, all int
		p.Eval(`document.querySelectorAll('.chart.chart-live').length`, &live)
		p.Eval(`document.querySelectorAll('.chart').length`, &all)
		if all == 0 || live != all {
			t.Errorf("%s: %d of %d charts live", rel, live, all)
		}
	}
}

var pdfPages = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestPrintToPDF prints a session page, the trends page and the engagement
// summary on A4 and Letter and checks the PDFs, then checks the print
// layout itself with print media emulated: no navigation, every chart as
// an SVG drawing (on the session page the server's drawings of the arc and
// the time split, never the live charts; on the trends page the live
// charts, which have no server drawing), the client's name and the date at
// the top of every sheet, no page break inside a figure or a table row.
func TestPrintToPDF(t *testing.T) {
	a := archiveExample(t, pipeline.ArchiveOptions{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	data := filepath.Join(unzipArchive(t, a), "data")
	sessions, _ := filepath.Glob(filepath.Join(data, "clients", archiveClient, "2*", "index.html"))
	if len(sessions) == 0 {
		t.Fatal("no session page")
	}
	pages := map[string]string{
		"session": sessions[len(sessions)-1],
		"trends":  filepath.Join(data, "clients", archiveClient, "trends", "index.html"),
		"summary": filepath.Join(data, "clients", archiveClient, "summary", "index.html"),
	}
	b := browsertest.New(t)
	out := browsertest.ArtifactDir(t)
	for _, kind := range []string{"session", "trends", "summary"} {
		rel, _ := filepath.Rel(data, pages[kind])
		p := b.Open(t, browsertest.FileURL(data, filepath.ToSlash(rel)))
		p.AssertChartsDrawn(t, ".chart")
		for _, paper := range []string{"A4", "Letter"} {
			name := filepath.Join(out, kind+"-"+paper+".pdf")
			p.PDF(name, paper)
			pdf, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("%s is not a PDF", name)
			}
			n := len(pdfPages.FindAll(pdf, -1))
			if n < 1 || n > 8 {
				t.Errorf("%s %s: %d pages, want 1 to 8", kind, paper, n)
			}
			t.Logf("%s on %s: %d page(s), %d bytes", kind, paper, n, len(pdf))
		}

		// The text printed: with print media emulated the page shows its
		// heading and data and none of the navigation.
		if _, err := chromedp.Call(p.Context(), emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		var st struct {
			Hidden  []bool
			H1      string
			Figures int
			Shown   int
			Rows    int
			// Session page: the SVG drawings of the arc and the time split
			// show in print, the live charts do not.
			PrintSVG   []bool
			LiveShown  int // live charts shown though they have a server-side drawing
			SVGShown   int // figures printing an SVG drawing
			PrintHead  string
			AvoidBreak []string // elements a page break may cut
		}
		p.Eval(`(() => {
		  const vis = el => !!el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
		  const figs = [...document.querySelectorAll('.chart-figure')];
		  return {
		    Hidden: ['.site-header', '.crumbs', '.pager', '.skip'].map(s => !document.querySelector(s) || !vis(document.querySelector(s))),
		    H1: document.querySelector('main h1').textContent,
		    Figures: figs.length,
		    Shown: figs.filter(f => [...f.querySelectorAll('svg, table')].some(vis)).length,
		    Rows: [...document.querySelectorAll('main tbody tr')].filter(vis).length,
		    PrintSVG: ['#chart_arc', '#chart_time'].map(id => {
		      const svg = document.querySelector(id + ' + .chart-print svg');
		      return vis(svg) && svg.getBoundingClientRect().width > 100 && svg.getBoundingClientRect().height > 50;
		    }),
		    LiveShown: [...document.querySelectorAll('.chart-live:not(.chart-prints-live)')].filter(vis).length,
		    SVGShown: figs.filter(f => [...f.querySelectorAll('svg')].some(s => vis(s) && s.getBoundingClientRect().width > 100 && s.getBoundingClientRect().height > 40)).length,
		    PrintHead: getComputedStyle(document.documentElement).getPropertyValue('--print-head').trim(),
		    AvoidBreak: [...document.querySelectorAll('main figure, main tbody tr, .chart-print')]
		      .filter(el => getComputedStyle(el).breakInside !== 'avoid').map(el => el.tagName + '.' + el.className),
		  };
		})()`, &st)
		for i, h := range st.Hidden {
			if !h {
				t.Errorf("%s: navigation element %d shows in print", kind, i)
			}
		}
		if st.H1 == "" || st.Rows == 0 {
			t.Errorf("%s: printed page has heading %q and %d table rows", kind, st.H1, st.Rows)
		}
		if kind == "session" {
			for i, ok := range st.PrintSVG {
				if !ok {
					t.Errorf("session: the SVG drawing of %s does not show in print", []string{"the arc chart", "the time split"}[i])
				}
			}
		}
		if st.LiveShown > 0 {
			t.Errorf("%s: %d live charts show in print", kind, st.LiveShown)
		}
		if len(st.AvoidBreak) > 0 {
			t.Errorf("%s: a page break may cut %v", kind, st.AvoidBreak)
		}
		if st.Figures == 0 || st.Shown != st.Figures {
			t.Errorf("%s: %d of %d charts show an SVG or table in print", kind, st.Shown, st.Figures)
		}
		// Every chart prints as a drawing, the trends included.
		if st.SVGShown != st.Figures {
			t.Errorf("%s: %d of %d charts print an SVG drawing", kind, st.SVGShown, st.Figures)
		}
		// Each sheet is headed with the client's name and the date.
		if !strings.Contains(st.PrintHead, "·") || len(st.PrintHead) < 8 {
			t.Errorf("%s: print head %q, want the client's name and a date", kind, st.PrintHead)
		}
		t.Logf("%s: %q, %s charts, %d rows in print", kind, st.H1, strconv.Itoa(st.Figures), st.Rows)
	}
}
