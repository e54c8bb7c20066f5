package chart

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// The options of the trend charts. Every client's trend chart of a kind has
// the same option but for its texts and data, so, like the session charts,
// each is built with go-echarts once per shape, with holes for the texts and
// data arrays, and cached (see template.go); a chart then writes its own
// JSON into the holes. Each option also has a direct build with no template,
// which a test compares with the cached one. Charts with an empty title or
// series name, or with no bars, are built directly: go-echarts leaves empty
// texts out and writes no bars as [] or null, and a hole would not.

// timePoint is a point of a time line: date is "YYYY-MM-DD" (see
// sessionDates).
type timePoint struct {
	date  string
	value float64
}

// timeSeries is one line of a timeLine, drawn in one colour.
type timeSeries struct {
	name, color string
	dashed      bool
	points      []timePoint
}

// timeLine is a line chart on a time x axis (see newTimeLine): the ratings,
// balance and time trends. shape names what its fields other than its texts,
// colours and points hold: the kind of chart and its y axis.
type timeLine struct {
	shape           string
	small           bool // a small multiple: no title, no legend
	title, subtitle string
	y               opts.YAxis
	series          []timeSeries
}

// option returns l's ECharts option from the cached template of its shape.
func (l *timeLine) option(id string) template.JS {
	if l.title == "" && !l.small {
		return l.optionDirect(id)
	}
	var key strings.Builder
	key.Grow(len(l.shape) + 4 + 10*len(l.series))
	key.WriteString(l.shape)
	if l.subtitle != "" {
		key.WriteString("|sub")
	}
	for _, s := range l.series {
		if s.name == "" {
			return l.optionDirect(id)
		}
		key.WriteByte('|')
		key.WriteString(s.color)
		if s.dashed {
			key.WriteString(" dashed")
		}
	}
	// Holes: 0 the title, 1 the subtitle, then each series' name and data.
	t := cachedOption(key.String(), func() template.JS {
		holed := *l
		if !l.small {
			holed.title = hole(0)
		}
		if l.subtitle != "" {
			holed.subtitle = hole(1)
		}
		holed.series = make([]timeSeries, len(l.series))
		for i, s := range l.series {
			holed.series[i] = timeSeries{name: hole(2 + 2*i), color: s.color, dashed: s.dashed}
		}
		return holed.build(id, func(i int) any { return hole(3 + 2*i) })
	})
	return template.JS(render(func(b *bytes.Buffer) {
		t.writeWith(b, func(b *bytes.Buffer, i int) {
			switch {
			case i == 0:
				writeJSONString(b, l.title)
			case i == 1:
				writeJSONString(b, l.subtitle)
			case i%2 == 0:
				writeJSONString(b, l.series[(i-2)/2].name)
			default:
				writePoints(b, l.series[(i-3)/2].points)
			}
		})
	}))
}

// optionDirect builds l's option with no template.
func (l *timeLine) optionDirect(id string) template.JS {
	return l.build(id, func(i int) any { return lineData(l.series[i].points) })
}

// build builds l's option with go-echarts, with data(i) as the data of
// series i.
func (l *timeLine) build(id string, data func(i int) any) template.JS {
	line := newTimeLine(id, l.title, l.subtitle, l.y, len(l.series), l.small)
	for i, s := range l.series {
		lineSeries(line, s.name, s.color, s.dashed)
		line.MultiSeries[i].Data = data(i)
	}
	return optionJSON(line)
}

// lineData returns the points as go-echarts' line data, nil when there are
// none: go-echarts writes a series with no points as null.
func lineData(pts []timePoint) []opts.LineData {
	if len(pts) == 0 {
		return nil
	}
	data := make([]opts.LineData, len(pts))
	for i, p := range pts {
		data[i] = point(p.date, p.value)
	}
	return data
}

// writePoints writes what encoding/json writes for lineData(pts).
func writePoints(b *bytes.Buffer, pts []timePoint) {
	if len(pts) == 0 {
		b.WriteString("null")
		return
	}
	b.WriteByte('[')
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"value":[`)
		writeJSONString(b, p.date)
		b.WriteByte(',')
		writeJSONNum(b, p.value)
		b.WriteString(`]}`)
	}
	b.WriteByte(']')
}

// writeStrings writes ss as a JSON array of strings.
func writeStrings(b *bytes.Buffer, ss []string) {
	b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(b, s)
	}
	b.WriteByte(']')
}

// barData returns the values as go-echarts' bar data.
func barData(vs []int) []opts.BarData {
	data := make([]opts.BarData, len(vs))
	for i, v := range vs {
		data[i] = opts.BarData{Value: v}
	}
	return data
}

// writeBars writes what encoding/json writes for barData(vs) with vs not
// nil.
func writeBars(b *bytes.Buffer, vs []int) {
	b.WriteByte('[')
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"value":`)
		b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(v), 10))
		b.WriteByte('}')
	}
	b.WriteByte(']')
}

// commitments is the data of a CommitmentTrend, one entry per session.
type commitments struct {
	w                   *Words
	title               string
	dates               []string // the bars' labels: day and short month
	done, dropped, open []int
	kept                []keptShare
}

// keptShare is the share of settled commitments kept so far, in percent;
// none until a commitment is settled.
type keptShare struct {
	pct     float64
	settled bool
}

