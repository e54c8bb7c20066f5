package browsertest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coachsite/coachsite/internal/testsite"
)

func TestMain(m *testing.M) { Main(m) }

// recorder is a testing.TB that keeps failures and skips instead of acting on
// them, to test what the harness reports.
type recorder struct {
	testing.TB
	errors []string
	fatal  string
	skip   string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatalf(format string, a ...any) { r.fatal = fmt.Sprintf(format, a...) }
func (r *recorder) Skipf(format string, a ...any)  { r.skip = fmt.Sprintf(format, a...) }

func TestFindChromium(t *testing.T) {
	installed := map[string]string{"chromium-browser": "/opt/bin/chromium-browser", "google-chrome": "/usr/bin/google-chrome", "/custom/chrome": "/custom/chrome"}
	lookPath := func(name string) (string, error) {
		if p, ok := installed[name]; ok {
			return p, nil
		}
		return "", errors.New("not found")
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == envChromium {
				return v
			}
			return ""
		}
	}
	if got, err := findChromium(env(""), lookPath); err != nil || got != "/opt/bin/chromium-browser" {
		t.Errorf("PATH order: got %q, %v; want the first candidate found", got, err)
	}
	if got, err := findChromium(env("/custom/chrome"), lookPath); err != nil || got != "/custom/chrome" {
		t.Errorf("%s: got %q, %v", envChromium, got, err)
	}
	if _, err := findChromium(env("/missing/chrome"), lookPath); err == nil || !strings.Contains(err.Error(), "/missing/chrome") {
		t.Errorf("a %s naming no program must be an error naming it, got %v", envChromium, err)
	}
	none := func(string) (string, error) { return "", errors.New("not found") }
	if _, err := findChromium(env(""), none); err == nil {
		t.Error("no browser installed: want an error")
	}
}

func TestMissingChromiumSkipsLocallyAndFailsOnCI(t *testing.T) {
	var local recorder
	missingChromium(&local, false, errors.New("none found"))
	if local.fatal != "" || !strings.Contains(local.skip, "apt-get install chromium") || !strings.Contains(local.skip, envChromium) {
		t.Errorf("without CI: skip %q, fatal %q; want a skip telling how to install", local.skip, local.fatal)
	}
	var ci recorder
	missingChromium(&ci, true, errors.New("none found"))
	if ci.skip != "" || !strings.Contains(ci.fatal, "apt-get install chromium") {
		t.Errorf("with CI=true: skip %q, fatal %q; want a failure", ci.skip, ci.fatal)
	}
}

func TestOutsideRequests(t *testing.T) {
	urls := []string{
		"file:///site/index.html",
		"file:///site/assets/app.js",
		"file:///site2/x.html", // a sibling folder sharing the prefix
		"file:///etc/passwd",
		"http://127.0.0.1:8080/a.css",
		"http://127.0.0.1:80801/a.css",
		"data:image/png;base64,AAAA",
		"blob:file:///1234",
		"about:blank",
		"https://cdn.example.com/echarts.js",
	}
	got := outsideRequests(urls, []string{"file:///site", "http://127.0.0.1:8080/"})
	want := []string{"file:///site2/x.html", "file:///etc/passwd", "http://127.0.0.1:80801/a.css", "https://cdn.example.com/echarts.js"}
	if !slices.Equal(got, want) {
		t.Errorf("outside requests:\n got %q\nwant %q", got, want)
	}
}

func TestFileURL(t *testing.T) {
	if got := FileURL("/tmp/my site", "a b/index.html"); got != "file:///tmp/my%20site/a%20b/index.html" {
		t.Errorf("FileURL escaping: %s", got)
	}
	if got := FileURL("/tmp/site/", ""); got != "file:///tmp/site/" {
		t.Errorf("FileURL of the root: %s", got)
	}
}

// site writes the files into a fresh folder and returns it.
func site(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	testsite.WriteFiles(t, dir, files)
	return dir
}

