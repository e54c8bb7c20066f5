package pipeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/internal/browsertest"
)

// pdfPage counts the pages of a PDF by its page objects.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestHandoverSheetPrints opens the hand-over sheet of an encrypted portal
// with a base_url — the longest sheet there is, with the QR code and the
// passphrase — in Chromium: it prints on one page of A4 and of Letter,
// loads nothing, and at a phone's width neither scrolls sideways nor
// squeezes the QR code below a size a camera reads from paper or screen.
func TestHandoverSheetPrints(t *testing.T) {
	content := privSite(t, privExample(), model.Encrypted)
	site := filepath.Join(content, "site.yaml")
	b, err := os.ReadFile(site)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(site, append(b, "base_url: https://coaching.harbour-light.example.org/client-portals/\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	sec := writeSecrets(t, content)
	h, err := pipeline.Share(pipeline.ShareOptions{Options: pipeline.Options{Content: content, Secrets: sec.File, Environ: []string{}}, Passphrase: true}, "tobias-ferrante-okoro")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(h.Sheet, []byte(sec.Clients["tobias-ferrante-okoro"])) {
		t.Fatal("the sheet lacks the passphrase it was asked for")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sheet.html"), h.Sheet, 0o600); err != nil {
		t.Fatal(err)
	}
	b2 := browsertest.New(t)
	p := b2.Open(t, browsertest.FileURL(dir, "sheet.html"))
	p.AssertNoOutsideRequests(t, browsertest.FileURL(dir, "sheet.html"))
	p.AssertNoConsoleErrors(t)
	for _, paper := range []string{"A4", "Letter"} {
		pdf := filepath.Join(dir, paper+".pdf")
		p.PDF(pdf, paper)
		data, err := os.ReadFile(pdf)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(pdfPage.FindAll(data, -1)); n != 1 {
			t.Errorf("the sheet prints on %d pages of %s, want 1", n, paper)
		}
	}
	shots := os.Getenv("COACHSITE_SCREENSHOTS") // a folder to keep screenshots in, to look at
	if shots != "" {
		p.Screenshot(filepath.Join(shots, "handover-desktop.png"))
	}
	ph := b2.Open(t, browsertest.FileURL(dir, "sheet.html"))
	if _, err := chromedp.Run(ph.Context(), chromedp.EmulateViewport(360, 780)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ph.Context(), chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	var g struct{ Scroll, Client, QR float64 }
	ph.Eval(`({Scroll: document.documentElement.scrollWidth, Client: document.documentElement.clientWidth,
		QR: document.querySelector('.qr svg').getBoundingClientRect().width})`, &g)
	if g.Scroll > g.Client {
		t.Errorf("at 360 px the sheet is %v px wide", g.Scroll)
	}
	if g.QR < 150 {
		t.Errorf("at 360 px the QR code is %v px wide, want at least 150", g.QR)
	}
	if shots != "" {
		ph.Screenshot(filepath.Join(shots, "handover-phone.png"))
		for _, paper := range []string{"A4", "Letter"} {
			p.PDF(filepath.Join(shots, "handover-"+paper+".pdf"), paper)
		}
	}
}
