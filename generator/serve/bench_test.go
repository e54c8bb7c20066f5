package serve_test

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/serve"
)

// corpus generates the 10,000-session benchmark corpus (500 clients of 20
// sessions) with the shared generator script (../shared/bench/gen_corpus.py
// beside the checkout, or $COACHSITE_GEN_CORPUS), or skips.
func corpus(b *testing.B) string {
	b.Helper()
	script := os.Getenv("COACHSITE_GEN_CORPUS")
	if script == "" {
		script = filepath.Join("..", "..", "..", "shared", "bench", "gen_corpus.py")
	}
	if _, err := os.Stat(script); err != nil {
		b.Skipf("no corpus generator at %s", script)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		b.Skip("python3 not found")
	}
	dir := b.TempDir()
	if out, err := exec.Command(py, script, "--clients", "500", "--sessions", "20", "--out", dir).CombinedOutput(); err != nil {
		b.Fatalf("gen_corpus.py: %v\n%s", err, out)
	}
	return filepath.Join(dir, "content")
}

// BenchmarkRebuildOneSession measures, on the 10,000-session corpus, the time
// from the change of one session file on disk to its rebuilt page being
// served: the poll that finds it, the client's reload, derive and render, and
// the request. It reports the first full build as full-build-ms and one poll
// of an unchanged tree as poll-ms.
func BenchmarkRebuildOneSession(b *testing.B) {
	content := corpus(b)
	start := time.Now()
	s, err := serve.New(serve.Options{Content: content})
	if err != nil {
		b.Fatal(err)
	}
	full := time.Since(start)
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

	pollStart := time.Now()
	if s.Scan() {
		b.Fatal("a change was found in an untouched tree")
	}
	poll := time.Since(pollStart)

	b.ResetTimer()
	for i := range b.N {
		title := fmt.Sprintf("Edited %d", i)
		b.StopTimer()
		if err := os.WriteFile(file, []byte(strings.Replace(text, "title: ", "title: "+title+" ", 1)), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if !s.Scan() {
			b.Fatal("the edit was not seen")
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", page, nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), title) {
			b.Fatalf("page %s: %d, edit not served", page, rec.Code)
		}
	}
	b.StopTimer()
	if errs := s.Errors(); len(errs) > 0 {
		b.Fatal(errs)
	}
	b.ReportMetric(float64(full.Microseconds())/1000, "full-build-ms")
	b.ReportMetric(float64(poll.Microseconds())/1000, "poll-ms")
}
