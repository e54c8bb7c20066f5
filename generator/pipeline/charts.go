package pipeline

import (
	"html/template"
	"strconv"

	"github.com/coachsite/coachsite/generator/chart"
	"github.com/coachsite/coachsite/generator/locale"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/render"
	"github.com/coachsite/coachsite/generator/report"
)

// siteCharts returns the render.Options.Charts function of site: the markup
// of each chart slot, built with generator/chart.
//
// Chart IDs are fixed per slot (and per area for the sparklines, by position
// so that two keys never meet in one ID), so a page's IDs are unique, valid
// JavaScript identifiers, and the same on every build. They all start with
// "chart_", which keeps them apart from the ids of the page's own headings
// ("ratings", "time", ...): charts.js finds a chart's container by its id.
//
// Every text that reaches a chart (titles, area labels, client names) is
// data: generator/chart puts it into JSON, SVG text and table cells, escaped.
func siteCharts(site *model.Site, th *render.Theme) func(slot string, c *report.Client, s *report.Session) (template.HTML, error) {
	return func(slot string, c *report.Client, s *report.Session) (template.HTML, error) {
		l, err := th.Lang(render.ClientLanguage(site, c.Client))
		if err != nil {
			return "", err
		}
		var terr error
		t := func(id string, values map[string]any) string {
			var s string
			var err error
			if values == nil {
				s, err = l.T(id)
			} else {
				s, err = l.T(id, values)
			}
			if err != nil && terr == nil {
				terr = err
			}
			return s
		}
		w := &chart.Words{Lang: l.Tag, Num: l.Num, Date: l.Date, ShortDate: l.ShortDate, T: t}
		h := chartSlot(slot, site, c, s, l, w)
		return h, terr
	}
}

// chartSlot returns the markup of one chart slot, its words from t.
func chartSlot(slot string, site *model.Site, c *report.Client, s *report.Session, l *locale.Lang, w *chart.Words) template.HTML {
	t := w.T
	areas := c.Client.Areas
	switch slot {
	case render.SlotSessionArc, render.SlotPortalArc:
		if s == nil {
			return ""
		}
		// The drawn title stays short (the page's headings name the
		// session); the table caption says what the chart is.
		day := l.Date(s.Session.Date.Time)
		v := map[string]any{"Title": s.Session.Title, "Date": day}
		id, title, caption := "chart_arc", day, t("chart_arc_caption", v)
		if slot == render.SlotPortalArc {
			id, title, caption = "chart_arc_latest", t("chart_arc_latest_title", v), t("chart_arc_latest_caption", v)
		}
		arc := chart.Arc(w, id, areas, site.Scale, s.Ratings, prevRatings(c, s), title)
		arc.Table.Caption = caption
		return arc.HTML()
	case render.SlotCheckInArc:
		var cur []report.Rating
		if c.Latest != nil {
			cur = c.Latest.Ratings
		}
		return chart.CheckInArc("chart_check_in", areas, site.Scale, cur)
	case render.SlotSessionTime:
		if s == nil || !s.HasTime {
			return ""
		}
		caption := t("chart_time_caption", map[string]any{"Title": s.Session.Title, "Gap": locale.Percent(s.BalanceGap)})
		ts := chart.TimeSplit(w, "chart_time", s.Time, s.BalanceGap, t("chart_time_title", nil))
		ts.Table.Caption = caption
		return ts.HTML()
	case render.SlotPortalTrend:
		if len(c.Sessions) == 0 {
			return ""
		}
		cs := make([]chart.Chart, len(areas))
		for i, a := range areas {
			cs[i] = chart.AreaSparkline(w, chart.ID("chart_spark", strconv.Itoa(i)), c, a, site.Scale)
			cs[i].Caption = areaCaption(a, c, t)
		}
		return chart.Figures(cs...)
	case render.SlotTrends:
		if len(c.Sessions) == 0 {
			return ""
		}
		name := c.Client.Name
		if name == "" {
			name = c.Client.Slug
		}
		cs := []chart.Chart{
			chart.RatingTrend(w, "chart_trend_ratings", c, site.Scale, t("chart_trend_ratings", nil), chart.WithMonths(l.MonthsShort())),
			chart.BalanceTrend(w, "chart_trend_balance", c, t("chart_trend_balance", nil), chart.WithMonths(l.MonthsShort())),
			chart.CommitmentTrend(w, "chart_trend_commitments", c, t("chart_trend_commitments", nil)),
			chart.CommitmentTimeline(w, "chart_trend_ledger", c, t("chart_trend_ledger", nil)),
			chart.Cadence(w, "chart_trend_cadence", c, t("chart_trend_cadence", nil)),
		}
		for i := range cs {
			cs[i].Table.Caption = t("chart_caption_client", map[string]any{"Caption": cs[i].Table.Caption, "Name": name})
		}
		return chart.Figures(cs...)
	case render.SlotTrendsTime:
		hasTime := false
		for _, s := range c.Sessions {
			hasTime = hasTime || s.HasTime
		}
		if !hasTime {
			return ""
		}
		name := c.Client.Name
		if name == "" {
			name = c.Client.Slug
		}
		cs := chart.TimeMultiples(w, "chart_trend_time", c, chart.WithMonths(l.MonthsShort()))
		for i := range cs {
			cs[i].Table.Caption = t("chart_caption_client", map[string]any{"Caption": cs[i].Table.Caption, "Name": name})
		}
		return chart.Figures(cs...)
	case render.SlotSummaryFirst:
		// The engagement summary: the first session, and the latest one with
		// the first as a dashed outline, so the change over the engagement
		// shows.
		if s == nil || len(c.Sessions) == 0 {
			return ""
		}
		return chart.Arc(w, "arc_first", areas, site.Scale, s.Ratings, nil, t("chart_summary_first", map[string]any{"Title": s.Session.Title})).HTML()
	case render.SlotSummaryLatest:
		if s == nil || len(c.Sessions) == 0 {
			return ""
		}
		// Its outline is the first session's, and named so.
		return chart.ArcSinceFirst(w, "arc_latest", areas, site.Scale, s.Ratings, c.Sessions[0].Ratings, t("chart_summary_latest", map[string]any{"Title": s.Session.Title})).HTML()
	}
	return ""
}

// prevRatings returns the ratings of the session before s, nil for the first.
func prevRatings(c *report.Client, s *report.Session) []report.Rating {
	if s.Index <= 0 || s.Index > len(c.Sessions) {
		return nil
	}
	return c.Sessions[s.Index-1].Ratings
}

// areaCaption labels an area's sparkline with its latest rating, e.g.
// "Vision: 6 (first 4)".
func areaCaption(a model.Area, c *report.Client, t func(string, map[string]any) string) string {
	label := a.Name()
	for _, ch := range c.Changes {
		if ch.Area.Key != a.Key {
			continue
		}
		if !ch.Rated {
			return t("chart_spark_caption_unrated", map[string]any{"Area": label})
		}
		return t("chart_spark_caption", map[string]any{"Area": label, "Latest": ch.Latest, "First": ch.FirstRating})
	}
	return label
}
