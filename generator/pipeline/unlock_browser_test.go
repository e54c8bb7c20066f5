package pipeline_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/unicode/norm"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/seal"
	"github.com/coachsite/coachsite/internal/browsertest"
)

// unlockSite is an encrypted build of the example site (three clients) with
// the addresses of each client's portal and first session page.
type unlockSite struct {
	public  string
	sec     testSecrets
	clients []*model.Client
	portal  map[string]string // slug -> portal folder
	session map[string]string // slug -> path of its first session page
}

func buildUnlockSite(t *testing.T) unlockSite {
	t.Helper()
	content := privSite(t, privExample(), model.Encrypted)
	sec := writeSecrets(t, content)
	site := loadSite(t, content)
	// One client's passphrase has accents: the browser must normalize what
	// is typed exactly as the build does.
	accented := "Crème-brûlée-" + seal.GeneratePassphrase()
	sec.Clients[site.Clients[1].Slug] = accented
	if err := seal.SetPassphrase(sec.File, seal.RoleClient, site.Clients[1].Slug, accented); err != nil {
		t.Fatal(err)
	}
	key := siteKey(t, sec)
	u := unlockSite{public: privBuild(t, content, sec.File), sec: sec, clients: site.Clients, portal: map[string]string{}, session: map[string]string{}}
	for _, c := range site.Clients {
		u.portal[c.Slug] = seal.Token(key, c.Slug)
		u.session[c.Slug] = u.portal[c.Slug] + "/" + seal.SessionToken(key, c.Slug, c.Sessions[0].Slug) + "/index.html"
	}
	return u
}

func storageKeys(p *browsertest.Page) (session, local []string) {
	var s struct{ Session, Local []string }
	p.Eval(`({Session: Object.keys(sessionStorage).filter(k => k.startsWith('coachsite:')).sort(),
		Local: Object.keys(localStorage).filter(k => k.startsWith('coachsite:')).sort()})`, &s)
	return s.Session, s.Local
}

// TestCoachUnlocksOnce (issue 14): the coach types the passphrase once, on
// the dashboard, and every portal and a page inside each open without
// another prompt, for this tab only unless "remember" is ticked; a client's
// passphrase opens only that client's portal; Lock anywhere forgets
// everything, in every tab.
func TestCoachUnlocksOnce(t *testing.T) {
	u := buildUnlockSite(t)
	root := browsertest.FileURL(u.public, "")
	url := func(rel string) string { return browsertest.FileURL(u.public, rel) }
	b := browsertest.New(t)

	// The dashboard, with the coach's passphrase typed once (with a phone's
	// trailing space).
	p := b.Open(t, url("coach/index.html"))
	if st := unlock(t, p, u.sec.Coach+" ", false); !strings.HasPrefix(st.State, "unlocked:") {
		t.Fatalf("dashboard: %+v", st)
	}
	var links []string
	p.Eval(`[...document.querySelectorAll('main a[href]')].map(a => a.getAttribute('href'))`, &links)
	for _, c := range u.clients {
		if !slicesContainsPrefix(links, "../"+u.portal[c.Slug]+"/") {
			t.Errorf("the dashboard does not link to the portal of %s: %v", c.Slug, links)
		}
	}
	// Every portal, and a session page inside each, in this tab: no prompt,
	// the coach's version.
	for _, c := range u.clients {
		for _, rel := range []string{u.portal[c.Slug] + "/index.html", u.session[c.Slug]} {
			p.Navigate(url(rel))
			if st := pageState(p); st != "unlocked:coach" {
				t.Errorf("%s (%s) after the dashboard's unlock: %s, want unlocked:coach", rel, c.Slug, st)
			}
			if !strings.Contains(mainText(p), c.Name) {
				t.Errorf("%s: the opened page does not name %s", rel, c.Name)
			}
		}
	}
	// What the tab keeps: the coach's key-encryption key and portal keys,
	// never the passphrase; nothing on the device.
	session, local := storageKeys(p)
	if !slicesContains(session, "coachsite:coach") || len(local) != 0 {
		t.Errorf("after the coach's unlock: sessionStorage %v, localStorage %v", session, local)
	}
	var leaked bool
	p.Eval(fmt.Sprintf(`JSON.stringify(Object.assign({}, localStorage, sessionStorage)).includes(%q)`, u.sec.Coach), &leaked)
	if leaked {
		t.Error("the coach's passphrase is in browser storage")
	}
	checkClean(t, p, root)

	// Not remembered: another tab asks again.
	other := b.Open(t, url(u.session[u.clients[2].Slug]))
	if st := pageState(other); st != "locked" {
		t.Errorf("a new tab without remember: %s, want locked", st)
	}

	// A client's passphrase, typed decomposed (NFD) with spaces around it,
	// opens that client's portal only.
	cb := browsertest.New(t)
	c1 := u.clients[1]
	q := cb.Open(t, url(u.session[c1.Slug]))
	if st := unlock(t, q, " "+norm.NFD.String(u.sec.Clients[c1.Slug])+" ", false); st.State != "unlocked:reader" {
		t.Fatalf("client %s's accented passphrase typed in NFD: %+v, want unlocked:reader", c1.Slug, st)
	}
	q.Navigate(url(u.portal[c1.Slug] + "/index.html"))
	if st := pageState(q); st != "unlocked:reader" {
		t.Errorf("the client's own portal page: %s, want unlocked:reader", st)
	}
	for _, rel := range []string{u.portal[u.clients[0].Slug] + "/index.html", u.session[u.clients[2].Slug], "coach/index.html"} {
		q.Navigate(url(rel))
		if st := pageState(q); st != "locked" {
			t.Errorf("client %s's unlock opened %s: %s", c1.Slug, rel, st)
		}
	}
	if s, _ := storageKeys(q); slicesContains(s, "coachsite:coach") {
		t.Errorf("a client's unlock stored a coach key: %v", s)
	}

	// Remembered on the device: a new tab opens any portal at once.
	r := b.Open(t, url(u.portal[u.clients[0].Slug]+"/index.html"))
	if st := unlock(t, r, u.sec.Coach, true); st.State != "unlocked:coach" {
		t.Fatalf("coach with remember: %+v", st)
	}
	if _, local := storageKeys(r); !slicesContains(local, "coachsite:coach") {
		t.Errorf("remember kept no coach key on the device: %v", local)
	}
	r2 := b.Open(t, url(u.session[u.clients[2].Slug]))
	if st := pageState(r2); st != "unlocked:coach" {
		t.Errorf("another client's page in a new tab after remember: %s, want unlocked:coach", st)
	}
	// Lock on a client's page forgets everything, here and in the other
	// tabs (which go back to the form).
	r2.Click("#lock-button")
	if !waitLocked(r2) {
		t.Fatal("not locked after Lock")
	}
	if s, l := storageKeys(r2); len(s)+len(l) != 0 {
		t.Errorf("after Lock: sessionStorage %v, localStorage %v", s, l)
	}
	if !waitLocked(r) {
		t.Error("the other tab did not lock")
	}
	if s, _ := storageKeys(r); len(s) != 0 {
		t.Errorf("the other tab kept %v after Lock", s)
	}
	r3 := b.Open(t, url("coach/index.html"))
	if st := pageState(r3); st != "locked" {
		t.Errorf("the dashboard after Lock: %s, want locked", st)
	}
	checkClean(t, r3, root)
}