// option returns the ECharts option of a CommitmentTrend, from its cached
// template.
func (d *commitments) option(id string) template.JS {
	if d.title == "" || len(d.dates) == 0 {
		return d.optionDirect(id)
	}
	t := cachedOption(d.w.key("commitment trend"), func() template.JS {
		return buildCommitmentOption(d.w, id, hole(0), hole(1), hole(2), hole(3), hole(4), hole(5))
	})
	return template.JS(render(func(b *bytes.Buffer) {
		t.writeWith(b, func(b *bytes.Buffer, i int) {
			switch i {
			case 0:
				writeJSONString(b, d.title)
			case 1:
				writeStrings(b, d.dates)
			case 2:
				writeBars(b, d.done)
			case 3:
				writeBars(b, d.dropped)
			case 4:
				writeBars(b, d.open)
			case 5:
				writeKept(b, d.kept)
			}
		})
	}))
}

// optionDirect builds a CommitmentTrend's option with no template.
func (d *commitments) optionDirect(id string) template.JS {
	kept := make([]opts.LineData, len(d.kept))
	for i, k := range d.kept {
		kept[i] = opts.LineData{Value: "-"} // ECharts' empty value
		if k.settled {
			kept[i] = opts.LineData{Value: k.pct}
		}
	}
	return buildCommitmentOption(d.w, id, d.title, d.dates, barData(d.done), barData(d.dropped), barData(d.open), kept)
}

// writeKept writes what encoding/json writes for optionDirect's kept line
// data.
func writeKept(b *bytes.Buffer, kept []keptShare) {
	b.WriteByte('[')
	for i, k := range kept {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"value":`)
		if k.settled {
			writeJSONNum(b, k.pct)
		} else {
			b.WriteString(`"-"`)
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
}

// buildCommitmentOption builds a CommitmentTrend's option with go-echarts:
// stacked bars by status (done, dropped, open) per session on a category
// axis of dates, and the kept line on a second axis (0–100%). The title and
// data may be holes.
func buildCommitmentOption(w *Words, id, title string, dates, done, dropped, open, kept any) template.JS {
	bar := charts.NewBar()
	bar.MultiSeries = make(charts.MultiSeries, 0, 4) // three bars and the kept line: no regrowth
	bar.Accept(visitor{post: barLayout})
	bar.ChartID = id // set directly: WithInitializationOpts re-runs go-echarts' reflective defaults
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Bottom: "0"}),
		charts.WithGridOpts(pixelGrid(lineTop(title, ""), xLabelsH+bottomPad+legendLines(4)*legendLineH)),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: dates}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: w.t("chart_axis_commitments"), MinInterval: 1}),
	)
	bar.ExtendYAxis(opts.YAxis{Type: "value", Name: w.t("chart_axis_kept"), Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"},
		SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	stack := charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Stack = "status" })
	bar.AddSeries(w.t("chart_done"), nil, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorDone}))
	bar.AddSeries(w.t("chart_dropped"), nil, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorDropped}))
	bar.AddSeries(w.t("chart_open"), nil, stack, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorOpen}))
	bar.MultiSeries[0].Data, bar.MultiSeries[1].Data, bar.MultiSeries[2].Data = done, dropped, open
	keptLine := charts.NewLine()
	keptLine.AddSeries(w.t("chart_series_kept"), nil,
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.YAxisIndex = 1; s.ConnectNulls = opts.Bool(true) }),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorKept}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: colorKept, Width: 2}))
	keptLine.MultiSeries[0].Data = kept
	bar.Overlap(keptLine)
	return optionJSON(bar)
}

// cadenceBars is the data of a Cadence chart: one bar per session after
// the first, its date (day and short month) and the days since the
// session before.
type cadenceBars struct {
	w               *Words
	title, subtitle string
	dates           []string
	days            []int
}

// option returns the ECharts option of a Cadence chart, from its cached
// template.
func (d *cadenceBars) option(id string) template.JS {
	if d.title == "" || d.subtitle == "" || len(d.dates) == 0 {
		return d.optionDirect(id)
	}
	t := cachedOption(d.w.key("cadence trend"), func() template.JS { return buildCadenceOption(d.w, id, hole(0), hole(1), hole(2), hole(3)) })
	return template.JS(render(func(b *bytes.Buffer) {
		t.writeWith(b, func(b *bytes.Buffer, i int) {
			switch i {
			case 0:
				writeJSONString(b, d.title)
			case 1:
				writeJSONString(b, d.subtitle)
			case 2:
				writeStrings(b, d.dates)
			case 3:
				writeBars(b, d.days)
			}
		})
	}))
}

// optionDirect builds a Cadence chart's option with no template. A chart
// with no bars has null data, as go-echarts writes nil slices.
func (d *cadenceBars) optionDirect(id string) template.JS {
	if len(d.days) == 0 {
		return buildCadenceOption(d.w, id, d.title, d.subtitle, []string(nil), []opts.BarData(nil))
	}
	return buildCadenceOption(d.w, id, d.title, d.subtitle, d.dates, barData(d.days))
}

// buildCadenceOption builds a Cadence chart's option with go-echarts: one
// bar per session after the first on a category axis of dates. The texts
// and data may be holes.
func buildCadenceOption(w *Words, id, title, subtitle string, dates, days any) template.JS {
	bar := charts.NewBar()
	bar.Accept(visitor{post: barLayout})
	bar.ChartID = id // set directly: WithInitializationOpts re-runs go-echarts' reflective defaults
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: subtitle, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(pixelGrid(lineTop(title, subtitle), xLabelsH+bottomPad)),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: dates}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: w.t("chart_axis_days"), MinInterval: 1}),
	)
	bar.AddSeries(w.t("chart_days_since"), nil, charts.WithItemStyleOpts(opts.ItemStyle{Color: colorNeutral}))
	bar.MultiSeries[0].Data = days
	return optionJSON(bar)
}
