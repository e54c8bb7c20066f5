package browsertest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// WebKit (Safari's engine) is driven through WebKitGTK's W3C WebDriver,
// WebKitWebDriver (Debian: webkit2gtk-driver), which opens its MiniBrowser
// in a virtual X display started by xvfb-run (Debian: xvfb). The client
// below speaks only the few endpoints the tests need; the W3C WebDriver
// specification is the reference: https://www.w3.org/TR/webdriver2/.
const (
	envWebKitDriver     = "COACHSITE_WEBKITDRIVER"
	webkitMissing       = "WebKit tests need WebKitWebDriver and xvfb-run: apt-get install webkit2gtk-driver xvfb, or set " + envWebKitDriver
	webdriverElementKey = "element-6066-11e4-a52e-4f735466cecf" // the W3C web element identifier
)

// WebKit is one WebKitGTK browser window driven over W3C WebDriver: a
// WebKitWebDriver under xvfb-run, with one session, stopped when the test
// ends. Its methods mirror those of [Page] that a test needs (Navigate, Eval,
// SendKeys, Geometry …), so that helpers written against them serve both
// engines. It records no requests or console messages: WebDriver has no
// such events.
type WebKit struct {
	t       testing.TB
	base    string // http://127.0.0.1:PORT/session/ID
	client  *http.Client
	version string // the browser's version, from the new session
}

// NewWebKit starts WebKitWebDriver under xvfb-run with a new session, ended
// and stopped when t ends. It skips the test when either program is
// missing, or fails it when the environment has CI=true (CI must never skip
// a browser test silently) or COACHSITE_WEBKITDRIVER names a missing
// program.
func NewWebKit(t testing.TB) *WebKit {
	t.Helper()
	driver, xvfb, err := findWebKit(os.Getenv, exec.LookPath)
	if err != nil {
		missingWebKit(t, os.Getenv("CI") == "true" || os.Getenv(envWebKitDriver) != "", err)
		return nil
	}
	port, err := freePort()
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	// -a: the first free display number, so that parallel runs do not meet.
	cmd := exec.Command(xvfb, "-a", "-s", "-screen 0 1280x1024x24", driver, "--port="+strconv.Itoa(port))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // stop xvfb-run, Xvfb and the driver together
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("browsertest: starting %s: %v", driver, err)
	}
	stopped := make(chan struct{})
	go func() { _ = cmd.Wait(); close(stopped) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-stopped:
		case <-time.After(closeTimeout):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-stopped
		}
	})

	w := &WebKit{t: t, client: &http.Client{Timeout: visitTimeout}}
	root := "http://127.0.0.1:" + strconv.Itoa(port)
	// The driver listens once Xvfb is up; wait for its status.
	for deadline := time.Now().Add(startTimeout); ; time.Sleep(100 * time.Millisecond) {
		var st struct {
			Ready bool `json:"ready"`
		}
		if err := w.call(http.MethodGet, root+"/status", nil, &st); err == nil && st.Ready {
			break
		}
		select {
		case <-stopped:
			t.Fatalf("browsertest: %s stopped before answering:\n%s", driver, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("browsertest: %s did not answer within %v:\n%s", driver, startTimeout, logs.String())
		}
	}
	// WebKitWebDriver drives MiniBrowser. Full-screen mode drops its header
	// bar, whose buttons keep a window at least 447 px wide: the window is
	// then the viewport, and a phone's width can be set.
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"webkitgtk:browserOptions": map[string]any{"args": []string{"--automation", "--full-screen"}},
	}}}
	var sess struct {
		SessionID    string `json:"sessionId"`
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	if err := w.call(http.MethodPost, root+"/session", caps, &sess); err != nil {
		t.Fatalf("browsertest: new WebKit session: %v\n%s", err, logs.String())
	}
	w.base = root + "/session/" + sess.SessionID
	w.version = sess.Capabilities.BrowserName + " " + sess.Capabilities.BrowserVersion
	t.Cleanup(func() { _ = w.call(http.MethodDelete, w.base, nil, nil) })
	return w
}

// missingWebKit skips the test, or fails it when it must not be skipped:
// on CI, or when COACHSITE_WEBKITDRIVER names a program that is missing.
func missingWebKit(t testing.TB, fail bool, err error) {
	t.Helper()
	if fail {
		t.Fatalf("browsertest: %s (CI=true or %s set, so this fails instead of skipping): %v", webkitMissing, envWebKitDriver, err)
		return
	}
	t.Skipf("%s (%v)", webkitMissing, err)
}

