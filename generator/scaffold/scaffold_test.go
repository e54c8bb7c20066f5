package scaffold_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/generator/scaffold"
)

func TestNewSiteBuilds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "practice")
	if _, err := scaffold.Site(dir, scaffold.SiteOptions{}); err != nil {
		t.Fatal(err)
	}
	content := filepath.Join(dir, "content")
	st, err := pipeline.Build(pipeline.Options{Content: content, Out: filepath.Join(dir, "public")})
	if err != nil {
		t.Fatalf("the new site does not build: %v", err)
	}
	if st.Clients != 1 || st.Sessions != 1 {
		t.Fatalf("stats %+v", st)
	}
	site, err := load.Site(content, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, a := range site.Areas {
		keys = append(keys, a.Key)
	}
	if strings.Join(keys, ",") != strings.Join(scaffold.DefaultAreas, ",") {
		t.Fatalf("areas %v", keys)
	}
	gi, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
	for _, want := range []string{"public/", ".secrets*", "secrets.yaml"} {
		if !strings.Contains(string(gi), want+"\n") {
			t.Errorf(".gitignore lacks %s", want)
		}
	}
	if _, err := scaffold.Site(dir, scaffold.SiteOptions{}); err == nil {
		t.Fatal("a second new site in the same folder was allowed")
	}
}

func TestNewClientAndSessions(t *testing.T) {
	dir := t.TempDir()
	if _, err := scaffold.Site(dir, scaffold.SiteOptions{}); err != nil {
		t.Fatal(err)
	}
	content := filepath.Join(dir, "content")
	if _, err := scaffold.Client(content, "Bad Slug", scaffold.ClientOptions{}); err == nil {
		t.Fatal("bad slug accepted")
	}
	if _, err := scaffold.Client(content, "kim-lee", scaffold.ClientOptions{Name: `Kim "K" Lee`, Areas: []string{"career", "health"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := scaffold.Client(content, "kim-lee", scaffold.ClientOptions{}); err == nil {
		t.Fatal("existing client overwritten")
	}
	date := func(s string) model.Date {
		d, _ := time.Parse("2006-01-02", s)
		return model.NewDate(d.Year(), d.Month(), d.Day())
	}
	// The first session of a new client has nothing to carry forward.
	if _, err := scaffold.Session(content, "kim-lee", scaffold.SessionOptions{Date: date("2026-03-01")}); err != nil {
		t.Fatal(err)
	}
	// A session of the example client carries its ratings, time and open
	// commitment forward.
	p, err := scaffold.Session(content, "example-client", scaffold.SessionOptions{Date: date("2026-02-01"), Title: "Second: the plan!"})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p) != "2026-02-01-second-the-plan.md" {
		t.Fatalf("file %s", p)
	}
	if _, err := scaffold.Session(content, "example-client", scaffold.SessionOptions{Date: date("2026-02-01"), Title: "Second: the plan!"}); err == nil {
		t.Fatal("an existing session was overwritten")
	}
	site, err := load.Site(content, load.Options{})
	if err != nil {
		t.Fatalf("the new files do not load: %v", err)
	}
	var ex *model.Client
	for _, c := range site.Clients {
		if c.Slug == "example-client" {
			ex = c
		}
	}
	if len(ex.Sessions) != 2 {
		t.Fatalf("%d sessions", len(ex.Sessions))
	}
	first, next := ex.Sessions[0], ex.Sessions[1]
	if next.Title != "Second: the plan!" || !next.Date.Equal(date("2026-02-01").Time) {
		t.Fatalf("new session %q %s", next.Title, next.Date)
	}
	for k, v := range first.Ratings {
		if next.Ratings[k] != v {
			t.Errorf("rating %s: %d, want %d carried forward", k, next.Ratings[k], v)
		}
	}
	for k, v := range first.Time {
		if next.Time[k] != v {
			t.Errorf("time %s: %v, want %v", k, next.Time[k], v)
		}
	}
	if len(next.Commitments) != 1 || next.Commitments[0].Text != first.Commitments[0].Text || next.Commitments[0].Status != model.StatusOpen || !next.Commitments[0].Due.Equal(first.Commitments[0].Due.Time) {
		t.Fatalf("commitments %+v, want the open one carried forward", next.Commitments)
	}
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: filepath.Join(dir, "public")}); err != nil {
		t.Fatal(err)
	}
}

// copyExample copies site.yaml and one client of the example site into a
// temporary content folder.
func copyExample(t *testing.T, slug string) string {
	t.Helper()
	src := filepath.Join("..", "..", "content")
	dst := filepath.Join(t.TempDir(), "content")
	files, _ := filepath.Glob(filepath.Join(src, "clients", slug, "*.md"))
	for _, f := range append(files, filepath.Join(src, "site.yaml")) {
		rel, _ := filepath.Rel(src, f)
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755)
		if err := os.WriteFile(filepath.Join(dst, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestNewSessionOfTheExampleSite(t *testing.T) {
	const slug = "tobias-ferrante-okoro"
	content := copyExample(t, slug)
	p, err := scaffold.Session(content, slug, scaffold.SessionOptions{Date: model.NewDate(2027, 1, 9)})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(p) != filepath.Join(content, "clients", slug) {
		t.Fatalf("written to %s", p)
	}
	if _, err := load.Site(content, load.Options{}); err != nil {
		t.Fatalf("does not load: %v", err)
	}
	b, _ := os.ReadFile(p)
	for _, want := range []string{"Try a beginners' evening at the climbing club", "career: 8", "career: {actual: 40, wished: 35}"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%q not carried forward:\n%s", want, b)
		}
	}
}

// TestNewSiteInALanguage scaffolds a German site with a French client: the
// files keep their English comments, set the languages, and build into
// German and French pages; a bad tag is refused.
func TestNewSiteInALanguage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "praxis")
	if _, err := scaffold.Site(dir, scaffold.SiteOptions{Language: "de"}); err != nil {
		t.Fatal(err)
	}
	content := filepath.Join(dir, "content")
	if _, err := scaffold.Client(content, "lea", scaffold.ClientOptions{Name: "Léa", Language: "fr"}); err != nil {
		t.Fatal(err)
	}
	y, _ := os.ReadFile(filepath.Join(content, "site.yaml"))
	if !strings.Contains(string(y), "\nlanguage: de\n") || !strings.Contains(string(y), "# Settings of the site.") {
		t.Errorf("site.yaml:\n%s", y)
	}
	out := filepath.Join(dir, "public")
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out}); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"clients/example-client/index.html": `<html lang="de" dir="ltr">`,
		"clients/lea/index.html":            `<html lang="fr" dir="ltr">`,
	} {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(path)))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s (%v)", path, want, err)
		}
	}
	if _, err := scaffold.Site(filepath.Join(t.TempDir(), "x"), scaffold.SiteOptions{Language: "german"}); err == nil {
		t.Error("language german accepted")
	}
	if _, err := scaffold.Client(content, "max", scaffold.ClientOptions{Language: "deutsch!"}); err == nil {
		t.Error("client language deutsch! accepted")
	}
}
