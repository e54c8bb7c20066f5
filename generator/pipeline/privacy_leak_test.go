package pipeline_test

import (
	"bytes"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/themes"
)

// minLeak is the shortest sensitive string the leak test looks for: shorter
// ones (a tag "ai") match ciphertext and ordinary words by chance.
const minLeak = 5

// sensitiveStrings collects every string of the loaded site that must never
// appear in clear in an encrypted build: names, roles, organizations, goals,
// slugs, session titles and slugs, tags, commitments, energizers and
// drainers, several sentences of every note, and every line of every private
// block.
func sensitiveStrings(t testing.TB, site *model.Site) []string {
	t.Helper()
	set := map[string]bool{}
	add := func(ss ...string) {
		for _, s := range ss {
			if s = strings.TrimSpace(s); utf8.RuneCountInString(s) >= minLeak {
				set[s] = true
			}
		}
	}
	notes := func(n model.Notes) {
		add(noteSentences(string(n.Coach))...)
	}
	for _, c := range site.Clients {
		add(c.Name, c.Role, c.Organization, c.Slug)
		add(c.Goals...)
		notes(c.Intro)
		for _, s := range c.Sessions {
			add(s.Title, s.Slug)
			add(s.Tags...)
			add(s.Energizers...)
			add(s.Drainers...)
			for _, cm := range s.Commitments {
				add(cm.Text)
			}
			notes(s.Notes)
			add(privateLines(t, s.Path, minLeak)...)
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

var (
	tag      = regexp.MustCompile(`<[^>]*>`)
	sentence = regexp.MustCompile(`[^.!?\n]{24,}[.!?]?`)
)

// noteSentences returns the longer runs of text of a rendered note: up to
// eight sentences of each paragraph-sized block.
func noteSentences(h string) []string {
	var out []string
	for _, block := range strings.Split(tag.ReplaceAllString(h, "\n"), "\n") {
		text := strings.TrimSpace(html.UnescapeString(block))
		ms := sentence.FindAllString(text, 8)
		for _, m := range ms {
			out = append(out, strings.TrimSpace(m))
		}
	}
	return out
}

// allowedText is what may be in clear without being a leak: the site's own
// settings and the theme's files (a client's tag "vision" is also an area,
// and echarts.min.js holds many English words).
func allowedText(t testing.TB, site *model.Site) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(site.Title + "\n" + site.Coach + "\n")
	for _, a := range site.Areas {
		b.WriteString(a.Key + "\n" + a.Label + "\n" + a.Description + "\n")
	}
	err := fs.WalkDir(themes.Default, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(themes.Default, p)
		b.Write(data)
		b.WriteByte('\n')
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// forms returns the ways s can be written in a file: as it is, escaped as
// HTML text or attribute, and escaped as a JSON string.
func forms(s string) []string {
	out := []string{s, htmlText(s), html.EscapeString(s)}
	j := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "<", `\u003c`, ">", `\u003e`, "&", `\u0026`).Replace(s)
	out = append(out, j)
	sort.Strings(out)
	return slicesCompact(out)
}

func slicesCompact(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// findLeaks scans every byte of every file under public for every
// sensitive string of content (as written, HTML-escaped or JSON-escaped),
// and every file name; it returns one line per hit naming the file and the
// string.
func findLeaks(t testing.TB, content, public string) []string {
	t.Helper()
	site := loadSite(t, content)
	allowed := allowedText(t, site)
	var look []string
	for _, s := range sensitiveStrings(t, site) {
		if bytes.Contains(allowed, []byte(s)) {
			t.Logf("not looked for (also in the theme or the site settings): %q", s)
			continue
		}
		look = append(look, s)
	}
	if len(look) < 20 {
		t.Fatalf("only %d sensitive strings: the collection is broken", len(look))
	}
	files := readTree(t, public)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var hits []string
	for _, name := range names {
		data := files[name]
		// A copied theme asset holds nothing of the content if it is the
		// theme's file byte for byte.
		if strings.HasPrefix(name, "assets/") {
			if want, err := fs.ReadFile(themes.Default, name); err == nil && bytes.Equal(want, data) {
				continue
			}
		}
		for _, s := range look {
			for _, f := range forms(s) {
				if bytes.Contains(data, []byte(f)) {
					hits = append(hits, name+" holds "+strconvQuote(s))
					break
				}
			}
			if strings.Contains(strings.ToLower(name), strings.ToLower(s)) {
				hits = append(hits, "file name "+name+" holds "+strconvQuote(s))
			}
		}
	}
	t.Logf("looked for %d sensitive strings in %d files; %d hits", len(look), len(files), len(hits))
	return hits
}

func strconvQuote(s string) string { return strconv.Quote(s) }

// assertNoLeak fails the test for every hit of findLeaks.
func assertNoLeak(t *testing.T, content, public string) {
	t.Helper()
	for _, h := range findLeaks(t, content, public) {
		t.Errorf("LEAK: %s", h)
	}
}

// TestLeakScannerFindsLeaks makes sure the scanner is not blind: a public
// build of the hostile site shows names, titles, commitments and notes in
// clear, and the scanner must say so; private blocks stay out even there.
func TestLeakScannerFindsLeaks(t *testing.T) {
	content := writeLeakySite(t)
	setPrivacy(t, content, model.Public)
	hits := strings.Join(findLeaks(t, content, privBuild(t, content, "")), "\n")
	for _, want := range []string{"Marisol Ventnor-Abeyesekera", "Tell the board about the Rutabaga offer", "He described the merger as the only way out of the family feud", "secret-merger-talks"} {
		if !strings.Contains(hits, want) {
			t.Errorf("the scanner missed %q in a public build; hits:\n%s", want, hits)
		}
	}
	for _, private := range []string{"panic attacks", "Rutabaga Dynamics behind", "grievance complaint", "possible depression"} {
		if strings.Contains(hits, private) {
			t.Errorf("a private block reached a public page: %q", private)
		}
	}
}

// TestLeakExampleEncrypted builds the example site encrypted and scans it.
func TestLeakExampleEncrypted(t *testing.T) {
	ss := buildSealedExample(t)
	assertNoLeak(t, ss.content, ss.public)
}

// TestLeakHostileEncrypted builds a site written to leak — markup, quotes
// and script in every field, private blocks in every body, topics in the
// session file names — and scans it.
func TestLeakHostileEncrypted(t *testing.T) {
	content := writeLeakySite(t)
	sec := writeSecrets(t, content)
	public := privBuild(t, content, sec.File)
	assertNoLeak(t, content, public)
	// The home page shows only the site title, the coach and how to reach a
	// portal: no link to any portal.
	home, _ := os.ReadFile(filepath.Join(public, "index.html"))
	site := loadSite(t, content)
	for _, c := range site.Clients {
		if bytes.Contains(home, []byte(portalOf(t, readTree(t, public), c.Slug, sec))) {
			t.Errorf("the home page links to a portal")
		}
	}
}

// writeLeakySite writes a small hostile site and returns its content folder.
func writeLeakySite(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("site.yaml", "title: Leak Probe Practice\ncoach: Wilhelmina Coachperson\nlanguage: en\nareas: [vision, service, accountability, community]\n")
	write("_index.md", "Our clients include Zebedee O'Hara-Quist of Quantum Turnip & Sons.\n")
	write("clients/zebedee-ohara/_index.md", `---
name: "Zebedee O'Hara-Quist <script>alert(1)</script>"
role: Chief "Turnip" Officer
organization: Quantum Turnip & Sons
started: 2026-01-05
goals:
  - Sell the turnip division before the board notices
  - Stop shouting at Thaddeus during standups
---

Zebedee is negotiating a confidential merger with Parsnip Global Holdings.

`+"```private"+`
Suspect he is interviewing at Rutabaga Dynamics behind the board's back.
`+"```"+`
`)
	write("clients/zebedee-ohara/2026-01-12-secret-merger-talks.md", `---
title: "Merger talks </title><b>with Parsnip Global</b>"
ratings: {vision: 3, service: 6, accountability: 5, community: 2}
time:
  vision: {actual: 10, wished: 30}
  service: {actual: 50, wished: 30}
  accountability: {actual: 20, wished: 20}
  community: {actual: 20, wished: 20}
commitments:
  - {text: "Tell the board about the Rutabaga offer", due: 2026-01-20, status: open}
  - {text: Fire the consultant named Ignatius Vole, status: done}
energizers: [haggling over turnip futures]
drainers: ["quarterly <em>variance</em> reviews"]
tags: [merger-secret, parsnip-deal]
---

He described the merger as the only way out of the family feud.

`+"```private"+`
Mentioned panic attacks before the Tuesday board calls; suggest a doctor.
Wife Philippa threatened to leave if the merger fails.
`+"```"+`

Next time we look at the succession plan for his daughter Octavia.
`)
	write("clients/zebedee-ohara/2026-02-02.md", `---
ratings: {vision: 5, service: 6, accountability: 6, community: 4}
commitments:
  - {text: "Draft the apology letter to Thaddeus Marchbanks", due: 2026-02-09, status: open}
tags: [apology-letter]
---

The apology letter to Thaddeus is harder than the merger itself.

`+"```private"+`
Thaddeus Marchbanks is considering a grievance complaint against him.
`+"```"+`
`)
	write("clients/marisol-ventnor/_index.md", `---
name: Marisol Ventnor-Abeyesekera
role: Night Shift Pharmacist
organization: Saint Ignatius Infirmary
goals: [Get out of nights within a year]
---

Marisol works nights and looks after her mother during the day.
`)
	write("clients/marisol-ventnor/2026-03-03-burnout-conversation.md", `---
title: The burnout conversation
ratings: {vision: 2, service: 8, accountability: 7, community: 3}
energizers: [teaching interns]
drainers: [double shifts on weekends]
tags: [burnout]
---

She said the double shifts left no room for anything but sleep.

`+"```private"+`
Talked about quitting pharmacy entirely; possible depression.
`+"```"+`
`)
	return dir
}
