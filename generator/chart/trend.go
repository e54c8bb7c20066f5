package chart

import (
	"encoding/json"
	"html/template"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// Ratio of the trend charts' height to their width.
const (
	trendRatio     = 0.62
	sparklineRatio = 0.3
)

// newTimeLine starts a line chart on a true time x axis (dates as
// "YYYY-MM-DD", which ECharts reads as local calendar days).
// legendItems is the number of series, to leave room for a legend that
// wraps onto several lines.
func newTimeLine(id, title, subtitle string, y opts.YAxis, legendItems int) *charts.Line {
	bottom := strconv.Itoa(36 + 22*((legendItems+2)/3))
	line := charts.NewLine()
	line.MultiSeries = make(charts.MultiSeries, 0, legendItems) // a series is over 1 KB: no regrowth
	line.Accept(visitor{})
	line.ChartID = id // set directly: WithInitializationOpts re-runs go-echarts' reflective defaults
	line.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: subtitle, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Type: "plain", Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: "64", Bottom: bottom, ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "time"}),
		charts.WithYAxisOpts(y),
	)
	return line
}

// lineSeries adds a line series with one colour for its line and points.
func lineSeries(line *charts.Line, name, c string, data []opts.LineData, dashed bool) {
	data = orNil(data)
	ls := &opts.LineStyle{Color: c, Width: 2}
	if dashed {
		ls.Type = "dashed"
	}
	line.AddSeries(name, data,
		charts.WithLineStyleOpts(*ls),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: c}),
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true), Symbol: "circle"}),
	)
}

// orNil returns data, or nil when it has no points: go-echarts writes the
// data of a series with no points as null (nil), not [] (empty), and the
// series here reserve room for a point per session.
func orNil(data []opts.LineData) []opts.LineData {
	if len(data) == 0 {
		return nil
	}
	return data
}

// point is a point of a time line: date is "YYYY-MM-DD" (see sessionDates).
func point(date string, v any) opts.LineData {
	return opts.LineData{Value: [2]any{date, v}}
}

// sessionDates returns the date of each of c's sessions as "YYYY-MM-DD".
func sessionDates(c *report.Client) []string {
	dates := make([]string, len(c.Sessions))
	for i, s := range c.Sessions {
		dates[i] = s.Session.Date.String()
	}
	return dates
}

// scaleAxis is a value axis fixed to the rating scale, a gridline per step.
func scaleAxis(scale model.Scale, name string) opts.YAxis {
	return opts.YAxis{Type: "value", Name: name, Min: scale.Min, Max: scale.Max, MinInterval: 1, SplitNumber: scale.Max - scale.Min}
}

func clientName(c *report.Client) string {
	if c.Client.Name != "" {
		return c.Client.Name
	}
	return c.Client.Slug
}

// RatingTrend builds the ratings of every area of client c over time: one
// line per area, in area order and colour, on a true time axis and a value
// axis fixed to scale. Sessions that did not rate an area leave no point.
func RatingTrend(id string, c *report.Client, scale model.Scale, title string) Chart {
	checkID(id)
	areas := c.Client.Areas
	line := newTimeLine(id, title, "", scaleAxis(scale, "Rating"), len(areas))
	dates := sessionDates(c)
	t := Table{Caption: title, Head: make([]string, 1+len(areas)), Rows: newRows(len(c.Sessions), 1+len(areas))}
	t.Head[0] = "Session"
	for i, a := range areas {
		t.Head[1+i] = areaLabel(a)
	}
	for j, s := range c.Sessions {
		row := t.Rows[j]
		row[0] = dates[j]
		for i, a := range areas {
			row[1+i] = notRated
			if v, ok := ratingOf(s.Ratings, a.Key, i); ok {
				row[1+i] = strconv.Itoa(v)
			}
		}
	}
	for i, a := range areas {
		data := make([]opts.LineData, 0, len(c.Sessions))
		for j, s := range c.Sessions {
			if v, ok := ratingOf(s.Ratings, a.Key, i); ok {
				data = append(data, point(dates[j], v))
			}
		}
		lineSeries(line, areaLabel(a), color(a.Color, i), data, false)
	}
	return Chart{ID: id, Option: optionJSON(line), Ratio: trendRatio, Table: t}
}

