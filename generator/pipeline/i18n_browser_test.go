package pipeline_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/internal/browsertest"
)

// labelGap is the least gap, in CSS pixels, between two chart labels side
// by side: closer, two month names read as one word.
const labelGap = 4

// axisCharts are the charts whose labels stand side by side along axes.
// The arc chart is left out: its sectors' ratings can sit 0–2 px apart
// near the centre (haloed, in different sectors), which is left for later.
const axisCharts = ".chart:not([id*=arc])"

// assertChartLabels lays the open page out at width w with reduced motion
// and fails t for every live chart's label that overlaps another, runs
// into it (closer than labelGap) or reaches outside its chart.
func assertChartLabels(t *testing.T, p *browsertest.Page, where string, w int) {
	t.Helper()
	p.Emulate(browsertest.Media{Width: w, Height: 844})
	p.AssertChartsDrawn(t, ".chart")
	for _, c := range p.Geometry().Charts {
		if len(c.Overlapping) > 0 {
			t.Errorf("%s: chart %s has overlapping labels: %q", where, c.ID, c.Overlapping)
		}
		if len(c.Outside) > 0 {
			t.Errorf("%s: chart %s has labels outside its box: %q", where, c.ID, c.Outside)
		}
	}
	for _, c := range p.CrowdedLabels(axisCharts, labelGap) {
		t.Errorf("%s: labels run together: %s", where, c)
	}
}

// monthWords are month labels of the example's time axes in each language,
// and English ones that must not show on its pages.
var monthWords = map[string]struct{ want, not []string }{
	"de": {want: []string{"März", "Mai", "Juni", "Juli", "Okt."}, not: []string{"Mar", "May", "Jun", "Jul", "Oct"}},
	"ar": {want: []string{"مارس", "مايو", "يونيو", "يوليو", "سبتمبر"}, not: []string{"Mar", "May", "Jun", "Jul", "Sep"}},
}

// assertMonthNames fails t unless the live (ECharts) time axes of the open
// trends page name months in the page's language, never in English.
func assertMonthNames(t *testing.T, p *browsertest.Page, lang string, w int64) {
	t.Helper()
	var labels []string
	p.Eval(`[...document.querySelectorAll('.chart.chart-live svg text')].map(t => t.textContent.trim())`, &labels)
	words := monthWords[lang]
	found := 0
	for _, l := range labels {
		for _, m := range words.want {
			if l == m {
				found++
			}
		}
		for _, m := range words.not {
			if l == m {
				t.Errorf("%s trends at %d px: a live chart labels a month in English: %q", lang, w, l)
			}
		}
	}
	if found == 0 {
		t.Errorf("%s trends at %d px: no live chart labels a month in the page's language (any of %q); labels: %q", lang, w, words.want, labels)
	}
}

// assertLegendsWhole fails t unless every item of every live chart's
// legend on the open page is drawn whole: at 1280 px there is room for
// each, though a phone cuts the longer ones.
func assertLegendsWhole(t *testing.T, p *browsertest.Page, label string) {
	t.Helper()
	var got struct {
		Items int
		Cut   []string
	}
	p.Eval(`(() => {
		const out = {Items: 0, Cut: []};
		document.querySelectorAll('.chart.chart-live').forEach(el => {
			const c = window.echarts && echarts.getInstanceByDom(el);
			if (!c) return;
			const o = c.getOption();
			const drawn = new Set([...el.querySelectorAll('svg text')].map(t => t.textContent.trim()));
			(o.legend || []).forEach(lg => {
				if (lg.show === false) return;
				const names = lg.data && lg.data.length ? lg.data : (o.series || []).map(s => s.name);
				names.map(d => typeof d === 'string' ? d : d && d.name).filter(Boolean).forEach(n => {
					out.Items++;
					if (!drawn.has(n)) out.Cut.push(el.id + ': ' + n);
				});
			});
		});
		return out;
	})()`, &got)
	if got.Items == 0 {
		t.Errorf("%s: no live chart has a legend to check", label)
	}
	for _, c := range got.Cut {
		t.Errorf("%s: a legend item is not drawn whole: %s", label, c)
	}
}

