package qr_test

import (
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/qr"
	"github.com/coachsite/coachsite/internal/qrtest"
)

// TestSVGDecodes draws addresses of the lengths a portal has and reads them
// back with an independent decoder.
func TestSVGDecodes(t *testing.T) {
	for _, text := range []string{
		"https://coach.example.org/thssy6trokzrvl6s27524g5sdq/",
		"http://localhost:1313/clients/kim-lee/",
		"https://a-rather-long-host-name.coaching.example.org/portals/2026/thssy6trokzrvl6s27524g5sdq/",
		"https://exämple.org/ü/",
		"HTTPS://COACH.EXAMPLE.ORG/ABC/", // alphanumeric mode
		"0123456789",                     // numeric mode
		"+0", "-12", "+1-2",              // a sign is not a digit
	} {
		svg, err := qr.SVG(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if !strings.HasPrefix(svg, "<svg ") || !strings.Contains(svg, `aria-hidden="true"`) || strings.Contains(svg, "href") {
			t.Errorf("%s: not a self-contained, hidden SVG: %.120s", text, svg)
		}
		got, err := qrtest.Decode(svg)
		if err != nil || got != text {
			t.Errorf("%s: decoded %q, %v", text, got, err)
		}
		again, _ := qr.SVG(text)
		if again != svg {
			t.Errorf("%s: two drawings differ", text)
		}
	}
	if _, err := qr.SVG(strings.Repeat("x", 5000)); err == nil {
		t.Error("a text too long for any QR code was drawn")
	}
}

// FuzzSVG checks that no text makes SVG panic, and that what it draws for
// printable ASCII (what an address is) decodes to the text. (Other bytes go
// in the code's byte mode with no character set named, which a decoder may
// read in another character set.)
func FuzzSVG(f *testing.F) {
	f.Add("https://coach.example.org/abc/")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		svg, err := qr.SVG(text)
		if err != nil || strings.IndexFunc(text, func(r rune) bool { return r < ' ' || r > '~' }) >= 0 {
			return
		}
		if got, err := qrtest.Decode(svg); err == nil && got != text {
			t.Errorf("%q decoded as %q", text, got)
		}
	})
}
