package chart

import (
	"bytes"
	"html/template"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// newTimeLine starts a line chart on a true time x axis (dates as
// "YYYY-MM-DD", which ECharts reads as local calendar days).
// legendItems is the number of series, to leave room for a legend that
// wraps onto several lines on a phone (none for a single series or a small
// multiple).
func newTimeLine(id, title, subtitle string, y opts.YAxis, legendItems int, small bool) *charts.Line {
	line := charts.NewLine()
	line.MultiSeries = make(charts.MultiSeries, 0, legendItems) // a series is over 1 KB: no regrowth
	line.Accept(visitor{post: lineLayout})
	line.ChartID = id // set directly: WithInitializationOpts re-runs go-echarts' reflective defaults
	top, bottom := lineTop(title, subtitle), xLabelsH+bottomPad
	if small {
		top, bottom = 14, xLabelsH
	}
	if legendItems > 1 && !small {
		bottom += legendLines(legendItems) * legendLineH
	}
	line.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: subtitle, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Type: "plain", Bottom: "0", Show: opts.Bool(legendItems > 1 && !small)}),
		charts.WithGridOpts(pixelGrid(top, bottom)),
		charts.WithXAxisOpts(opts.XAxis{Type: "time"}),
		charts.WithYAxisOpts(y),
	)
	return line
}

// lineTop is the room above a trend chart's plot: its title, subtitle
// and the y axis' name.
func lineTop(title, subtitle string) int {
	top := axisNameH + 6
	if title != "" {
		top += titleH
	}
	if subtitle != "" {
		top += subtitleH
	}
	return top
}

// lineHeight is the height of a trend chart with a title, a subtitle when
// sub, and a legend of legendItems series (none for one).
func lineHeight(sub bool, legendItems int) int {
	h := titleH + axisNameH + 6 + trendPlotH + xLabelsH + bottomPad
	if sub {
		h += subtitleH
	}
	if legendItems > 1 {
		h += legendLines(legendItems) * legendLineH
	}
	return h
}

// lineSeries adds a line series with one colour for its line and points,
// and no data yet: the caller sets the series' Data.
func lineSeries(line *charts.Line, name, c string, dashed bool) {
	ls := &opts.LineStyle{Color: c, Width: 2}
	if dashed {
		ls.Type = "dashed"
	}
	line.AddSeries(name, nil,
		charts.WithLineStyleOpts(*ls),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: c}),
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true), Symbol: "circle"}),
	)
}

// point is a point of a time line: date is "YYYY-MM-DD" (see sessionDates).
func point(date string, v any) opts.LineData {
	return opts.LineData{Value: [2]any{date, v}}
}

// sessionDates returns the date of each of c's sessions as "YYYY-MM-DD":
// where its point lies on a time axis.
func sessionDates(c *report.Client) []string {
	dates := make([]string, len(c.Sessions))
	for i, s := range c.Sessions {
		dates[i] = s.Session.Date.String()
	}
	return dates
}

// sessionDays returns the date of each of c's sessions as the locale
// writes it in full: a data table's session column.
func (w *Words) sessionDays(c *report.Client) []string {
	days := make([]string, len(c.Sessions))
	for i, s := range c.Sessions {
		days[i] = w.Date(s.Session.Date.Time)
	}
	return days
}

// scaleAxis is a value axis fixed to the rating scale, a gridline per step.
func scaleAxis(scale model.Scale, name string) opts.YAxis {
	return opts.YAxis{Type: "value", Name: name, Min: scale.Min, Max: scale.Max, MinInterval: 1, SplitNumber: scale.Max - scale.Min}
}

// RatingTrend builds the ratings of every area of client c over time: one
// line per area, in area order and colour, on a true time axis and a value
// axis fixed to scale. Sessions that did not rate an area leave no point.
func RatingTrend(w *Words, id string, c *report.Client, scale model.Scale, title string, o ...Option) Chart {
	checkID(id)
	l, t := ratingTrend(w, c, scale, title)
	h := lineHeight(false, len(l.series))
	step := 1.0
	if scale.Max-scale.Min > 10 {
		step = niceStep(float64(scale.Max - scale.Min))
	}
	svg := l.svg(id, h, buildOptions(o), float64(scale.Min), float64(scale.Max), step, "", t.Caption)
	return Chart{ID: id, Option: l.option(id), SVG: svg, Height: h, Table: t}
}

