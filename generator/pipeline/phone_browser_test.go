package pipeline_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/internal/browsertest"
)

// TestPhoneWidth opens the pages clients read most at a phone's width (360
// CSS pixels) and checks that nothing makes the page itself scroll sideways:
// wide tables scroll inside their own box (and so does anything positioned
// inside them, such as text hidden for all but screen readers), charts
// shrink to fit.
func TestPhoneWidth(t *testing.T) {
	public := buildSite(t, exampleContent)
	b := browsertest.New(t)
	for _, cp := range listClients(t, public) {
		for _, rel := range append([]string{cp.Portal, cp.Trends}, cp.Sessions...) {
			p := b.Open(t, browsertest.FileURL(public, rel))
			if _, err := chromedp.Run(p.Context(), chromedp.EmulateViewport(360, 780)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(p.Context(), chromedp.Reload()); err != nil {
				t.Fatal(err)
			}
			var overflow struct{ Scroll, Client int }
			p.Eval(`({Scroll: document.documentElement.scrollWidth, Client: document.documentElement.clientWidth})`, &overflow)
			if overflow.Scroll > overflow.Client {
				t.Errorf("%s is %d px wide at a 360 px viewport", rel, overflow.Scroll)
			}
		}
	}
}
