package chart

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// timelineRow is one commitment of an accountability timeline: its label
// and its span in days since the first session. A span counts whole days
// from the start of the day it was made to the end of the day it was closed
// (or last reviewed, while open), so a commitment made and closed in one
// session still shows, one day long.
type timelineRow struct {
	label, text   string
	made, closed  string // dates; closed is "" while open
	start, length int    // days since the first session; length ≥ 1
	days          int    // made to closed (or to the latest review) in days
	status        string
}

// Timeline layout, in SVG units.
const (
	tlW     = 480.0
	tlTop   = 34.0  // room for the legend
	tlRow   = 24.0  // height of one commitment
	tlBar   = 14.0  // height of its bar
	tlLabel = 170.0 // width of the labels
	tlRight = 16.0
	tlAxis  = 22.0 // room for the axis below
	tlChars = 26   // longest label, in characters, before it is cut with …
)

// timelineRows returns the rows of c's ledger, in the order made, their
// dates written as w's language does.
func timelineRows(w *Words, c *report.Client) []timelineRow {
	if len(c.Sessions) == 0 {
		return nil
	}
	first := c.Sessions[0].Session.Date
	rows := make([]timelineRow, len(c.Ledger))
	for i, lc := range c.Ledger {
		end := lc.LastReviewed()
		if lc.Closed != nil {
			end = lc.Closed
		}
		r := timelineRow{label: cut(lc.Text, tlChars), text: lc.Text, made: w.Date(lc.Made.Date.Time), status: lc.Status,
			start: lc.Made.Date.DaysSince(first), days: end.Date.DaysSince(lc.Made.Date)}
		r.length = r.days + 1
		if lc.Closed != nil {
			r.closed = w.Date(lc.Closed.Date.Time)
		}
		rows[i] = r
	}
	return rows
}

// cut shortens s to at most n characters, ending in … when cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// statusColor is the colour of an outcome.
func statusColor(status string) string {
	switch status {
	case model.StatusDone:
		return colorDone
	case model.StatusDropped:
		return colorDropped
	}
	return colorOpen
}

// CommitmentTimeline builds the accountability timeline of an engagement:
// each commitment of the ledger as a horizontal bar from the session that
// made it to the one that closed it (or, while open, to the latest session
// that reviewed it), coloured by outcome, on an axis of days since the first
// session. Its fallbacks are an SVG of the same bars and a table.
func CommitmentTimeline(w *Words, id string, c *report.Client, title string) Chart {
	checkID(id)
	rows := timelineRows(w, c)
	return Chart{
		ID:     id,
		Option: timelineOption(w, id, rows, title),
		SVG:    template.HTML(render(func(b *bytes.Buffer) { writeTimelineSVG(w, b, id, rows, title) })),
		Height: timelineLiveHeight(len(rows)),
		Table:  timelineTable(w, rows, title),
	}
}

func timelineHeight(n int) float64 { return tlTop + float64(max(n, 1))*tlRow + tlAxis }

// timelineLiveHeight is the live chart's height, from its rows, never its
// width: room for the title, legend and axis, and 24 px a row (layout.go).
func timelineLiveHeight(n int) int { return 110 + 24*max(n, 1) }

// timelineOption builds the ECharts option: per row an invisible bar up to
// the day made, stacked with a bar of its length in the series of its
// outcome (done, dropped, open), on a category axis of the commitments.
func timelineOption(w *Words, id string, rows []timelineRow, title string) template.JS {
	labels := make([]string, len(rows))
	offset := make([]opts.BarData, len(rows))
	byStatus := map[string][]opts.BarData{}
	statuses := []string{model.StatusDone, model.StatusDropped, model.StatusOpen}
	for _, s := range statuses {
		byStatus[s] = make([]opts.BarData, len(rows))
	}
	for i, r := range rows {
		labels[i] = r.label
		offset[i] = opts.BarData{Value: r.start}
		for _, s := range statuses {
			byStatus[s][i] = opts.BarData{Value: "-"} // ECharts' empty value
		}
		byStatus[r.status][i] = opts.BarData{Name: r.text, Value: r.length}
	}
	bar := charts.NewBar()
	bar.Accept(visitor{})
	bar.ChartID = id
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Bottom: "0", Data: []string{w.t("chart_done"), w.t("chart_dropped"), w.t("chart_open")}}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: "40", Bottom: "48", ContainLabel: opts.Bool(true)}),
		// Three steps: on a phone the commitments' labels leave the days
		// axis about 150 px, where ECharts' default five ran together.
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: w.t("chart_timeline_axis"), NameLocation: "middle", NameGap: 24, Min: 0, SplitNumber: 3}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: labels, Inverse: opts.Bool(true)}),
	)
	stack := charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Stack = "span" })
	// The offset's tooltip tells the day a commitment was made.
	bar.AddSeries(w.t("chart_timeline_made_on"), offset, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: "transparent"}))
	names := map[string]string{model.StatusDone: w.t("chart_done"), model.StatusDropped: w.t("chart_dropped"), model.StatusOpen: w.t("chart_open")}
	for _, s := range statuses {
		bar.AddSeries(names[s], byStatus[s], stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: statusColor(s)}))
	}
	return optionJSON(bar)
}

