package seal

import (
	"time"

	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/internal/browsertest"
	"github.com/coachsite/coachsite/themes"
)

const unlockJS = "assets/js/unlock.js"

func readUnlockJS(t *testing.T) string {
	t.Helper()
	b, err := fs.ReadFile(themes.Default, unlockJS)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestUnlockJSStatic checks what the browser side may not do and that it
// speaks the same wire format as this package.
func TestUnlockJSStatic(t *testing.T) {
	js := readUnlockJS(t)
	forbidden := map[string]*regexp.Regexp{
		"eval":                    regexp.MustCompile(`\beval\s*\(`),
		"Function constructor":    regexp.MustCompile(`\bFunction\s*\(`),
		"string timer":            regexp.MustCompile(`set(Timeout|Interval)\s*\(\s*['"]`),
		"inline handler":          regexp.MustCompile(`(?i)['"\s]on[a-z]+\s*=`),
		"handler attribute":       regexp.MustCompile(`(?i)setAttribute\(\s*['"]on`),
		"inline style attribute":  regexp.MustCompile(`setAttribute\(\s*['"]style`),
		"javascript: URL":         regexp.MustCompile(`(?i)javascript:`),
		"other host":              regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/`),
		"network request":         regexp.MustCompile(`\b(fetch|XMLHttpRequest|WebSocket|importScripts|sendBeacon)\b`),
		"dynamic import":          regexp.MustCompile(`\bimport\s*\(`),
		"document.write":          regexp.MustCompile(`document\.write`),
		"passphrase kept":         regexp.MustCompile(`setItem\([^)]*pass`),
		"passphrase to a library": regexp.MustCompile(`require\(`),
	}
	for what, re := range forbidden {
		if loc := re.FindStringIndex(js); loc != nil {
			t.Errorf("unlock.js: %s at %q", what, js[loc[0]:min(loc[1]+20, len(js))])
		}
	}
	// The constants of the wire format, as this package writes it.
	for _, want := range []string{
		fmt.Sprintf("var VERSION = %d;", Version),
		fmt.Sprintf("var KDF = '%s';", KDF),
		fmt.Sprintf("var AAD_PAGE = '%s';", aadPage),
		fmt.Sprintf("var AAD_WRAP = '%s';", aadWrap),
		"'" + partMain + "'", "'" + partCoach + "'",
		"var STORE_PREFIX = 'coachsite:key:';",
		"'coachsite:unlocked'", "'coachsite:content'",
		"getElementById('sealed')",
		"autocomplete: 'current-password'",
		"type: 'password'",
		"aria-live",
		".normalize('NFC').trim()",
	} {
		if !strings.Contains(js, want) {
			t.Errorf("unlock.js lacks %q", want)
		}
	}
}

// siteWithUnlockJS returns a new folder holding the theme's unlock.js
// where a site has it, for sealed test pages at its top.
func siteWithUnlockJS(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	js := readUnlockJS(t)
	if err := os.MkdirAll(filepath.Join(dir, "assets", "js"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, unlockJS), []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sealedPage is a sealed page as docs/privacy.md specifies it, under the
// Content-Security-Policy the site uses.
func sealedPage(payload []byte) string {
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'">
<title>Private page</title>
<script src="assets/js/unlock.js" defer></script>
</head>
<body>
<main id="main" data-sealed-root>
<noscript><p>This page is encrypted. Opening it needs JavaScript.</p></noscript>
</main>
<script type="application/json" id="sealed">` + string(payload) + `</script>
</body>
</html>
`
}

// TestUnlockInBrowser opens pages sealed here with unlock.js in headless
// Chromium over file://: a wrong passphrase, the client's, the remembered
// key, Lock, the coach's.
func TestUnlockInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	b := browsertest.New(t)
	dir := siteWithUnlockJS(t)

	k := testKeyring(t, testSecrets(), "")
	main := `<h1>Anna’s portal</h1><p id="note">Client note, ünïcode</p><script type="application/json" class="chart-data" data-chart="c1">{"x":"</scr"}</script>` +
		`<a id="csv" data-sealed-file="ratings" download="ratings.csv">Ratings (CSV)</a><script type="application/json" id="ratings" data-type="text/csv">"date,vision\n2026-01-14,4 \u003c/script\u003e\n"</script>`
	coach := `<h1>Anna’s portal</h1><p id="note">Coach-only: sounded tired</p>`
	data, err := mustSealer(t, k, "anna-berg").SealJSON(testPage, []byte(main), []byte(coach))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "page.html"), []byte(sealedPage(data)), 0o644)
	url := browsertest.FileURL(dir, "page.html")

	p := b.Open(t, url)
	waitFor := func(cond string) {
		t.Helper()
		p.Eval(`new Promise(function (ok) { var n = 0; var id = setInterval(function () {
			if (`+cond+` || ++n > 300) { clearInterval(id); ok(true); } }, 20); })`, nil)
		var ok bool
		p.Eval(cond, &ok)
		if !ok {
			t.Fatalf("timed out waiting for %s", cond)
		}
	}
	waitFor(`document.documentElement.hasAttribute('data-unlock-ready')`)
	var form struct {
		Type, Autocomplete, Label string
		Remember                  bool
	}
	p.Eval(`(function () { var i = document.getElementById('unlock-passphrase');
		return {Type: i.type, Autocomplete: i.autocomplete,
			Label: document.querySelector('label[for=unlock-passphrase]').textContent,
			Remember: document.getElementById('unlock-remember').checked}; })()`, &form)
	if form.Type != "password" || form.Autocomplete != "current-password" || form.Label == "" || form.Remember {
		t.Errorf("form %+v", form)
	}

	// Wrong passphrase, typed and submitted with Enter.
	p.SendKeys("#unlock-passphrase", bobPass+"\n")
	waitFor(`document.getElementById('unlock-status').classList.contains('unlock-error')`)
	if s := p.Text("#unlock-status"); !strings.Contains(s, "does not open") {
		t.Errorf("wrong passphrase status %q", s)
	}
	if strings.Contains(p.Text("main"), "Client note") {
		t.Error("a wrong passphrase revealed the page")
	}

	// The client's passphrase, remembered on this device.
	p.Eval(`document.addEventListener('coachsite:unlocked', function (e) { window.unlocked = e.detail; }); true`, nil)
	p.SetValue("#unlock-passphrase", annaPass+" ")
	p.Click("#unlock-remember")
	p.Click("#unlock-submit")
	waitFor(`document.documentElement.getAttribute('data-unlocked') === 'reader'`)
	if s := p.Text("#note"); s != "Client note, ünïcode" {
		t.Errorf("unlocked note %q", s)
	}
	var ev struct {
		ID    string `json:"id"`
		Coach bool   `json:"coach"`
	}
	p.Eval(`({id: window.unlocked.id, coach: window.unlocked.coach})`, &ev)
	if ev.ID != k.Token("anna-berg") || ev.Coach {
		t.Errorf("coachsite:unlocked detail %+v", ev)
	}
	var chartData string
	p.Eval(`document.querySelector('script.chart-data').textContent`, &chartData)
	if chartData != `{"x":"</scr"}` {
		t.Errorf("chart data block %q", chartData)
	}
	var file struct{ Href, Download string }
	p.Eval(`(function () { var a = document.getElementById('csv');
		return {Href: a.href, Download: a.getAttribute('download')}; })()`, &file)
	if !strings.HasPrefix(file.Href, "blob:") || file.Download != "ratings.csv" {
		t.Errorf("sealed data file link %+v", file)
	}
	var stored string
	p.Eval(`localStorage.getItem('coachsite:key:`+ev.ID+`') || ''`, &stored)
	if stored == "" || strings.Contains(stored, annaPass) || strings.Contains(stored, "anna") {
		t.Errorf("localStorage entry %q", stored)
	}

	// A reload opens with the remembered key; Lock forgets it.
	p.Navigate(url)
	waitFor(`document.documentElement.getAttribute('data-unlocked') === 'reader'`)
	p.Click("#lock-button")
	// Lock reloads the page: wait for the new document, tolerating the
	// evaluations that the navigation interrupts.
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		ready, err := chromedp.Run(p.Context(), chromedp.Evaluate[bool](`document.documentElement.getAttribute('data-unlock-ready') === '' && !document.documentElement.hasAttribute('data-unlocked')`))
		if err == nil && ready {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the page did not come back locked after Lock")
		}
	}
	var left []string
	p.Eval(`Object.keys(localStorage).concat(Object.keys(sessionStorage))`, &left)
	if len(left) != 0 {
		t.Errorf("after Lock, storage holds %v", left)
	}

	// The coach's passphrase opens the coach's version.
	p.SetValue("#unlock-passphrase", coachPass)
	p.Click("#unlock-submit")
	waitFor(`document.documentElement.getAttribute('data-unlocked') === 'coach'`)
	if s := p.Text("#note"); s != "Coach-only: sounded tired" {
		t.Errorf("coach note %q", s)
	}
	p.Eval(`sessionStorage.getItem('coachsite:key:`+ev.ID+`') || ''`, &stored)
	var entry map[string]any
	if err := json.Unmarshal([]byte(stored), &entry); err != nil || entry["c"] == nil {
		t.Errorf("coach's session entry %q: %v", stored, err)
	}

	// The same payload copied into another page of the site (same portal,
	// same keys) does not open there: its page path is bound in.
	os.WriteFile(filepath.Join(dir, "other.html"), []byte(sealedPage(data)), 0o644)
	q := b.Open(t, browsertest.FileURL(dir, "other.html"))
	q.SetValue("#unlock-passphrase", coachPass)
	q.Click("#unlock-submit")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var st struct{ Unlocked, Error bool }
		q.Eval(`({Unlocked: document.documentElement.hasAttribute('data-unlocked'), Error: document.getElementById('unlock-status').classList.contains('unlock-error')})`, &st)
		if st.Unlocked {
			t.Fatal("a payload copied to another page opened there")
		}
		if st.Error {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no answer for the copied payload")
		}
	}

	if v := p.CSPViolations(); len(v) > 0 {
		t.Errorf("CSP violations: %v", v)
	}
	p.AssertNoConsoleErrors(t)
	p.AssertNoOutsideRequests(t, browsertest.FileURL(dir, ""))
}

