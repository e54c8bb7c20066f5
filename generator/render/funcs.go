package render

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/coachsite/coachsite/generator/locale"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// funcs are the functions every template may call; docs/themes.md lists
// them. The ones that write words or numbers (T, pct, int, num, date,
// timeEl) are bound to a language by langFuncs; these stand-ins
// only let the templates parse.
var funcs = template.FuncMap{
	"pass":        pass,
	"delta":       delta,
	"deltaClass":  deltaClass,
	"signed":      signed,
	"color":       safeColor,
	"iso":         func(d model.Date) string { return d.String() },
	"inc":         func(i int) int { return i + 1 },
	"minus":       func(a, b int) int { return a - b },
	"label":       model.Area.Name,
	"dict":        dict,
	"strong":      func(s any) template.HTML { return template.HTML("<strong>" + htmlText(s) + "</strong>") },
	"round":       func(f float64) int { return int(math.Round(f)) },
	"T":           func(string, ...any) (template.HTML, error) { return "", errNoLang },
	"pct":         func(any) string { return "" },
	"int":         func(int) string { return "" },
	"num":         func(float64) string { return "" },
	"date":        func(model.Date) string { return "" },
	"timeEl":      func(model.Date) template.HTML { return "" },
	"months":      func() string { return "" },
	"monthsShort": func() string { return "" },
	"kept":        func(report.Tally) string { return "" },
	"abs":         math.Abs,
	"sign": func(f float64) string {
		switch {
		case f > 0:
			return "+"
		case f < 0:
			return "−"
		}
		return "±"
	},
}

var errNoLang = errors.New("template executed without a language")

// langFuncs binds the functions that write words, numbers and dates to l.
func langFuncs(l *locale.Lang) template.FuncMap {
	return template.FuncMap{
		"T":           func(id string, arg ...any) (template.HTML, error) { return translateHTML(l, id, arg...) },
		"pct":         func(v any) string { return pctOf(l, v) },
		"int":         l.Int,
		"num":         l.Num,
		"date":        func(d model.Date) string { return l.Date(d.Time) },
		"timeEl":      func(d model.Date) template.HTML { return timeAtom(l, d) },
		"months":      func() string { m := l.Months(); return strings.Join(m[:], "|") },
		"monthsShort": func() string { m := l.MonthsShort(); return strings.Join(m[:], "|") },
		"kept":        func(t report.Tally) string { return keptRate(l, t) },
	}
}

// keptRate is the kept rate of t as a percentage in l, e.g. "83.3%", or ""
// when no commitment is settled yet.
func keptRate(l *locale.Lang, t report.Tally) string {
	r, ok := t.KeptRate()
	if !ok {
		return ""
	}
	return l.Pct(float64(int(r*1000+0.5)) / 10)
}

// pctOf writes an int or float64 percentage in l.
func pctOf(l *locale.Lang, v any) string {
	switch n := v.(type) {
	case int:
		return l.Pct(float64(n))
	case float64:
		return l.Pct(n)
	}
	return fmt.Sprint(v)
}

// dict makes a map of its arguments, taken in pairs of name and value, for
// T's messages that name several values.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: want pairs of name and value")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: name %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// htmlText escapes a value as text, or keeps it when it is already HTML.
func htmlText(v any) string {
	if h, ok := v.(template.HTML); ok {
		return string(h)
	}
	return template.HTMLEscapeString(fmt.Sprint(v))
}

// translateHTML is T in a template: the message, escaped, with values that
// are template.HTML (a <time>, a <strong>) kept as markup. Each such value
// goes through the message as a placeholder from Unicode's private use area,
// which no escaping touches, and takes its place again afterwards.
func translateHTML(l *locale.Lang, id string, arg ...any) (template.HTML, error) {
	var marks []string
	if len(arg) == 1 {
		var m map[string]any
		switch v := arg[0].(type) {
		case map[string]any:
			m = v
		case locale.Args:
			m = v.Args()
		}
		if m != nil {
			cp := make(map[string]any, len(m))
			for k, v := range m {
				if h, ok := v.(template.HTML); ok {
					cp[k] = "" + strconv.Itoa(len(marks)) + ""
					marks = append(marks, string(h))
					continue
				}
				cp[k] = v
			}
			arg = []any{cp}
		}
	}
	s, err := l.T(id, arg...)
	if err != nil {
		return "", err
	}
	s = template.HTMLEscapeString(s)
	for i, h := range marks {
		s = strings.Replace(s, ""+strconv.Itoa(i)+"", h, 1)
	}
	return template.HTML(s), nil
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
