package pipeline_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/generator/seal"
	"github.com/coachsite/coachsite/internal/browsertest"
)

// unlockStateJS tells, without waiting, whether the page is unlocked, or
// locked with a status message and the form no longer busy; "" while an
// unlock is under way (each try is a PBKDF2 of 600,000 iterations, which on
// a loaded machine takes longer than one browser action may).
const unlockStateJS = `(() => {
  const html = document.documentElement;
  const st = document.getElementById('unlock-status');
  const form = document.getElementById('unlock');
  const busy = form && form.getAttribute('aria-busy') === 'true';
  if (html.hasAttribute('data-unlocked')) return {state: 'unlocked:' + html.getAttribute('data-unlocked'), status: ''};
  if (st && st.textContent && !busy && html.hasAttribute('data-locked')) return {state: 'locked', status: st.textContent};
  return {state: '', status: ''};
})()`

// formStateJS tells, without waiting, whether unlock.js has looked at the
// page: open (a remembered key), waiting for a passphrase, or "".
const formStateJS = `(() => {
  const html = document.documentElement;
  if (html.hasAttribute('data-unlocked')) return 'unlocked:' + html.getAttribute('data-unlocked');
  if (html.hasAttribute('data-locked') && html.getAttribute('data-unlock-ready') === '') return 'locked';
  if (html.hasAttribute('data-unlock-ready') && html.getAttribute('data-unlock-ready') !== '') return 'ready:' + html.getAttribute('data-unlock-ready');
  return '';
})()`

type unlockState struct {
	State, Status string
}

func mainText(p *browsertest.Page) string {
	var s string
	p.Eval(`document.querySelector('main').textContent`, &s)
	return s
}

// driver is what the unlock helpers need of a browser page: a Chromium
// [browsertest.Page] or a [browsertest.WebKit] window.
type driver interface {
	Eval(js string, out any)
	Click(sel string)
	SetValue(sel, value string)
	SendKeys(sel, text string)
}

// unlock types a passphrase into the form (ticking "remember" when asked)
// and waits (up to a minute) for the outcome.
func unlock(t *testing.T, p driver, passphrase string, remember bool) unlockState {
	t.Helper()
	if st := pageState(p); st != "locked" {
		t.Fatalf("before unlocking: state %s, want locked", st)
	}
	if remember {
		p.Click("#unlock-remember")
	}
	p.SetValue("#unlock-passphrase", passphrase)
	p.SendKeys("#unlock-passphrase", "\n") // Enter submits: keyboard only
	var st unlockState
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if p.Eval(unlockStateJS, &st); st.State != "" {
			return st
		}
	}
	return unlockState{State: "timeout"}
}

// pageState waits (up to 30 s) until unlock.js has looked at the page: it
// is either open (a remembered key) or waiting for a passphrase.
func pageState(p driver) string {
	var s string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if p.Eval(formStateJS, &s); s != "" {
			return s
		}
	}
	return "timeout"
}

// checkClean asserts no console error, outside request or dialog.
func checkClean(t *testing.T, p *browsertest.Page, root string) {
	t.Helper()
	for _, e := range p.ConsoleErrors() {
		t.Errorf("console error: %s", e)
	}
	p.AssertNoOutsideRequests(t, root)
	p.AssertNoDialogs(t)
}

