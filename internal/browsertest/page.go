package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Page is one browser tab opened by [Browser.Open]. From the moment the tab
// exists it records every request, console message, uncaught exception and
// JavaScript dialog; dialogs are dismissed at once so that they never block
// the page. The helpers fail the test given to Open when an action fails or
// takes more than ten seconds.
type Page struct {
	t      testing.TB
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	requests []string
	failed   []string
	messages []Message
	dialogs  []string
	inflight map[network.RequestID]string
	lastNet  time.Time

	dialogWake chan struct{} // wakes dismissDialogs
}

// Message is one console message, browser log entry or uncaught exception of
// a page.
type Message struct {
	// Level is "error", "warning", "info", "log" or "debug"; an uncaught
	// exception has level "error".
	Level string
	// Source is what produced the message: "console" for the console API,
	// "exception" for an uncaught exception, or the browser log's source such
	// as "network", "security" or "javascript".
	Source string
	Text   string
	URL    string
	Line   int64
}

// String formats the message as "level [source] text (url:line)".
func (m Message) String() string {
	s := m.Level + " [" + m.Source + "] " + m.Text
	if m.URL != "" {
		s += fmt.Sprintf(" (%s:%d)", m.URL, m.Line+1)
	}
	return s
}

// Open opens url in a new tab of the browser, waits for the load event and
// then for the network to be quiet (no request in flight for 250 ms, waiting
// at most 5 s; a server-sent-events or WebSocket stream, which stays open,
// is not waited for), and returns the page. The tab closes when t ends; if t failed
// and COACHSITE_ARTIFACTS is set, a screenshot of it is kept there first.
func (b *Browser) Open(t testing.TB, url string) *Page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.proc.ctx, chromedp.WithExistingBrowserContext(b.id))
	p := &Page{t: t, ctx: ctx, cancel: cancel, inflight: map[network.RequestID]string{}, dialogWake: make(chan struct{}, 1)}
	t.Cleanup(p.close)

	// Listen creates the tab; guard it, as a wedged browser would block it.
	done := make(chan error, 1)
	go func() { done <- chromedp.Listen(ctx, p.record) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("browsertest: opening a tab: %v", err)
		}
	case <-time.After(actionTimeout):
		cancel()
		t.Fatalf("browsertest: opening a tab: no answer within %v", actionTimeout)
	}
	go p.dismissDialogs()
	p.Navigate(url)
	return p
}

// Navigate loads url in the page's tab, as Open does. What the page recorded
// so far is kept.
func (p *Page) Navigate(url string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, visitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		p.t.Fatalf("browsertest: loading %s: %v", url, err)
	}
	p.waitNetworkIdle(ctx)
}

// waitNetworkIdle waits until no request has been in flight for idleQuiet, or
// gives up after idleMaxWait and logs what is still pending.
func (p *Page) waitNetworkIdle(ctx context.Context) {
	p.t.Helper()
	giveUp := time.Now().Add(idleMaxWait)
	for {
		p.mu.Lock()
		n, quiet := len(p.inflight), time.Since(p.lastNet)
		pending := make([]string, 0, n)
		for _, u := range p.inflight {
			pending = append(pending, u)
		}
		p.mu.Unlock()
		if n == 0 && quiet >= idleQuiet {
			return
		}
		if time.Now().After(giveUp) || ctx.Err() != nil {
			sort.Strings(pending)
			p.t.Logf("browsertest: network still busy after %v: %v", idleMaxWait, pending)
			return
		}
		time.Sleep(pollInterval)
	}
}

