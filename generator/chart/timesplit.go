package chart

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/coachsite/coachsite/generator/report"
)

// GapText states a balance gap in words, as the time split's subtitle and
// the trend tables do: "Balance gap: 12.5% of time in the wrong place".
func GapText(w *Words, gap float64) string {
	return w.t("chart_gap_text", "Gap", pctOf(w, gap))
}

// pctOf writes a percentage through the words' percent message.
func pctOf(w *Words, f float64) string { return w.t("chart_percent", "Value", w.Num(f)) }

// TimeSplit builds the time split of one session: for each area, in area
// order, a pair of horizontal bars for the share of time actually spent and
// the share wished, with the balance gap in the subtitle.
func TimeSplit(w *Words, id string, rows []report.TimeRow, gap float64, title string) Chart {
	checkID(id)
	return Chart{
		ID:     id,
		Option: timeSplitOption(w, id, rows, gap, title),
		SVG:    template.HTML(render(func(b *bytes.Buffer) { writeTimeSplitSVG(w, b, id, rows, gap, title) })),
		Height: timeSplitHeight(len(rows)),
		Table:  timeSplitTable(w, rows, w.t("chart_caption_subtitle", "Title", title, "Subtitle", GapText(w, gap))),
	}
}

// timeSplitOption returns the ECharts option of a time split, from the
// cached template of its shape (the areas' colours).
func timeSplitOption(w *Words, id string, rows []report.TimeRow, gap float64, title string) template.JS {
	return template.JS(render(func(b *bytes.Buffer) { writeTimeSplitOption(w, b, id, rows, gap, title) }))
}

// writeTimeSplitOption writes what timeSplitOption returns.
func writeTimeSplitOption(w *Words, b *bytes.Buffer, id string, rows []report.TimeRow, gap float64, title string) {
	if title == "" { // go-echarts leaves an empty title out; a hole would not
		b.WriteString(string(timeSplitOptionDirect(w, id, rows, gap, title)))
		return
	}
	n := len(rows)
	var key strings.Builder
	key.Grow(4 + 10*n)
	key.WriteString(w.key("time"))
	for i, r := range rows {
		key.WriteByte('|')
		key.WriteString(color(r.Area.Color, i))
	}
	t := cachedOption(key.String(), func() template.JS {
		labels, actual, wished := make([]string, n), make([]any, n), make([]any, n)
		for i := range rows {
			labels[i], actual[i], wished[i] = hole(2+i), hole(2+n+i), hole(2+2*n+i)
		}
		return buildTimeSplitOption(w, id, rows, labels, actual, wished, hole(0), hole(1))
	})
	vals := make([]string, 2+3*n)
	vals[0], vals[1] = jsonString(title), jsonString(GapText(w, gap))
	for i, r := range rows {
		vals[2+i] = jsonString(shortLabel(r.Area.Name()))
		vals[2+n+i] = strconv.Itoa(r.Actual)
		vals[2+2*n+i] = strconv.Itoa(r.Wished)
	}
	t.write(b, vals)
}

// timeSplitOptionDirect builds the option of a time split with no template;
// the tests compare it with timeSplitOption.
func timeSplitOptionDirect(w *Words, id string, rows []report.TimeRow, gap float64, title string) template.JS {
	n := len(rows)
	labels, actual, wished := make([]string, n), make([]any, n), make([]any, n)
	for i, r := range rows {
		labels[i], actual[i], wished[i] = shortLabel(r.Area.Name()), r.Actual, r.Wished
	}
	return buildTimeSplitOption(w, id, rows, labels, actual, wished, title, GapText(w, gap))
}

