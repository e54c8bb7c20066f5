package pipeline

import (
	"html/template"
	"strconv"

	"github.com/coachsite/coachsite/generator/chart"
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
func siteCharts(site *model.Site) func(slot string, c *report.Client, s *report.Session) (template.HTML, error) {
	return func(slot string, c *report.Client, s *report.Session) (template.HTML, error) {
		areas := c.Client.Areas
		if len(areas) == 0 {
			areas = site.Areas
		}
		switch slot {
		case render.SlotSessionArc, render.SlotPortalArc:
			if s == nil {
				return "", nil
			}
			// The drawn title stays short (the page's headings name the
			// session); the table caption says what the chart is.
			day := render.FormatDate(site.Language, s.Session.Date)
			id, caption := "chart_arc", "Ratings: "
			if slot == render.SlotPortalArc {
				id, caption, day = "chart_arc_latest", "Latest ratings: ", "Latest session, "+day
			}
			caption += s.Session.Title + " (" + day + ")"
			return chart.ArcHTML(id, areas, site.Scale, s.Ratings, prevRatings(c, s), day, caption), nil
		case render.SlotSessionTime:
			if s == nil || !s.HasTime {
				return "", nil
			}
			caption := "Time split: " + s.Session.Title + ". " + chart.GapText(s.BalanceGap) + "."
			return chart.TimeSplitHTML("chart_time", s.Time, s.BalanceGap, "Time split", caption), nil
		case render.SlotPortalTrend:
			if len(c.Sessions) == 0 {
				return "", nil
			}
			cs := make([]chart.Chart, len(areas))
			for i, a := range areas {
				cs[i] = chart.AreaSparkline(chart.ID("chart_spark", strconv.Itoa(i)), c, a, site.Scale)
				cs[i].Caption = areaCaption(a, c)
			}
			return chart.Figures(cs...), nil
		case render.SlotTrends:
			if len(c.Sessions) == 0 {
				return "", nil
			}
			name := c.Client.Name
			if name == "" {
				name = c.Client.Slug
			}
			cs := []chart.Chart{
				chart.RatingTrend("chart_trend_ratings", c, site.Scale, "Ratings over time"),
				chart.BalanceTrend("chart_trend_balance", c, "Balance gap over time"),
				chart.TimeTrend("chart_trend_time", c, "Time, actual and wished"),
				chart.CommitmentTrend("chart_trend_commitments", c, "Commitments per session"),
				chart.Cadence("chart_trend_cadence", c, "Session cadence"),
			}
			for i := range cs {
				cs[i].Table.Caption += " (" + name + ")"
			}
			return chart.Figures(cs...), nil
		}
		return "", nil
	}
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
func areaCaption(a model.Area, c *report.Client) string {
	label := a.Label
	if label == "" {
		label = a.Key
	}
	for _, ch := range c.Changes {
		if ch.Area.Key != a.Key {
			continue
		}
		if !ch.Rated {
			return label + ": not rated"
		}
		return label + ": " + strconv.Itoa(ch.Latest) + " (first " + strconv.Itoa(ch.FirstRating) + ")"
	}
	return label
}