// record keeps the events the assertions need. It runs in the tab's message
// loop, so it must return fast and send no command.
func (p *Page) record(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, ev.Request.URL)
		if !streaming(ev.Type, "") {
			p.inflight[ev.RequestID] = ev.Request.URL
			p.lastNet = time.Now()
		}
	case *network.EventResponseReceived:
		// A stream (server-sent events) never finishes loading: once its
		// answer has come, the network is as quiet as it will get.
		if ev.Response != nil && streaming(ev.Type, ev.Response.MimeType) {
			if _, ok := p.inflight[ev.RequestID]; ok {
				delete(p.inflight, ev.RequestID)
				p.lastNet = time.Now()
			}
		}
	case *network.EventWebSocketCreated:
		p.requests = append(p.requests, ev.URL)
	case *network.EventLoadingFinished:
		delete(p.inflight, ev.RequestID)
		p.lastNet = time.Now()
	case *network.EventLoadingFailed:
		reason := ev.ErrorText
		if ev.BlockedReason != "" {
			reason += " (blocked: " + string(ev.BlockedReason) + ")"
		}
		p.failed = append(p.failed, p.inflight[ev.RequestID]+": "+reason)
		delete(p.inflight, ev.RequestID)
		p.lastNet = time.Now()
	case *runtime.EventConsoleAPICalled:
		m := Message{Level: consoleLevel(ev.Type), Source: "console", Text: argsText(ev.Args)}
		if st := ev.StackTrace; st != nil && len(st.CallFrames) > 0 {
			m.URL, m.Line = st.CallFrames[0].URL, st.CallFrames[0].LineNumber
		}
		p.messages = append(p.messages, m)
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			desc, _, _ := strings.Cut(d.Exception.Description, "\n")
			text += " " + desc
		}
		p.messages = append(p.messages, Message{Level: "error", Source: "exception", Text: text, URL: d.URL, Line: d.LineNumber})
	case *log.EventEntryAdded:
		e := ev.Entry
		level := string(e.Level)
		if e.Level == log.EntryLevelVerbose {
			level = "debug"
		}
		p.messages = append(p.messages, Message{Level: level, Source: string(e.Source), Text: e.Text, URL: e.URL, Line: e.LineNumber})
	case *page.EventJavascriptDialogOpening:
		p.dialogs = append(p.dialogs, string(ev.Type)+": "+ev.Message)
		select {
		case p.dialogWake <- struct{}{}:
		default: // a dismissal is already queued; it will handle this one too
		}
	}
}

// streaming reports whether a request of resource type typ, or a response
// of media type mime ("" when not known yet), is a long-lived stream —
// server-sent events or a WebSocket — which the quiet-network wait must not
// wait for, as it never finishes while the page is open.
func streaming(typ network.ResourceType, mime string) bool {
	switch typ {
	case network.ResourceTypeEventSource, network.ResourceTypeWebSocket:
		return true
	}
	return strings.EqualFold(strings.TrimSpace(mime), "text/event-stream")
}

// dismissDialogs closes every JavaScript dialog of the page, which would
// otherwise block it, until the tab closes.
func (p *Page) dismissDialogs() {
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-p.dialogWake:
			ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
			// An error means the dialog is already gone; nothing to do.
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			cancel()
		}
	}
}

// consoleLevel maps a console API call to a message level.
func consoleLevel(typ runtime.ConsoleAPICalledType) string {
	switch typ {
	case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeAssert:
		return "error"
	case runtime.ConsoleAPICalledTypeWarning:
		return "warning"
	case runtime.ConsoleAPICalledTypeInfo:
		return "info"
	case runtime.ConsoleAPICalledTypeDebug:
		return "debug"
	}
	return "log"
}

// argsText renders console arguments roughly as the DevTools console does.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a.Type == runtime.RemoteObjectTypeString && len(a.Value) > 0:
			if err := json.Unmarshal(a.Value, &s); err != nil {
				s = string(a.Value)
			}
		case len(a.Value) > 0:
			s = string(a.Value)
		case a.UnserializableValue != "":
			s = string(a.UnserializableValue)
		case a.Description != "":
			s = a.Description
		default:
			s = string(a.Type)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// close closes the tab, first keeping a screenshot when the test failed.
func (p *Page) close() {
	if p.t.Failed() && p.ctx.Err() == nil {
		p.mu.Lock()
		msgs := append([]Message(nil), p.messages...)
		p.mu.Unlock()
		for _, m := range msgs {
			p.t.Logf("browsertest: console: %s", m)
		}
		if dir := os.Getenv(envArtifacts); dir != "" {
			path := filepath.Join(dir, safeName(p.t.Name())+"-failure.png")
			ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
			buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			cancel()
			if err == nil && os.MkdirAll(dir, 0o755) == nil && os.WriteFile(path, buf, 0o644) == nil {
				p.t.Logf("browsertest: screenshot of the failed page: %s", path)
			}
		}
	}
	p.cancel()
}