// head keeps HTTP pages free of the browser's automatic /favicon.ico request,
// whose 404 would be logged as a console error.
const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>t</title>`

// eachScheme runs f on the page at rel of dir, opened once over file:// and
// once over HTTP, with the root URL to allow.
func eachScheme(t *testing.T, dir, rel string, f func(t *testing.T, p *Page, root string)) {
	b := New(t)
	t.Run("file", func(t *testing.T) {
		f(t, b.Open(t, FileURL(dir, rel)), FileURL(dir, ""))
	})
	t.Run("http", func(t *testing.T) {
		base := Serve(t, dir)
		f(t, b.Open(t, base+rel), base)
	})
}

func TestCleanPagePassesEveryAssertion(t *testing.T) {
	t.Parallel()
	dir := site(t, map[string]string{
		"index.html": head + `<link rel="stylesheet" href="css/site.css"></head><body><p id="out">static</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""><script src="js/app.js"></script></body></html>`,
		"css/site.css": `body { font-family: sans-serif }`,
		"js/app.js":    `document.getElementById("out").textContent = "ran";`,
	})
	eachScheme(t, dir, "index.html", func(t *testing.T, p *Page, root string) {
		if got := p.Text("#out"); got != "ran" {
			t.Errorf("script did not run: text %q", got)
		}
		reqs := p.Requests()
		for _, want := range []string{"index.html", "css/site.css", "js/app.js"} {
			if !slices.Contains(reqs, root+want) {
				t.Errorf("request for %s not recorded: %q", want, reqs)
			}
		}
		var r recorder
		p.AssertNoOutsideRequests(&r, root)
		p.AssertNoConsoleErrors(&r)
		p.AssertNoDialogs(&r)
		if len(r.errors) > 0 {
			t.Errorf("a clean page failed the assertions: %q", r.errors)
		}
	})
}

func TestOutsideRequestIsReported(t *testing.T) {
	t.Parallel()
	// The machine has no network: the request fails, but it was attempted,
	// and that is what must be caught.
	dir := site(t, map[string]string{
		"index.html": head + `</head><body><img src="http://example.invalid/x.png" alt="">
<script src="app.js"></script></body></html>`,
		"app.js": `fetch("https://tracker.example.invalid/beacon").catch(() => {});`,
	})
	eachScheme(t, dir, "index.html", func(t *testing.T, p *Page, root string) {
		var r recorder
		p.AssertNoOutsideRequests(&r, root)
		if len(r.errors) != 1 || !strings.Contains(r.errors[0], "http://example.invalid/x.png") ||
			!strings.Contains(r.errors[0], "https://tracker.example.invalid/beacon") {
			t.Errorf("outside requests not reported: %q (requests %q)", r.errors, p.Requests())
		}
		if strings.Contains(strings.Join(r.errors, ""), root+"index.html") {
			t.Errorf("the site's own page was reported as outside: %q", r.errors)
		}
	})
}

func TestDialogsAreRecordedAndDismissed(t *testing.T) {
	t.Parallel()
	dir := site(t, map[string]string{
		"index.html": head + `</head><body><p id="out"></p><script src="app.js"></script></body></html>`,
		"app.js": `alert("hostile label");
const ok = confirm("sure?");
const answer = prompt("name?", "x");
document.getElementById("out").textContent = "after " + ok + " " + answer;`,
	})
	eachScheme(t, dir, "index.html", func(t *testing.T, p *Page, root string) {
		want := []string{"alert: hostile label", "confirm: sure?", "prompt: name?"}
		if got := p.Dialogs(); !slices.Equal(got, want) {
			t.Errorf("dialogs: got %q, want %q", got, want)
		}
		// Dismissed: confirm gives false, prompt null, and the page went on.
		if got := p.Text("#out"); got != "after false null" {
			t.Errorf("page after dialogs: %q", got)
		}
		var r recorder
		p.AssertNoDialogs(&r)
		if len(r.errors) != 1 || !strings.Contains(r.errors[0], "hostile label") {
			t.Errorf("AssertNoDialogs: %q", r.errors)
		}
	})
}

func TestConsoleErrorsAndExceptions(t *testing.T) {
	t.Parallel()
	dir := site(t, map[string]string{
		"index.html": head + `</head><body><script src="app.js"></script></body></html>`,
		"app.js": `console.log("just a log");
console.warn("a warning");
console.error("chart failed:", 42);
setTimeout(() => { throw new TypeError("boom in timer"); }, 0);`,
	})
	eachScheme(t, dir, "index.html", func(t *testing.T, p *Page, root string) {
		errs := strings.Join(p.ConsoleErrors(), "\n")
		for _, want := range []string{"chart failed: 42", "TypeError: boom in timer"} {
			if !strings.Contains(errs, want) {
				t.Errorf("console errors lack %q:\n%s", want, errs)
			}
		}
		if strings.Contains(errs, "just a log") || strings.Contains(errs, "a warning") {
			t.Errorf("logs and warnings counted as errors:\n%s", errs)
		}
		var warned bool
		for _, m := range p.Messages() {
			warned = warned || (m.Level == "warning" && m.Text == "a warning")
		}
		if !warned {
			t.Errorf("warning not recorded: %v", p.Messages())
		}
		var r recorder
		p.AssertNoConsoleErrors(&r)
		if len(r.errors) != 1 {
			t.Errorf("AssertNoConsoleErrors: %q", r.errors)
		}
	})
}

func TestCSPViolationIsCaptured(t *testing.T) {
	t.Parallel()
	dir := site(t, map[string]string{
		"index.html": `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; script-src 'self'">
