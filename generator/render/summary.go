package render

import (
	"html/template"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// KindSummary is the engagement summary: one page per client, for the
// client and a sponsor, that sums the engagement up without any session
// notes. Its template is layouts/summary.html.
const KindSummary = "summary"

// Chart slots of the summary page; Options.Charts receives the first
// session for SlotSummaryFirst and the latest for SlotSummaryLatest.
const (
	SlotSummaryFirst  = "summary-first-arc"
	SlotSummaryLatest = "summary-latest-arc"
)

// SummaryDir is the folder of the summary below a portal's folder.
const SummaryDir = "summary"

// Engagement is the summary of one engagement as the summary template shows
// it; PageData.Engagement computes it.
type Engagement struct {
	Started, Ended    model.Date    // the client's dates, else the first and latest session's
	Ongoing           bool          // the client's profile gives no end date
	StartedHTML       template.HTML // <time> elements of the dates
	EndedHTML         template.HTML
	Sessions          int
	Minutes           int     // total duration of the sessions that give one
	MeanCadence       float64 // days between sessions on average; 0 with fewer than two
	Shortest, Longest int     // fewest and most days between two sessions

	First, Latest *SessionRow // nil without sessions; the same row when there is one

	// Balance gap of the first and latest session that gave a time split.
	FirstGap, LatestGap string  // in the locale, e.g. "27.5%", "–" when no session gave one
	HasGap              bool    // some session gave a time split
	GapChange           float64 // latest minus first, in points; a fall is good

	Changes     []ChangeRow // per area, first vs latest rating and time gap
	Commitments report.Tally
	Kept        string // kept rate in the locale, e.g. "80%", "–" when none is settled
	Goals       []string
}

// Engagement sums up the page's client. The summary template calls it once.
func (d *PageData) Engagement() *Engagement {
	c := d.Client
	m := c.Client
	e := &Engagement{Started: m.Started, Ended: m.Ended, Ongoing: m.Ended.IsZero(), Sessions: len(c.Sessions),
		MeanCadence: c.MeanCadence, Commitments: c.Commitments, Goals: m.Goals, FirstGap: "–", LatestGap: "–", Kept: "–"}
	areas := m.Areas
	l := d.L
	v := newClientView(l, areas, c)
	if n := len(c.Sessions); n > 0 {
		first, latest := v.row(d, c.Sessions[0]), v.row(d, c.Sessions[n-1])
		e.First, e.Latest = &first, &latest
		if e.Started.IsZero() {
			e.Started = c.Sessions[0].Session.Date
		}
		if e.Ended.IsZero() {
			e.Ended = c.Sessions[n-1].Session.Date
		}
	}
	e.StartedHTML, e.EndedHTML = timeAtom(l, e.Started), timeAtom(l, e.Ended)
	for i, days := range c.CadenceDays {
		if i == 0 || days < e.Shortest {
			e.Shortest = days
		}
		if days > e.Longest {
			e.Longest = days
		}
	}
	var firstGap, latestGap *report.Session
	for _, s := range c.Sessions {
		e.Minutes += s.Session.Duration
		if s.HasTime {
			if firstGap == nil {
				firstGap = s
			}
			latestGap = s
		}
	}
	if firstGap != nil {
		e.HasGap = true
		e.FirstGap, e.LatestGap = l.Pct(firstGap.BalanceGap), l.Pct(latestGap.BalanceGap)
		e.GapChange = latestGap.BalanceGap - firstGap.BalanceGap
	}
	if k := keptRate(l, c.Commitments); k != "" {
		e.Kept = k
	}
	e.Changes = make([]ChangeRow, len(c.Changes))
	for i, ch := range c.Changes {
		e.Changes[i] = v.changeRow(ch)
	}
	return e
}

// SummaryHref links from the page to its client's engagement summary.
func (d *PageData) SummaryHref() string {
	return d.Href(d.PortalDir + "/" + SummaryDir + "/index.html")
}

// DataHref links from the page to file name (e.g. "data.json", or
// "index.html" for the sealed data page) of its client's data export, which
// the build writes to <portal>/data/; Options.DataFiles says which exist.
func (d *PageData) DataHref(name string) string {
	return d.Href(d.PortalDir + "/data/" + name)
}

// summary renders the engagement summary of a client at
// <portal>/summary/index.html from d, its page data as ClientPages prepares
// it, and hands it to emit. The page holds no session notes, so it may be
// given to a sponsor; its title is "Engagement summary · <name>".
func (t *Theme) summary(d *PageData, o Options, emit func(*Page) error) error {
	c := d.Client
	title, err := d.L.T("title_summary", map[string]any{"Name": c.Client.Name})
	if err != nil {
		return err
	}
	p := Page{File: File{Path: d.Dir + "/index.html"}, Kind: KindSummary, Title: title, Client: c.Client, site: d.Site.Site}
	if n := len(c.Sessions); n > 0 && o.Charts != nil {
		d.Charts = map[string]template.HTML{}
		for _, x := range []struct {
			slot string
			s    *report.Session
		}{{SlotSummaryFirst, c.Sessions[0]}, {SlotSummaryLatest, c.Sessions[n-1]}} {
			h, err := o.Charts(x.slot, c, x.s)
			if err != nil {
				return err
			}
			if h != "" {
				d.Charts[x.slot] = h
			}
		}
		if len(d.Charts) > 0 {
			p.Scripts = o.chartScripts()
		}
	}
	return t.render(d, p, false, emit)
}
