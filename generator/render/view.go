package render

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// html/template calls every function and escaper through reflection, about
// a microsecond an action. To keep a 10,000-session site well under a second,
// the values a page repeats row after row (area names with their swatch,
// dates, changes) are prepared here once per client, as escaped HTML atoms;
// the templates print them. The raw report values stay beside each atom for
// themes that want to lay them out differently.

// RatingRow is one area's rating prepared for display.
type RatingRow struct {
	Rating     report.Rating // the raw figures
	Value      int
	Rated      bool
	AreaHTML   template.HTML // swatch and label
	ChangeHTML template.HTML // change since the previous rating: ▲+2, ▼−1, –, or "not rated"
	FirstHTML  template.HTML // change since the first rating
	HTML       template.HTML // the whole <tr> of the default ratings table
}

// TimeView is one area's share of time prepared for display.
type TimeView struct {
	Row            report.TimeRow // the raw figures
	Actual, Wished int
	AreaHTML       template.HTML
	GapHTML        template.HTML // signed gap with its class, e.g. <span class="gap up">+20</span>
	HTML           template.HTML // the whole <tr> of the default time table
}

// SessionRow is a session as listed or linked from a page.
type SessionRow struct {
	Session  *report.Session
	Title    string
	Href     string          // relative link from the page showing the row
	DateText string          // e.g. "14 January 2026"
	DateHTML template.HTML   // <time datetime="2026-01-14">14 January 2026</time>
	GapText  string          // balance gap, e.g. "20%", or "–" without a time split
	Made     int             // commitments made in the session
	Cells    []template.HTML // trends page: the ratings in area order, "–" when not rated
	HTML     template.HTML   // the whole <tr> of the default portal or trends table
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

	HTML template.HTML // the whole <li> of the default commitment lists
}

// ChangeRow is one area's movement over the engagement, for the trends page.
type ChangeRow struct {
	Change     report.AreaChange // the raw figures
	Rated      bool
	AreaHTML   template.HTML
	ChangeHTML template.HTML // latest minus first rating: ▲+4, ▼−2, –
}

// clientView holds the atoms of one client, shared by all its pages.
type clientView struct {
	areaHTML map[string]template.HTML
	dates    []dateAtom // per session
}

type dateAtom struct {
	text string
	html template.HTML
}

func newClientView(lang string, areas []model.Area, c *report.Client) *clientView {
	v := &clientView{areaHTML: make(map[string]template.HTML, len(areas)), dates: make([]dateAtom, len(c.Sessions))}
	for _, a := range areas {
		v.areaHTML[a.Key] = areaAtom(a)
	}
	for i, s := range c.Sessions {
		v.dates[i] = dateAtom{FormatDate(lang, s.Session.Date), timeAtom(lang, s.Session.Date)}
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
		template.HTMLEscapeString(safeColor(a.Color)) + `"/></svg> ` + template.HTMLEscapeString(areaLabel(a)))
}

func timeAtom(lang string, d model.Date) template.HTML {
	if d.IsZero() {
		return ""
	}
	return template.HTML(`<time datetime="` + d.String() + `">` + template.HTMLEscapeString(FormatDate(lang, d)) + `</time>`)
}

func changeAtom(r report.Rating) template.HTML {
	switch {
	case !r.Rated:
		return `<span class="delta none">not rated</span>`
	case !r.HasPrev:
		return `<span class="delta same" title="first rating">–<span class="vh"> first rating</span></span>`
	}
	return template.HTML(`<span class="delta ` + deltaClass(r.DeltaPrev) + `" title="was ` + strconv.Itoa(r.Prev) + `">` + string(delta(r.DeltaPrev)) + `</span>`)
}

func firstAtom(r report.Rating) template.HTML {
	if !r.Rated || !r.HasFirst {
		return `<span class="delta same">–</span>`
	}
	return template.HTML(`<span class="delta ` + deltaClass(r.DeltaFirst) + `" title="first ` + strconv.Itoa(r.First) + `">` + string(delta(r.DeltaFirst)) + `</span>`)
}

func (v *clientView) ratings(rs []report.Rating, sc model.Scale) []RatingRow {
	out := make([]RatingRow, len(rs))
	var b strings.Builder
	for i, r := range rs {
		x := RatingRow{Rating: r, Value: r.Value, Rated: r.Rated, AreaHTML: v.area(r.Area), ChangeHTML: changeAtom(r), FirstHTML: firstAtom(r)}
		b.Reset()
		if r.Rated {
			val, max := strconv.Itoa(r.Value), strconv.Itoa(sc.Max)
			b.WriteString(`<tr><th scope="row">`)
			b.WriteString(string(x.AreaHTML))
			b.WriteString(`</th><td class="num"><meter min="` + strconv.Itoa(sc.Min) + `" max="` + max + `" value="` + val + `"></meter> <span class="value">` + val + `</span><span class="of"> / ` + max + `</span></td>`)
		} else {
			b.WriteString(`<tr class="unrated"><th scope="row">`)
			b.WriteString(string(x.AreaHTML))
			b.WriteString(`</th><td class="num"><span class="none">not rated</span></td>`)
		}
		b.WriteString(`<td class="num">` + string(x.ChangeHTML) + `</td><td class="num">` + string(x.FirstHTML) + "</td></tr>")
		x.HTML = template.HTML(b.String())
		out[i] = x
	}
	return out
}