// TestRememberOnDevice (issue 9, item 9): a key remembered on the device
// survives moving between pages of the tab (the tab's copy no longer wins
// and deletes it) and opens new tabs; it expires 30 days after the unlock,
// as the form says; the passphrase field has a show/hide toggle and the
// hints password managers need.
func TestRememberOnDevice(t *testing.T) {
	u := buildUnlockSite(t)
	url := func(rel string) string { return browsertest.FileURL(u.public, rel) }
	c := u.clients[0]
	b := browsertest.New(t)
	p := b.Open(t, url(u.session[c.Slug]))

	// The form: the remember text states the expiry; the show toggle is a
	// button with a name, pressed state and the field it controls.
	var form struct {
		Remember, Show, Pressed, Controls, UserAuto, User, PassAuto string
		UserHidden                                                  bool
	}
	p.Eval(`(() => { const s = document.getElementById('unlock-show'), u = document.getElementById('unlock-user');
		return {Remember: document.querySelector('label[for=unlock-remember]').textContent, Show: s.textContent,
			Pressed: s.getAttribute('aria-pressed'), Controls: s.getAttribute('aria-controls'),
			UserAuto: u.getAttribute('autocomplete'), User: u.value, UserHidden: u.hidden,
			PassAuto: document.getElementById('unlock-passphrase').getAttribute('autocomplete')}; })()`, &form)
	if !strings.Contains(form.Remember, "30 days") {
		t.Errorf("the remember label %q does not say how long", form.Remember)
	}
	js, err := os.ReadFile("../../themes/default/assets/js/unlock.js")
	if err != nil || !regexp.MustCompile(`var REMEMBER_DAYS = 30;`).Match(js) {
		t.Errorf("unlock.js does not keep remembered keys for the 30 days the form says: %v", err)
	}
	if form.Show == "" || form.Pressed != "false" || form.Controls != "unlock-passphrase" || form.PassAuto != "current-password" ||
		form.UserAuto != "username" || !form.UserHidden || form.User != u.portal[c.Slug] {
		t.Errorf("form %+v", form)
	}
	p.SetValue("#unlock-passphrase", "typed")
	p.Click("#unlock-show")
	var shown struct{ Type, Pressed string }
	p.Eval(`({Type: document.getElementById('unlock-passphrase').type, Pressed: document.getElementById('unlock-show').getAttribute('aria-pressed')})`, &shown)
	if shown.Type != "text" || shown.Pressed != "true" {
		t.Errorf("after Show: %+v, want text and pressed", shown)
	}
	p.Click("#unlock-show")
	p.Eval(`({Type: document.getElementById('unlock-passphrase').type, Pressed: document.getElementById('unlock-show').getAttribute('aria-pressed')})`, &shown)
	if shown.Type != "password" || shown.Pressed != "false" {
		t.Errorf("after Show twice: %+v, want password and not pressed", shown)
	}
	formGeometry(t, p)

	if st := unlock(t, p, u.sec.Clients[c.Slug], true); st.State != "unlocked:reader" {
		t.Fatalf("unlock with remember: %+v", st)
	}
	id := "coachsite:key:" + u.portal[c.Slug]
	var expiry struct{ E, Now float64 }
	p.Eval(`({E: JSON.parse(localStorage.getItem('`+id+`')).e, Now: Date.now()})`, &expiry)
	if days := (expiry.E - expiry.Now) / 86400e3; days < 29.99 || days > 30.01 {
		t.Errorf("a remembered key expires in %.2f days, want 30", days)
	}
	// The next pages of the tab: the device's copy stays.
	for _, rel := range []string{u.portal[c.Slug] + "/index.html", u.portal[c.Slug] + "/trends/index.html"} {
		p.Navigate(url(rel))
		if st := pageState(p); st != "unlocked:reader" {
			t.Errorf("%s: %s", rel, st)
		}
		if _, local := storageKeys(p); !slicesContains(local, id) {
			t.Fatalf("moving to %s dropped the remembered key (localStorage %v)", rel, local)
		}
	}
	// A new tab opens with it.
	q := b.Open(t, url(u.session[c.Slug]))
	if st := pageState(q); st != "unlocked:reader" {
		t.Errorf("a new tab with a remembered key: %s", st)
	}
	// Expired: forgotten, and a new tab asks again.
	q.Eval(`(() => { const v = JSON.parse(localStorage.getItem('`+id+`')); v.e = Date.now() - 1000;
		localStorage.setItem('`+id+`', JSON.stringify(v)); return true; })()`, nil)
	r := b.Open(t, url(u.portal[c.Slug]+"/index.html"))
	if st := pageState(r); st != "locked" {
		t.Errorf("an expired key opened the page: %s", st)
	}
	if _, local := storageKeys(r); slicesContains(local, id) {
		t.Errorf("the expired key is still stored: %v", local)
	}
}

