package pipeline_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/seal"
	"github.com/coachsite/coachsite/internal/browsertest"
)

// TestPhoneProfile measures, on a phone profile, how long a client waits
// for the charts of a sealed page: it is a measurement, not a pass/fail
// test, and runs only when COACHSITE_PHONE_PROFILE is set (to the number of
// runs per page, e.g. 7; docs/testing.md):
//
//	COACHSITE_PHONE_PROFILE=7 go test ./generator/pipeline -run TestPhoneProfile -v
//
// It builds the example site encrypted, serves public/ on 127.0.0.1 with
// gzip as static hosts serve it, and opens the portal, the latest session
// and the trends page of the eight-area client, each run in a fresh
// browser profile (first visit, empty cache) with Chromium's CDP
// throttling: CPU 4× slower, 1.6 Mbit/s down, 750 kbit/s up, 150 ms round
// trip, and a 390 × 844 viewport. The passphrase is typed as soon as the
// form is ready. It reports, per page, the median and slowest of:
// form ready (from navigation start), every chart drawn (the server's
// inline SVG or the live chart) and every chart live (ECharts), both counted
// as if the passphrase were typed the moment the form was ready.
//
// Then the way a client goes on: with the portal unlocked in the tab, a
// link to the session page and to the trends page (the keys are in the
// tab, the theme's files in the cache); these rows count from the click.
func TestPhoneProfile(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("COACHSITE_PHONE_PROFILE"))
	if runs <= 0 {
		t.Skip("a measurement: set COACHSITE_PHONE_PROFILE=<runs per page> to run it")
	}
	ss := buildSealedExample(t)
	sec, public := ss.sec, ss.public
	var client *model.Client
	for _, c := range ss.site.Clients {
		if len(c.Areas) == 8 {
			client = c
		}
	}
	if client == nil {
		t.Fatal("the example site has no eight-area client")
	}
	portal := seal.Token(ss.key, client.Slug)
	last := client.Sessions[len(client.Sessions)-1]
	pages := []struct{ name, rel string }{
		{"portal", portal + "/index.html"},
		{"session", ss.sessionPage(client, last)},
		{"trends", portal + "/trends/index.html"},
	}
	srv := httptest.NewServer(gzipFiles(public))
	defer srv.Close()

	var report strings.Builder
	fmt.Fprintf(&report, "phone profile (CPU 4×, 1.6 Mbit/s, 150 ms RTT, gzip), %d runs per page, ms: median / slowest (every run)\n", runs)
	for _, pg := range pages {
		var ready, open, drawn, live []float64
		for i := 0; i < runs; i++ {
			r := measure(t, func(t *testing.T) profileRun {
				return measureSealed(t, srv.URL+"/"+pg.rel, sec.Clients[client.Slug])
			})
			ready, open, drawn, live = append(ready, r.Ready), append(open, r.Open), append(drawn, r.Drawn), append(live, r.Live)
		}
		fmt.Fprintf(&report, "  %-8s form ready %s\n           page open %s\n           charts drawn %s\n           charts live %s\n", pg.name, stat(ready), stat(open), stat(drawn), stat(live))
	}
	for _, pg := range pages[1:] {
		var drawn, live []float64
		for i := 0; i < runs; i++ {
			r := measure(t, func(t *testing.T) profileRun {
				return measureOnward(t, srv.URL+"/"+pages[0].rel, srv.URL+"/"+pg.rel, sec.Clients[client.Slug])
			})
			drawn, live = append(drawn, r.Drawn), append(live, r.Live)
		}
		fmt.Fprintf(&report, "  %-8s from the unlocked portal: charts drawn %s · charts live %s\n", pg.name, stat(drawn), stat(live))
	}
	t.Log("\n" + report.String())
	if out := os.Getenv("COACHSITE_ARTIFACTS"); out != "" {
		os.MkdirAll(out, 0o755)
		os.WriteFile(filepath.Join(out, "phone-profile.txt"), []byte(report.String()), 0o644)
	}
}