<title>t</title></head><body><p id="out">untouched</p>
<script>document.getElementById("out").textContent = "inline ran";</script></body></html>`,
	})
	eachScheme(t, dir, "index.html", func(t *testing.T, p *Page, root string) {
		if got := p.Text("#out"); got != "untouched" {
			t.Errorf("the inline script ran despite the CSP: %q", got)
		}
		v := p.CSPViolations()
		if len(v) != 1 || !strings.Contains(v[0], "script-src") {
			t.Errorf("CSP violation not captured: %q (messages %v)", v, p.Messages())
		}
		if !slices.Equal(v, intersect(v, p.ConsoleErrors())) {
			t.Errorf("CSP violations must count as console errors: %q", p.ConsoleErrors())
		}
	})
}

func intersect(a, b []string) []string {
	var out []string
	for _, s := range a {
		if slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestChartsDrawn is not parallel: it shortens chartsMaxWait.
func TestChartsDrawn(t *testing.T) {
	dir := site(t, map[string]string{
		"index.html": head + `</head><body>
<div class="chart" id="canvas_chart"><canvas width="200" height="100"></canvas></div>
<div class="chart" id="svg_chart"><svg width="120" height="120" viewBox="0 0 10 10"><path d="M1 1L9 9" stroke="black"/></svg></div>
<div class="chart" id="blank_canvas"><canvas width="200" height="100"></canvas></div>
<div class="chart" id="empty"></div>
<script src="draw.js"></script></body></html>`,
		"draw.js": `const c = document.querySelector("#canvas_chart canvas").getContext("2d");
c.fillStyle = "#c33"; c.fillRect(10, 10, 50, 50);`,
	})
	b := New(t)
	p := b.Open(t, FileURL(dir, "index.html"))
	got := p.ChartsDrawn("")
	want := []Chart{{"canvas_chart", 0, true}, {"svg_chart", 1, true}, {"blank_canvas", 2, false}, {"empty", 3, false}}
	if !slices.Equal(got, want) {
		t.Errorf("ChartsDrawn:\n got %+v\nwant %+v", got, want)
	}
	p.AssertChartsDrawn(t, "#canvas_chart, #svg_chart")
	defer func(d time.Duration) { chartsMaxWait = d }(chartsMaxWait)
	chartsMaxWait = 300 * time.Millisecond
	var r recorder
	p.AssertChartsDrawn(&r, "#blank_canvas")
	p.AssertChartsDrawn(&r, ".no-such-chart")
	if len(r.errors) != 2 || !strings.Contains(r.errors[0], "blank_canvas") || !strings.Contains(r.errors[1], "no chart container") {
		t.Errorf("AssertChartsDrawn on undrawn charts: %q", r.errors)
	}
}

func TestInteraction(t *testing.T) {
	t.Parallel()
	dir := site(t, map[string]string{
		"index.html": head + `</head><body>