// TestUnlockAsksOldBrowsersToUpdate: a browser without
// DecompressionStream (older than Safari 16.4) cannot open a format 3
// page; unlock.js says so in the theme's words and disables the form
// rather than failing on the passphrase.
func TestUnlockAsksOldBrowsersToUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	b := browsertest.New(t)
	dir := siteWithUnlockJS(t)
	data, err := mustSealer(t, testKeyring(t, testSecrets(), ""), "anna-berg").SealJSON(testPage, []byte("<h1>Anna</h1>"), nil)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "page.html"), []byte(sealedPage(data)), 0o644)

	p := b.Open(t, "about:blank")
	if _, err := chromedp.Call(p.Context(), page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `delete window.DecompressionStream`}); err != nil {
		t.Fatal(err)
	}
	p.Navigate(browsertest.FileURL(dir, "page.html"))
	var st struct {
		Ready, Status string
		Disabled      bool
	}
	for deadline := time.Now().Add(15 * time.Second); st.Ready == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		p.Eval(`({Ready: document.documentElement.getAttribute('data-unlock-ready') || '',
			Status: document.getElementById('unlock-status').textContent,
			Disabled: document.getElementById('unlock-passphrase').disabled})`, &st)
	}
	if st.Ready != "old" || !strings.Contains(st.Status, "too old") || !st.Disabled {
		t.Errorf("without DecompressionStream: %+v, want data-unlock-ready=old, the update message and a disabled form", st)
	}
	p.Emulate(browsertest.Media{Width: 390, Height: 844})
	p.Screenshot(filepath.Join(browsertest.ArtifactDir(t), "unlock-old-390.png"))
}
