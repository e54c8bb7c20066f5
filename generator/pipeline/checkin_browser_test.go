package pipeline_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/generator/seal"
	"github.com/coachsite/coachsite/internal/browsertest"
)

// TestCheckInRoundTrip (issue 13): on an encrypted build of the example
// site, at phone size, Adaeze opens her check-in page from file://. axe-core
// finds no serious or critical issue at 360 px, light and dark, as the page
// opens, with an error shown, filled in and sealed. A Tab walk from the top
// of the page follows the visual order through the form, reaches every
// control, shows a focus indicator on each and leaves the form after the
// seal button (no trap). On an emulated touch phone a real touch drag on
// the first area's arc and a tap on the second's set the ratings under the
// finger without scrolling the page (the arc's touch-action). The rest is
// filled with the keyboard alone, from the top of the page: Tab, typing,
// arrow keys in a radio group, Enter on the seal button; the interactions
// are counted and the fill timed (logged, not asserted). The block read
// from the page imports (pipeline.Import) as a draft holding what was
// entered, which then builds with drafts. No request leaves the page, every
// field has a label, another client's import of it is refused, and Copy
// reports success.
func TestCheckInRoundTrip(t *testing.T) {
	content := privSite(t, privExample(), model.Encrypted)
	siteYAML, err := os.ReadFile(filepath.Join(content, "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(content, "site.yaml"), append(siteYAML, "\ncoach_email: coach@example.org\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	sec := writeSecrets(t, content)
	public := privBuild(t, content, sec.File)
	const ada = "adaeze-lindqvist-moor"
	portal := seal.Token(siteKey(t, sec), ada)
	page := filepath.Join(public, portal, "check-in", "index.html")
	if b, err := os.ReadFile(page); err != nil || strings.Contains(string(b), "Adaeze") {
		t.Fatalf("the check-in page is missing or names its client in clear: %v", err)
	}

	b := browsertest.New(t)
	p := b.Open(t, browsertest.FileURL(public, portal+"/check-in/index.html"))
	if _, err := chromedp.Run(p.Context(), chromedp.EmulateViewport(360, 780)); err != nil {
		t.Fatal(err)
	}
	if st := unlock(t, p, sec.Clients[ada], false); !strings.HasPrefix(st.State, "unlocked:") {
		t.Fatalf("unlock: %+v", st)
	}
	p.WaitVisible("#check-in")
	axeCheck(t, p, "check-in as it opens", 360, 780)

	// Every input, textarea and output has a label or an accessible name.
	var unlabelled []string
	p.Eval(`[...document.querySelectorAll('#check-in input, #check-in textarea, #ci-block')].filter(el =>
		!(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.id || el.name)`, &unlabelled)
	if len(unlabelled) > 0 {
		t.Errorf("fields with no label: %v", unlabelled)
	}

	// An error state: a time split off 100 and a try to seal show the
	// message and the red totals, which must be readable too.
	p.SendKeys("#ci-a-vision", "1")
	p.SendKeys("#ci-seal", "\n")
	if st := p.Text("#ci-status"); st == "" {
		t.Error("sealing with a time split off 100 shows no message")
	}
	axeCheck(t, p, "check-in with an error", 360, 780)

	// The keyboard walk over the form as it stands: focus order, focus
	// indicators, no trap.
	walk := tabWalk(t, p)
	checkWalk(t, p, walk)

	// From here the client fills the check-in in, timed and counted.
	start := time.Now()
	var taps, keys, chars int

	// Touch, as on a phone: a drag outwards on the first area's arc and a
	// tap on the second's.
	p.EmulatePhone(360, 780)
	var touch struct {
		Action   string
		Scale    [2]int
		ScrollY  float64
		Drag     []browsertest.Point
		Tap      browsertest.Point
		Expected [2]int
	}
	p.Eval(arcTouchJS, &touch)
	if touch.Action != "none" && touch.Action != "pinch-zoom" {
		t.Errorf("the arc's touch-action is %q: a drag on it would scroll the page", touch.Action)
	}
	p.Touch(touch.Drag...)
	p.Touch(touch.Tap)
	taps += 2
	var after struct {
		Vision, Service, Fill string
		ScrollY               float64
		Events                map[string]int
		Touches               int
	}
	p.Eval(`({Vision: document.getElementById('ci-r-vision').value, Service: document.getElementById('ci-r-service').value,
		Fill: document.querySelector('svg.ci-arc g[data-area="vision"] .ci-fill').getAttribute('d') || '',
		ScrollY: scrollY, Events: window.__touchLog, Touches: navigator.maxTouchPoints})`, &after)
	if after.Vision != strconv.Itoa(touch.Expected[0]) || after.Vision != "8" {
		t.Errorf("after a drag to 0.82 of the radius the vision rating is %q, want %d (under the finger)", after.Vision, touch.Expected[0])
	}
	if after.Service != strconv.Itoa(touch.Expected[1]) || after.Service != "5" {
		t.Errorf("after a tap at 0.5 of the radius the service rating is %q, want %d", after.Service, touch.Expected[1])
	}
	if after.Fill == "" {
		t.Error("the vision arc was not redrawn")
	}
	if after.ScrollY != touch.ScrollY {
		t.Errorf("the drag scrolled the page from %v to %v", touch.ScrollY, after.ScrollY)
	}
	if after.Touches < 1 || after.Events["touchstart"] != 2 || after.Events["pointerdown:touch"] != 2 || after.Events["pointermove:touch"] < 2 || after.Events["pointercancel"] != 0 {
		t.Errorf("the touches did not reach the page as real touches: %v (maxTouchPoints %d)", after.Events, after.Touches)
	}

	// The keyboard, from the top of the page: Tab to each field, type
	// (Tab selects a field's old value, so typing replaces it), arrow keys
	// in a radio group, Enter on the seal button.
	var ids []string
	p.Eval(`[...document.querySelectorAll('fieldset.ci-commitment')].map(f => f.dataset.id)`, &ids)
	if len(ids) == 0 {
		t.Fatal("no open commitments on the check-in page")
	}
	fill := map[string]string{
		"ci-r-accountability": "8", "ci-r-community": "6",
		"ci-a-vision": "25", "ci-w-vision": "30", "ci-a-service": "35", "ci-w-service": "30",
		"ci-a-accountability": "20", "ci-w-accountability": "20", "ci-a-community": "20", "ci-w-community": "20",
		"ci-n-" + ids[0]: `It happened, "twice"`,
		"ci-energizers":  "the new shift leads",
		"ci-reflection":  "I delegated more.",
	}
	tabFromTop(p)
	for step := 0; ; step++ {
		if step > 80 {
			t.Fatal("Tab never reached the seal button")
		}
		p.Press(kb.Tab)
		keys++
		var id string
		p.Eval(`document.activeElement ? document.activeElement.id : ''`, &id)
		if v, ok := fill[id]; ok {
			p.Press(v)
			chars += len([]rune(v))
			delete(fill, id)
		}
		if id == "ci-c-"+ids[0]+"-open" {
			p.Press(kb.ArrowUp + kb.ArrowUp) // open → dropped → done
			keys += 2
		}
		if id == "ci-seal" {
			break
		}
	}
	if len(fill) > 0 {
		t.Errorf("Tab never reached %v", fill)
	}
	if tot := p.Text("#ci-total-actual"); tot != "100 / 100" {
		t.Errorf("running total %q", tot)
	}
	var checked bool
	p.Eval(`document.getElementById('ci-c-`+ids[0]+`-done').checked`, &checked)
	if !checked {
		t.Error("the arrow keys did not mark the commitment done")
	}
	elapsed := time.Since(start)
	axeCheck(t, p, "check-in filled in", 360, 780)
	p.Eval(`document.getElementById('ci-seal').focus()`, nil) // axe leaves the focus where it was; this only makes sure
	start = time.Now()
	p.Press("\r") // Enter on the focused button submits
	keys++
	var block string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && block == ""; time.Sleep(100 * time.Millisecond) {
		p.Eval(`document.querySelector('#ci-result[data-sealed]') ? document.getElementById('ci-block').value : ''`, &block)
	}
	if !strings.HasPrefix(block, "-----BEGIN COACHSITE CHECK-IN-----") {
		t.Fatalf("no block: %q (status %q)", block, p.Text("#ci-status"))
	}
	elapsed += time.Since(start)
	t.Logf("a complete check-in: %d touches, %d key presses (Tab, arrows, Enter) and %d typed characters; the scripted fill took %v",
		taps, keys, chars, elapsed.Round(time.Millisecond))
	axeCheck(t, p, "check-in sealed", 360, 780)
	for _, name := range []string{"Adaeze", "adaeze", "vision", "delegated"} {
		if strings.Contains(block, name) {
			t.Errorf("the block holds %q in clear", name)
		}
	}
	p.SendKeys("#ci-copy", " ")
	var copied string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && copied == ""; time.Sleep(100 * time.Millisecond) {
		copied = p.Text("#ci-status")
		if copied != "Copied." {
			copied = ""
		}
	}
	if copied == "" {
		t.Errorf("Copy: the status reads %q, want Copied.", p.Text("#ci-status"))
	}
	var links struct{ Mail, Download string }
	p.Eval(`({Mail: (document.getElementById('ci-mail') || {}).href || '', Download: document.getElementById('ci-download').href})`, &links)
	if !strings.HasPrefix(links.Mail, "mailto:coach@example.org?subject=") || !strings.Contains(links.Mail, "BEGIN%20COACHSITE%20CHECK-IN") {
		t.Errorf("mail link %q, want mailto: the coach with the block as its body", links.Mail)
	}
	if !strings.HasPrefix(links.Download, "blob:") {
		t.Errorf("download link %q, want a blob: URL", links.Download)
	}
	p.AssertNoOutsideRequests(t, browsertest.FileURL(public, ""))
	p.AssertNoConsoleErrors(t)
	if v := p.CSPViolations(); len(v) > 0 {
		t.Errorf("CSP violations: %v", v)
	}
	for _, r := range p.Requests() {
		if !strings.HasPrefix(r, "file://") && !strings.HasPrefix(r, "blob:") && !strings.HasPrefix(r, "data:") {
			t.Errorf("a request left the page: %s", r)
		}
	}

	o := pipeline.ImportOptions{Options: pipeline.Options{Content: content, Secrets: sec.File, Environ: []string{}}}
	o.Client = "ruth-halloway-senna"
	if _, err := pipeline.Import(o, block); err == nil || !strings.Contains(err.Error(), "another client's portal") {
		t.Errorf("imported into another client: %v", err)
	}
	o.Client = ada
	imp, err := pipeline.Import(o, block)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, imp.Text)
	}
	draft, _ := os.ReadFile(imp.Path)
	for _, w := range []string{
		"ratings:\n  vision: 8\n  service: 5\n  accountability: 8\n  community: 6\n",
		"  vision: {actual: 25, wished: 30}\n  service: {actual: 35, wished: 30}\n  accountability: {actual: 20, wished: 20}\n  community: {actual: 20, wished: 20}\n",
		"  - {id: " + ids[0] + ", status: done}\n",
		"energizers:\n  - \"the new shift leads\"\n",
		"draft: true",
		"- " + ids[0] + ": It happened, \"twice\"\n",
		"> I delegated more.\n",
	} {
		if !strings.Contains(string(draft), w) {
			t.Errorf("the draft lacks %q:\n%s", w, draft)
		}
	}
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: filepath.Join(t.TempDir(), "out"), Drafts: true, Secrets: sec.File, Environ: []string{}}); err != nil {
		t.Errorf("the draft does not build: %v", err)
	}
	p.Screenshot(filepath.Join(os.TempDir(), "checkin-phone.png"))
}