// measure runs one measurement in a subtest of its own, so that its
// browser is closed when it ends: a browser left open keeps a throttled
// page running and slows every later run.
func measure(t *testing.T, run func(t *testing.T) profileRun) profileRun {
	var r profileRun
	if !t.Run("run", func(t *testing.T) { r = run(t) }) {
		t.FailNow()
	}
	return r
}

// stat gives the median and the slowest of xs, then every value in the
// order measured: the spread of a set shows how noisy the machine was.
func stat(xs []float64) string {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	all := make([]string, len(xs))
	for i, x := range xs {
		all[i] = strconv.FormatFloat(x, 'f', 0, 64)
	}
	return fmt.Sprintf("%4.0f / %4.0f (%s)", s[len(s)/2], s[len(s)-1], strings.Join(all, " "))
}

type profileRun struct{ Ready, Open, Drawn, Live float64 }

// recordJS runs before any script of the page: it notes, in ms since
// navigation start, when the unlock form is ready, and polls (every 20 ms)
// until every chart container holds a drawn SVG and until every one is live.
// It also looks in every animation frame after content arrives, as the
// frame is painted: a long script that runs right after the paint (ECharts
// starting) would otherwise hold the 20 ms poll back and count the
// drawing late.
const recordJS = `(() => {
  const m = window.__phone = {ready: 0, submit: 0, open: 0, drawn: 0, live: 0};
  document.addEventListener('coachsite:content', () => { if (!m.open) m.open = performance.now(); }, true);
  const drawn = c => [...c.querySelectorAll('svg')].some(s => s.getBoundingClientRect().width > 0 && s.querySelector('path,rect,circle,line,polyline,text'));
  const poll = () => {
    const de = document.documentElement;
    if (!m.ready && de && de.getAttribute('data-unlock-ready') === '') m.ready = performance.now();
    const cs = document.querySelectorAll('main .chart');
    if ((m.submit || (de && de.hasAttribute('data-unlocked'))) && cs.length) {
      if (!m.drawn && [...cs].every(drawn)) m.drawn = performance.now();
      if (!m.live && [...cs].every(c => c.classList.contains('chart-live') && drawn(c))) m.live = performance.now();
    }
    if (!m.live) setTimeout(poll, 20);
  };
  poll();
  const frame = () => {
    const cs = document.querySelectorAll('main .chart');
    if (!m.drawn && cs.length && [...cs].every(drawn)) m.drawn = performance.now();
    if (!m.drawn) requestAnimationFrame(frame);
  };
  document.addEventListener('coachsite:content', () => requestAnimationFrame(frame), true);
})()`

func measureSealed(t *testing.T, url, passphrase string) profileRun {
	t.Helper()
	return unlockThrottled(t, throttledPage(t), url, passphrase)
}