<form id="f"><input id="pass" type="password"><input id="name"><button id="go" type="button">Open</button></form>
<p id="out"></p><script src="app.js"></script></body></html>`,
		"app.js": `document.getElementById("go").addEventListener("click", () => {
  document.getElementById("out").textContent =
    document.getElementById("pass").value + "/" + document.getElementById("name").value;
});`,
	})
	b := New(t)
	p := b.Open(t, FileURL(dir, "index.html"))
	p.WaitVisible("#go")
	p.SendKeys("#pass", "s3cret")
	p.SetValue("#name", "Ann")
	p.Click("#go")
	if got := p.Text("#out"); got != "s3cret/Ann" {
		t.Errorf("after typing and clicking: %q", got)
	}
	var sum int
	p.Eval(`Promise.resolve(20).then(x => x + 22)`, &sum)
	if sum != 42 {
		t.Errorf("Eval awaiting a promise: %d", sum)
	}
	var digest []int
	p.Eval(`crypto.subtle.digest("SHA-256", new TextEncoder().encode("a")).then(b => [...new Uint8Array(b)].slice(0, 2))`, &digest)
	if !slices.Equal(digest, []int{0xca, 0x97}) {
		t.Errorf("WebCrypto from file://: %v", digest)
	}
}

func TestBrowsersAreIsolated(t *testing.T) {
	t.Parallel()
	base := Serve(t, site(t, map[string]string{"index.html": head + `</head><body></body></html>`}))
	b1 := New(t)
	p1 := b1.Open(t, base+"index.html")
	p1.Eval(`localStorage.setItem("k", "v"), document.cookie = "c=1"`, nil)

	var same string
	b1.Open(t, base+"index.html").Eval(`localStorage.getItem("k") + document.cookie`, &same)
	if same != "vc=1" {
		t.Errorf("pages of one Browser must share storage: %q", same)
	}
	var other *string
	New(t).Open(t, base+"index.html").Eval(`localStorage.getItem("k")`, &other)
	if other != nil {
		t.Errorf("another Browser sees the first one's storage: %q", *other)
	}
}

func TestScreenshotAndPDF(t *testing.T) {
	t.Parallel()
	dir := site(t, map[string]string{
		"index.html": head + `<style>body{margin:0} .tall{height:2500px;background:#eef}</style></head>
<body><h1>Report</h1><div class="tall"></div></body></html>`,
	})
	p := New(t).Open(t, FileURL(dir, "index.html"))
	out := ArtifactDir(t)

	png := filepath.Join(out, "page.png")
	p.Screenshot(png)
	data, err := os.ReadFile(png)
	if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("screenshot is not a PNG: %v %q", err, data[:min(len(data), 8)])
	}
	// A full-page shot covers the 2500 px page, not only the 900 px viewport:
	// the PNG height is the big-endian uint32 at byte 20.
	if h := int(data[20])<<24 | int(data[21])<<16 | int(data[22])<<8 | int(data[23]); h < 2500 {
		t.Errorf("screenshot height %d: want the full page", h)
	}

	for paper, box := range map[string]string{"A4": "595", "Letter": "612"} {
		path := filepath.Join(out, paper+".pdf")
		p.PDF(path, paper)
		data, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF: %v", paper, err)
		}
		if !bytes.Contains(data, []byte("/MediaBox [0 0 "+box)) {
			t.Errorf("%s: no page %s points wide", paper, box)
		}
	}
}

// BenchmarkOpen measures one page visit on the shared browser: a new tab,
// load, network quiet and the assertions.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	page := head + `<link rel="stylesheet" href="s.css"></head><body><script src="a.js"></script></body></html>`
	for name, body := range map[string]string{"index.html": page, "s.css": "p{}", "a.js": "1;"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	br := New(b)
	url, root := FileURL(dir, "index.html"), FileURL(dir, "")
	for b.Loop() {
		p := br.Open(b, url)
		p.AssertNoOutsideRequests(b, root)
		p.AssertNoConsoleErrors(b)
		p.close()
	}
}

// logRecorder is a testing.TB that keeps what is logged, to see whether the
// quiet-network wait gave up.
type logRecorder struct {
	testing.TB
	mu   sync.Mutex
	logs []string
}

func (r *logRecorder) Helper() {}
func (r *logRecorder) Logf(format string, a ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, a...))
}

func TestOpenDoesNotWaitForEventStream(t *testing.T) {
	t.Parallel()
	b := New(t)
	opened := make(chan struct{}, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, head+`</head><body><p id="out">waiting</p><script src="/app.js"></script></body></html>`)
	})
	mux.HandleFunc("/app.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, `new EventSource("/events").addEventListener("hello", e => {
  document.getElementById("out").textContent = e.data;
});`)
	})
	// The stream stays open until the page or the server goes, as a live
	// reload connection does.
	mux.HandleFunc("/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "event: hello\ndata: streamed\n\n")
		w.(http.Flusher).Flush()
		select {
		case opened <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ErrorLog = stdlog.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})

	r := &logRecorder{TB: t}
	p := b.Open(r, srv.URL+"/")
	select {
	case <-opened:
	default:
		t.Fatalf("the page's event stream was not open when Open returned (requests %q)", p.Requests())
	}
	if got := p.Text("#out"); got != "streamed" {
		t.Errorf("event not received: text %q", got)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range r.logs {
		if strings.Contains(l, "network still busy") {
			t.Errorf("Open waited for the open event stream: %s", l)
		}
	}
}