// AreaSparkline builds a small trend of one area's ratings for the portal:
// a single line in the area's colour, no axes or legend, the value range
// fixed to scale so sparklines of different areas compare.
func AreaSparkline(id string, c *report.Client, area model.Area, scale model.Scale) Chart {
	checkID(id)
	idx := 0
	for i, a := range c.Client.Areas {
		if a.Key == area.Key {
			idx = i
			break
		}
	}
	label := areaLabel(area)
	t := Table{Caption: label + " ratings", Head: []string{"Session", label}, Rows: newRows(len(c.Sessions), 2)}
	data := make([]opts.LineData, 0, len(c.Sessions))
	for i, s := range c.Sessions {
		date := s.Session.Date.String()
		v, ok := ratingOf(s.Ratings, area.Key, idx)
		cell := notRated
		if ok {
			data = append(data, point(date, v))
			cell = strconv.Itoa(v)
		}
		t.Rows[i][0], t.Rows[i][1] = date, cell
	}
	col := color(area.Color, idx)
	var option template.JS
	if len(data) == 0 || label == "" {
		option = sparklineOption(id, label, col, scale, orNil(data))
	} else {
		// One template per colour and scale: the label and the points are
		// holes (see template.go).
		key := "spark|" + col + "|" + strconv.Itoa(scale.Min) + "|" + strconv.Itoa(scale.Max)
		tm := cachedOption(key, func() template.JS { return sparklineOption(id, hole(0), col, scale, hole(1)) })
		points, err := json.Marshal(data)
		if err != nil {
			panic("chart: marshal sparkline: " + err.Error())
		}
		option = tm.fill([]string{jsonString(label), string(points)})
	}
	return Chart{ID: id, Option: option, SVG: sparkSVG(id, c, area.Key, idx, scale, col, label), Ratio: sparklineRatio, Table: t}
}

// sparklineOption builds a sparkline's option with go-echarts; data is the
// []opts.LineData of the points, or a hole, as label may be.
func sparklineOption(id, label, col string, scale model.Scale, data any) template.JS {
	line := charts.NewLine()
	line.Accept(visitor{})
	line.ChartID = id // set directly: WithInitializationOpts re-runs go-echarts' reflective defaults
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "4", Right: "4", Top: "4", Bottom: "4"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "time", Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Show: opts.Bool(false), Min: scale.Min, Max: scale.Max}),
	)
	lineSeries(line, label, col, nil, false)
	line.MultiSeries[0].Data = data
	return optionJSON(line)
}

// Geometry of the sparkline SVG, in viewBox units (its ratio is
// sparklineRatio).
const (
	sparkW, sparkH = 200.0, 60.0
	sparkPad       = 5.0
)

// sparkSVG draws one area's ratings as a polyline on a true time axis, the
// value range fixed to scale, with a dot on the latest point; the fallback of
// AreaSparkline.
func sparkSVG(id string, c *report.Client, key string, idx int, scale model.Scale, col, label string) template.HTML {
	type pt struct {
		day int
		v   int
	}
	var pts []pt
	for _, s := range c.Sessions {
		if v, ok := ratingOf(s.Ratings, key, idx); ok {
			pts = append(pts, pt{s.Session.Date.DaysSince(c.Sessions[0].Session.Date), v})
		}
	}
	sv := svgWriter{b: getBuf()}
	defer putBuf(sv.b)
	sv.open(id, sparkW, sparkH, label+" ratings")
	sv.esc(label)
	if len(pts) > 0 {
		sv.b.WriteString(": ")
		sv.int(pts[0].v)
		sv.b.WriteString(" at first, ")
		sv.int(pts[len(pts)-1].v)
		sv.b.WriteString(" latest")
	} else {
		sv.b.WriteString(": no ratings")
	}
	sv.endDesc()
	span := float64(max(scale.Max-scale.Min, 1))
	y := func(v int) float64 { return sparkH - sparkPad - (sparkH-2*sparkPad)*float64(v-scale.Min)/span }
	last := 1
	if len(pts) > 0 {
		last = max(pts[len(pts)-1].day, 1)
	}
	x := func(d int) float64 {
		if len(pts) == 1 {
			return sparkW / 2
		}
		return sparkPad + (sparkW-2*sparkPad)*float64(d)/float64(last)
	}
	// Top and bottom of the scale as faint lines.
	sv.b.WriteString(`<g stroke="currentColor" stroke-opacity="0.2" stroke-width="1">`)
	sv.line(sparkPad, y(scale.Max), sparkW-sparkPad, y(scale.Max))
	sv.line(sparkPad, y(scale.Min), sparkW-sparkPad, y(scale.Min))
	sv.b.WriteString(`</g>`)
	if len(pts) > 1 {
		sv.b.WriteString(`<polyline fill="none" stroke-width="2.5" stroke-linejoin="round" stroke="`)
		sv.b.WriteString(col)
		sv.b.WriteString(`" points="`)
		for i, p := range pts {
			if i > 0 {
				sv.b.WriteByte(' ')
			}
			sv.num(x(p.day))
			sv.b.WriteByte(',')
			sv.num(y(p.v))
		}
		sv.b.WriteString(`"/>`)
	}
	if len(pts) > 0 {
		p := pts[len(pts)-1]
		sv.b.WriteString(`<circle r="4" fill="`)
		sv.b.WriteString(col)
		sv.b.WriteString(`" cx="`)
		sv.num(x(p.day))
		sv.b.WriteString(`" cy="`)
		sv.num(y(p.v))
		sv.b.WriteString(`"/>`)
	}
	sv.close()
	return template.HTML(sv.b.String())
}