// formGeometry checks the unlock form at a phone's and a desktop's width:
// the passphrase field and its Show button stay inside the form, the page
// does not scroll sideways, and the button is a comfortable tap target.
func formGeometry(t *testing.T, p *browsertest.Page) {
	t.Helper()
	for _, w := range []int64{360, 1280} {
		if _, err := chromedp.Run(p.Context(), chromedp.EmulateViewport(w, 800)); err != nil {
			t.Fatal(err)
		}
		var g struct {
			Form, Input, Show, Box, Label struct{ Left, Right, Top, Bottom, Height float64 }
			ScrollWidth, ClientWidth      float64
		}
		p.Eval(`(() => { const r = e => { const b = document.querySelector(e).getBoundingClientRect();
			return {Left: b.left, Right: b.right, Top: b.top, Bottom: b.bottom, Height: b.height}; };
			return {Form: r('#unlock'), Input: r('#unlock-passphrase'), Show: r('#unlock-show'),
				Box: r('#unlock-remember'), Label: r('label[for=unlock-remember]'),
				ScrollWidth: document.documentElement.scrollWidth, ClientWidth: document.documentElement.clientWidth}; })()`, &g)
		if g.ScrollWidth > g.ClientWidth {
			t.Errorf("at %d px the page is %v px wide", w, g.ScrollWidth)
		}
		for name, box := range map[string]struct{ Left, Right, Top, Bottom, Height float64 }{"field": g.Input, "show button": g.Show} {
			if box.Left < g.Form.Left || box.Right > g.Form.Right {
				t.Errorf("at %d px the %s (%v–%v) leaves the form (%v–%v)", w, name, box.Left, box.Right, g.Form.Left, g.Form.Right)
			}
		}
		if g.Label.Top > g.Box.Bottom {
			t.Errorf("at %d px the remember label starts below its checkbox (%v > %v)", w, g.Label.Top, g.Box.Bottom)
		}
		if g.Show.Height < 36 {
			t.Errorf("at %d px the show button is %v px tall", w, g.Show.Height)
		}
		if w == 1280 && g.Show.Top >= g.Input.Bottom {
			t.Errorf("at %d px the show button sits below the field, not beside it", w)
		}
		p.Screenshot(browsertest.ArtifactDir(t) + fmt.Sprintf("/unlock-form-%d.png", w))
	}
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func slicesContainsPrefix(list []string, prefix string) bool {
	for _, x := range list {
		if strings.HasPrefix(x, prefix) {
			return true
		}
	}
	return false
}