// buildTimeSplitOption builds a time split's option with go-echarts; the
// labels, values, title and subtitle may be holes.
func buildTimeSplitOption(w *Words, id string, rows []report.TimeRow, labels []string, actualV, wishedV []any, title, subtitle string) template.JS {
	actual := make([]opts.BarData, len(rows))
	wished := make([]opts.BarData, len(rows))
	for i, r := range rows {
		c := color(r.Area.Color, i)
		actual[i] = opts.BarData{Name: labels[i], Value: actualV[i], ItemStyle: &opts.ItemStyle{Color: c}}
		wished[i] = opts.BarData{Name: labels[i], Value: wishedV[i], ItemStyle: &opts.ItemStyle{
			Color: c, Opacity: opts.Float(0.4), BorderColor: c, BorderWidth: 1,
		}}
	}
	bar := charts.NewBar()
	bar.Accept(visitor{post: timeSplitLayout})
	bar.ChartID = id // set directly: WithInitializationOpts re-runs go-echarts' reflective defaults
	grid := pixelGrid(titleH+subtitleH+4, xLabelsH+legendLineH+bottomPad)
	grid.Right = "40" // the value after the longest bar
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: subtitle, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Bottom: "0"}),
		charts.WithGridOpts(grid),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: labels, Inverse: opts.Bool(true)}),
	)
	// Series colours only show in the legend; each bar has its area's.
	bar.AddSeries(w.t("chart_actual"), actual, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{c}%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#555555"}))
	bar.AddSeries(w.t("chart_wished"), wished, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{c}%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#555555", Opacity: opts.Float(0.4), BorderColor: "#555555", BorderWidth: 1}))
	return optionJSON(bar)
}

func timeSplitTable(w *Words, rows []report.TimeRow, caption string) Table {
	t := Table{
		Caption: caption,
		Head:    []string{w.t("chart_col_area"), w.t("chart_col_actual_pct"), w.t("chart_col_wished_pct"), w.t("chart_col_difference")},
		Rows:    newRows(len(rows), 4),
	}
	for i, r := range rows {
		row := t.Rows[i]
		row[0], row[1], row[2], row[3] = r.Area.Name(), strconv.Itoa(r.Actual), strconv.Itoa(r.Wished), signed(r.Gap)
	}
	return t
}

// Geometry of the time split SVG, in viewBox units.
const (
	tsW     = 480.0
	tsTop   = 34.0  // room for the legend
	tsRow   = 40.0  // height of one area's pair of bars
	tsLabel = 130.0 // width of the area labels...
	// ...in characters of 12 px, on each of up to two lines
	tsLabelChars = 17
	tsBar        = 13.0 // height of one bar
	tsRight      = 44.0 // room for the value after the longest bar
)

// writeTimeSplitSVG writes the SVG fallback of a time split.
func writeTimeSplitSVG(w *Words, b *bytes.Buffer, id string, rows []report.TimeRow, gap float64, title string) {
	maxV := 10
	for _, r := range rows {
		maxV = max(maxV, r.Actual, r.Wished)
	}
	maxV = (maxV + 9) / 10 * 10
	h := tsTop + float64(len(rows))*tsRow + 10
	width := tsW - tsLabel - tsRight
	x := func(v int) float64 { return width * float64(v) / float64(maxV) }

	s := svgWriter{b: b}
	s.open(id, tsW, h, title)
	timeSplitDesc(w, &s, rows, gap)
	s.endDesc()
	s.b.WriteString(`<g font-family="sans-serif" font-size="12" fill="currentColor">`)
	// Legend: solid = actual, pale with outline = wished.
	s.rect(tsLabel, 8, 14, 10, `fill="currentColor" fill-opacity="0.7"`)
	s.text(tsLabel+20, 17, w.t("chart_actual"), "")
	s.rect(tsLabel+90, 8, 14, 10, `fill="currentColor" fill-opacity="0.25" stroke="currentColor"`)
	s.text(tsLabel+110, 17, w.t("chart_wished"), "")
	s.openText(tsW-4, 17, `text-anchor="end" font-weight="bold"`)
	s.esc(w.t("chart_gap_label", "Gap", pctOf(w, gap)))
	s.b.WriteString("</text>")
	// Gridlines every 10%.
	s.b.WriteString(`<g stroke="currentColor" stroke-opacity="0.25" stroke-width="0.6">`)
	for v := 0; v <= maxV; v += 10 {
		s.line(tsLabel+x(v), tsTop-4, tsLabel+x(v), h-8)
	}
	s.b.WriteString(`</g>`)
	for i, r := range rows {
		c := color(r.Area.Color, i)
		y := tsTop + float64(i)*tsRow
		// The area's label on up to two lines, beside its bars.
		name := wrapLabel(r.Area.Name(), tsLabelChars, 2)
		s.openText(tsLabel-8, y+tsBar+4-6*float64(len(name)-1), `text-anchor="end"`)
		s.lines(name, tsLabel-8, 13)
		s.b.WriteString(`</text>`)
		s.rect(tsLabel, y+2, x(r.Actual), tsBar, `fill="`, c, `"`)
		s.openText(tsLabel+x(r.Actual)+4, y+tsBar, `font-size="11"`)
		s.int(r.Actual)
		s.b.WriteString("%</text>")
		s.rect(tsLabel, y+3+tsBar, x(r.Wished), tsBar, `fill="`, c, `" fill-opacity="0.35" stroke="`, c, `"`)
		s.openText(tsLabel+x(r.Wished)+4, y+2*tsBar+1, `font-size="11"`)
		s.int(r.Wished)
		s.b.WriteString("%</text>")
	}
	s.b.WriteString(`</g>`)
	s.close()
}

// timeSplitDesc writes the text alternative of a time split into its <desc>.
func timeSplitDesc(w *Words, s *svgWriter, rows []report.TimeRow, gap float64) {
	items := make([]string, len(rows))
	for i, r := range rows {
		items[i] = w.t("chart_time_desc_item", "Area", r.Area.Name(), "Actual", pctOf(w, float64(r.Actual)), "Wished", pctOf(w, float64(r.Wished)))
	}
	s.esc(w.t("chart_time_desc", "List", strings.Join(items, w.t("chart_list_separator")), "Gap", GapText(w, gap)))
}

// categoryAxis is a category y axis whose labels wrap within a width.
type categoryAxis struct {
	opts.YAxis
	AxisLabel axisLabel `json:"axisLabel"`
}

// timeSplitLayout wraps the area labels of a time split at 96 px, so that
// the bars keep most of a phone's width; a label has at most three lines
// (see shortLabel), which fit in the row of its two bars.
func timeSplitLayout(m map[string]interface{}) {
	if ys, ok := m["yAxis"].([]opts.YAxis); ok && len(ys) == 1 {
		m["yAxis"] = []categoryAxis{{YAxis: ys[0], AxisLabel: axisLabel{FontSize: 11, LineHeight: 13, Width: 96, Overflow: "break"}}}
	}
}
