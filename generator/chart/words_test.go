package chart

import (
	"io/fs"

	"github.com/coachsite/coachsite/generator/locale"
	"github.com/coachsite/coachsite/themes"
)

// tw are the chart words of the default theme in English, as the pipeline
// makes them.
var tw = mustWords("en")

func mustWords(lang string) *Words {
	c := locale.NewCatalog()
	names, err := fs.Glob(themes.Default, "i18n/*.yaml")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(themes.Default, n)
		if err != nil {
			panic(err)
		}
		if err := c.Add(n, b); err != nil {
			panic(err)
		}
	}
	l, err := c.Lang(lang)
	if err != nil {
		panic(err)
	}
	return &Words{Lang: lang, Num: l.Num, Date: l.Date, ShortDate: l.ShortDate, T: func(id string, v map[string]any) string {
		var s string
		var err error
		if v == nil {
			s, err = l.T(id)
		} else {
			s, err = l.T(id, v)
		}
		if err != nil {
			panic(err)
		}
		return s
	}}
}
