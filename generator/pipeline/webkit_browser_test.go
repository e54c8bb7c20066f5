package pipeline_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/seal"
	"github.com/coachsite/coachsite/internal/browsertest"
)

// TestWebKitSmoke opens an encrypted build of the example site in WebKit
// (Safari's engine: WebKitGTK through WebKitWebDriver, in a virtual X
// display), over HTTP on 127.0.0.1, at a phone's 390 px: a client types
// the passphrase into the unlock form and the portal opens (PBKDF2 and
// AES-GCM in WebKit's WebCrypto); on the portal, the trends page and the
// latest session every chart is drawn, the live chart takes over from the
// server's SVG as in Chromium, the page is no wider than the viewport, no
// content table is wider than its box and no chart label overlaps another;
// and the check-in page seals a block (ECDH P-256 and AES-GCM). Skipped
// without WebKitWebDriver or xvfb-run, except with CI=true.
func TestWebKitSmoke(t *testing.T) {
	w := browsertest.NewWebKit(t)
	t.Logf("browser: %s", w.Version())
	ss := buildSealedExample(t)
	sec, public := ss.sec, ss.public
	const ada = "adaeze-lindqvist-moor"
	portal := seal.Token(ss.key, ada)
	var latest string
	for _, c := range ss.site.Clients {
		if c.Slug == ada {
			latest = ss.sessionPage(c, c.Sessions[len(c.Sessions)-1])
		}
	}
	base := browsertest.Serve(t, public)
	shots := browsertest.ArtifactDir(t)
	w.SetViewport(390, 844)

	// The unlock form, typed into with key events; Enter submits.
	w.Navigate(base + portal + "/index.html")
	if st := pageState(w); st != "locked" {
		t.Fatalf("the portal before unlocking: %s, want locked", st)
	}
	w.Screenshot(filepath.Join(shots, "unlock-390.png"))
	w.SendKeys("#unlock-passphrase", sec.Clients[ada]+"\n")
	var st unlockState
	for deadline := time.Now().Add(time.Minute); st.State == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		w.Eval(unlockStateJS, &st)
	}
	if st.State != "unlocked:reader" {
		t.Fatalf("unlocking with the client's passphrase in WebKit: %+v, want unlocked:reader", st)
	}

	// The client's key stays in the tab: the other pages open at once.
	pages := []struct{ name, rel string }{{"portal", portal + "/index.html"}, {"trends", portal + "/trends/index.html"}, {"session", latest}}
	for _, pg := range pages {
		w.Navigate(base + pg.rel)
		if st := pageState(w); st != "unlocked:reader" {
			t.Errorf("%s (%s) after the portal's unlock: %s", pg.name, pg.rel, st)
			continue
		}
		checkWebKitPage(t, w, pg.name)
		if pg.name != "trends" {
			// Area names are not broken inside a word ("Accountabilit" / "y").
			var texts []string
			w.Eval(`[...document.querySelectorAll('.chart-live[id*=arc] svg text')].map(t => t.textContent.trim())`, &texts)
			for _, area := range []string{"Vision", "Service", "Accountability", "Community"} {
				if !slicesContains(texts, area) {
					t.Errorf("%s: the arc chart does not label %q in one piece in WebKit: %q", pg.name, area, texts)
				}
			}
		}
		w.Screenshot(filepath.Join(shots, pg.name+"-390.png"))
		if pg.name == "trends" {
			// The lines, not only their dots: the pixels of the first
			// series' colour (#0072b2) in the drawing. Its dots and legend
			// alone make about 130, with its line about 380.
			var box image.Rectangle
			var r struct{ X, Y, W, H float64 }
			w.Eval(`new Promise(done => {
				const c = document.getElementById('chart_trend_ratings');
				c.scrollIntoView();
				requestAnimationFrame(() => requestAnimationFrame(() => {
					const r = c.getBoundingClientRect();
					done({X: r.x, Y: r.y, W: r.width, H: r.height});
				}));
			})`, &r)
			box = image.Rect(int(r.X), int(r.Y), int(r.X+r.W), int(r.Y+r.H))
			shot := w.ScreenshotPNG()
			writePNG(t, filepath.Join(shots, "trends-ratings-390.png"), shot)
			if n := pixelsNear(t, shot, box, color.RGBA{0x00, 0x72, 0xb2, 0xff}); n < 250 {
				t.Errorf("trends: the ratings chart shows %d pixels of its first line's colour in WebKit, want a line (at least 250)", n)
			} else {
				t.Logf("trends: %d pixels of the first line's colour", n)
			}
		}
		var y int
		w.Eval(`(() => { const c = document.querySelector('.charts'); if (c) c.scrollIntoView(); return Math.round(window.scrollY); })()`, &y)
		w.Screenshot(filepath.Join(shots, pg.name+"-charts-390.png"))
	}

	// The check-in page seals a block with WebKit's ECDH P-256.
	w.Navigate(base + portal + "/check-in/index.html")
	if st := pageState(w); st != "unlocked:reader" {
		t.Fatalf("check-in page: %s", st)
	}
	w.Eval(`(() => {
		for (const el of document.querySelectorAll('#check-in input[type=number]')) if (!el.value) el.value = el.min || '1';
		document.getElementById('ci-reflection').value = 'Seen in WebKit.';
		return true;
	})()`, nil)
	w.Click("#ci-seal")
	var block, status string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && block == ""; time.Sleep(100 * time.Millisecond) {
		w.Eval(`document.querySelector('#ci-result[data-sealed]') ? document.getElementById('ci-block').value : ''`, &block)
	}
	if !strings.HasPrefix(block, "-----BEGIN COACHSITE CHECK-IN-----") {
		w.Eval(`(document.getElementById('ci-status') || {}).textContent || ''`, &status)
		t.Errorf("the check-in page sealed no block in WebKit: %q (status %q)", block, status)
	}
	if strings.Contains(block, "Seen in WebKit") {
		t.Error("the check-in block holds the reflection in clear")
	}
	w.Screenshot(filepath.Join(shots, "check-in-390.png"))
}