// findWebKit returns the WebKitWebDriver to run ($COACHSITE_WEBKITDRIVER,
// else WebKitWebDriver in PATH) and xvfb-run.
func findWebKit(getenv func(string) string, lookPath func(string) (string, error)) (driver, xvfb string, err error) {
	name := "WebKitWebDriver"
	if p := getenv(envWebKitDriver); p != "" {
		name = p
	}
	if driver, err = lookPath(name); err != nil {
		return "", "", err
	}
	if xvfb, err = lookPath("xvfb-run"); err != nil {
		return "", "", err
	}
	return driver, xvfb, nil
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// call sends one WebDriver command and decodes the "value" of its answer
// into out (out may be nil). A WebDriver error is returned as an error.
func (w *WebKit) call(method, url string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	res, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s %s: HTTP %d: %.200s", method, url, res.StatusCode, raw)
	}
	if res.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(env.Value, &e)
		return fmt.Errorf("%s: %s", e.Error, e.Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(env.Value, out)
}

// do runs a command of the session, failing the test on error.
func (w *WebKit) do(what, method, path string, body, out any) {
	w.t.Helper()
	if err := w.call(method, w.base+path, body, out); err != nil {
		w.t.Fatalf("browsertest: WebKit: %s: %v", what, err)
	}
}

// Version is the browser's name and version, as the driver reports them.
func (w *WebKit) Version() string { return w.version }

// Navigate loads url and waits for its load event (WebDriver's normal page
// load strategy).
func (w *WebKit) Navigate(url string) {
	w.t.Helper()
	w.do("navigating to "+url, http.MethodPost, "/url", map[string]string{"url": url}, nil)
}

// evalScript runs js, an expression, awaiting it when it is a promise, and
// hands its JSON value (or the message of a thrown error) to WebDriver's
// callback: execute/async waits for that callback in every engine, whereas
// awaiting the promise returned by execute/sync is newer.
const evalScript = `const done = arguments[arguments.length - 1];
Promise.resolve().then(() => (%s)).then(
  v => done({ok: true, json: JSON.stringify(v === undefined ? null : v)}),
  e => done({ok: false, error: String(e && e.stack || e)}));`

// Eval evaluates the JavaScript expression in the page, awaiting it when it
// is a promise, and decodes its JSON value into out (out may be nil). An
// exception fails the test.
func (w *WebKit) Eval(js string, out any) {
	w.t.Helper()
	var res struct {
		OK    bool   `json:"ok"`
		JSON  string `json:"json"`
		Error string `json:"error"`
	}
	w.do("eval "+short(js), http.MethodPost, "/execute/async", map[string]any{"script": fmt.Sprintf(evalScript, js), "args": []any{}}, &res)
	if !res.OK {
		w.t.Fatalf("browsertest: WebKit: eval %s: %s", short(js), res.Error)
	}
	if out == nil {
		return
	}
	if err := json.Unmarshal([]byte(res.JSON), out); err != nil {
		w.t.Fatalf("browsertest: WebKit: eval %s: decoding %.200s: %v", short(js), res.JSON, err)
	}
}

func short(js string) string {
	js = strings.Join(strings.Fields(js), " ")
	if len(js) > 80 {
		return js[:80] + "…"
	}
	return js
}

// element finds the first element matching the CSS selector.
func (w *WebKit) element(sel string) string {
	w.t.Helper()
	var el map[string]string
	w.do("finding "+sel, http.MethodPost, "/element", map[string]string{"using": "css selector", "value": sel}, &el)
	id := el[webdriverElementKey]
	if id == "" {
		w.t.Fatalf("browsertest: WebKit: finding %s: no element reference in %v", sel, el)
	}
	return id
}

// Click clicks the first element matching the CSS selector.
func (w *WebKit) Click(sel string) {
	w.t.Helper()
	w.do("clicking "+sel, http.MethodPost, "/element/"+w.element(sel)+"/click", map[string]any{}, nil)
}

// SetValue sets the value of the form field matching the CSS selector
// directly, without key events.
func (w *WebKit) SetValue(sel, value string) {
	w.t.Helper()
	q, _ := json.Marshal(sel)
	v, _ := json.Marshal(value)
	w.Eval(fmt.Sprintf(`(document.querySelector(%s).value = %s, true)`, q, v), nil)
}

// SendKeys focuses the element matching the CSS selector and types text
// into it with key events; "\n" presses Enter.
func (w *WebKit) SendKeys(sel, text string) {
	w.t.Helper()
	text = strings.ReplaceAll(text, "\n", "\uE007") // WebDriver's Enter key
	w.do("typing into "+sel, http.MethodPost, "/element/"+w.element(sel)+"/value", map[string]string{"text": text}, nil)
}

// SetViewport sizes the window so that the page's viewport is width × height
// CSS pixels (the window may have borders), and waits two frames.
func (w *WebKit) SetViewport(width, height int) {
	w.t.Helper()
	ww, wh := width, height
	for try := 0; try < 3; try++ {
		w.do("sizing the window", http.MethodPost, "/window/rect", map[string]int{"width": ww, "height": wh}, nil)
		var got struct{ W, H int }
		w.Eval(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r({W: window.innerWidth, H: window.innerHeight}))))`, &got)
		if got.W == width && got.H == height {
			break
		}
		ww, wh = ww+width-got.W, wh+height-got.H
	}
	w.Eval(settleJS, nil)
}

// Screenshot saves a PNG of the viewport at path, creating its folder.
func (w *WebKit) Screenshot(path string) {
	w.t.Helper()
	writeFile(w.t, path, w.ScreenshotPNG())
}

// ScreenshotPNG returns a PNG of the viewport as painted. (WebKitGTK's
// element screenshots come out black; crop this one instead.)
func (w *WebKit) ScreenshotPNG() []byte {
	w.t.Helper()
	var b64 string
	w.do("screenshot", http.MethodGet, "/screenshot", nil, &b64)
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		w.t.Fatalf("browsertest: WebKit: screenshot: %v", err)
	}
	return png
}

// Geometry measures the laid-out page as [Page.Geometry] does, with the
// same script.
func (w *WebKit) Geometry() Geometry {
	w.t.Helper()
	var g Geometry
	w.Eval(geometryJS, &g)
	return g
}

// ChartsDrawn returns the state of every element matching the CSS selector
// (".chart" when empty), as [Page.ChartsDrawn] does.
func (w *WebKit) ChartsDrawn(sel string) []Chart {
	w.t.Helper()
	var charts []Chart
	w.Eval(fmt.Sprintf(chartsJS, mustJSON(chartSel(sel))), &charts)
	return charts
}
