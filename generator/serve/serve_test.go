package serve_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/output"
	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/generator/serve"
	"github.com/coachsite/coachsite/internal/browsertest"
	"github.com/coachsite/coachsite/internal/testsite"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// copyContent copies the example site's content folder into a temporary
// folder and returns the copy's path.
func copyContent(t testing.TB) string {
	t.Helper()
	src := filepath.Join("..", "..", "content")
	dst := filepath.Join(t.TempDir(), "content")
	testsite.CopyTree(t, src, dst)
	return dst
}

// start runs the preview server for content on a free port until the test
// ends and returns its base URL, ending with "/".
func start(t *testing.T, content string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve.Run(ctx, serve.Options{Content: content, Every: 10 * time.Millisecond}, "127.0.0.1:0", func(u string) { urls <- u })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	select {
	case u := <-urls:
		return u
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	return ""
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func status(t *testing.T, base string) serve.Status {
	t.Helper()
	_, body := get(t, base+"__coachsite/errors")
	var st serve.Status
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("errors endpoint: %v: %s", err, body)
	}
	return st
}

// waitFor polls the server until cond holds for its status, failing after a
// generous limit (a correctness bound, not a performance assertion).
func waitFor(t *testing.T, base, what string, cond func(serve.Status) bool) serve.Status {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := status(t, base)
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: last status %+v", what, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// after waits for a rebuild beyond generation gen.
func after(t *testing.T, base string, gen uint64) serve.Status {
	t.Helper()
	return waitFor(t, base, "a rebuild", func(st serve.Status) bool { return st.Generation > gen })
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	write(t, path, strings.Replace(string(b), old, new, 1))
}

const client = "tobias-ferrante-okoro"

func TestServeEditsErrorsAndRecovery(t *testing.T) {
	content := copyContent(t)
	base := start(t, content)
	dir := filepath.Join(content, "clients", client)
	portal := base + "clients/" + client + "/"

	code, home := get(t, base)
	if code != 200 || !strings.Contains(home, `<script src="/__coachsite/reload.js" data-generation="1"></script>`+"\n</body>") {
		t.Fatalf("home: status %d, reload script not injected before </body>:\n%s", code, home)
	}
	if code, js := get(t, base+"__coachsite/reload.js"); code != 200 || !strings.Contains(js, "EventSource") {
		t.Fatalf("reload.js: %d %q", code, js)
	}
	if code, _ := get(t, base+"clients/"+client); code != 200 {
		t.Fatalf("folder without slash: %d", code)
	}
	st := status(t, base)
	if st.Generation != 1 || len(st.Errors) != 0 {
		t.Fatalf("first status %+v", st)
	}

	// An edit of one session shows on its page and on the portal.
	session := filepath.Join(dir, "2026-11-11.md")
	replaceIn(t, session, "title: New role, new rhythm", "title: Edited while serving")
	st = after(t, base, st.Generation)
	if _, page := get(t, portal+"2026-11-11/"); !strings.Contains(page, "Edited while serving") {
		t.Fatal("session page not rebuilt")
	}
	if _, page := get(t, portal); !strings.Contains(page, "Edited while serving") {
		t.Fatal("portal not rebuilt")
	}
	// The site-wide export, remade when asked for.
	if code, data := get(t, base+"data/data.json"); code != 200 || !strings.Contains(data, "Edited while serving") {
		t.Fatalf("site export not up to date: %d", code)
	}

	// A content error: reported with path and line, last good site served.
	replaceIn(t, session, "  career: 8\n", "  career: 12\n")
	st = waitFor(t, base, "the error", func(st serve.Status) bool { return len(st.Errors) > 0 })
	e := st.Errors[0]
	rel := filepath.ToSlash(session)
	if e.Path != rel || e.Line < 2 || !strings.HasPrefix(e.Text, rel+":") || !strings.Contains(e.Text, "career") {
		t.Fatalf("problem %+v, want one at %s:LINE about career", e, rel)
	}
	if code, page := get(t, portal+"2026-11-11/"); code != 200 || !strings.Contains(page, "Edited while serving") {
		t.Fatal("the last good page is not served during the error")
	}
	// The event stream reports the same problems to a page that connects now.
	ev := firstEvent(t, base+"__coachsite/events")
	if !strings.Contains(ev, "career") || !strings.HasPrefix(ev, "event: status\ndata: {") {
		t.Fatalf("first event %q", ev)
	}

	// Fixing the file clears it.
	replaceIn(t, session, "  career: 12\n", "  career: 9\n")
	st = waitFor(t, base, "the fix", func(st serve.Status) bool { return len(st.Errors) == 0 })

	// A new session; then renamed; then deleted.
	write(t, filepath.Join(dir, "2026-12-01.md"), "---\ntitle: Added while serving\nratings: {career: 5}\n---\nNotes.\n")
	st = after(t, base, st.Generation)
	if code, page := get(t, portal+"2026-12-01/"); code != 200 || !strings.Contains(page, "Added while serving") {
		t.Fatalf("new session: %d", code)
	}
	if err := os.Rename(filepath.Join(dir, "2026-12-01.md"), filepath.Join(dir, "2026-12-02-renamed.md")); err != nil {
		t.Fatal(err)
	}
	st = after(t, base, st.Generation)
	if code, _ := get(t, portal+"2026-12-01/"); code != 404 {
		t.Fatalf("old name after rename: %d, want 404", code)
	}
	if code, _ := get(t, portal+"2026-12-02-renamed/"); code != 200 {
		t.Fatalf("new name after rename: %d", code)
	}
	if err := os.Remove(filepath.Join(dir, "2026-12-02-renamed.md")); err != nil {
		t.Fatal(err)
	}
	st = after(t, base, st.Generation)
	if code, _ := get(t, portal+"2026-12-02-renamed/"); code != 404 {
		t.Fatalf("deleted session: %d, want 404", code)
	}

	// A new client, listed on the home page; then removed.
	write(t, filepath.Join(content, "clients", "new-person", "_index.md"), "---\nname: Newly Added Person\n---\n")
	write(t, filepath.Join(content, "clients", "new-person", "2026-01-05.md"), "---\nratings: {vision: 3}\n---\n")
	st = waitFor(t, base, "the new client", func(s serve.Status) bool {
		code, _ := get(t, base+"clients/new-person/2026-01-05/")
		return s.Generation > st.Generation && code == 200
	})
	if _, home := get(t, base); !strings.Contains(home, "Newly Added Person") {
		t.Fatal("new client not on the home page")
	}
	if err := os.RemoveAll(filepath.Join(content, "clients", "new-person")); err != nil {
		t.Fatal(err)
	}
	st = after(t, base, st.Generation)
	if code, _ := get(t, base+"clients/new-person/"); code != 404 {
		t.Fatalf("removed client: %d", code)
	}
	if _, home := get(t, base); strings.Contains(home, "Newly Added Person") {
		t.Fatal("removed client still on the home page")
	}

	// site.yaml: a full rebuild.
	replaceIn(t, filepath.Join(content, "site.yaml"), "title: Harbour Light Coaching", "title: Renamed Practice")
	st = after(t, base, st.Generation)
	if _, page := get(t, portal); !strings.Contains(page, "Renamed Practice") {
		t.Fatal("site.yaml change not applied to a portal")
	}
	// A broken site.yaml keeps the site served, then recovers.
	replaceIn(t, filepath.Join(content, "site.yaml"), "scale: {min: 1, max: 9}", "scale: {min: 1, max: nine}")
	waitFor(t, base, "the site.yaml error", func(s serve.Status) bool {
		return len(s.Errors) > 0 && strings.Contains(s.Errors[0].Text, "site.yaml:")
	})
	if code, _ := get(t, portal); code != 200 {
		t.Fatal("portal not served while site.yaml is broken")
	}
	replaceIn(t, filepath.Join(content, "site.yaml"), "max: nine", "max: 9")
	waitFor(t, base, "the site.yaml fix", func(s serve.Status) bool { return len(s.Errors) == 0 })

	if _, err := os.Stat(filepath.Join(filepath.Dir(content), "public")); err == nil {
		t.Fatal("serve created public/")
	}
}

// firstEvent reads the first server-sent event of url.
func firstEvent(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events content type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	var ev strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == "\n" {
			return ev.String()
		}
		ev.WriteString(line)
	}
}

func TestServeWithoutAGoodBuild(t *testing.T) {
	content := copyContent(t)
	site := filepath.Join(content, "site.yaml")
	replaceIn(t, site, "scale: {min: 1, max: 9}", "scale: {min: 1, max: nine}")
	base := start(t, content)
	code, page := get(t, base+"clients/"+client+"/")
	if code != http.StatusServiceUnavailable || !strings.Contains(page, "/__coachsite/reload.js") {
		t.Fatalf("no site yet: %d\n%s", code, page)
	}
	if st := status(t, base); st.Generation != 0 || len(st.Errors) == 0 {
		t.Fatalf("status %+v", st)
	}
	replaceIn(t, site, "max: nine", "max: 9")
	after(t, base, 0)
	if code, _ := get(t, base+"clients/"+client+"/"); code != 200 {
		t.Fatalf("after the fix: %d", code)
	}
}

func TestBuildOutputHasNoReloadScript(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if _, err := pipeline.Build(pipeline.Options{Content: filepath.Join("..", "..", "content"), Out: out}); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), "__coachsite") {
			t.Errorf("%s mentions __coachsite", p)
		}
		return nil
	})
}

func TestRunRefusesOtherHosts(t *testing.T) {
	err := serve.Run(context.Background(), serve.Options{Content: copyContent(t)}, "0.0.0.0:0", nil)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("Run on 0.0.0.0: %v", err)
	}
}

// TestSealedPreviewIsTheBuild checks that a sealed in-memory build holds
// exactly the files, byte for byte, that Build writes.
func TestSealedPreviewIsTheBuild(t *testing.T) {
	content := copyContent(t)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out}); err != nil {
		t.Fatal(err)
	}
	m := pipeline.NewMemory(pipeline.Options{Content: content}, true)
	if _, err := m.Full(); err != nil {
		t.Fatal(err)
	}
	var n int
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if rel == output.MarkerFile {
			return nil // says the folder is a build's; the preview has none
		}
		n++
		want, _ := os.ReadFile(p)
		got, ok := m.File(filepath.ToSlash(rel))
		if !ok || string(got) != string(want) {
			t.Errorf("%s: in memory %v, same bytes %v", rel, ok, string(got) == string(want))
		}
		return nil
	})
	if len(m.Paths()) != n {
		t.Errorf("%d files in memory, %d built", len(m.Paths()), n)
	}
}
