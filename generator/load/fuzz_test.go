package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/model"
)

// FuzzFrontMatter feeds arbitrary text to the front matter splitter and
// the strict decoder: neither may panic, and every error must be on a line
// of the file.
func FuzzFrontMatter(f *testing.F) {
	f.Add("---\ntitle: a\nratings: {vision: 4}\n---\nbody\n")
	f.Add("---\ntime:\n  vision: {actual: 10, wished: 20}\ncommitments: [{text: a, due: 2026-01-01}]\n...\n")
	f.Add("---\na: &a [*a]\n---\n")
	f.Add("---\nx: &x [1,1,1,1]\ny: &y [*x,*x,*x,*x]\nz: &z [*y,*y,*y,*y]\ntags: *z\n---\n")
	f.Add("\ufeff---\r\ndate: 2026-02-30\r\n---\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		src := normalize([]byte(s))
		fm, _, bodyLine, has, _ := splitFrontMatter(src)
		if !has {
			return
		}
		lines := strings.Count(string(src), "\n") + 1
		if bodyLine < 2 || bodyLine > lines+1 {
			t.Fatalf("body line %d of %d", bodyLine, lines)
		}
		var m sessionMeta
		errs, _ := decodeYAML(fm, &m, "f.md", 2)
		for _, e := range errs {
			if e.Line < 0 || e.Line > lines+1 {
				t.Errorf("error on line %d of a %d-line file: %v", e.Line, lines, e)
			}
		}
	})
}

// FuzzSessionFile loads arbitrary text as a whole session file.
func FuzzSessionFile(f *testing.F) {
	f.Add([]byte("---\ntitle: a\nratings: {vision: 4}\ntime: {vision: {actual: 100, wished: 100}}\n---\n# Notes\n\n```private\nx\n```\n"))
	f.Add([]byte("---\n---\n- a\n  ```private\n"))
	f.Add([]byte("no front matter"))
	f.Add([]byte("---\ncommitments: [a, {text: b, status: done}, [c]]\n---\n[x](javascript:y)"))
	dir := f.TempDir()
	path := filepath.Join(dir, "clients", "kim", "2026-01-14.md")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		f.Fatal(err)
	}
	site := &model.Site{Scale: model.Scale{Min: 1, Max: 9}}
	client := &model.Client{Slug: "kim", Areas: []model.Area{{Key: "vision"}, {Key: "service"}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, errs := SessionFile(site, client, dir, filepath.Join("clients", "kim", "2026-01-14.md"), Options{Drafts: true})
		if s == nil && len(errs) == 0 {
			t.Fatal("no session and no error")
		}
		if s != nil && strings.Contains(string(s.Notes.Client), "private-note") {
			t.Fatalf("private block in client notes: %q", s.Notes.Client)
		}
	})
}
