package serve

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachsite/coachsite/internal/testsite"
)

// corpus generates the 10,000-session benchmark corpus, or skips.
func corpus(b *testing.B) string { return testsite.Corpus(b, 500, 20) }

// edited returns, on the 10,000-session corpus, a server and a function
// that writes one session file with the i-th edit of its title and returns
// the page to ask for and the title to find in it.
func edited(b *testing.B) (s *Server, full time.Duration, edit func(i int) (page, title string)) {
	b.Helper()
	content := corpus(b)
	start := time.Now()
	s, err := New(Options{Content: content})
	if err != nil {
		b.Fatal(err)
	}
	full = time.Since(start)
	if errs := s.Errors(); len(errs) > 0 {
		b.Fatal(errs)
	}
	clients, _ := os.ReadDir(filepath.Join(content, "clients"))
	slug := clients[len(clients)/2].Name()
	files, _ := filepath.Glob(filepath.Join(content, "clients", slug, "2*.md"))
	file := files[len(files)/2]
	page := "/clients/" + slug + "/" + strings.TrimSuffix(filepath.Base(file), ".md") + "/"
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	text := string(orig)
	if !strings.HasPrefix(text, "---\ntitle: ") {
		b.Fatalf("%s has no title on its first line", file)
	}
	return s, full, func(i int) (string, string) {
		title := fmt.Sprintf("Edited %d", i)
		if err := os.WriteFile(file, []byte(strings.Replace(text, "title: ", "title: "+title+" ", 1)), 0o644); err != nil {
			b.Fatal(err)
		}
		return page, title
	}
}

// served fails b unless page is served with title in it.
func served(b *testing.B, s *Server, page, title string) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", page, nil)
	req.Host = "localhost" // the server answers only requests for this machine
	s.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), title) {
		b.Fatalf("page %s: %d, edit not served", page, rec.Code)
	}
}

// BenchmarkRebuildOneSession measures, on the 10,000-session corpus, the time
// from the change of one session file on disk to its rebuilt page being
// served as Watch does it on this system: with inotify on Linux, the event,
// the wait for the burst to end (coalesceQuiet), the client's reload,
// derive and render, and the request. It reports the first full build as
// full-build-ms.
func BenchmarkRebuildOneSession(b *testing.B) {
	s, full, edit := edited(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n, err := newNotifier(s.roots)
	if err != nil {
		b.Skipf("no change notification: %v (see BenchmarkRebuildOneSessionPolling)", err)
	}
	defer n.Close()
	go coalesce(ctx, n.paths, s.apply)
	events, unsubscribe := s.subscribe()
	defer unsubscribe()

	b.ResetTimer()
	for i := range b.N {
		page, title := edit(i)
		select {
		case <-events:
		case <-time.After(10 * time.Second):
			b.Fatal("the edit was not seen")
		}
		served(b, s, page, title)
	}
	b.StopTimer()
	if errs := s.Errors(); len(errs) > 0 {
		b.Fatal(errs)
	}
	b.ReportMetric(float64(full.Microseconds())/1000, "full-build-ms")
}

// BenchmarkRebuildOneSessionPolling is BenchmarkRebuildOneSession where
// Watch polls: the poll that finds the change (Scan), the rebuild and the
// request, with the poll's interval left out. It reports one poll of an
// unchanged tree as poll-ms.
func BenchmarkRebuildOneSessionPolling(b *testing.B) {
	s, full, edit := edited(b)
	pollStart := time.Now()
	if s.Scan() {
		b.Fatal("a change was found in an untouched tree")
	}
	poll := time.Since(pollStart)

	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		page, title := edit(i)
		b.StartTimer()
		if !s.Scan() {
			b.Fatal("the edit was not seen")
		}
		served(b, s, page, title)
	}
	b.StopTimer()
	if errs := s.Errors(); len(errs) > 0 {
		b.Fatal(errs)
	}
	b.ReportMetric(float64(full.Microseconds())/1000, "full-build-ms")
	b.ReportMetric(float64(poll.Microseconds())/1000, "poll-ms")
}
