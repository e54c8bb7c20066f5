package themes

import (
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/coachsite/coachsite/generator/locale"
)

// shipped are the languages the default theme must ship, each complete.
var shipped = []string{"en", "de", "fr", "es", "nl", "pt", "ar"}

// defaultCatalog reads every translation file of the default theme, one
// catalog per file so that no language borrows another's keys.
func defaultFiles(t *testing.T) map[string]map[string]*i18n.Message {
	t.Helper()
	out := map[string]map[string]*i18n.Message{}
	names, err := fs.Glob(Default, "i18n/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(Default, n)
		if err != nil {
			t.Fatal(err)
		}
		c := locale.NewCatalog()
		if err := c.Add(n, b); err != nil {
			t.Fatal(err)
		}
		lang := strings.TrimSuffix(path.Base(n), ".yaml")
		out[lang] = c.Messages(lang)
	}
	return out
}

// TestTranslationsComplete fails when a shipped language lacks a key that
// English has, has a key English does not, lacks a plural form its CLDR
// rules use, or names a value the English message does not give.
func TestTranslationsComplete(t *testing.T) {
	files := defaultFiles(t)
	en := files["en"]
	if len(en) == 0 {
		t.Fatal("no English translations")
	}
	for _, lang := range shipped {
		msgs, ok := files[lang]
		if !ok {
			t.Errorf("i18n/%s.yaml: missing", lang)
			continue
		}
		for id, m := range en {
			x, ok := msgs[id]
			if !ok {
				t.Errorf("i18n/%s.yaml: lacks %q", lang, id)
				continue
			}
			plural := m.One != "" || m.Few != "" || m.Many != "" || m.Two != "" || m.Zero != ""
			for _, f := range pluralForms(lang, plural) {
				if form(x, f) == "" {
					t.Errorf("i18n/%s.yaml: %q lacks the plural form %q", lang, id, f)
				}
			}
			// Every value a translation names must be one English gives.
			want := placeholders(m.Other + m.One)
			for _, f := range []string{x.Zero, x.One, x.Two, x.Few, x.Many, x.Other} {
				for p := range placeholders(f) {
					if !want[p] {
						t.Errorf("i18n/%s.yaml: %q names {{%s}}, which English does not give", lang, id, p)
					}
				}
			}
		}
		for id := range msgs {
			if _, ok := en[id]; !ok {
				t.Errorf("i18n/%s.yaml: has %q, which English does not", lang, id)
			}
		}
	}
	for lang := range files {
		if !contains(shipped, lang) {
			t.Errorf("i18n/%s.yaml: not in the list of shipped languages", lang)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func form(m *i18n.Message, f string) string {
	switch f {
	case "zero":
		return m.Zero
	case "one":
		return m.One
	case "two":
		return m.Two
	case "few":
		return m.Few
	case "many":
		return m.Many
	}
	return m.Other
}

// pluralForms lists the CLDR plural forms the integers of lang use (a few
// counts of each kind), or just "other" for a message without plurals.
func pluralForms(lang string, plural bool) []string {
	if !plural {
		return []string{"other"}
	}
	tag := language.MustParse(lang)
	seen := map[string]bool{}
	for n := 0; n <= 200; n++ {
		seen[formName(tag, n)] = true
	}
	out := make([]string, 0, len(seen))
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func formName(tag language.Tag, n int) string {
	switch plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0) {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}

// placeholders returns the names of the values a message names, such as
// "Count" for {{.Count}}.
func placeholders(s string) map[string]bool {
	out := map[string]bool{}
	for {
		i := strings.Index(s, "{{.")
		if i < 0 {
			return out
		}
		s = s[i+3:]
		j := strings.Index(s, "}}")
		if j < 0 {
			return out
		}
		out[strings.TrimSpace(s[:j])] = true
		s = s[j+2:]
	}
}
