// Package locale holds the words of a theme in every language it ships and
// formats numbers, percentages and dates the way a reader of a language
// expects them.
//
// Translation files are go-i18n files in the format Hugo uses
// (i18n/<lang>.yaml: a key with a string, or with CLDR plural forms one,
// other, ...), read with github.com/nicksnyder/go-i18n/v2. Later files
// override earlier ones key by key, so a site's theme can replace a single
// string of the default theme. English is the fallback of every key.
package locale

import (
	"errors"
	"fmt"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
	"gopkg.in/yaml.v3"
)

// Fallback is the language every key must have and every other language
// falls back to, key by key.
const Fallback = "en"

// Catalog is the translations of a theme: every i18n/<lang>.yaml of the
// default theme, merged key by key with those of a site's theme. It is safe
// for use by several goroutines once its files are added.
type Catalog struct {
	bundle *i18n.Bundle
	files  map[string]map[string]*i18n.Message // file language -> id -> message, merged
	langs  sync.Map                            // tag -> *Lang
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	return &Catalog{bundle: b, files: map[string]map[string]*i18n.Message{}}
}

// Add reads the translation file name (e.g. "i18n/de.yaml") whose content is
// data. A key it gives replaces the same key of a file of the same language
// added before, which is how a site's theme overrides the default's strings.
func (c *Catalog) Add(name string, data []byte) error {
	mf, err := i18n.ParseMessageFileBytes(data, path.Base(name), map[string]i18n.UnmarshalFunc{"yaml": yaml.Unmarshal})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if mf.Tag == language.Und {
		return fmt.Errorf("%s: the file name is not a language tag like de.yaml", name)
	}
	lang := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if err := c.bundle.AddMessages(mf.Tag, mf.Messages...); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	m := c.files[lang]
	if m == nil {
		m = map[string]*i18n.Message{}
		c.files[lang] = m
	}
	for _, msg := range mf.Messages {
		m[msg.ID] = msg
	}
	return nil
}