// ratingTrend returns the lines and the table of a RatingTrend.
func ratingTrend(w *Words, c *report.Client, scale model.Scale, title string) (*timeLine, Table) {
	notRated := w.t("chart_not_rated")
	areas := c.Client.Areas
	dates, days := sessionDates(c), w.sessionDays(c)
	t := Table{Caption: title, Head: make([]string, 1+len(areas)), Rows: newRows(len(c.Sessions), 1+len(areas))}
	t.Head[0] = w.t("chart_col_session")
	for i, a := range areas {
		t.Head[1+i] = a.Name()
	}
	for j, s := range c.Sessions {
		row := t.Rows[j]
		row[0] = days[j]
		for i, a := range areas {
			row[1+i] = notRated
			if v, ok := ratingOf(s.Ratings, a.Key, i); ok {
				row[1+i] = strconv.Itoa(v)
			}
		}
	}
	l := &timeLine{shape: w.key("rating trend|" + strconv.Itoa(scale.Min) + "|" + strconv.Itoa(scale.Max)),
		title: title, y: scaleAxis(scale, w.t("chart_axis_rating")), series: make([]timeSeries, len(areas))}
	for i, a := range areas {
		pts := make([]timePoint, 0, len(c.Sessions))
		for j, s := range c.Sessions {
			if v, ok := ratingOf(s.Ratings, a.Key, i); ok {
				pts = append(pts, timePoint{dates[j], float64(v)})
			}
		}
		l.series[i] = timeSeries{name: shortLabel(a.Name()), color: color(a.Color, i), points: pts}
	}
	return l, t
}

