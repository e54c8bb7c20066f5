package load

import (
	"strings"

	"github.com/coachsite/coachsite/generator/model"
)

// Palette is the colours given, in order, to areas that name none: the
// Okabe–Ito colours (safe for the common kinds of colour blindness, black
// left out), then Paul Tol's "muted" scheme. A key keeps one colour across
// the whole site.
var Palette = []string{
	"#0072b2", "#e69f00", "#009e73", "#d55e00", "#56b4e9", "#cc79a7", "#f0e442",
	"#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499",
}

// colorer gives each area key one colour: its own when site.yaml or a
// profile names one, else the next palette colour not used otherwise.
type colorer struct {
	byKey map[string]string
	used  map[string]bool
	next  int
	n     int // palette colours handed out
}

func newColorer() *colorer {
	return &colorer{byKey: map[string]string{}, used: map[string]bool{}}
}

func (c *colorer) color(a *model.Area) {
	if a.Color != "" {
		if _, ok := c.byKey[a.Key]; !ok {
			c.byKey[a.Key] = a.Color
		}
		return
	}
	if col, ok := c.byKey[a.Key]; ok {
		a.Color = col
		return
	}
	for c.next < len(Palette) && c.used[Palette[c.next]] {
		c.next++
	}
	var col string
	if c.next < len(Palette) {
		col = Palette[c.next]
		c.next++
	} else {
		col = Palette[c.n%len(Palette)] // more areas than colours: repeat
	}
	c.n++
	c.used[col] = true
	c.byKey[a.Key] = col
	a.Color = col
}

// assignColors colours every area of site: the site's areas first, then
// each client's, clients in slug order.
func assignColors(site *model.Site) {
	c := newColorer()
	each(site, func(a *model.Area) {
		if a.Color != "" {
			c.used[strings.ToLower(a.Color)] = true
		}
	})
	each(site, c.color)
}

// colorClient colours the areas of client, reloaded, consistently with the
// rest of site.
func colorClient(site *model.Site, client *model.Client) {
	c := newColorer()
	for _, a := range site.Areas { // a copy: site is not changed
		c.color(&a)
		c.used[a.Color] = true
	}
	for _, o := range site.Clients {
		if o.Slug == client.Slug {
			continue
		}
		for _, a := range o.Areas {
			if _, ok := c.byKey[a.Key]; !ok && a.Color != "" {
				c.byKey[a.Key] = a.Color
			}
			c.used[a.Color] = true
		}
	}
	for _, a := range client.Areas {
		if a.Color != "" {
			c.used[a.Color] = true
		}
	}
	for i := range client.Areas {
		c.color(&client.Areas[i])
	}
}

func each(site *model.Site, f func(*model.Area)) {
	for i := range site.Areas {
		f(&site.Areas[i])
	}
	for _, cl := range site.Clients {
		for i := range cl.Areas {
			f(&cl.Areas[i])
		}
	}
}
