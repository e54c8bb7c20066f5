package serve

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/load"
)

// expect reads paths from n until every one of want has come, and fails
// t if that takes more than ten seconds. It returns every path seen.
func expect(t *testing.T, n *notifier, want ...string) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	missing := func() []string {
		var m []string
		for _, w := range want {
			if !seen[w] {
				m = append(m, w)
			}
		}
		return m
	}
	giveUp := time.After(10 * time.Second)
	for len(missing()) > 0 {
		select {
		case p := <-n.paths:
			seen[p] = true
		case <-giveUp:
			t.Fatalf("not reported: %q (seen %v)", missing(), seen)
		}
	}
	return seen
}

func mustWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestNotifierReportsChanges(t *testing.T) {
	site := t.TempDir()
	content := filepath.Join(site, "content")
	themes := filepath.Join(site, "themes") // made later
	client := filepath.Join(content, "clients", "ana")
	if err := os.MkdirAll(client, 0o755); err != nil {
		t.Fatal(err)
	}
	session := filepath.Join(client, "2024-01-01.md")
	mustWrite(t, session, "---\ntitle: A\n---\n")

	n, err := newNotifier([]string{content, themes})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()

	// A write in a folder watched from the start.
	mustWrite(t, session, "---\ntitle: B\n---\n")
	expect(t, n, session)

	// An editor's save: a temporary file renamed over the session.
	tmp := filepath.Join(client, "2024-01-01.md.tmp")
	mustWrite(t, tmp, "---\ntitle: C\n---\n")
	if err := os.Rename(tmp, session); err != nil {
		t.Fatal(err)
	}
	expect(t, n, session, tmp)

	// A new client folder, with a file written at once: the folder is
	// watched from then on.
	bo := filepath.Join(content, "clients", "bo")
	if err := os.Mkdir(bo, 0o755); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(bo, "client.yaml")
	mustWrite(t, first, "name: Bo\n")
	expect(t, n, bo, first)
	later := filepath.Join(bo, "2024-02-02.md")
	mustWrite(t, later, "---\ntitle: D\n---\n")
	expect(t, n, later)

	// The themes folder, missing at first, appears; its files are watched.
	css := filepath.Join(themes, "default", "site.css")
	if err := os.MkdirAll(filepath.Dir(css), 0o755); err != nil {
		t.Fatal(err)
	}
	expect(t, n, themes)
	mustWrite(t, css, "body{}")
	expect(t, n, css)

	// Hidden files and editors' backups are passed over, as loading
	// passes over them; a later change is still seen.
	mustWrite(t, filepath.Join(client, ".2024-01-01.md.swp"), "x")
	mustWrite(t, filepath.Join(client, "2024-01-01.md~"), "x")
	if err := os.Remove(later); err != nil {
		t.Fatal(err)
	}
	seen := expect(t, n, later)
	for p := range seen {
		if load.SkipName(filepath.Base(p)) {
			t.Errorf("reported %s, which loading passes over", p)
		}
	}
}

func TestNotifierClose(t *testing.T) {
	dir := t.TempDir()
	n, err := newNotifier([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	n.Close()
	select {
	case _, ok := <-n.paths:
		if ok {
			// A path sent before the close is fine; the channel must close.
			for range n.paths {
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the paths channel did not close after Close")
	}
}