// timelineTable is the timeline's data: one row per commitment.
func timelineTable(w *Words, rows []timelineRow, title string) Table {
	t := Table{Caption: title, Head: []string{w.t("chart_col_commitment"), w.t("chart_col_made"), w.t("chart_col_closed"), w.t("chart_col_outcome"), w.t("chart_col_days")}, Rows: newRows(len(rows), 5)}
	for i, r := range rows {
		closed := r.closed
		if closed == "" {
			closed = "–"
		}
		row := t.Rows[i]
		row[0], row[1], row[2], row[3], row[4] = r.text, r.made, closed, w.t("status_"+r.status), strconv.Itoa(r.days)
	}
	return t
}

// writeTimelineSVG writes the SVG fallback of a timeline.
func writeTimelineSVG(w *Words, b *bytes.Buffer, id string, rows []timelineRow, title string) {
	span := 1
	for _, r := range rows {
		span = max(span, r.start+r.length)
	}
	h := timelineHeight(len(rows))
	width := tlW - tlLabel - tlRight
	x := func(d int) float64 { return tlLabel + width*float64(d)/float64(span) }

	s := svgWriter{b: b}
	s.open(id, tlW, h, title)
	timelineDesc(w, &s, rows)
	s.endDesc()
	s.b.WriteString(`<g font-family="sans-serif" font-size="12" fill="currentColor">`)
	lx := tlLabel
	for _, st := range []struct{ status, name string }{{model.StatusDone, w.t("chart_done")}, {model.StatusDropped, w.t("chart_dropped")}, {model.StatusOpen, w.t("chart_open")}} {
		s.rect(lx, 8, 14, 10, `fill="`, statusColor(st.status), `"`)
		s.text(lx+20, 17, st.name, "")
		lx += 90
	}
	axisY := tlTop + float64(len(rows))*tlRow
	s.b.WriteString(`<g stroke="currentColor" stroke-opacity="0.25" stroke-width="0.6">`)
	s.line(tlLabel, tlTop-4, tlLabel, axisY)
	s.line(tlLabel, axisY, tlW-tlRight, axisY)
	s.b.WriteString(`</g>`)
	s.text(tlLabel, axisY+15, "0", `font-size="11"`)
	s.openText(tlW-tlRight, axisY+15, `font-size="11" text-anchor="end"`)
	s.esc(w.t("chart_days_n", "Count", span))
	s.b.WriteString("</text>")
	for i, r := range rows {
		y := tlTop + float64(i)*tlRow
		s.text(tlLabel-8, y+tlBar, r.label, `text-anchor="end"`)
		s.rect(x(r.start), y+3, x(r.start+r.length)-x(r.start), tlBar, `fill="`, statusColor(r.status), `"`)
	}
	s.b.WriteString(`</g>`)
	s.close()
}

// timelineDesc writes the text alternative of a timeline into its <desc>.
func timelineDesc(w *Words, s *svgWriter, rows []timelineRow) {
	items := make([]string, len(rows))
	for i, r := range rows {
		if r.closed != "" {
			items[i] = w.t("chart_timeline_item_closed", "Text", r.text, "Made", r.made, "Status", w.t("status_"+r.status), "Closed", r.closed)
		} else {
			items[i] = w.t("chart_timeline_item_open", "Text", r.text, "Made", r.made)
		}
	}
	s.esc(w.t("chart_timeline_desc", "List", strings.Join(items, w.t("chart_list_separator"))))
}
