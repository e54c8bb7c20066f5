package pipeline_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/internal/browsertest"
)

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
