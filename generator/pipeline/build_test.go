package pipeline_test

import (
	"bytes"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/generator/seal"
	"github.com/coachsite/coachsite/internal/testsite"
)

// buildExample builds the example site in content/ into a fresh folder and
// returns every file written, by slash path.
func buildExample(t *testing.T) map[string][]byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	if _, err := pipeline.Build(pipeline.Options{Content: "../../content", Out: out}); err != nil {
		t.Fatal(err)
	}
	return testsite.ReadTree(t, out)
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

var idRE = regexp.MustCompile(`\sid="([^"]*)"`)

// TestIDsAreUnique checks that no page of the example site gives one id
// twice: a heading of the notes (its id made from its text) must not take
// the id of a section of the theme, or a link or a screen reader's
// aria-labelledby would reach the wrong one.
func TestIDsAreUnique(t *testing.T) {
	pages := 0
	for p, data := range buildExample(t) {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		pages++
		seen := map[string]bool{}
		for _, m := range idRE.FindAllSubmatch(data, -1) {
			if id := string(m[1]); seen[id] {
				t.Errorf("%s: id %q given twice", p, id)
			} else {
				seen[id] = true
			}
		}
	}
	if pages < 20 {
		t.Fatalf("only %d pages", pages)
	}
}

var attrRE = regexp.MustCompile(`(?i)\s(href|src|action|srcset|poster|data)="([^"]*)"`)

// TestLinksAreRelativeAndResolve checks every link of every page: nothing is
// loaded from another host, nothing is linked by an absolute path, and every
// relative link reaches a file that was written.
func TestLinksAreRelativeAndResolve(t *testing.T) {
	checkLinks(t, buildExample(t))
}

// TestEncryptedLinksResolve is TestLinksAreRelativeAndResolve over an
// encrypted build of the example, each sealed page checked as the coach
// sees it once unlocked: the links inside the payloads must resolve too
// (the portal's data link leads to the sealed data page, not to files that
// an encrypted site never writes in clear).
func TestEncryptedLinksResolve(t *testing.T) {
	ss := buildSealedExample(t)
	sec, files := ss.sec, readTree(t, ss.public)
	keys := map[string]*seal.Opened{} // payload id -> the coach's keys, one PBKDF2 per portal
	opened := map[string][]byte{}
	for p, data := range files {
		m := sealedBlock.FindSubmatchIndex(data)
		if m == nil || !strings.HasSuffix(p, ".html") {
			continue
		}
		pl := payloadOf(t, data, p)
		o := keys[pl.ID]
		if o == nil {
			var err error
			if o, err = seal.Open(pl, p, sec.Coach); err != nil {
				t.Fatalf("%s: the coach cannot open it: %v", p, err)
			}
			keys[pl.ID] = o
		}
		key, coach := o.Key, false
		if pl.Coach != "" && o.CoachKey != nil {
			key, coach = o.CoachKey, true
		}
		html, err := seal.OpenWithKey(pl, p, key, coach)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		opened[p] = append(append(append([]byte(nil), data[:m[0]]...), html...), data[m[1]:]...)
	}
	if len(opened) < 10 {
		t.Fatalf("only %d sealed pages", len(opened))
	}
	dataLinks := 0
	for p, data := range opened {
		files[p] = data
		dataLinks += bytes.Count(data, []byte(`href="data/index.html"`))
	}
	if dataLinks == 0 {
		t.Error("no portal links its sealed data page")
	}
	checkLinks(t, files)
}

// checkLinks checks every link of every HTML page of files.
func checkLinks(t *testing.T, files map[string][]byte) {
	t.Helper()
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
	o := pipeline.Options{Content: "../../content", Out: filepath.Join(t.TempDir(), "public"),
		Progress: func(done, all int) {
			calls++
			if all != 0 && done != last+1 {
				t.Errorf("progress went from %d to %d", last, done)
			}
			last, total = done, all
		}}
	st, err := pipeline.Build(o)
	if err != nil {
		t.Fatal(err)
	}
	if calls != st.Clients+1 || last != st.Clients || total != st.Clients {
		t.Errorf("progress: %d calls ending at %d of %d, want %d calls ending at %d of %d", calls, last, total, st.Clients+1, st.Clients, st.Clients)
	}
}
