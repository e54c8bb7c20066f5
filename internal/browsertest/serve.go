package browsertest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Serve serves the static files of dir over HTTP on 127.0.0.1 until t ends,
// with net/http's FileServer and no extra headers, and returns the base URL,
// which ends with a slash: base + "index.html". As FileServer does, a request
// for .../index.html is redirected to .../ (both are recorded as requests).
func Serve(t testing.TB, dir string) string {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// FileURL returns the file:// URL of rel inside dir, escaped as a browser
// expects. With rel "" it is dir's own URL, ending with a slash, ready to be
// an allowed prefix of [Page.AssertNoOutsideRequests].
func FileURL(dir, rel string) string {
	abs, err := filepath.Abs(filepath.Join(dir, rel))
	if err != nil {
		// Abs fails only when the working directory is gone; the path
		// joined as it is still names the file.
		abs = filepath.Join(dir, rel)
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	if rel == "" || strings.HasSuffix(rel, "/") {
		p = strings.TrimSuffix(p, "/") + "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// ArtifactDir returns a folder for the test's screenshots and PDFs: a folder
// named after the test inside $COACHSITE_ARTIFACTS when that is set (CI keeps
// it), else a temporary folder removed after the test. It logs where.
func ArtifactDir(t testing.TB) string {
	t.Helper()
	root := os.Getenv(envArtifacts)
	if root == "" {
		dir := t.TempDir()
		t.Logf("browsertest: artefacts in %s (removed after the test; set %s to keep them)", dir, envArtifacts)
		return dir
	}
	dir := filepath.Join(root, safeName(t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	t.Logf("browsertest: artefacts in %s", dir)
	return dir
}

// safeName turns a test name such as "TestX/sub case" into a file name.
func safeName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
}
