package load

import (
	"golang.org/x/text/language"

	"errors"
	"io/fs"
	"net/url"
	"regexp"
	"strings"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/rootfs"
)

// siteMeta is site.yaml.
type siteMeta struct {
	Title    yamlString `yaml:"title"`
	Coach    yamlString `yaml:"coach"`
	Email    yamlString `yaml:"coach_email"`
	Language yamlString `yaml:"language"`
	Areas    yamlAreas  `yaml:"areas"`
	Scale    yamlScale  `yaml:"scale"`
	Privacy  yamlString `yaml:"privacy"`
	Theme    yamlString `yaml:"theme"`
	BaseURL  yamlString `yaml:"base_url"`
}

var (
	languageRE = regexp.MustCompile(`^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$`)
	themeRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
	slugRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	emailRE    = regexp.MustCompile(`^[^@\s<>"'?&#%]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$`)
)

var privacies = []string{string(model.Encrypted), string(model.Unlisted), string(model.Public)}

// readSiteYAML reads site.yaml of the content folder cd. It always returns
// a site, with the defaults filled in where site.yaml is missing or wrong.
func readSiteYAML(cd *rootfs.Dir) (*model.Site, diag.List) {
	site := &model.Site{Language: "en", Scale: model.Scale{Min: 1, Max: 9}, Privacy: model.Encrypted}
	path := cd.Path("site.yaml")
	src, d, err := readSource(cd, "site.yaml")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return site, diag.List{diag.Errorf(path, 0, "missing: a content folder needs a site.yaml giving at least the site's title")}
	case d != nil:
		return site, diag.List{*d}
	}
	var m siteMeta
	errs, ok := decodeYAML(src, &m, path, 1)
	if !ok {
		return site, errs
	}
	site.Title, site.Coach, site.Theme = m.Title.Value, m.Coach.Value, m.Theme.Value
	if e := m.Email.Value; e != "" {
		if !emailRE.MatchString(e) {
			errs = append(errs, diag.Errorf(path, m.Email.Line, "coach_email: %q is not an e-mail address like coach@example.org", e))
		} else {
			site.CoachEmail = e
		}
	}
	if site.Title == "" && len(m.Title.problems) == 0 {
		errs = append(errs, diag.Errorf(path, max(m.Title.Line, 1), "title: missing; give the site a title, like title: \"Kim Lee Coaching\""))
	}
	if m.Language.Set && m.Language.Value != "" {
		if ValidLanguage(m.Language.Value) {
			site.Language = m.Language.Value
		} else {
			errs = append(errs, diag.Errorf(path, m.Language.Line, "language: %q is not a language tag like en or de-CH", m.Language.Value))
		}
	}
	if m.Privacy.Set && m.Privacy.Value != "" {
		if contains(privacies, m.Privacy.Value) {
			site.Privacy = model.Privacy(m.Privacy.Value)
		} else {
			errs = append(errs, diag.Errorf(path, m.Privacy.Line, "privacy: %q is not one of %s%s",
				m.Privacy.Value, strings.Join(privacies, ", "), didYouMean(m.Privacy.Value, privacies)))
		}
	}
	if site.Theme != "" && !themeRE.MatchString(site.Theme) {
		errs = append(errs, diag.Errorf(path, m.Theme.Line,
			"theme: %q is not a theme name (the name of a folder under themes/: letters, digits, - and _)", site.Theme))
		site.Theme = ""
	}
	if m.BaseURL.Set && m.BaseURL.Value != "" {
		if u, msg := baseURL(m.BaseURL.Value); msg == "" {
			site.BaseURL = u
		} else {
			errs = append(errs, diag.Errorf(path, m.BaseURL.Line, "base_url: %q %s", m.BaseURL.Value, msg))
		}
	}
	if m.Scale.Set && len(m.Scale.problems) == 0 {
		site.Scale = m.Scale.Scale
	}
	site.Areas = areasOf(m.Areas.Items)
	return site, errs
}

// baseURL checks a base_url and returns it ending in "/", or says what is
// wrong with it.
func baseURL(s string) (string, string) {
	const want = "is not the http or https address public/ is served at, like https://coach.example.org/portals/"
	u, err := url.Parse(s)
	switch {
	case err != nil, u.Scheme != "https" && u.Scheme != "http", u.Host == "", u.Opaque != "":
		return "", want
	case u.User != nil:
		return "", "holds a user name or password; give the address alone"
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		return "", "has a query or a fragment; give the folder's address alone"
	case strings.ContainsAny(s, " \t\n\"<>\\"):
		return "", want
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, ""
}

// areasOf turns areas as written into model areas, labelled from their key
// when no label is given. Colours are assigned later, across the site.
func areasOf(items []areaItem) []model.Area {
	if len(items) == 0 {
		return nil
	}
	out := make([]model.Area, len(items))
	for i, it := range items {
		out[i] = it.Area
		if out[i].Label == "" {
			out[i].Label = labelOf(it.Key)
		}
	}
	return out
}

// labelOf turns an area key into a label: "vision" -> "Vision",
// "work-life" -> "Work Life".
func labelOf(key string) string {
	words := strings.FieldsFunc(key, func(r rune) bool { return r == '-' || r == '_' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// homeMeta is the optional front matter of content/_index.md.
type homeMeta struct {
	Title yamlString `yaml:"title"`
}

// homeLoad is the result of reading content/_index.md.
type homeLoad struct {
	notes   model.Notes
	errs    diag.List
	notesOf notesFunc
}

func (h *homeLoad) read(cd *rootfs.Dir) {
	path := cd.Path("_index.md")
	src, d, err := readSource(cd, "_index.md")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return
	case d != nil:
		h.errs = append(h.errs, *d)
		return
	}
	fm, body, bodyLine, has, closed := splitFrontMatter(src)
	if has {
		if !closed {
			h.errs = append(h.errs, unclosed(path))
			return
		}
		var m homeMeta
		errs, _ := decodeYAML(fm, &m, path, 2)
		h.errs = append(h.errs, errs...)
	}
	notes, errs := h.notesOf(body, path, bodyLine)
	h.errs = append(h.errs, errs...)
	h.notes = notes
}

func unclosed(path string) diag.Error {
	return diag.Errorf(path, 1, "the front matter opened by --- on this line is never closed: end it with a line reading ---")
}

// noFrontMatter is the error for a file that needs front matter.
func noFrontMatter(path, what, example string) diag.Error {
	return diag.Errorf(path, 1, "no front matter: %s starts with a line reading ---, then fields like %s, then another ---", what, example)
}

// missingField is the error for a required field that is absent.
func missingField(path, field, hint string) diag.Error {
	return diag.Errorf(path, 1, "%s: missing; %s", field, hint)
}

// ValidLanguage reports whether tag is a well-formed BCP 47 language tag,
// such as en, de-CH or ar-u-nu-arab.
func ValidLanguage(tag string) bool {
	if !languageRE.MatchString(tag) {
		return false
	}
	_, err := language.Parse(tag)
	var unknown language.ValueError // well-formed, of a language x/text does not know: its pages are English
	return err == nil || errors.As(err, &unknown)
}
