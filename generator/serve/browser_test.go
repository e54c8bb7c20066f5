package serve_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coachsite/coachsite/internal/browsertest"
)

// evalUntil evaluates js in p until it returns want or a generous limit
// passes, and returns the last value.
func evalUntil(t *testing.T, p *browsertest.Page, js string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if err := eval(p, js, &got); err == nil && ok(got) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: last value %q", js, got)
	return got
}

// eval evaluates js in p, returning an error rather than failing the test:
// while a page reloads, its old context may be gone.
func eval(p *browsertest.Page, js string, out *string) error {
	ctx, cancel := context.WithTimeout(p.Context(), 2*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	*out = v
	return err
}

func TestBrowserReloadsAndShowsOverlay(t *testing.T) {
	content := copyContent(t)
	base := start(t, content)
	session := filepath.Join(content, "clients", client, "2026-11-11.md")
	url := base + "clients/" + client + "/2026-11-11/"

	p := browsertest.New(t).Open(t, url)
	// A mark that survives only as long as the page is not reloaded.
	p.Eval(`window.coachsiteMark = "before"`, nil)

	replaceIn(t, session, "title: New role, new rhythm", "title: Reloaded by itself")
	evalUntil(t, p, `document.title`, func(s string) bool { return strings.Contains(s, "Reloaded by itself") })
	var mark string
	if err := eval(p, `String(window.coachsiteMark)`, &mark); err != nil || mark != "undefined" {
		t.Fatalf("page was not reloaded (mark %q, %v)", mark, err)
	}

	// An error shows in the overlay, over the last good page.
	replaceIn(t, session, "  career: 8\n", "  career: 12\n")
	text := evalUntil(t, p, `(document.getElementById("coachsite-errors")||{}).textContent||""`,
		func(s string) bool { return strings.Contains(s, "career") })
	if !strings.Contains(text, filepath.ToSlash(session)+":") {
		t.Fatalf("overlay %q lacks PATH:LINE", text)
	}
	// A fix reloads the page and clears the overlay.
	replaceIn(t, session, "  career: 12\n", "  career: 9\n")
	evalUntil(t, p, `document.getElementById("coachsite-errors") ? "shown" : "gone"`, func(s string) bool { return s == "gone" })

	p.AssertNoConsoleErrors(t)
	p.AssertNoOutsideRequests(t, base)
}
