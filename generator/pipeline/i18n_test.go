package pipeline_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/internal/testsite"
	"github.com/coachsite/coachsite/themes"
)

// exampleIn copies the example site to a temporary folder, sets its
// language (and theme, when not ""), and returns the content folder.
func exampleIn(t *testing.T, lang, theme string) string {
	t.Helper()
	root := t.TempDir()
	content := filepath.Join(root, "content")
	testsite.CopyTree(t, filepath.Join("..", "..", "content"), content)
	p := filepath.Join(content, "site.yaml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile(`(?m)^language: .*$`).ReplaceAllString(string(b), "language: "+lang)
	if theme != "" {
		s += "\ntheme: " + theme + "\n"
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return content
}

// pseudoLocale writes, from the default theme's English file, the test
// language en-XA whose every message is wrapped in ⟦ and ⟧, into the theme
// folder themes/pseudo beside content.
func pseudoLocale(t *testing.T, content string) {
	t.Helper()
	b, err := fs.ReadFile(themes.Default, "i18n/en.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range m {
		if k == "direction" {
			continue
		}
		switch x := v.(type) {
		case string:
			m[k] = "⟦" + x + "⟧"
		case map[string]any:
			for f, s := range x {
				x[f] = "⟦" + s.(string) + "⟧"
			}
		}
	}
	out, err := yaml.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(filepath.Dir(content), "themes", "pseudo", "i18n")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "en-XA.yaml"), out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// contentStrings are the coach's own words in the site: what a page may show
// outside the markers, longest first.
func contentStrings(t *testing.T, content string) []string {
	t.Helper()
	site, err := load.Site(content, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	areas := func(as []model.Area) {
		for _, a := range as {
			add(a.Label, a.Key, a.Description)
		}
	}
	add(site.Title, site.Coach)
	areas(site.Areas)
	for _, c := range site.Clients {
		add(c.Name, c.Role, c.Organization, c.Slug)
		add(c.Goals...)
		areas(c.Areas)
		for _, s := range c.Sessions {
			add(s.Title, s.Slug)
			add(s.Energizers...)
			add(s.Drainers...)
			add(s.Tags...)
			for _, cm := range s.Commitments {
				add(cm.Text, cm.ID)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

var (
	scriptRE   = regexp.MustCompile(`(?s)<script\b([^>]*)>(.*?)</script>`)
	notesRE    = regexp.MustCompile(`(?s)<section class="notes[^"]*"[^>]*>.*?</section>|<div class="notes">.*?</div>`)
	readAttrRE = regexp.MustCompile(`\s(?:title|aria-label|alt|placeholder|data-msg-[a-z-]+|data-overdue-label|data-months|data-months-short)="([^"]*)"`)
	tagRE      = regexp.MustCompile(`(?s)<[^>]*>`)
	markRE     = regexp.MustCompile(`⟦[^⟦⟧]*⟧`)
	cutRE      = regexp.MustCompile(`\p{L}[^>"⟦⟧;\n]*…`)
	fileRE     = regexp.MustCompile(`\b[a-z_]+\.(?:json|csv)\b`) // the export's file names, as named on disk
)

// visibleText returns what a reader can see or hear of a page: its text
// outside tags and scripts, the attributes that are read out, and the
// words in its charts' options. The coach's notes are left out.
func visibleText(t *testing.T, path string, page string) []string {
	var out []string
	for _, m := range scriptRE.FindAllStringSubmatch(page, -1) {
		if !strings.Contains(m[1], `application/json`) || !strings.Contains(m[1], "chart-data") {
			continue
		}
		var opt any
		if err := json.Unmarshal([]byte(m[2]), &opt); err != nil {
			t.Errorf("%s: chart data: %v", path, err)
			continue
		}
		out = append(out, chartWords(opt, "")...)
	}
	page = scriptRE.ReplaceAllString(page, " ")
	page = notesRE.ReplaceAllString(page, " ")
	for _, m := range readAttrRE.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	// An SVG label drawn on several lines (tspans) is one text.
	page = tspanBreakRE.ReplaceAllString(page, "")
	out = append(out, tagRE.ReplaceAllString(page, "\n"))
	return out
}

var tspanBreakRE = regexp.MustCompile(`</tspan><tspan[^>]*>`)

// chartWords collects the texts of an ECharts option a reader sees:
// titles, series and legend names, axis names and category labels.
func chartWords(v any, key string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out = append(out, chartWords(e, k)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, chartWords(e, key)...)
		}
	case string:
		switch key {
		case "text", "subtext", "name", "data":
			out = append(out, x)
		}
	}
	return out
}

// leftover returns s without the pseudo-locale's marked strings (innermost
// first, as messages nest) and without the content's own words, HTML
// entities decoded.
func leftover(s string, content []string) string {
	s = strings.NewReplacer("&#39;", "'", "&#34;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#43;", "+").Replace(s)
	for {
		r := markRE.ReplaceAllString(s, " ")
		if r == s {
			break
		}
		s = r
	}
	// A chart's label may cut a content string short with "…".
	s = cutRE.ReplaceAllStringFunc(s, func(m string) string {
		p := strings.TrimSpace(strings.TrimSuffix(m, "…"))
		for _, c := range content {
			if strings.HasPrefix(c, p) {
				return " "
			}
		}
		return m
	})
	for _, c := range content {
		s = strings.ReplaceAll(s, c, " ")
	}
	return fileRE.ReplaceAllString(s, " ")
}

// TestPseudoLocaleLeavesNoWord builds the example site in a pseudo-locale
// whose every message is wrapped in ⟦…⟧ and fails on any word a reader
// would see outside the markers that is not the coach's content: a word
// written in Go or a template instead of the theme's translations. The
// chart options in the pages' JSON data blocks are scanned too.
func TestPseudoLocaleLeavesNoWord(t *testing.T) {
	content := exampleIn(t, "en-XA", "pseudo")
	pseudoLocale(t, content)
	out := filepath.Join(filepath.Dir(content), "public")
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out}); err != nil {
		t.Fatal(err)
	}
	words := contentStrings(t, content)
	pages := 0
	for path, data := range testsite.ReadTree(t, out) {
		if !strings.HasSuffix(path, ".html") {
			continue
		}
		pages++
		page := string(data)
		if !strings.Contains(page, `<html lang="en-XA" dir="ltr">`) {
			t.Errorf("%s: not in the pseudo-locale", path)
		}
		for _, text := range visibleText(t, path, page) {
			rest := leftover(text, words)
			if i := strings.IndexFunc(rest, unicode.IsLetter); i >= 0 {
				line := rest[max(0, i-30):min(len(rest), i+50)]
				t.Errorf("%s: text outside the translations: %q", path, strings.Join(strings.Fields(line), " "))
			}
		}
	}
	if pages < 20 {
		t.Fatalf("only %d pages built", pages)
	}
}

// shippedLanguages are the languages of the default theme.
var shippedLanguages = []string{"en", "de", "fr", "es", "nl", "pt", "ar"}

// messages reads the default theme's messages of lang: each key's string,
// or its plural forms joined.
func messages(t *testing.T, lang string) map[string][]string {
	t.Helper()
	b, err := fs.ReadFile(themes.Default, "i18n/"+lang+".yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for k, v := range m {
		switch x := v.(type) {
		case string:
			out[k] = []string{x}
		case map[string]any:
			for _, s := range x {
				out[k] = append(out[k], s.(string))
			}
		}
	}
	return out
}

// TestExampleInEveryLanguage builds the example site in every language the
// theme ships and checks that its pages say so, and that no English
// interface string is left in a page of another language: each English
// message without values, unless the language writes it the same way
// somewhere (such as "Coach"), must not appear outside the content.
func TestExampleInEveryLanguage(t *testing.T) {
	en := messages(t, "en")
	for _, lang := range shippedLanguages {
		t.Run(lang, func(t *testing.T) {
			content := exampleIn(t, lang, "")
			out := filepath.Join(filepath.Dir(content), "public")
			if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out}); err != nil {
				t.Fatal(err)
			}
			dir := "ltr"
			if lang == "ar" {
				dir = "rtl"
			}
			var alts []string
			if lang != "en" {
				same := map[string]bool{}
				for _, vs := range messages(t, lang) {
					for _, v := range vs {
						same[v] = true
					}
				}
				for _, vs := range en {
					for _, v := range vs {
						if !strings.Contains(v, "{{") && len(v) > 3 && !same[v] && strings.IndexFunc(v, unicode.IsLetter) >= 0 {
							alts = append(alts, regexp.QuoteMeta(v))
						}
					}
				}
			}
			sort.Slice(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
			english := regexp.MustCompile(`(?:^|\P{L})(` + strings.Join(alts, "|") + `)(?:$|\P{L})`)
			words := contentStrings(t, content)
			for path, data := range testsite.ReadTree(t, out) {
				if !strings.HasSuffix(path, ".html") {
					continue
				}
				page := string(data)
				if !strings.Contains(page, `<html lang="`+lang+`" dir="`+dir+`">`) {
					t.Errorf("%s: not in %s", path, lang)
				}
				for _, text := range visibleText(t, path, page) {
					rest := leftover(text, words)
					if m := english.FindStringSubmatch(rest); lang != "en" && m != nil {
						t.Errorf("%s: English %q left in a %s page", path, m[1], lang)
					}
				}
			}
		})
	}
}
