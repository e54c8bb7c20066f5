package render

import (
	"html/template"

	"github.com/coachsite/coachsite/generator/locale"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// html/template calls every function and escaper through reflection, about
// a microsecond an action. The values a page repeats row after row (area
// names with their swatch, dates) are prepared here once per client, as
// escaped HTML atoms; the templates print them. Every word, and the markup
// of every row, is the theme's (layouts/partials/common.html).

// RatingRow is one area's rating prepared for display.
type RatingRow struct {
	Rating   report.Rating // the raw figures
	Value    int
	Rated    bool
	Min, Max int           // the site's scale
	AreaHTML template.HTML // swatch and label
}

// TimeView is one area's share of time prepared for display.
type TimeView struct {
	Row            report.TimeRow // the raw figures; .Row.Gap is wished minus actual
	Actual, Wished int
	AreaHTML       template.HTML
}

// SessionRow is a session as listed or linked from a page.
type SessionRow struct {
	Session  *report.Session
	Title    string
	Href     string        // relative link from the page showing the row
	DateText string        // e.g. "14 January 2026"
	DateHTML template.HTML // <time datetime="2026-01-14">14 January 2026</time>
	GapText  string        // balance gap in the locale, e.g. "20%", or "–" without a time split
	Made     int           // commitments made in the session
	Cells    []string      // trends page: the ratings in area order, "–" when not rated
}

// CommitmentRow is a commitment prepared for display: on a session page as
// that session states it, elsewhere as its latest mention does.
type CommitmentRow struct {
	ID, Text, Status string
	DueISO           string        // "" when undated
	DueHTML          template.HTML // <time> of the due date; "" when undated
	Session          *model.Session
	SessionHref      string // link to the session that made it (on the portal)

	// Ledger is the commitment with its whole history (made, reviewed, due
	// moved, closed).
	Ledger *report.Commitment
	// Mention is how the session of a session page states it; nil elsewhere.
	Mention *report.Mention

	MadeISO      string        // date of the session that made it, YYYY-MM-DD
	MadeHTML     template.HTML // that date in a <time>
	ReviewedHTML template.HTML // the latest session that mentions it, in a <time>
	ClosedHTML   template.HTML // the session that closed it, in a <time>; "" while open
	DueWasHTML   template.HTML // session page: the due date this session moved, in a <time>; "" when none
}

// ChangeRow is one area's movement over the engagement, for the trends page.
type ChangeRow struct {
	Change   report.AreaChange // the raw figures
	Rated    bool
	AreaHTML template.HTML
	Rating   report.Rating // the latest rating against the first (.First, .DeltaFirst), for the partial "change-first"
}

// changeRow prepares ch for the trends and summary pages.
func (v *clientView) changeRow(ch report.AreaChange) ChangeRow {
	return ChangeRow{Change: ch, Rated: ch.Rated, AreaHTML: v.area(ch.Area),
		Rating: report.Rating{Area: ch.Area, Value: ch.Latest, Rated: ch.Rated, HasFirst: ch.Rated, First: ch.FirstRating, DeltaFirst: ch.Latest - ch.FirstRating}}
}

// clientView holds the atoms of one client, shared by all its pages.
type clientView struct {
	lang     *locale.Lang
	areaHTML map[string]template.HTML
	dates    []dateAtom // per session
}

type dateAtom struct {
	text string
	html template.HTML
}

func newClientView(lang *locale.Lang, areas []model.Area, c *report.Client) *clientView {
	v := &clientView{lang: lang, areaHTML: make(map[string]template.HTML, len(areas)), dates: make([]dateAtom, len(c.Sessions))}
	for _, a := range areas {
		v.areaHTML[a.Key] = areaAtom(a)
	}
	for i, s := range c.Sessions {
		v.dates[i] = dateAtom{lang.Date(s.Session.Date.Time), timeAtom(v.lang, s.Session.Date)}
	}
	return v
}

func (v *clientView) area(a model.Area) template.HTML {
	if h, ok := v.areaHTML[a.Key]; ok {
		return h
	}
	return areaAtom(a)
}

func areaAtom(a model.Area) template.HTML {
	return template.HTML(`<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false"><rect width="12" height="12" rx="3" fill="` +
		template.HTMLEscapeString(safeColor(a.Color)) + `"/></svg> ` + template.HTMLEscapeString(a.Name()))
}

func timeAtom(l *locale.Lang, d model.Date) template.HTML {
	if d.IsZero() {
		return ""
	}
	return template.HTML(`<time datetime="` + d.String() + `">` + template.HTMLEscapeString(l.Date(d.Time)) + `</time>`)
}

func (v *clientView) ratings(rs []report.Rating, sc model.Scale) []RatingRow {
	out := make([]RatingRow, len(rs))
	for i, r := range rs {
		out[i] = RatingRow{Rating: r, Value: r.Value, Rated: r.Rated, Min: sc.Min, Max: sc.Max, AreaHTML: v.area(r.Area)}
	}
	return out
}

func (v *clientView) time(ts []report.TimeRow) []TimeView {
	out := make([]TimeView, len(ts))
	for i, t := range ts {
		out[i] = TimeView{Row: t, Actual: t.Actual, Wished: t.Wished, AreaHTML: v.area(t.Area)}
	}
	return out
}

// row prepares session i of the client, linked from a page in dir.
func (v *clientView) row(d *PageData, s *report.Session) SessionRow {
	r := SessionRow{Session: s, Title: s.Session.Title, Made: s.Commitments.Total(), Href: d.Href(d.PortalDir + "/" + s.Session.Slug + "/index.html"),
		DateText: v.dates[s.Index].text, DateHTML: v.dates[s.Index].html, GapText: "–"}
	if s.HasTime {
		r.GapText = v.lang.Pct(s.BalanceGap)
	}
	return r
}

// commitment prepares the ledger commitment c, as its latest mention
// states it.
func (v *clientView) commitment(c *report.Commitment) CommitmentRow {
	return v.commitmentAs(c, model.Commitment{ID: c.ID, Text: c.Text, Due: c.Due, Status: c.Status})
}

// commitmentAs prepares the ledger commitment c as the mention m states it.
func (v *clientView) commitmentAs(c *report.Commitment, m model.Commitment) CommitmentRow {
	r := CommitmentRow{ID: m.ID, Text: m.Text, Status: m.Status, Session: c.Made, Ledger: c,
		MadeISO: c.Made.Date.String(), MadeHTML: timeAtom(v.lang, c.Made.Date), ReviewedHTML: timeAtom(v.lang, c.LastReviewed().Date)}
	if c.Closed != nil {
		r.ClosedHTML = timeAtom(v.lang, c.Closed.Date)
	}
	if !m.Due.IsZero() {
		r.DueISO = m.Due.String()
		r.DueHTML = timeAtom(v.lang, m.Due)
	}
	return r
}

// fill prepares the rows a page of kind d.Kind shows.
func (v *clientView) fill(d *PageData) {
	c := d.Client
	d.HomeHref = d.Root + "index.html"
	d.PortalHref = d.Href(d.PortalDir + "/index.html")
	d.TrendsHref = d.Href(d.PortalDir + "/trends/index.html")
	if d.Session != nil {
		d.Ratings = v.ratings(d.Session.Ratings, d.Site.Site.Scale)
		d.Time = v.time(d.Session.Time)
		d.DateHTML = v.dates[d.Session.Index].html
		d.DateText = v.dates[d.Session.Index].text
	}
	switch d.Kind {
	case KindPortal:
		d.Sessions = make([]SessionRow, len(c.Sessions))
		for i, s := range c.Sessions {
			d.Sessions[len(c.Sessions)-1-i] = v.row(d, s)
		}
		d.Open = make([]CommitmentRow, len(c.Open))
		for i, o := range c.Open {
			d.Open[i] = v.commitment(o)
			d.Open[i].SessionHref = d.Href(d.PortalDir + "/" + o.Made.Slug + "/index.html")
		}
	case KindTrends:
		d.Sessions = make([]SessionRow, len(c.Sessions))
		for i, s := range c.Sessions {
			r := v.row(d, s)
			r.Cells = make([]string, len(s.Ratings))
			for j, x := range s.Ratings {
				if x.Rated {
					r.Cells[j] = v.lang.Int(x.Value)
				} else {
					r.Cells[j] = "–"
				}
			}
			d.Sessions[i] = r
		}
		d.Changes = make([]ChangeRow, len(c.Changes))
		for i, ch := range c.Changes {
			d.Changes[i] = v.changeRow(ch)
		}
	case KindSession:
		s := d.Session
		if s.Prev != nil {
			r := v.row(d, c.Sessions[s.Index-1])
			d.Prev = &r
		}
		if s.Next != nil {
			r := v.row(d, c.Sessions[s.Index+1])
			d.Next = &r
		}
		d.Commitments = make([]CommitmentRow, len(s.Mentions))
		for i := range s.Mentions {
			m := &s.Mentions[i]
			r := v.commitmentAs(m.Ledger, m.Commitment)
			r.Mention = m
			if m.DueMoved {
				r.DueWasHTML = timeAtom(v.lang, m.DueWas)
			}
			r.SessionHref = d.Href(d.PortalDir + "/" + m.Ledger.Made.Slug + "/index.html")
			d.Commitments[i] = r
			if m.Made {
				d.Made = append(d.Made, r)
			} else {
				d.Reviewed = append(d.Reviewed, r)
			}
		}
	}
}
