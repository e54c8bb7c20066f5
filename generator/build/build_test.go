package build_test

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/build"
)

// buildExample builds the example site in content/ into a fresh folder and
// returns every file written, by slash path.
func buildExample(t *testing.T) map[string][]byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(build.Options{Content: "../../content", Out: out}); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestBuildIsDeterministic(t *testing.T) {
	a, b := buildExample(t), buildExample(t)
	if len(a) != len(b) {
		t.Fatalf("two builds wrote %d and %d files", len(a), len(b))
	}
	for p, data := range a {
		if !bytes.Equal(data, b[p]) {
			t.Errorf("%s differs between two builds of the same content", p)
		}
	}
}

var attrRE = regexp.MustCompile(`(?i)\s(href|src|action|srcset|poster|data)="([^"]*)"`)

// TestLinksAreRelativeAndResolve checks every link of every page: nothing is
// loaded from another host, nothing is linked by an absolute path, and every
// relative link reaches a file that was written.
func TestLinksAreRelativeAndResolve(t *testing.T) {
	files := buildExample(t)
	pages := 0
	for p, data := range files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		pages++
		for _, m := range attrRE.FindAllSubmatch(data, -1) {
			attr, url := strings.ToLower(string(m[1])), string(m[2])
			url = strings.ReplaceAll(url, "&amp;", "&")
			switch {
			case url == "" || strings.HasPrefix(url, "#"):
				continue
			case strings.HasPrefix(url, "//"), strings.HasPrefix(url, "/"):
				t.Errorf("%s: %s=%q is absolute", p, attr, url)
			case strings.Contains(url, "://"), strings.HasPrefix(url, "mailto:"), strings.HasPrefix(url, "tel:"):
				// A link the coach wrote in the notes may point elsewhere, but
				// nothing may be loaded from another host.
				if attr != "href" {
					t.Errorf("%s: %s=%q loads from another host", p, attr, url)
				}
			default:
				target := url
				if i := strings.IndexAny(target, "#?"); i >= 0 {
					target = target[:i]
				}
				resolved := path.Join(path.Dir(p), target)
				if strings.HasSuffix(target, "/") {
					t.Errorf("%s: %s=%q links a folder, which does not open from file://", p, attr, url)
					continue
				}
				if _, ok := files[resolved]; !ok {
					t.Errorf("%s: %s=%q points to %s, which was not written", p, attr, url, resolved)
				}
			}
		}
	}
	if pages < 20 {
		t.Fatalf("only %d pages checked", pages)
	}
}

func TestProgressCountsEveryClient(t *testing.T) {
	var calls, last, total int
	o := build.Options{Content: "../../content", Out: filepath.Join(t.TempDir(), "public"),
		Progress: func(done, all int) {
			calls++
			if all != 0 && done != last+1 {
				t.Errorf("progress went from %d to %d", last, done)
			}
			last, total = done, all
		}}
	st, err := build.Build(o)
	if err != nil {
		t.Fatal(err)
	}
	if calls != st.Clients+1 || last != st.Clients || total != st.Clients {
		t.Errorf("progress: %d calls ending at %d of %d, want %d calls ending at %d of %d", calls, last, total, st.Clients+1, st.Clients, st.Clients)
	}
}
