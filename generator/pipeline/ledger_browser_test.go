package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/internal/browsertest"
)

// TestOpenCommitmentsInBrowser opens the portal of the example client whose
// commitments are carried by id, at a phone's and a desktop's width, and
// checks the open commitments as the reader's browser completes them: one
// row each, the age counted in days from the day made to the browser's own
// today, overdue marked against that today, and every row inside the page's
// width. It saves a screenshot of the section at each width.
func TestOpenCommitmentsInBrowser(t *testing.T) {
	public := buildSite(t, exampleContent)
	b := browsertest.New(t)
	for _, w := range []int64{360, 1280} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			p := b.Open(t, "about:blank")
			if _, err := chromedp.Run(p.Context(), chromedp.EmulateViewport(w, 800)); err != nil {
				t.Fatal(err)
			}
			p.Navigate(browsertest.FileURL(public, "clients/adaeze-lindqvist-moor/index.html"))
			var got struct {
				Today      string
				Page       int
				Wrap, Fits int // the table's box and the table: it needs no sideways scroll
				Rows       []struct {
					Text, Age, From, Due string
					Overdue              bool
					Left, Right, Height  float64
				}
			}
			p.Eval(`(() => {
				const d = new Date(), pad = n => (n < 10 ? "0" : "") + n;
				return {
					Today: d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()),
					Page: document.documentElement.clientWidth,
					Wrap: document.querySelector("table.open-commitments").parentElement.clientWidth,
					Fits: document.querySelector("table.open-commitments").parentElement.scrollWidth,
					Rows: [...document.querySelectorAll("table.open-commitments tbody tr")].map(tr => {
						const r = tr.querySelector("th .text").getBoundingClientRect(), due = tr.querySelector("td.due");
						return {Text: tr.querySelector("th .text").textContent, Age: tr.querySelector("td.age").textContent.trim(),
							From: tr.querySelector("[data-age-from]").getAttribute("data-age-from"),
							Due: due.getAttribute("data-due") || "", Overdue: due.classList.contains("overdue"),
							Left: r.left, Right: r.right, Height: r.height};
					}),
				};
			})()`, &got)
			if len(got.Rows) != 3 {
				t.Fatalf("%d open commitments, want 3 (ez3c, k4rq, vahs)", len(got.Rows))
			}
			if got.Fits > got.Wrap {
				t.Errorf("at %d px the open commitments need %d px in a box of %d: they scroll sideways", w, got.Fits, got.Wrap)
			}
			today, err := time.Parse("2006-01-02", got.Today)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range got.Rows {
				from, err := time.Parse("2006-01-02", r.From)
				if err != nil {
					t.Fatalf("%s: data-age-from %q", r.Text, r.From)
				}
				days := int(today.Sub(from).Hours() / 24)
				want := fmt.Sprintf("%d days", days)
				if days == 1 {
					want = "1 day"
				}
				if r.Age != want {
					t.Errorf("%s: age %q, want %q (made %s, today %s)", r.Text, r.Age, want, r.From, got.Today)
				}
				if overdue := r.Due != "" && r.Due < got.Today; r.Overdue != overdue {
					t.Errorf("%s: due %s marked overdue %v on %s", r.Text, r.Due, r.Overdue, got.Today)
				}
				if r.Height <= 0 || r.Left < 0 || r.Right > float64(got.Page)+0.5 {
					t.Errorf("%s at %d px: text box %.0f..%.0f (height %.0f) outside the page of %d px", r.Text, w, r.Left, r.Right, r.Height, got.Page)
				}
			}
			// A selector that matches nothing would wait for ever: bound it.
			ctx, cancel := context.WithTimeout(p.Context(), 30*time.Second)
			shot, err := chromedp.Run(ctx, chromedp.Screenshot(`section[aria-labelledby="sec-open"]`))
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(browsertest.ArtifactDir(t), "open-commitments.png"), shot, 0o644); err != nil {
				t.Fatal(err)
			}
			p.AssertNoDialogs(t)
			for _, e := range p.ConsoleErrors() {
				t.Errorf("console error: %s", e)
			}
		})
	}
}