// BalanceTrend builds the balance gap of client c over time, one point per
// session that gave a time split.
func BalanceTrend(id string, c *report.Client, title string) Chart {
	checkID(id)
	line := newTimeLine(id, title, "Percent of time in the wrong place",
		opts.YAxis{Type: "value", Name: "%", Min: 0, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}, 1)
	t := Table{Caption: title, Head: []string{"Session", "Balance gap (% of time)"}, Rows: newRows(len(c.Sessions), 2)}
	data := make([]opts.LineData, 0, len(c.Sessions))
	rows := 0
	for _, s := range c.Sessions {
		if !s.HasTime {
			continue
		}
		date := s.Session.Date.String()
		data = append(data, point(date, s.BalanceGap))
		t.Rows[rows][0], t.Rows[rows][1] = date, num(s.BalanceGap)
		rows++
	}
	t.Rows = t.Rows[:rows]
	lineSeries(line, "Balance gap", colorNeutral, data, false)
	return Chart{ID: id, Option: optionJSON(line), Ratio: trendRatio, Table: t}
}

// TimeTrend builds the share of time of every area over time: per area, in
// area order and colour, a solid line for the actual share and a dashed one
// for the wished share.
func TimeTrend(id string, c *report.Client, title string) Chart {
	checkID(id)
	areas := c.Client.Areas
	line := newTimeLine(id, title, "Solid: actual, dashed: wished",
		opts.YAxis{Type: "value", Name: "%", Min: 0, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}, 2*len(areas))
	dates := sessionDates(c)
	t := Table{Caption: title + " (actual / wished, % of time)", Head: make([]string, 1+len(areas)), Rows: newRows(len(c.Sessions), 1+len(areas))}
	t.Head[0] = "Session"
	for i, a := range areas {
		t.Head[1+i] = areaLabel(a)
	}
	n := 0
	for j, s := range c.Sessions {
		if !s.HasTime {
			continue
		}
		row := t.Rows[n]
		n++
		row[0] = dates[j]
		for i, a := range areas {
			row[1+i] = "–"
			if r, ok := timeOf(s.Time, a.Key, i); ok {
				row[1+i] = strconv.Itoa(r.Actual) + " / " + strconv.Itoa(r.Wished)
			}
		}
	}
	t.Rows = t.Rows[:n]
	for i, a := range areas {
		actual := make([]opts.LineData, 0, n)
		wished := make([]opts.LineData, 0, n)
		for j, s := range c.Sessions {
			if r, ok := timeOf(s.Time, a.Key, i); ok && s.HasTime {
				actual = append(actual, point(dates[j], r.Actual))
				wished = append(wished, point(dates[j], r.Wished))
			}
		}
		col := color(a.Color, i)
		lineSeries(line, areaLabel(a)+" ("+labelActual+")", col, actual, false)
		lineSeries(line, areaLabel(a)+" ("+labelWished+")", col, wished, true)
	}
	return Chart{ID: id, Option: optionJSON(line), Ratio: trendRatio + 0.04*float64((2*len(areas)+2)/3), Table: t}
}

func timeOf(rows []report.TimeRow, key string, i int) (report.TimeRow, bool) {
	if i < len(rows) && rows[i].Area.Key == key {
		return rows[i], true
	}
	for _, r := range rows {
		if r.Area.Key == key {
			return r, true
		}
	}
	return report.TimeRow{}, false
}