// measureOnward unlocks the portal at portalURL, then follows a link to
// url in the same tab, and returns when that page's charts were drawn and
// live, counted from the click.
func measureOnward(t *testing.T, portalURL, url, passphrase string) profileRun {
	t.Helper()
	ctx := throttledPage(t)
	unlockThrottled(t, ctx, portalURL, passphrase)
	time.Sleep(3 * time.Second) // a reader looks at the portal before following a link
	lctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	// A click on a link: the new page's clock starts at the click.
	if _, err := chromedp.Run(lctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const a = document.createElement('a'); a.href = %q; document.querySelector('main').append(a); a.click(); return true })()`, url))); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	m := pollPhone(t, ctx, url, func(m phoneMarks) bool {
		return strings.TrimSuffix(m.Href, "index.html") == strings.TrimSuffix(url, "index.html") && m.Live > 0
	})
	return profileRun{Drawn: m.Drawn, Live: m.Live}
}

// phoneMarks are recordJS's marks, in ms since the navigation started.
type phoneMarks struct {
	Href                             string // the page's address
	Ready, Submit, Open, Drawn, Live float64
}

// pollPhone reads recordJS's marks until done says they are complete.
func pollPhone(t *testing.T, ctx context.Context, url string, done func(phoneMarks) bool) phoneMarks {
	t.Helper()
	var m phoneMarks
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		pctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		raw, err := chromedp.Run(pctx, chromedp.Evaluate[[]byte](`window.__phone ? ({Href: location.href, Ready: __phone.ready, Submit: __phone.submit, Open: __phone.open, Drawn: __phone.drawn, Live: __phone.live}) : {}`))
		cancel()
		if err == nil {
			m = phoneMarks{}
			json.Unmarshal(raw, &m)
		}
		if done(m) {
			return m
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: gave up waiting: %+v", url, m)
	return m
}

// throttledPage opens a blank page in a fresh browser profile (first visit,
// empty cache) with the phone profile's throttling and recordJS.
func throttledPage(t *testing.T) context.Context {
	t.Helper()
	b := browsertest.New(t)
	p := b.Open(t, "about:blank")
	ctx := p.Context()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordJS}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4}); err != nil {
		t.Fatal(err)
	}
	cond := network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: []*network.Conditions{
		{Latency: 150, DownloadThroughput: 1.6e6 / 8, UploadThroughput: 750e3 / 8},
	}}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, cond); err != nil {
		t.Fatal(err)
	}
	p.Emulate(browsertest.Media{Width: 390, Height: 844})
	return ctx
}

// unlockThrottled opens url in ctx, types the passphrase when the form is
// ready and returns when every chart is live.
func unlockThrottled(t *testing.T, ctx context.Context, url, passphrase string) profileRun {
	t.Helper()
	// A throttled page on a busy machine may take long: every step here
	// has a limit of its own, longer than the harness's.
	long := func(a chromedp.Action[chromedp.Void]) {
		lctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		if err := chromedp.Do(lctx, a); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
	}
	lctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	if _, err := chromedp.Call(lctx, page.Navigate, page.NavigateParams{URL: url}); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	cancel()
	m := pollPhone(t, ctx, url, func(m phoneMarks) bool { return m.Ready > 0 })
	long(chromedp.SetValue(chromedp.CSS("#unlock-passphrase"), passphrase))
	sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	if _, err := chromedp.Run(sctx, chromedp.Evaluate[[]byte](`window.__phone.submit = performance.now(), true`)); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	cancel()
	long(chromedp.SendKeys(chromedp.CSS("#unlock-passphrase"), "\n"))
	m = pollPhone(t, ctx, url, func(m phoneMarks) bool { return m.Live > 0 })
	if m.Live == 0 || m.Ready == 0 {
		t.Fatalf("%s: charts not live within a minute: %+v", url, m)
	}
	return profileRun{Ready: m.Ready, Open: m.Ready + m.Open - m.Submit, Drawn: m.Ready + m.Drawn - m.Submit, Live: m.Ready + m.Live - m.Submit}
}

// gzipFiles serves dir's files as a static host does: text types gzipped
// when the browser accepts it, with their media type.
func gzipFiles(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ext := filepath.Ext(r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/") {
			ext = ".html"
		}
		typ := mime.TypeByExtension(ext)
		text := strings.HasPrefix(typ, "text/") || strings.Contains(typ, "javascript") || strings.Contains(typ, "json") || strings.Contains(typ, "svg")
		if !text || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			files.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Vary", "Accept-Encoding")
		gz := gzip.NewWriter(w)
		defer gz.Close()
		files.ServeHTTP(gzipWriter{ResponseWriter: w, gz: gz}, r)
	})
}

type gzipWriter struct {
	http.ResponseWriter
	gz *gzip.Writer
}

func (g gzipWriter) Write(b []byte) (int, error) { return g.gz.Write(b) }

func (g gzipWriter) WriteHeader(code int) {
	g.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
}
