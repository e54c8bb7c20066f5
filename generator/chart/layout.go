package chart

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/opts"
)

// Layout of the live charts. Every height is in CSS pixels and follows the
// chart's content — its rows, series and legend lines — never its width,
// with room enough for 11–12 px labels to stay legible and apart on a 360 px
// phone. Paddings are in pixels too, so that a chart's plot keeps its height
// at every width; charts.js only fits what depends on the width (the arc
// chart's radius, titles truncated to the width).
const (
	titleH        = 36  // the title line
	subtitleH     = 20  // a subtitle line under it
	axisNameH     = 18  // the y axis' name above the plot
	xLabelsH      = 30  // the x axis' labels under the plot
	legendLineH   = 24  // one line of legend
	legendPerLine = 2   // legend items on one line of a 360 px phone...
	legendTextW   = 120 // ...as each item's text is cut to this width
	trendPlotH    = 200 // the plot of a trend chart
	bottomPad     = 8

	// A small multiple: no title (its area is the figure's caption), no
	// legend (the page says what solid and dashed mean).
	multipleH = 160

	sparklineH = 64

	// The arc chart: room for the title, the wheel and its labels on
	// every side (up to three lines each), and the legend when a previous
	// session is drawn.
	arcLiveH   = 360
	arcManyH   = 20 // added above six areas: labels sit closer together
	timeRowH   = 46 // one area of a time split: two bars and their labels
	labelRunes = 32 // area labels longer than this are shortened in drawings
)

// legendLines is the number of legend lines n items take on a phone.
func legendLines(n int) int { return (n + legendPerLine - 1) / legendPerLine }

// shortLabel shortens an area label for a drawing to at most labelRunes
// runes, at a word boundary when there is one, ending with "…"; the chart's
// table keeps the full text.
func shortLabel(s string) string {
	if utf8.RuneCountInString(s) <= labelRunes {
		return s
	}
	r := []rune(s)[:labelRunes-1]
	cut := string(r)
	if i := strings.LastIndexAny(cut, " ,;/-"); i > labelRunes/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;/-") + "…"
}

// timeAxis is a time x axis whose labels name months: a tick on a month's
// first day reads "Mar", one inside a month "15 Mar", a year's first
// "2026", so even a one-month engagement shows which month it is. Ticks are
// at least a day apart (dates have no time of day) and labels that would
// overlap are hidden.
type timeAxis struct {
	opts.XAxis
	AxisLabel   timeAxisLabel `json:"axisLabel"`
	MinInterval int           `json:"minInterval"`
}

type timeAxisLabel struct {
	HideOverlap bool           `json:"hideOverlap"`
	FontSize    int            `json:"fontSize"`
	Formatter   timeLabelLevel `json:"formatter"`
}

// timeLabelLevel is ECharts' per-level template formatter of a time axis.
type timeLabelLevel struct {
	Year  string `json:"year"`
	Month string `json:"month"`
	Day   string `json:"day"`
}

const dayMillis = 24 * 60 * 60 * 1000

var monthLabels = timeAxisLabel{HideOverlap: true, FontSize: 11, Formatter: timeLabelLevel{Year: "{yyyy}", Month: "{MMM}", Day: "{d} {MMM}"}}

// legend is a legend whose item texts are cut to legendTextW, so that two
// items fit on a line of a phone.
type legend struct {
	opts.Legend
	TextStyle legendText `json:"textStyle"`
	ItemGap   int        `json:"itemGap"`
}

type legendText struct {
	Width    int    `json:"width"`
	Overflow string `json:"overflow"`
	FontSize int    `json:"fontSize"`
}

var legendStyle = legendText{Width: legendTextW, Overflow: "truncate", FontSize: 12}

// pixelGrid is a grid with pixel paddings (go-echarts writes them as
// strings, which ECharts reads as pixels too; the type says so).
func pixelGrid(top, bottom int) opts.Grid {
	return opts.Grid{Left: "8", Right: "16", Top: strconv.Itoa(top), Bottom: strconv.Itoa(bottom), ContainLabel: opts.Bool(true)}
}