// Context returns the page's chromedp context, for actions the helpers do
// not cover. Derive a timeout from it: chromedp.Run(ctx, action).
func (p *Page) Context() context.Context { return p.ctx }

// run runs an action on the tab with the helper time limit, failing the test
// on error.
func run[T any](p *Page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("browsertest: %s: %v", what, err)
	}
	return v
}

// Eval evaluates the JavaScript expression in the page, awaiting it when it
// is a promise, and decodes its JSON value into out (out may be nil). An
// exception fails the test.
func (p *Page) Eval(js string, out any) {
	p.t.Helper()
	raw := run(p, "eval "+js, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if out == nil {
		return
	}
	if len(raw) == 0 {
		p.t.Fatalf("browsertest: eval %s: the expression has no JSON value (undefined?)", js)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		p.t.Fatalf("browsertest: eval %s: decoding %s: %v", js, raw, err)
	}
}

// WaitVisible waits until an element matching the CSS selector is visible.
func (p *Page) WaitVisible(sel string) {
	p.t.Helper()
	run(p, "waiting for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// Click clicks the first visible element matching the CSS selector, with a
// real mouse event.
func (p *Page) Click(sel string) {
	p.t.Helper()
	run(p, "clicking "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// SetValue sets the value of the form field matching the CSS selector
// directly, without key events.
func (p *Page) SetValue(sel, value string) {
	p.t.Helper()
	run(p, "setting "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// SendKeys focuses the element matching the CSS selector and types text into
// it with key events; "\n" presses Enter.
func (p *Page) SendKeys(sel, text string) {
	p.t.Helper()
	run(p, "typing into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible))
}

// Text returns the visible text (innerText) of the first element matching the
// CSS selector.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	return run(p, "reading "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// Screenshot saves a PNG of the full page (beyond the viewport) at path,
// creating its folder.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	buf := run(p, "screenshot", chromedp.FullScreenshot(100))
	writeFile(p.t, path, buf)
}

// PDF prints the page to a PDF at path on "A4" or "Letter" paper, with
// backgrounds, as the browser's print dialog would with the page's print CSS.
func (p *Page) PDF(path, paper string) {
	p.t.Helper()
	var size chromedp.PaperSize
	switch strings.ToLower(paper) {
	case "a4":
		size = chromedp.PaperA4
	case "letter":
		size = chromedp.PaperLetter
	default:
		p.t.Fatalf("browsertest: PDF paper %q: want A4 or Letter", paper)
	}
	buf := run(p, "printing to PDF", chromedp.PrintToPDF(chromedp.PDFPaper(size), chromedp.PDFPrintBackground()))
	writeFile(p.t, path, buf)
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
}

// Requests returns the URL of every request the page made so far (documents,
// scripts, styles, images, fonts, fetches, WebSockets), in order, including
// ones that failed or were blocked.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// FailedRequests returns "url: reason" for every request that failed or was
// blocked, in order.
func (p *Page) FailedRequests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.failed...)
}

// Messages returns every console message, browser log entry (CSP violations,
// failed loads) and uncaught exception so far, in order.
func (p *Page) Messages() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Message(nil), p.messages...)
}

// ConsoleErrors returns the messages of level error (console.error, failed
// assertions, uncaught exceptions, CSP violations, failed loads), formatted.
func (p *Page) ConsoleErrors() []string {
	var errs []string
	for _, m := range p.Messages() {
		if m.Level == "error" {
			errs = append(errs, m.String())
		}
	}
	return errs
}

// CSPViolations returns the messages that report a Content-Security-Policy
// violation, formatted.
func (p *Page) CSPViolations() []string {
	var v []string
	for _, m := range p.Messages() {
		if strings.Contains(m.Text, "Content Security Policy") {
			v = append(v, m.String())
		}
	}
	return v
}

// Dialogs returns "type: message" for every alert, confirm, prompt or
// beforeunload dialog the page opened; each was dismissed.
func (p *Page) Dialogs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.dialogs...)
}

// AssertNoOutsideRequests fails t, listing them, for requests whose URL is
// not data:, blob: or about:, and does not start with one of the allowed
// prefixes. Give the site root as FileURL(dir, "") or the base URL of
// [Serve]; a prefix is matched as a folder, so "http://127.0.0.1:80" does not
// allow "http://127.0.0.1:8080/".
func (p *Page) AssertNoOutsideRequests(t testing.TB, allowedPrefixes ...string) {
	t.Helper()
	if bad := outsideRequests(p.Requests(), allowedPrefixes); len(bad) > 0 {
		t.Errorf("browsertest: %d request(s) outside %v:\n  %s", len(bad), allowedPrefixes, strings.Join(bad, "\n  "))
	}
}

// outsideRequests returns the URLs that no allowed prefix covers.
func outsideRequests(urls, allowed []string) []string {
	var bad []string
next:
	for _, u := range urls {
		for _, scheme := range []string{"data:", "blob:", "about:"} {
			if strings.HasPrefix(u, scheme) {
				continue next
			}
		}
		for _, a := range allowed {
			dir := a
			if !strings.HasSuffix(dir, "/") {
				dir += "/"
			}
			if u == a || u == strings.TrimSuffix(a, "/") || strings.HasPrefix(u, dir) {
				continue next
			}
		}
		bad = append(bad, u)
	}
	return bad
}

// AssertNoConsoleErrors fails t, listing them, if the page logged any error.
func (p *Page) AssertNoConsoleErrors(t testing.TB) {
	t.Helper()
	if errs := p.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("browsertest: %d console error(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
}

// AssertNoDialogs fails t, listing them, if the page opened any dialog (an
// injected alert() is the classic sign of script injection).
func (p *Page) AssertNoDialogs(t testing.TB) {
	t.Helper()
	if d := p.Dialogs(); len(d) > 0 {
		t.Errorf("browsertest: %d dialog(s) opened:\n  %s", len(d), strings.Join(d, "\n  "))
	}
}

// Chart is the state of one chart container found by [Page.ChartsDrawn].
type Chart struct {
	ID    string // the container's id attribute, possibly empty
	Index int    // position among the containers matching the selector
	// Drawn reports that the container holds a canvas with at least one
	// painted pixel, or an svg with a shape, of non-zero width and height.
	Drawn bool
}

// chartsJS inspects every container matching the selector. A canvas counts
// when it has a size and a non-transparent pixel (a tainted canvas, which
// cannot be read, counts as painted); an svg when it has a size and at least
// one shape.
const chartsJS = `(sel => [...document.querySelectorAll(sel)].map((el, i) => {
  const sized = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const painted = c => {
    if (!c.width || !c.height) return false;
    try {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let k = 3; k < d.length; k += 4) if (d[k] !== 0) return true;
      return false;
    } catch (e) { return true; }
  };
  const canvas = [...el.querySelectorAll('canvas')].some(c => sized(c) && painted(c));
  const svg = [...el.querySelectorAll('svg')].some(s => sized(s) &&
    s.querySelector('path,rect,circle,ellipse,line,polyline,polygon,text') !== null);
  return {ID: el.id, Index: i, Drawn: canvas || svg};
}))(%s)`

// ChartsDrawn returns the state of every element matching the CSS selector
// (".chart" when empty), now.
func (p *Page) ChartsDrawn(sel string) []Chart {
	p.t.Helper()
	var charts []Chart
	p.Eval(fmt.Sprintf(chartsJS, mustJSON(chartSel(sel))), &charts)
	return charts
}

// AssertChartsDrawn fails t unless at least one element matches the CSS
// selector (".chart" when empty) and every one is drawn, waiting up to five
// seconds for drawing (and chart animations) to happen.
func (p *Page) AssertChartsDrawn(t testing.TB, sel string) {
	t.Helper()
	giveUp := time.Now().Add(chartsMaxWait)
	for {
		charts := p.ChartsDrawn(sel)
		var undrawn []string
		for _, c := range charts {
			if !c.Drawn {
				undrawn = append(undrawn, fmt.Sprintf("#%d id=%q", c.Index, c.ID))
			}
		}
		if len(charts) > 0 && len(undrawn) == 0 {
			return
		}
		if time.Now().After(giveUp) {
			if len(charts) == 0 {
				t.Errorf("browsertest: no chart container matches %q", sel)
			} else {
				t.Errorf("browsertest: %d of %d chart(s) not drawn: %s", len(undrawn), len(charts), strings.Join(undrawn, ", "))
			}
			return
		}
		time.Sleep(pollInterval)
	}
}