// checkWebKitPage asserts, on an unlocked page at 390 px, that every chart
// is drawn and live (ECharts took over from the server's SVG), and the
// page's geometry as TestPhoneGeometry does in Chromium.
func checkWebKitPage(t *testing.T, w *browsertest.WebKit, name string) {
	t.Helper()
	var charts []browsertest.Chart
	var live, total int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		charts = w.ChartsDrawn(".chart")
		w.Eval(`[document.querySelectorAll('.chart.chart-live').length, document.querySelectorAll('.chart').length]`, &[]*int{&live, &total})
		drawn := 0
		for _, c := range charts {
			if c.Drawn {
				drawn++
			}
		}
		if len(charts) > 0 && drawn == len(charts) && live == total {
			break
		}
	}
	if len(charts) == 0 {
		t.Errorf("%s: no chart", name)
	}
	for _, c := range charts {
		if !c.Drawn {
			t.Errorf("%s: chart %q not drawn in WebKit", name, c.ID)
		}
	}
	if live != total {
		t.Errorf("%s: %d of %d charts live in WebKit (ECharts did not take over)", name, live, total)
	}
	// WebDriver cannot ask for reduced motion, so the charts animate:
	// measure once two looks a quarter of a second apart agree.
	g := w.Geometry()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(250 * time.Millisecond)
		next := w.Geometry()
		if reflect.DeepEqual(g, next) {
			break
		}
		g = next
	}
	if g.Viewport != 390 {
		t.Errorf("%s: viewport %d px, want 390", name, g.Viewport)
	}
	assertGeometry(t, name+" in WebKit at 390 px", g)
	for _, c := range w.CrowdedLabels(axisCharts, labelGap) {
		t.Errorf("%s in WebKit at 390 px: labels run together: %s", name, c)
	}
}

// pixelsNear counts the pixels of a PNG inside box within a small
// distance of c.
func pixelsNear(t *testing.T, shot []byte, box image.Rectangle, c color.RGBA) int {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	b := img.Bounds().Intersect(box)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r>>8, c.R) && near(g>>8, c.G) && near(bl>>8, c.B) {
				n++
			}
		}
	}
	return n
}

func near(v uint32, want uint8) bool { d := int(v) - int(want); return d > -24 && d < 24 }

func writePNG(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