// lineLayout completes a time line's option: month labels on its x axis,
// legend items cut to fit a phone, the y axis' name inside the chart.
func lineLayout(m map[string]interface{}) {
	if xs, ok := m["xAxis"].([]opts.XAxis); ok && len(xs) == 1 {
		m["xAxis"] = []timeAxis{{XAxis: xs[0], AxisLabel: monthLabels, MinInterval: dayMillis}}
	}
	legendLayout(m)
	axisNames(m)
}

// barLayout completes a bar chart over sessions (commitments, cadence):
// its first and last date labels keep inside the plot's ends, others that
// would overlap hide; legend and y axis names as lineLayout does.
func barLayout(m map[string]interface{}) {
	if xs, ok := m["xAxis"].([]opts.XAxis); ok && len(xs) == 1 {
		m["xAxis"] = []categoryXAxis{{XAxis: xs[0], AxisLabel: categoryLabel{HideOverlap: true, FontSize: 11, AlignMinLabel: "left", AlignMaxLabel: "right"}}}
	}
	legendLayout(m)
	axisNames(m)
}

type categoryXAxis struct {
	opts.XAxis
	AxisLabel categoryLabel `json:"axisLabel"`
}

type categoryLabel struct {
	HideOverlap   bool   `json:"hideOverlap"`
	FontSize      int    `json:"fontSize"`
	AlignMinLabel string `json:"alignMinLabel"`
	AlignMaxLabel string `json:"alignMaxLabel"`
}

// namedAxis is a value axis whose name is aligned to start at the axis
// (left axis) or end at it (right axis), so that it stays inside the chart
// however narrow: centred, it would reach past the edge.
type namedAxis struct {
	opts.YAxis
	NameTextStyle axisName `json:"nameTextStyle"`
}

type axisName struct {
	Align string `json:"align"`
}

func axisNames(m map[string]interface{}) {
	ys, ok := m["yAxis"].([]opts.YAxis)
	if !ok {
		return
	}
	out := make([]namedAxis, len(ys))
	for i, y := range ys {
		align := "left"
		if i > 0 {
			align = "right"
		}
		out[i] = namedAxis{YAxis: y, NameTextStyle: axisName{Align: align}}
	}
	m["yAxis"] = out
}

// legendLayout cuts the legend's item texts to fit two on a phone's line.
func legendLayout(m map[string]interface{}) {
	if l, ok := m["legend"].(opts.Legend); ok {
		m["legend"] = legend{Legend: l, TextStyle: legendStyle, ItemGap: 12}
	}
}

// arcHeight is the height of an arc chart of n areas, with a legend when
// a previous session is drawn.
func arcHeight(n int, withPrev bool) int {
	h := arcLiveH
	if n > 6 {
		h += arcManyH
	}
	if withPrev {
		h += legendLineH
	}
	return h
}

// timeSplitHeight is the height of a time split of n areas.
func timeSplitHeight(n int) int {
	return titleH + subtitleH + n*timeRowH + xLabelsH + legendLineH + bottomPad
}

// wrapLabel breaks s into at most lines lines of at most width runes, at
// spaces (a longer word is cut), the last line ending with "…" when text
// is left over: an area label in an SVG drawing, whose table keeps it whole.
func wrapLabel(s string, width, lines int) []string {
	var out []string
	line := ""
	words := strings.Fields(s)
	for _, w := range words {
		for utf8.RuneCountInString(w) > width {
			if line != "" {
				out, line = append(out, line), ""
			}
			r := []rune(w)
			out, w = append(out, string(r[:width])), string(r[width:])
		}
		switch {
		case line == "":
			line = w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= width:
			line += " " + w
		default:
			out, line = append(out, line), w
		}
		if len(out) >= lines {
			return cutLabel(out, lines, width)
		}
	}
	if line != "" {
		out = append(out, line)
	}
	if len(out) > lines {
		return cutLabel(out, lines, width)
	}
	return out
}

// cutLabel keeps the first n of a label's lines, the last one ending in
// "…" within width.
func cutLabel(out []string, n, width int) []string {
	out = out[:n]
	last := []rune(out[n-1])
	if len(last) >= width {
		last = last[:width-1]
	}
	out[n-1] = strings.TrimRight(string(last), " ,;") + "…"
	return out
}