// AreaSparkline builds a small trend of one area's ratings for the portal:
// a single line in the area's colour, no axes or legend, the value range
// fixed to scale so sparklines of different areas compare.
func AreaSparkline(w *Words, id string, c *report.Client, area model.Area, scale model.Scale) Chart {
	checkID(id)
	idx := 0
	for i, a := range c.Client.Areas {
		if a.Key == area.Key {
			idx = i
			break
		}
	}
	label := area.Name()
	notRated := w.t("chart_not_rated")
	t := Table{Caption: w.t("chart_spark_table", "Area", label), Head: []string{w.t("chart_col_session"), label}, Rows: newRows(len(c.Sessions), 2)}
	pts := make([]timePoint, 0, len(c.Sessions))
	for i, s := range c.Sessions {
		date := s.Session.Date.String()
		v, ok := ratingOf(s.Ratings, area.Key, idx)
		cell := notRated
		if ok {
			pts = append(pts, timePoint{date, float64(v)})
			cell = strconv.Itoa(v)
		}
		t.Rows[i][0], t.Rows[i][1] = w.Date(s.Session.Date.Time), cell
	}
	col := color(area.Color, idx)
	var option template.JS
	if label == "" {
		option = sparklineOption(id, label, col, scale, lineData(pts))
	} else {
		// One template per colour and scale: the label and the points are
		// holes (see template.go).
		key := "spark|" + col + "|" + strconv.Itoa(scale.Min) + "|" + strconv.Itoa(scale.Max)
		tm := cachedOption(key, func() template.JS { return sparklineOption(id, hole(0), col, scale, hole(1)) })
		option = template.JS(render(func(b *bytes.Buffer) {
			tm.writeWith(b, func(b *bytes.Buffer, i int) {
				if i == 0 {
					writeJSONString(b, label)
				} else {
					writePoints(b, pts)
				}
			})
		}))
	}
	return Chart{ID: id, Option: option, SVG: sparkSVG(w, id, c, area.Key, idx, scale, col, label), Height: sparklineH, Table: t}
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
	lineSeries(line, label, col, false)
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
func sparkSVG(w *Words, id string, c *report.Client, key string, idx int, scale model.Scale, col, label string) template.HTML {
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
	sv.open(id, sparkW, sparkH, w.t("chart_spark_table", "Area", label))
	if len(pts) > 0 {
		sv.esc(w.t("chart_spark_desc", "Area", label, "First", pts[0].v, "Latest", pts[len(pts)-1].v))
	} else {
		sv.esc(w.t("chart_spark_desc_none", "Area", label))
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
func BalanceTrend(w *Words, id string, c *report.Client, title string, o ...Option) Chart {
	checkID(id)
	l, t := balanceTrend(w, c, title)
	h := lineHeight(true, 1)
	top := 10.0
	for _, p := range l.series[0].points {
		top = math.Max(top, p.value)
	}
	step := niceStep(top)
	top = math.Ceil(top/step) * step
	svg := l.svg(id, h, buildOptions(o), 0, top, step, "%", t.Caption)
	return Chart{ID: id, Option: l.option(id), SVG: svg, Height: h, Table: t}
}

// balanceTrend returns the line and the table of a BalanceTrend.
func balanceTrend(w *Words, c *report.Client, title string) (*timeLine, Table) {
	t := Table{Caption: title, Head: []string{w.t("chart_col_session"), w.t("chart_col_balance")}, Rows: newRows(len(c.Sessions), 2)}
	pts := make([]timePoint, 0, len(c.Sessions))
	rows := 0
	for _, s := range c.Sessions {
		if !s.HasTime {
			continue
		}
		date := s.Session.Date.String()
		pts = append(pts, timePoint{date, s.BalanceGap})
		t.Rows[rows][0], t.Rows[rows][1] = w.Date(s.Session.Date.Time), w.Num(s.BalanceGap)
		rows++
	}
	t.Rows = t.Rows[:rows]
	l := &timeLine{shape: w.key("balance trend"), title: title, subtitle: w.t("chart_balance_subtitle"), y: percentAxis(),
		series: []timeSeries{{name: w.t("chart_balance_series"), color: colorNeutral, points: pts}}}
	return l, t
}

// TimeTrend builds the share of time of every area over time: per area, in
// area order and colour, a solid line for the actual share and a dashed one
// for the wished share.
func TimeTrend(w *Words, id string, c *report.Client, title string) Chart {
	checkID(id)
	l, t := timeTrend(w, c, title)
	return Chart{ID: id, Option: l.option(id), Height: lineHeight(true, len(l.series)), Table: t}
}

// TimeMultiples builds the share of time of client c over time as small
// multiples: one small chart per area, in area order, with the area's
// label as the figure's caption, a solid line for the actual share and a
// dashed one for the wished share, all on the same percent scale so that
// they compare. IDs are prefix_0, prefix_1, ... by area position. Each
// chart's table has the area's actual and wished shares per session; the
// page says what solid and dashed mean.
func TimeMultiples(w *Words, prefix string, c *report.Client, o ...Option) []Chart {
	checkID(prefix)
	areas := c.Client.Areas
	dates, days := sessionDates(c), w.sessionDays(c)
	top := 10
	for _, s := range c.Sessions {
		if !s.HasTime {
			continue
		}
		for _, r := range s.Time {
			top = max(top, r.Actual, r.Wished)
		}
	}
	top = (top + 9) / 10 * 10
	y := percentAxis()
	y.Name, y.Max = "", top
	opt := buildOptions(o)
	actualName, wishedName := w.t("chart_actual"), w.t("chart_wished")
	out := make([]Chart, len(areas))
	for i, a := range areas {
		label := a.Name()
		t := Table{Caption: label, Head: []string{w.t("chart_col_session"), actualName, wishedName}}
		actual := make([]timePoint, 0, len(c.Sessions))
		wished := make([]timePoint, 0, len(c.Sessions))
		for j, s := range c.Sessions {
			r, ok := timeOf(s.Time, a.Key, i)
			if !ok || !s.HasTime {
				continue
			}
			actual = append(actual, timePoint{dates[j], float64(r.Actual)})
			wished = append(wished, timePoint{dates[j], float64(r.Wished)})
			t.Rows = append(t.Rows, []string{days[j], strconv.Itoa(r.Actual), strconv.Itoa(r.Wished)})
		}
		col := color(a.Color, i)
		l := &timeLine{shape: w.key("time multiple|" + strconv.Itoa(top)), small: true, y: y, series: []timeSeries{
			{name: actualName, color: col, points: actual},
			{name: wishedName, color: col, dashed: true, points: wished},
		}}
		id := ID(prefix, strconv.Itoa(i))
		svg := l.svg(id, multipleH, opt, 0, float64(top), niceStep(float64(top)), "%", t.Caption)
		out[i] = Chart{ID: id, Option: l.option(id), SVG: svg, Height: multipleH, Table: t, Caption: label}
	}
	return out
}

// timeTrend returns the lines and the table of a TimeTrend.
func timeTrend(w *Words, c *report.Client, title string) (*timeLine, Table) {
	areas := c.Client.Areas
	dates, days := sessionDates(c), w.sessionDays(c)
	t := Table{Caption: w.t("chart_time_table", "Title", title), Head: make([]string, 1+len(areas)), Rows: newRows(len(c.Sessions), 1+len(areas))}
	t.Head[0] = w.t("chart_col_session")
	for i, a := range areas {
		t.Head[1+i] = a.Name()
	}
	n := 0
	for j, s := range c.Sessions {
		if !s.HasTime {
			continue
		}
		row := t.Rows[n]
		n++
		row[0] = days[j]
		for i, a := range areas {
			row[1+i] = "–"
			if r, ok := timeOf(s.Time, a.Key, i); ok {
				row[1+i] = strconv.Itoa(r.Actual) + " / " + strconv.Itoa(r.Wished)
			}
		}
	}
	t.Rows = t.Rows[:n]
	l := &timeLine{shape: w.key("time trend"), title: title, subtitle: w.t("chart_time_subtitle"), y: percentAxis(),
		series: make([]timeSeries, 0, 2*len(areas))}
	for i, a := range areas {
		actual := make([]timePoint, 0, n)
		wished := make([]timePoint, 0, n)
		for j, s := range c.Sessions {
			if r, ok := timeOf(s.Time, a.Key, i); ok && s.HasTime {
				actual = append(actual, timePoint{dates[j], float64(r.Actual)})
				wished = append(wished, timePoint{dates[j], float64(r.Wished)})
			}
		}
		col := color(a.Color, i)
		l.series = append(l.series,
			timeSeries{name: w.t("chart_series_actual", "Area", a.Name()), color: col, points: actual},
			timeSeries{name: w.t("chart_series_wished", "Area", a.Name()), color: col, dashed: true, points: wished})
	}
	return l, t
}

// percentAxis is the value axis of the balance and time trends: percent
// of time, from 0.
func percentAxis() opts.YAxis {
	return opts.YAxis{Type: "value", Name: "%", Min: 0, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}
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
// stacked bars by their latest status (done, dropped, open; each commitment
// once, in the session that made it), with the kept rate as it stood after
// each session — the share of the commitments settled by then that were
// kept — as a line on a second axis (0–100%).
func CommitmentTrend(w *Words, id string, c *report.Client, title string) Chart {
	checkID(id)
	d, t := commitmentTrend(w, c, title)
	h := lineHeight(false, 4)
	// The drawing has the stacked bars; the kept share is in the table.
	svg := barsSVG(id, title, t.Caption, h, d.dates, []string{w.t("chart_done"), w.t("chart_dropped"), w.t("chart_open")},
		[]string{colorDone, colorDropped, colorOpen}, [][]int{d.done, d.dropped, d.open})
	return Chart{ID: id, Option: d.option(id), SVG: svg, Height: h, Table: t}
}

// commitmentTrend returns the data and the table of a CommitmentTrend.
func commitmentTrend(w *Words, c *report.Client, title string) (*commitments, Table) {
	n := len(c.Sessions)
	d := &commitments{w: w, title: title, dates: make([]string, n), done: make([]int, n), dropped: make([]int, n), open: make([]int, n), kept: make([]keptShare, n)}
	t := Table{Caption: title, Head: []string{w.t("chart_col_session"), w.t("chart_done"), w.t("chart_dropped"), w.t("chart_open"), w.t("chart_kept_so_far")}, Rows: newRows(n, 5)}
	for i, s := range c.Sessions {
		d.dates[i] = w.ShortDate(s.Session.Date.Time)
		tl := s.Commitments
		d.done[i], d.dropped[i], d.open[i] = tl.Done, tl.Dropped, tl.Open
		keptCell := "–"
		if r, ok := s.LedgerSoFar.KeptRate(); ok {
			pct := float64(int(r*1000+0.5)) / 10
			d.kept[i] = keptShare{pct: pct, settled: true}
			keptCell = pctOf(w, pct)
		}
		row := t.Rows[i]
		row[0], row[1], row[2], row[3], row[4] = w.Date(s.Session.Date.Time), strconv.Itoa(tl.Done), strconv.Itoa(tl.Dropped), strconv.Itoa(tl.Open), keptCell
	}
	return d, t
}

// Cadence builds the number of days between consecutive sessions, one bar
// per session after the first, with the mean in the subtitle.
func Cadence(w *Words, id string, c *report.Client, title string) Chart {
	checkID(id)
	d, t := cadence(w, c, title)
	h := lineHeight(d.subtitle != "", 1)
	svg := barsSVG(id, title, t.Caption, h, d.dates, []string{""}, []string{colorNeutral}, [][]int{d.days})
	return Chart{ID: id, Option: d.option(id), SVG: svg, Height: h, Table: t}
}

// cadence returns the bars and the table of a Cadence chart.
func cadence(w *Words, c *report.Client, title string) (*cadenceBars, Table) {
	t := Table{Caption: title, Head: []string{w.t("chart_col_session"), w.t("chart_days_since")}}
	d := &cadenceBars{w: w, title: title}
	for i, days := range c.CadenceDays {
		if i+1 >= len(c.Sessions) {
			break
		}
		date := c.Sessions[i+1].Session.Date.Time
		d.dates = append(d.dates, w.ShortDate(date))
		d.days = append(d.days, days)
		t.Rows = append(t.Rows, []string{w.Date(date), strconv.Itoa(days)})
	}
	if len(c.CadenceDays) > 0 {
		d.subtitle = w.t("chart_cadence_mean", "Days", w.Num(float64(int(c.MeanCadence*10+0.5))/10))
		t.Caption = w.t("chart_caption_subtitle", "Title", t.Caption, "Subtitle", d.subtitle)
	}
	return d, t
}
