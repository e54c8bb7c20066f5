// Package browsertest drives a headless Chromium from Go tests, so that tests
// can open the built site over file:// or HTTP, act on it and assert what a
// real browser did: which requests left the page, what reached the console,
// which dialogs opened and whether every chart was drawn.
//
// One Chromium process serves a whole test binary when the package's TestMain
// calls [Main]; each [New] then opens an isolated browser context (its own
// cookies, storage and cache) in that process, and each [Browser.Open] a new
// tab. Without [Main], every [New] starts and stops its own Chromium, which is
// correct but slow.
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
//	func TestHome(t *testing.T) {
//		b := browsertest.New(t)
//		p := b.Open(t, browsertest.FileURL(site, "index.html"))
//		p.AssertNoOutsideRequests(t, browsertest.FileURL(site, ""))
//		p.AssertNoConsoleErrors(t)
//	}
//
// When no Chromium is found, [New] skips the test, except with CI=true in the
// environment, where it fails it.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Time limits. A hung browser must fail a test, never hang it.
const (
	startTimeout   = 30 * time.Second // launching Chromium
	visitTimeout   = 20 * time.Second // one navigation, load and network idle
	actionTimeout  = 10 * time.Second // one helper: eval, click, wait, screenshot, PDF
	closeTimeout   = 5 * time.Second  // closing a tab or a browser context
	idleQuiet      = 250 * time.Millisecond
	idleMaxWait    = 5 * time.Second
	pollInterval   = 50 * time.Millisecond
	windowWidth    = 1280
	windowHeight   = 900
	envChromium    = "COACHSITE_CHROMIUM"
	envArtifacts   = "COACHSITE_ARTIFACTS"
	missingMessage = "browser tests need Chromium: apt-get install chromium, or set " + envChromium
)

// chartsMaxWait bounds how long AssertChartsDrawn waits for drawing; a
// variable so that the harness's own tests of undrawn charts stay short.
var chartsMaxWait = 5 * time.Second

// candidates are the programs looked up in PATH, in order, after the
// COACHSITE_CHROMIUM variable and /usr/bin/chromium.
var candidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// Browser is an isolated browser profile (a Chromium browser context) for one
// test: pages opened from the same Browser share cookies and storage, pages of
// different Browsers do not.
type Browser struct {
	proc *process
	id   cdp.BrowserContextID
}

// process is one running Chromium.
type process struct {
	ctx         context.Context // the browser's first tab; parent of every other tab
	cancel      context.CancelFunc
	allocCancel context.CancelFunc
	dataDir     string
	removeDir   bool
}

var shared struct {
	sync.Mutex
	managed bool // Main is running the tests
	proc    *process
}

// Main runs the tests of a package with one Chromium shared by all of them,
// stops it afterwards and exits. Call it from TestMain:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
func Main(m *testing.M) {
	shared.Lock()
	shared.managed = true
	shared.Unlock()
	code := m.Run()
	shared.Lock()
	if shared.proc != nil {
		shared.proc.close()
		shared.proc = nil
	}
	shared.managed = false
	shared.Unlock()
	os.Exit(code)
}

// New returns a fresh, isolated browser profile for the test, closed when the
// test ends. It skips the test when no Chromium is installed, or fails it when
// the environment has CI=true or COACHSITE_CHROMIUM names a missing program.
func New(t testing.TB) *Browser {
	t.Helper()
	path, err := findChromium(os.Getenv, exec.LookPath)
	if err != nil {
		if os.Getenv(envChromium) != "" {
			// A browser named explicitly but absent is a broken setup, not a
			// machine without a browser.
			t.Fatalf("browsertest: %v", err)
		}
		missingChromium(t, os.Getenv("CI") == "true", err)
		return nil
	}
	var proc *process
	shared.Lock()
	if shared.managed {
		if shared.proc != nil && shared.proc.ctx.Err() != nil {
			// The shared browser died (a crash or the OOM killer): start another.
			shared.proc.close()
			shared.proc = nil
		}
		if shared.proc == nil {
			dir, derr := os.MkdirTemp("", "coachsite-chromium-")
			if derr != nil {
				shared.Unlock()
				t.Fatalf("browsertest: profile folder: %v", derr)
			}
			shared.proc, err = launch(path, dir, true)
		}
		proc = shared.proc
	} else {
		proc, err = launch(path, t.TempDir(), false)
		if err == nil {
			t.Cleanup(proc.close)
		}
	}
	shared.Unlock()
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}

	ctx, cancel := context.WithTimeout(proc.ctx, actionTimeout)
	defer cancel()
	res, err := chromedp.CallBrowser(ctx, target.CreateBrowserContext, target.CreateBrowserContextParams{})
	if err != nil {
		t.Fatalf("browsertest: creating a browser context: %v", err)
	}
	b := &Browser{proc: proc, id: res.BrowserContextID}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(proc.ctx, closeTimeout)
		defer cancel()
		_, err := chromedp.CallBrowser(ctx, target.DisposeBrowserContext, target.DisposeBrowserContextParams{BrowserContextID: b.id})
		if err != nil && proc.ctx.Err() == nil {
			t.Errorf("browsertest: disposing of the browser context: %v", err)
		}
	})
	return b
}

// missingChromium skips the test, or fails it on CI, where a browser test must
// never be skipped silently.
func missingChromium(t testing.TB, ci bool, err error) {
	t.Helper()
	if ci {
		t.Fatalf("%s (CI=true, so this fails instead of skipping): %v", missingMessage, err)
		return
	}
	t.Skipf("%s (%v)", missingMessage, err)
}

// findChromium returns the browser to run: the COACHSITE_CHROMIUM variable
// when set (an error if it is not runnable), else the first of candidates
// that lookPath finds.
func findChromium(getenv func(string) string, lookPath func(string) (string, error)) (string, error) {
	if p := getenv(envChromium); p != "" {
		found, err := lookPath(p)
		if err != nil {
			return "", fmt.Errorf("%s=%s: %w", envChromium, p, err)
		}
		return found, nil
	}
	for _, c := range candidates {
		if found, err := lookPath(c); err == nil {
			return found, nil
		}
	}
	return "", errors.New("none of /usr/bin/chromium, chromium, chromium-browser, google-chrome found in PATH")
}

// launch starts Chromium with a profile in dataDir and waits until it answers.
func launch(path, dataDir string, removeDir bool) (*process, error) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dataDir),
		chromedp.Headless,
		chromedp.NoSandbox, // root in containers and CI; the sandbox protects users, not tests
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(windowWidth, windowHeight),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("metrics-recording-only", true),
		// Deliberately absent: --allow-file-access-from-files and
		// --disable-web-security. The site must work from file:// in a normal
		// browser, so the tests see what such a browser sees.
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	p := &process{ctx: ctx, cancel: cancel, allocCancel: allocCancel, dataDir: dataDir, removeDir: removeDir}

	// The first Run starts the browser and must not carry a timeout (that
	// would stop the browser when it expires), so the limit is kept here.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			p.close()
			return nil, fmt.Errorf("starting %s: %w", path, err)
		}
	case <-time.After(startTimeout):
		p.close()
		return nil, fmt.Errorf("starting %s: no answer within %v", path, startTimeout)
	}
	return p, nil
}

// close stops the browser and removes its profile when it owns it.
func (p *process) close() {
	p.cancel()
	p.allocCancel()
	if p.removeDir {
		os.RemoveAll(p.dataDir)
	}
}
