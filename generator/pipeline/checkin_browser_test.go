package pipeline_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/generator/seal"
	"github.com/coachsite/coachsite/internal/browsertest"
)

// TestCheckInRoundTrip (issue 13): on an encrypted build of the example
// site, at phone size, Adaeze opens her check-in page from file://, sets
// one area's rating by touch on its arc and the others by keyboard, splits
// her time, closes a commitment with a note, writes a reflection and seals
// it; the block read from the page imports (pipeline.Import) as a draft
// holding what was entered, which then builds with drafts. No request
// leaves the page, every field has a label, and another client's import of
// it is refused. Apart from the touch on the arc, the form is filled and
// sent with the keyboard alone (typing, Space on a radio, Enter on the
// button), and Copy reports success.
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
	secrets, err := seal.LoadSecretsFile(sec.File)
	if err != nil {
		t.Fatal(err)
	}
	portal := seal.Token(seal.NewSiteKey(secrets.SiteSecret), ada)
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

	// Touch: a press and a drag outwards on the first area's arc.
	var got string
	p.Eval(`(() => {
		const svg = document.querySelector('svg.ci-arc'), m = svg.getScreenCTM();
		const cx = +svg.dataset.cx, cy = +svg.dataset.cy, r = +svg.dataset.r;
		const at = (f) => new DOMPoint(cx + 4, cy - r * f).matrixTransform(m);
		const fire = (type, pt) => svg.dispatchEvent(new PointerEvent(type, {bubbles: true, cancelable: true, pointerId: 7, pointerType: 'touch', isPrimary: true, clientX: pt.x, clientY: pt.y}));
		fire('pointerdown', at(0.3));
		fire('pointermove', at(0.6));
		fire('pointermove', at(0.82));
		fire('pointerup', at(0.82));
		return document.getElementById('ci-r-vision').value;
	})()`, &got)
	if got != "8" {
		t.Errorf("after a drag to 0.82 of the radius the vision rating is %q, want 8", got)
	}
	var fill string
	p.Eval(`document.querySelector('svg.ci-arc g[data-area="vision"] .ci-fill').getAttribute('d')`, &fill)
	if fill == "" {
		t.Error("the vision arc was not redrawn")
	}

	// Keyboard: type the other ratings and the time split.
	typeIn := func(sel, v string) {
		var ok bool
		p.Eval(`(() => { const el = document.querySelector(`+strconv.Quote(sel)+`); el.value = ''; return true })()`, &ok)
		p.SendKeys(sel, v)
	}
	typeIn("#ci-r-service", "5")
	typeIn("#ci-r-accountability", "8")
	typeIn("#ci-r-community", "6")
	for k, v := range map[string][2]string{"vision": {"25", "30"}, "service": {"35", "30"}, "accountability": {"20", "20"}, "community": {"20", "20"}} {
		typeIn("#ci-a-"+k, v[0])
		typeIn("#ci-w-"+k, v[1])
	}
	if tot := p.Text("#ci-total-actual"); tot != "100 / 100" {
		t.Errorf("running total %q", tot)
	}
	var ids []string
	p.Eval(`[...document.querySelectorAll('fieldset.ci-commitment')].map(f => f.dataset.id)`, &ids)
	if len(ids) == 0 {
		t.Fatal("no open commitments on the check-in page")
	}
	p.SendKeys("#ci-c-"+ids[0]+"-done", " ") // Space checks a focused radio
	typeIn("#ci-n-"+ids[0], `It happened, "twice"`)
	typeIn("#ci-energizers", "the new shift leads")
	typeIn("#ci-reflection", "I delegated more.")
	p.SendKeys("#ci-seal", "\n") // Enter on the focused button submits
	var block string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && block == ""; time.Sleep(100 * time.Millisecond) {
		p.Eval(`document.querySelector('#ci-result[data-sealed]') ? document.getElementById('ci-block').value : ''`, &block)
	}
	if !strings.HasPrefix(block, "-----BEGIN COACHSITE CHECK-IN-----") {
		t.Fatalf("no block: %q (status %q)", block, p.Text("#ci-status"))
	}
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