// colorNeutral draws the charts that are about no area (balance gap,
// cadence), so that no reader takes them for an area's colour; a mid grey
// reads on light and dark backgrounds.
const colorNeutral = "#8c8c8c"

// Colours of the commitment statuses (Okabe–Ito).
const (
	colorDone    = "#009e73"
	colorDropped = "#d55e00"
	colorOpen    = "#0072b2"
	colorKept    = "#8c8c8c" // grey: readable on light and dark backgrounds
)

// CommitmentTrend builds, per session, the commitments made in it as
// stacked bars by status (done, dropped, open), with the share of settled
// commitments kept so far as a line on a second axis (0–100%).
func CommitmentTrend(id string, c *report.Client, title string) Chart {
	checkID(id)
	n := len(c.Sessions)
	dates := make([]string, n)
	done := make([]opts.BarData, n)
	dropped := make([]opts.BarData, n)
	open := make([]opts.BarData, n)
	kept := make([]opts.LineData, n)
	t := Table{Caption: title, Head: []string{"Session", "Done", "Dropped", "Open", "Kept so far"}, Rows: newRows(n, 5)}
	var sum report.Tally
	for i, s := range c.Sessions {
		dates[i] = s.Session.Date.String()
		tl := s.Commitments
		done[i] = opts.BarData{Value: tl.Done}
		dropped[i] = opts.BarData{Value: tl.Dropped}
		open[i] = opts.BarData{Value: tl.Open}
		sum.Done += tl.Done
		sum.Dropped += tl.Dropped
		keptCell := "–"
		kept[i] = opts.LineData{Value: "-"}
		if r, ok := sum.KeptRate(); ok {
			pct := float64(int(r*1000+0.5)) / 10
			kept[i] = opts.LineData{Value: pct}
			keptCell = num(pct) + "%"
		}
		row := t.Rows[i]
		row[0], row[1], row[2], row[3], row[4] = dates[i], strconv.Itoa(tl.Done), strconv.Itoa(tl.Dropped), strconv.Itoa(tl.Open), keptCell
	}
	bar := charts.NewBar()
	bar.MultiSeries = make(charts.MultiSeries, 0, 4) // three bars and the kept line: no regrowth
	bar.Accept(visitor{})
	bar.ChartID = id // set directly: WithInitializationOpts re-runs go-echarts' reflective defaults
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: "56", Bottom: "56", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: dates}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Commitments", MinInterval: 1}),
	)
	bar.ExtendYAxis(opts.YAxis{Type: "value", Name: "Kept", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"},
		SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	stack := charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Stack = "status" })
	bar.AddSeries("Done", done, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorDone}))
	bar.AddSeries("Dropped", dropped, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorDropped}))
	bar.AddSeries("Open", open, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorOpen}))
	keptLine := charts.NewLine()
	keptLine.AddSeries("Kept so far (%)", kept,
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.YAxisIndex = 1; s.ConnectNulls = opts.Bool(true) }),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorKept}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: colorKept, Width: 2}))
	bar.Overlap(keptLine)
	return Chart{ID: id, Option: optionJSON(bar), Ratio: trendRatio, Table: t}
}

// Cadence builds the number of days between consecutive sessions, one bar
// per session after the first, with the mean in the subtitle.
func Cadence(id string, c *report.Client, title string) Chart {
	checkID(id)
	t := Table{Caption: title, Head: []string{"Session", "Days since the previous session"}}
	var dates []string
	var days []opts.BarData
	for i, d := range c.CadenceDays {
		if i+1 >= len(c.Sessions) {
			break
		}
		date := c.Sessions[i+1].Session.Date.String()
		dates = append(dates, date)
		days = append(days, opts.BarData{Value: d})
		t.Rows = append(t.Rows, []string{date, strconv.Itoa(d)})
	}
	sub := ""
	if len(c.CadenceDays) > 0 {
		sub = "Mean: " + num(float64(int(c.MeanCadence*10+0.5))/10) + " days between sessions"
		t.Caption += ". " + sub + "."
	}
	bar := charts.NewBar()
	bar.Accept(visitor{})
	bar.ChartID = id // set directly: WithInitializationOpts re-runs go-echarts' reflective defaults
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: sub, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: "64", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: dates}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Days", MinInterval: 1}),
	)
	bar.AddSeries("Days since the previous session", days, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorNeutral}))
	return Chart{ID: id, Option: optionJSON(bar), Ratio: trendRatio, Table: t}
}