// TestEncryptedInBrowser unlocks an encrypted build of the example site in
// Chromium, from file:// and over HTTP: the client's passphrase shows the
// page and its charts without private notes, the coach's shows the notes,
// a wrong one reveals nothing, "remember" carries a key to a new tab and
// "lock" forgets it. It keeps the number of unlocks small: each costs a
// PBKDF2 of 600,000 iterations in the browser.
func TestEncryptedInBrowser(t *testing.T) {
	ss := buildSealedExample(t)
	sec, public, site := ss.sec, ss.public, ss.site
	// A client with a session holding private notes.
	client, sess := firstPrivate(t, site)
	portal := seal.Token(ss.key, client.Slug)
	sessionPage := ss.sessionPage(client, sess)
	private := privateLines(t, sess.Path, 20)
	root := browsertest.FileURL(public, "")
	pass := sec.Clients[client.Slug]

	t.Run("wrong passphrase", func(t *testing.T) {
		p := browsertest.New(t).Open(t, browsertest.FileURL(public, sessionPage))
		st := unlock(t, p, "not-the-right-words-at-all-here", false)
		if st.State != "locked" || !strings.Contains(st.Status, "does not open") {
			t.Errorf("wrong passphrase: %+v, want locked with a message", st)
		}
		var invalid string
		p.Eval(`document.getElementById('unlock-passphrase').getAttribute('aria-invalid') || ''`, &invalid)
		if invalid != "true" {
			t.Errorf("aria-invalid = %q after a wrong passphrase", invalid)
		}
		if txt := mainText(p); strings.Contains(txt, sess.Title) || strings.Contains(txt, client.Name) {
			t.Errorf("a wrong passphrase revealed the page: %.200q", txt)
		}
		checkClean(t, p, root)
	})

	t.Run("client, remember and lock", func(t *testing.T) {
		b := browsertest.New(t)
		p := b.Open(t, browsertest.FileURL(public, sessionPage))
		if st := unlock(t, p, pass, false); st.State != "unlocked:reader" {
			t.Fatalf("client's passphrase: %+v, want unlocked:reader", st)
		}
		txt := mainText(p)
		if !strings.Contains(txt, sess.Title) {
			t.Errorf("the unlocked page lacks its title %q", sess.Title)
		}
		for _, l := range private {
			if strings.Contains(txt, l) {
				t.Errorf("the client sees a private note: %q", l)
			}
		}
		assertChartsIfAny(t, p)
		checkClean(t, p, root)

		// The same tab keeps the key: the portal opens without asking.
		p.Navigate(browsertest.FileURL(public, portal+"/index.html"))
		if st := pageState(p); st != "unlocked:reader" {
			t.Errorf("next page in the same tab: %s, want unlocked:reader", st)
		}
		assertChartsIfAny(t, p)

		// The data export opens with the same key; its links become
		// downloads of blob: URLs.
		p.Navigate(browsertest.FileURL(public, portal+"/data/index.html"))
		if st := pageState(p); st != "unlocked:reader" {
			t.Errorf("data page in the same tab: %s, want unlocked:reader", st)
		}
		var hrefs []string
		p.Eval(`[...document.querySelectorAll('a[data-sealed-file]')].map(a => a.href)`, &hrefs)
		if len(hrefs) == 0 {
			t.Errorf("the data page has no download")
		}
		for _, h := range hrefs {
			if !strings.HasPrefix(h, "blob:") {
				t.Errorf("download link %q is not a blob: URL", h)
			}
		}

		// Not remembered: a new tab asks. Remembered: the next tab opens.
		p2 := b.Open(t, browsertest.FileURL(public, portal+"/trends/index.html"))
		if st := unlock(t, p2, pass, true); st.State != "unlocked:reader" {
			t.Fatalf("unlock with remember: %+v", st)
		}
		var stored bool
		p2.Eval(`Object.keys(localStorage).some(k => k.startsWith('coachsite:key:'))`, &stored)
		if !stored {
			t.Errorf("remember kept no key in localStorage")
		}
		var leaked bool
		p2.Eval(fmt.Sprintf(`JSON.stringify(Object.assign({}, localStorage, sessionStorage)).includes(%q)`, pass), &leaked)
		if leaked {
			t.Errorf("the passphrase itself is in browser storage")
		}
		p3 := b.Open(t, browsertest.FileURL(public, portal+"/index.html"))
		if st := pageState(p3); st != "unlocked:reader" {
			t.Fatalf("remembered key in a new tab: %s, want unlocked:reader", st)
		}
		// Lock forgets it here and on the device.
		p3.Click("#lock-button")
		if !waitLocked(p3) {
			t.Errorf("the page is not locked after Lock")
		}
		p4 := b.Open(t, browsertest.FileURL(public, portal+"/index.html"))
		if st := pageState(p4); st != "locked" {
			t.Errorf("new tab after lock: %s, want locked", st)
		}
		checkClean(t, p4, root)
	})

	t.Run("coach over http", func(t *testing.T) {
		base := browsertest.Serve(t, public)
		b := browsertest.New(t)
		p := b.Open(t, base+sessionPage)
		if st := unlock(t, p, sec.Coach, false); st.State != "unlocked:coach" {
			t.Fatalf("coach's passphrase: %+v, want unlocked:coach", st)
		}
		txt := mainText(p)
		for _, l := range private {
			if !strings.Contains(txt, l) {
				t.Errorf("the coach does not see the private note %q", l)
			}
		}
		assertChartsIfAny(t, p)
		checkClean(t, p, base)

		// The dashboard: every client, their latest session, overdue counts
		// filled in by the browser.
		d := b.Open(t, base+"coach/index.html")
		if st := unlock(t, d, sec.Coach, false); st.State != "unlocked:reader" && st.State != "unlocked:coach" {
			t.Fatalf("dashboard: %+v", st)
		}
		txt = mainText(d)
		for _, c := range site.Clients {
			if !strings.Contains(txt, c.Name) {
				t.Errorf("dashboard lacks %s", c.Name)
			}
		}
		var counts []string
		d.Eval(`[...document.querySelectorAll('[data-dues]')].map(e => e.textContent.trim())`, &counts)
		if len(counts) != len(site.Clients) {
			t.Errorf("dashboard has %d overdue cells for %d clients", len(counts), len(site.Clients))
		}
		for _, c := range counts {
			if strings.Trim(c, "0123456789") != "" || c == "" {
				t.Errorf("overdue cell %q is not a count", c)
			}
		}
		checkClean(t, d, base)
	})
}

// waitLocked waits up to 10 s for the page to show the form again: Lock
// reloads it, so evaluation may fail while the new document loads.
func waitLocked(p *browsertest.Page) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		locked, err := chromedp.Run(p.Context(), chromedp.Evaluate[bool](`document.documentElement.hasAttribute('data-locked') && document.documentElement.getAttribute('data-unlock-ready') === '' && !!document.getElementById('unlock-passphrase')`))
		if err == nil && locked {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// assertChartsIfAny checks the charts of an unlocked page, when it has any
// (charts are drawn by charts.js on the coachsite:content event).
func assertChartsIfAny(t *testing.T, p *browsertest.Page) {
	t.Helper()
	var n int
	p.Eval(`document.querySelectorAll('main .chart').length`, &n)
	t.Logf("%d charts on the unlocked page", n)
	if n > 0 {
		p.AssertChartsDrawn(t, "main .chart")
	}
}