// Languages lists the languages the catalog has a file for, sorted.
func (c *Catalog) Languages() []string {
	out := make([]string, 0, len(c.files))
	for l := range c.files {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// plural reports whether any file gives message id plural forms.
func (c *Catalog) plural(id string) bool {
	for _, m := range c.files {
		if x := m[id]; x != nil && (x.Zero != "" || x.One != "" || x.Two != "" || x.Few != "" || x.Many != "") {
			return true
		}
	}
	return false
}

// Messages returns the messages of the file language lang, by key: what the
// completeness test of a theme compares.
func (c *Catalog) Messages(lang string) map[string]*i18n.Message { return c.files[lang] }

// Lang returns the words and formats of language tag (e.g. "de" or "de-CH"):
// each key from the closest file the catalog has, else from English.
func (c *Catalog) Lang(tag string) (*Lang, error) {
	if l, ok := c.langs.Load(tag); ok {
		return l.(*Lang), nil
	}
	t, err := language.Parse(tag)
	var unknown language.ValueError
	if err != nil && !errors.As(err, &unknown) { // a well-formed tag of an unknown language is fine: English
		return nil, fmt.Errorf("language %q: %w", tag, err)
	}
	l := &Lang{Tag: tag, tag: t, cat: c, loc: i18n.NewLocalizer(c.bundle, tag), printer: message.NewPrinter(numbering(t))}
	if err := l.init(); err != nil {
		return nil, err
	}
	got, _ := c.langs.LoadOrStore(tag, l)
	return got.(*Lang), nil
}

// numbering is the tag whose number symbols a language writes. Arabic
// writes the digits 0–9 (CLDR's "latn" numbering, as in the Maghreb) unless
// the tag asks for others (ar-u-nu-arab): the charts, drawn by ECharts,
// write them too, and a page should not mix two kinds of digits.
func numbering(t language.Tag) language.Tag {
	if b, _ := t.Base(); b.String() == "ar" && t.TypeForKey("nu") == "" {
		if x, err := t.SetTypeForKey("nu", "latn"); err == nil {
			return x
		}
	}
	return t
}

// Lang is one language of a catalog: its words (T) and its formats of
// numbers, percentages and dates. It is safe for concurrent use.
type Lang struct {
	Tag string // as asked for, e.g. "de-CH"

	tag     language.Tag
	cat     *Catalog
	loc     *i18n.Localizer
	printer *message.Printer
	plain   sync.Map // id -> string, keys looked up without data
	// filled caches messages looked up with data, by id and values: the
	// same ones come back page after page (a date, "7 of 9", "12
	// sessions"), and filling a message in runs a template. It stops
	// growing at maxFilled entries.
	filled      sync.Map // filledKey(...) -> string
	filledCount atomic.Int64

	months, monthsShort [12]string
	decimal             string // decimal separator
	digits              [10]string
	pctBefore, pctAfter string // around the number of a percentage
	rtl                 bool
}

// errParser makes a message that names a value it is not given fail instead
// of printing "<no value>".
var errParser = &template.TextParser{Option: "missingkey=error"}

func (l *Lang) init() error {
	for i := range 12 {
		var err error
		if l.months[i], err = l.T("month_" + strconv.Itoa(i+1)); err != nil {
			return err
		}
		if l.monthsShort[i], err = l.T("month_short_" + strconv.Itoa(i+1)); err != nil {
			return err
		}
	}
	dir, err := l.T("direction")
	if err != nil {
		return err
	}
	l.rtl = strings.Contains(dir, "rtl")
	// The number symbols of the locale, from CLDR through x/text.
	for d := range 10 {
		l.digits[d] = l.printer.Sprint(number.Decimal(d))
	}
	dec := l.printer.Sprint(number.Decimal(1.5, number.MinFractionDigits(1)))
	l.decimal = strings.TrimSuffix(strings.TrimPrefix(dec, l.digits[1]), l.digits[5])
	p := l.printer.Sprint(number.Percent(0.07))
	i := strings.Index(p, l.digits[7])
	l.pctBefore, l.pctAfter = p[:i], p[i+len(l.digits[7]):]
	return nil
}

// RTL reports whether the language is written right to left, as its
// translation file's "direction" says.
func (l *Lang) RTL() bool { return l.rtl }

// Months returns the month names, January first.
func (l *Lang) Months() [12]string { return l.months }

// MonthsShort returns the short month names, January first.
func (l *Lang) MonthsShort() [12]string { return l.monthsShort }

// Percent is a value T and the templates format as a percentage: 12.5 is
// "12.5%" in English, "12,5 %" in German.
type Percent float64

// Args is a value that hands T its data as a map; the report's summary
// sentences are such values.
type Args interface{ Args() map[string]any }

// T returns the message id in the language, filled from arg:
//   - no arg: the message as is;
//   - a number: the plural form for that count, with .Count the number
//     written in the locale;
//   - a map, or an Args: the values by name, numbers written in the locale
//     (a Percent as a percentage), the plural form chosen by "Count".
//
// A key English does not have, or a message naming a value it is not
// given, is an error: a theme's template then fails the build.
func (l *Lang) T(id string, arg ...any) (string, error) {
	if len(arg) == 0 {
		if s, ok := l.plain.Load(id); ok {
			return s.(string), nil
		}
		s, err := l.localize(&i18n.LocalizeConfig{MessageID: id, TemplateParser: errParser})
		if err == nil {
			l.plain.Store(id, s)
		}
		return s, err
	}
	if len(arg) > 1 {
		return "", fmt.Errorf("T %q: give at most one value (use dict for several)", id)
	}
	v := arg[0]
	if a, ok := v.(Args); ok {
		v = a.Args()
	}
	return l.fillCached(id, v)
}

// fill is T with one value (an Args already turned into its map), looked
// up in the catalog.
func (l *Lang) fill(id string, arg any) (string, error) {
	lc := &i18n.LocalizeConfig{MessageID: id, TemplateParser: errParser}
	switch v := arg.(type) {
	case map[string]any:
		lc.TemplateData, lc.PluralCount = l.data(v)
	default:
		n, ok := numeric(v)
		if !ok {
			return "", fmt.Errorf("T %q: cannot use a %T as its value", id, v)
		}
		lc.PluralCount = n
		lc.TemplateData = map[string]any{"Count": l.format(v)}
	}
	if !l.cat.plural(id) {
		lc.PluralCount = nil // a plain message: one form for every count
	}
	return l.localize(lc)
}

// data formats the values of m for a message and finds its plural count.
func (l *Lang) data(m map[string]any) (map[string]any, any) {
	out := make(map[string]any, len(m))
	var count any
	for k, v := range m {
		out[k] = l.format(v)
		if k == "Count" {
			if n, ok := numeric(v); ok {
				count = n
			}
		}
	}
	return out, count
}

func (l *Lang) localize(lc *i18n.LocalizeConfig) (string, error) {
	s, tag, err := l.loc.LocalizeWithTag(lc)
	var nf *i18n.MessageNotFoundErr
	if errors.As(err, &nf) && tag != language.Und {
		err = nil // found in English: the fallback of every key
	}
	if err != nil {
		return "", fmt.Errorf("translation %q (%s): %w", lc.MessageID, l.Tag, err)
	}
	return s, nil
}

// numeric returns v as go-i18n's plural count when it is a number.
func numeric(v any) (any, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return n, true
	case float64:
		return trim(n, 1), true
	case Percent:
		return trim(float64(n), 1), true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() >= reflect.Int && rv.Kind() <= reflect.Int64 {
		return int(rv.Int()), true
	}
	return nil, false
}

// format writes numbers in the locale; other values are left as they are.
func (l *Lang) format(v any) any {
	switch n := v.(type) {
	case int:
		return l.Int(n)
	case float64:
		return l.Num(n)
	case Percent:
		return l.Pct(float64(n))
	}
	return v
}

// trim formats f with at most one decimal and no trailing ".0".
func trim(f float64, decimals int) string {
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// localDigits rewrites an ASCII number ("-12.5") with the locale's digits
// and decimal separator and a true minus sign.
func (l *Lang) localDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteString(l.digits[r-'0'])
		case r == '.':
			b.WriteString(l.decimal)
		case r == '-':
			b.WriteString("−")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Num writes f with at most one decimal in the locale: "12.5" (en),
// "12,5" (de), "١٢٫٥" (ar).
func (l *Lang) Num(f float64) string { return l.localDigits(trim(f, 1)) }

// Int writes n in the locale, with its digits and grouping: "1,234" (en),
// "1.234" (de).
func (l *Lang) Int(n int) string {
	if n > -1000 && n < 1000 {
		return l.localDigits(strconv.Itoa(n))
	}
	s := l.printer.Sprint(number.Decimal(n))
	return strings.Replace(s, "-", "−", 1)
}

// Pct writes f percent with at most one decimal: "12.5%" (en),
// "12,5 %" (de, fr).
func (l *Lang) Pct(f float64) string { return l.pctBefore + l.Num(f) + l.pctAfter }

// Date writes the date in the locale through its "date" message, e.g.
// "14 January 2026" (en), "14. Januar 2026" (de); the zero time gives "".
func (l *Lang) Date(t time.Time) string {
	return l.date(t, "date", l.months)
}

// ShortDate writes the day and month of t in the locale through its
// "date_short" message and short month names, e.g. "14 Jan" (en),
// "14. Jan." (de): a date where there is little room, under a bar of a
// chart. The zero time gives "".
func (l *Lang) ShortDate(t time.Time) string {
	return l.date(t, "date_short", l.monthsShort)
}

// date fills message id with the day, month (a name of months) and year
// of t; a message that fails gives the date as YYYY-MM-DD.
func (l *Lang) date(t time.Time, id string, months [12]string) string {
	if t.IsZero() {
		return ""
	}
	s, err := l.T(id, map[string]any{"Day": l.localDigits(strconv.Itoa(t.Day())), "Month": months[t.Month()-1], "Year": l.localDigits(strconv.Itoa(t.Year()))})
	if err != nil {
		return t.Format("2006-01-02")
	}
	return s
}