func (v *clientView) time(ts []report.TimeRow) []TimeView {
	out := make([]TimeView, len(ts))
	for i, t := range ts {
		x := TimeView{Row: t, Actual: t.Actual, Wished: t.Wished, AreaHTML: v.area(t.Area),
			GapHTML: template.HTML(`<span class="gap ` + deltaClass(t.Gap) + `">` + string(signed(t.Gap)) + `</span>`)}
		x.HTML = template.HTML(`<tr><th scope="row">` + string(x.AreaHTML) + `</th><td class="num">` + strconv.Itoa(t.Actual) +
			`%</td><td class="num">` + strconv.Itoa(t.Wished) + `%</td><td class="num">` + string(x.GapHTML) + "</td></tr>")
		out[i] = x
	}
	return out
}

// row prepares session i of the client, linked from a page in dir.
func (v *clientView) row(d *PageData, s *report.Session) SessionRow {
	r := SessionRow{Session: s, Title: s.Session.Title, Made: s.Commitments.Total(), Href: d.Href(d.PortalDir + "/" + s.Session.Slug + "/index.html"),
		DateText: v.dates[s.Index].text, DateHTML: v.dates[s.Index].html, GapText: "–"}
	if s.HasTime {
		r.GapText = pct(s.BalanceGap)
	}
	if d.Kind == KindPortal {
		r.HTML = template.HTML(`<tr><td>` + string(r.DateHTML) + `</td><th scope="row"><a href="` + attrHref(r.Href) + `">` +
			template.HTMLEscapeString(r.Title) + `</a></th><td class="num">` + r.GapText + `</td><td class="num">` + strconv.Itoa(r.Made) + "</td></tr>")
	}
	return r
}

// attrHref makes a relative link built from folder names safe inside a
// double-quoted attribute: each segment percent-encoded as a URL path, and
// a first segment that could read as a scheme prefixed with "./".
func attrHref(h string) string {
	u := (&url.URL{Path: h}).EscapedPath()
	if i := strings.IndexAny(u, ":/"); i >= 0 && u[i] == ':' {
		u = "./" + u
	}
	return template.HTMLEscapeString(u)
}

// commitmentHTML is the <li> of c in the default lists; open commitments
// with a due date carry data-due for site.js.
func commitmentHTML(c *CommitmentRow) template.HTML {
	var b strings.Builder
	status := template.HTMLEscapeString(c.Status)
	if c.Status == model.StatusOpen && c.DueISO != "" {
		b.WriteString(`<li class="commitment status-open" data-due="` + c.DueISO + `">`)
	} else {
		b.WriteString(`<li class="commitment status-` + status + `">`)
	}
	b.WriteString(`<span class="status">` + status + `</span> <span class="text">` + template.HTMLEscapeString(c.Text) + `</span>`)
	if c.DueHTML != "" {
		b.WriteString(` <span class="due">due ` + string(c.DueHTML) + `</span>`)
	}
	b.WriteString("</li>")
	return template.HTML(b.String())
}

// commitment prepares the ledger commitment c, as its latest mention
// states it.
func (v *clientView) commitment(lang string, c *report.Commitment) CommitmentRow {
	return v.commitmentAs(lang, c, model.Commitment{ID: c.ID, Text: c.Text, Due: c.Due, Status: c.Status})
}

// commitmentAs prepares the ledger commitment c as the mention m states it.
func (v *clientView) commitmentAs(lang string, c *report.Commitment, m model.Commitment) CommitmentRow {
	r := CommitmentRow{ID: m.ID, Text: m.Text, Status: m.Status, Session: c.Made, Ledger: c,
		MadeISO: c.Made.Date.String(), MadeHTML: timeAtom(lang, c.Made.Date), ReviewedHTML: timeAtom(lang, c.LastReviewed().Date)}
	if c.Closed != nil {
		r.ClosedHTML = timeAtom(lang, c.Closed.Date)
	}
	if !m.Due.IsZero() {
		r.DueISO = m.Due.String()
		r.DueHTML = timeAtom(lang, m.Due)
	}
	r.HTML = commitmentHTML(&r)
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
			d.Open[i] = v.commitment(d.Lang, o)
			d.Open[i].SessionHref = d.Href(d.PortalDir + "/" + o.Made.Slug + "/index.html")
		}
	case KindTrends:
		d.Sessions = make([]SessionRow, len(c.Sessions))
		for i, s := range c.Sessions {
			r := v.row(d, s)
			r.Cells = make([]template.HTML, len(s.Ratings))
			var b strings.Builder
			b.WriteString(`<tr><th scope="row"><a href="` + attrHref(r.Href) + `">` + template.HTMLEscapeString(r.DateText) + `</a></th>`)
			for j, x := range s.Ratings {
				if x.Rated {
					r.Cells[j] = template.HTML(strconv.Itoa(x.Value))
				} else {
					r.Cells[j] = "–"
				}
				b.WriteString(`<td class="num">` + string(r.Cells[j]) + `</td>`)
			}
			b.WriteString(`<td class="num">` + r.GapText + "</td></tr>")
			r.HTML = template.HTML(b.String())
			d.Sessions[i] = r
		}
		d.Changes = make([]ChangeRow, len(c.Changes))
		for i, ch := range c.Changes {
			d.Changes[i] = ChangeRow{Change: ch, Rated: ch.Rated, AreaHTML: v.area(ch.Area),
				ChangeHTML: firstAtom(report.Rating{Rated: ch.Rated, HasFirst: ch.Rated, First: ch.FirstRating, DeltaFirst: ch.Latest - ch.FirstRating})}
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
			r := v.commitmentAs(d.Lang, m.Ledger, m.Commitment)
			r.Mention = m
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
