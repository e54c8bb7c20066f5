package render

import (
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/coachsite/coachsite/generator/model"
)

// funcs are the functions every template may call; docs/themes.md lists them.
var funcs = template.FuncMap{
	"pass":       pass,
	"delta":      delta,
	"deltaClass": deltaClass,
	"signed":     signed,
	"pct":        pct,
	"color":      safeColor,
	"iso":        func(d model.Date) string { return d.String() },
	"inc":        func(i int) int { return i + 1 },
	"minus":      func(a, b int) int { return a - b },
	"label":      areaLabel,
	"minutes":    func(n int) string { return strconv.Itoa(n) + " min" },
}

// Partial is what pass hands a partial template: the page's data and one
// extra value, so a partial can format dates and build links for any value.
type Partial struct {
	*PageData
	V any
}

func pass(d *PageData, v any) Partial { return Partial{d, v} }

// delta shows a change: "▲+2", "▼−1", or "–" for none. It returns
// template.HTML, safe as it holds only digits and fixed signs, so that the
// plus sign is not written as "&#43;".
func delta(n int) template.HTML {
	switch {
	case n > 0:
		return template.HTML("▲+" + strconv.Itoa(n))
	case n < 0:
		return template.HTML("▼−" + strconv.Itoa(-n))
	}
	return "–"
}

// deltaClass is the CSS class of a change: "up", "down" or "same".
func deltaClass(n int) string {
	switch {
	case n > 0:
		return "up"
	case n < 0:
		return "down"
	}
	return "same"
}

// signed shows an integer with its sign, using a true minus: "+5", "−5", "0".
func signed(n int) template.HTML {
	switch {
	case n > 0:
		return template.HTML("+" + strconv.Itoa(n))
	case n < 0:
		return template.HTML("−" + strconv.Itoa(-n))
	}
	return "0"
}

// pct formats a percentage with at most one decimal: "12.5%", "20%".
func pct(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + "%"
}

var colorRE = regexp.MustCompile(`^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(rgb|rgba|hsl|hsla)\([0-9.,%/ a-z]{1,60}\))$`)

// safeColor returns c when it is a plain CSS colour (hex, a name, rgb() or
// hsl()), else "currentColor", so a colour from content can never smuggle a
// url() into an SVG attribute.
func safeColor(c string) string {
	if colorRE.MatchString(c) && !strings.Contains(strings.ToLower(c), "url") {
		return c
	}
	return "currentColor"
}

func areaLabel(a model.Area) string {
	if a.Label != "" {
		return a.Label
	}
	return a.Key
}

// months holds month names per base language; FormatDate falls back to English.
var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"pt": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
}

// FormatDate writes d as a reader of language lang expects it, e.g.
// "14 January 2026" (en), "14. Januar 2026" (de), "14 de enero de 2026" (es).
// Unknown languages get the English form; the zero Date gives "".
func FormatDate(lang string, d model.Date) string {
	if d.IsZero() {
		return ""
	}
	base := strings.ToLower(lang)
	if i := strings.IndexAny(base, "-_"); i >= 0 {
		base = base[:i]
	}
	names, ok := months[base]
	if !ok {
		base, names = "en", months["en"]
	}
	y, m, day := d.Date()
	ds, ys, ms := strconv.Itoa(day), strconv.Itoa(y), names[m-time.January]
	switch base {
	case "de":
		return ds + ". " + ms + " " + ys
	case "es", "pt":
		return ds + " de " + ms + " de " + ys
	}
	return ds + " " + ms + " " + ys
}