// TestLanguagesInBrowser opens the portal and trends pages of the example
// built in Arabic and in German at a phone's width (390 px) and at 1280 px:
// the Arabic page runs right to left, its tables start at the right, no page
// scrolls sideways, the charts draw, and nothing errs. With
// COACHSITE_SHOTS=dir it saves screenshots there to look at.
func TestLanguagesInBrowser(t *testing.T) {
	shots := os.Getenv("COACHSITE_SHOTS")
	b := browsertest.New(t)
	for _, lang := range []string{"ar", "de"} {
		content := exampleIn(t, lang, "")
		public := buildSite(t, content)
		for _, cp := range listClients(t, public)[:1] {
			for _, rel := range []string{cp.Portal, cp.Trends} {
				for _, w := range []int64{390, 1280} {
					p := b.Open(t, browsertest.FileURL(public, rel))
					if _, err := chromedp.Run(p.Context(), chromedp.EmulateViewport(w, 844)); err != nil {
						t.Fatal(err)
					}
					if _, err := chromedp.Run(p.Context(), chromedp.Reload()); err != nil {
						t.Fatal(err)
					}
					var got struct {
						Dir, Lang, Align string
						Scroll, Client   int
						TableRight       bool
					}
					p.Eval(`(() => {
						const th = document.querySelector('table.ratings th, table th');
						const r = th.getBoundingClientRect(), t = th.closest('table').getBoundingClientRect();
						return {Dir: document.documentElement.dir, Lang: document.documentElement.lang,
							Align: getComputedStyle(th).textAlign,
							Scroll: document.documentElement.scrollWidth, Client: document.documentElement.clientWidth,
							TableRight: Math.abs(r.right - t.right) < 1};
					})()`, &got)
					want := "ltr"
					if lang == "ar" {
						want = "rtl"
					}
					if got.Dir != want || got.Lang != lang {
						t.Errorf("%s %s: html lang=%q dir=%q", lang, rel, got.Lang, got.Dir)
					}
					if got.Scroll > got.Client {
						t.Errorf("%s %s at %d px: %d px wide", lang, rel, w, got.Scroll)
					}
					if lang == "ar" && !got.TableRight {
						t.Errorf("%s %s: the first column of a table is not at the right", lang, rel)
					}
					if got.Align != "start" {
						t.Errorf("%s %s: table headers aligned %q, want start", lang, rel, got.Align)
					}
					p.AssertChartsDrawn(t, ".chart")
					p.AssertNoConsoleErrors(t)
					assertChartLabels(t, p, fmt.Sprintf("%s %s at %d px", lang, rel, w), int(w))
					if rel == cp.Trends {
						assertMonthNames(t, p, lang, w)
						if w == 1280 {
							assertLegendsWhole(t, p, fmt.Sprintf("%s trends at 1280 px", lang))
						}
					}
					if rel == cp.Trends && w == 390 {
						// The first paint: the server's SVG, before any script.
						q := b.Open(t, "about:blank")
						q.Emulate(browsertest.Media{Width: 390, Height: 844})
						if _, err := chromedp.Call(q.Context(), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
							t.Fatal(err)
						}
						q.Navigate(browsertest.FileURL(public, rel))
						q.AssertChartsDrawn(t, ".chart")
						for _, c := range q.Geometry().Charts {
							if len(c.Overlapping) > 0 {
								t.Errorf("%s %s, server's SVG: chart %s has overlapping labels: %q", lang, rel, c.ID, c.Overlapping)
							}
						}
						for _, c := range q.CrowdedLabels(axisCharts, labelGap) {
							t.Errorf("%s %s, server's SVG: labels run together: %s", lang, rel, c)
						}
						if shots != "" {
							q.Screenshot(filepath.Join(shots, lang+"-trends-390-first-paint.png"))
						}
					}
					if shots != "" {
						name := lang + "-" + filepath.Base(filepath.Dir(rel)) + "-" + map[int64]string{390: "390", 1280: "1280"}[w]
						p.Screenshot(filepath.Join(shots, name+".png"))
						// The screen's worth around the first chart, as a reader sees it.
						var y int
						p.Eval(`(document.querySelector('.charts').scrollIntoView(), window.scrollY)`, &y)
						buf, err := chromedp.Run(p.Context(), chromedp.CaptureScreenshot())
						if err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(filepath.Join(shots, name+"-chart.png"), buf, 0o644); err != nil {
							t.Fatal(err)
						}
						var top int
						p.Eval(`(window.scrollTo(0, 0), window.scrollY)`, &top)
						if buf, err = chromedp.Run(p.Context(), chromedp.CaptureScreenshot()); err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(filepath.Join(shots, name+"-top.png"), buf, 0o644); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
		}
	}
}
