package chart

import (
	"bytes"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// arcRow is one area of an arc chart, resolved from the report.
type arcRow struct {
	area           model.Area
	color          string
	value, prev    int
	rated, hasPrev bool
}

// arcRows pairs each area with its rating in cur and in prev, matched by
// area key; prev may be nil (first session).
func arcRows(areas []model.Area, cur, prev []report.Rating) []arcRow {
	rows := make([]arcRow, len(areas))
	for i, a := range areas {
		r := arcRow{area: a, color: color(a.Color, i)}
		if v, ok := ratingOf(cur, a.Key, i); ok {
			r.value, r.rated = v, true
		}
		if v, ok := ratingOf(prev, a.Key, i); ok {
			r.prev, r.hasPrev = v, true
		}
		rows[i] = r
	}
	return rows
}

// ratingOf finds area key's rating in rs, trying index i first (Ratings are
// in area order) before searching.
func ratingOf(rs []report.Rating, key string, i int) (int, bool) {
	if i < len(rs) && rs[i].Area.Key == key {
		return rs[i].Value, rs[i].Rated
	}
	for _, r := range rs {
		if r.Area.Key == key {
			return r.Value, r.Rated
		}
	}
	return 0, false
}

// Arc builds the arc chart of one session: one equal sector per area, in
// area order clockwise from the top, each reaching out to its rating on
// rings drawn at every step of scale. cur is the session's ratings; prev the
// previous session's (nil for the first), drawn as dashed outlines. Ratings
// are matched to areas by key; an area not rated in cur is marked "not rated"
// and drawn as no bar at all, never as zero.
//
// The radius axis runs from scale.Min-1 to scale.Max, so the lowest rating
// is a small arc rather than nothing, the same proportion the SVG fallback
// uses: (rating-min+1)/(max-min+1) of the outer radius.
func Arc(w *Words, id string, areas []model.Area, scale model.Scale, cur, prev []report.Rating, title string) Chart {
	checkID(id)
	rows := arcRows(areas, cur, prev)
	return Chart{
		ID:     id,
		Option: arcOption(w, id, rows, scale, title, prev != nil),
		SVG:    template.HTML(render(func(b *bytes.Buffer) { writeArcSVG(w, b, id, rows, scale, title) })),
		Height: arcHeight(len(rows), prev != nil),
		Table:  arcTable(w, rows, scale, title, prev != nil),
	}
}

// ArcSinceFirst is Arc with the first session's ratings, first, as the
// dashed outlines, named as the first session (chart_first_session) in the
// legend and the table: the engagement summary's latest arc, which compares
// with the first session, not the previous one.
func ArcSinceFirst(w *Words, id string, areas []model.Area, scale model.Scale, cur, first []report.Rating, title string) Chart {
	fw := *w
	fw.Lang = w.Lang + "|first" // its own option templates: the legend differs
	fw.T = func(id string, values map[string]any) string {
		if id == "chart_previous_session" || id == "chart_col_previous" {
			id = "chart_first_session"
		}
		return w.T(id, values)
	}
	return Arc(&fw, id, areas, scale, cur, first, title)
}

// angleAxis is go-echarts' AngleAxis with the category data, labels and
// split lines ECharts needs and go-echarts lacks.
type angleAxis struct {
	opts.AngleAxis
	Data      []string        `json:"data"`
	AxisLabel axisLabel       `json:"axisLabel"`
	SplitLine *opts.SplitLine `json:"splitLine,omitempty"`
	AxisTick  *opts.AxisTick  `json:"axisTick,omitempty"`
}

// radiusAxis is go-echarts' RadiusAxis with an explicit min (go-echarts
// omits a zero min), labels and the ring split lines.
type radiusAxis struct {
	opts.RadiusAxis
	Min       float64         `json:"min"`
	Max       float64         `json:"max"`
	AxisLabel axisLabel       `json:"axisLabel"`
	SplitLine *opts.SplitLine `json:"splitLine,omitempty"`
	Z         int             `json:"z,omitempty"`
}

// itemLabel is a data item's label. A position given as [x, y] keeps the
// label of a polar bar upright (ECharts turns it along the arc otherwise);
// "50%" of the sector's bounding box lies inside the sector for 4 to 8
// areas. Dark text with a light outline reads on every area colour.
type itemLabel struct {
	Show            bool     `json:"show"`
	Position        []string `json:"position"`
	Formatter       string   `json:"formatter"`
	FontWeight      string   `json:"fontWeight"`
	FontSize        int      `json:"fontSize"`
	Color           string   `json:"color"`
	TextBorderColor string   `json:"textBorderColor"`
	TextBorderWidth int      `json:"textBorderWidth"`
}

// labelledBar is a bar data item with its own label.
type labelledBar struct {
	opts.BarData
	Label *itemLabel `json:"label,omitempty"`
}

// ratingLabel shows a sector's rating; an empty value ("-") shows none.
var ratingLabel = itemLabel{Show: true, Position: []string{"50%", "50%"}, Formatter: "{c}", FontWeight: "bold", FontSize: 13,
	Color: "#1f2328", TextBorderColor: "#ffffff", TextBorderWidth: 3}

// arcOption returns the ECharts option of an arc chart, from the cached
// template of its shape (areas' colours, scale, with or without a previous
// session).
func arcOption(w *Words, id string, rows []arcRow, scale model.Scale, title string, withPrev bool) template.JS {
	return template.JS(render(func(b *bytes.Buffer) { writeArcOption(w, b, id, rows, scale, title, withPrev) }))
}

// writeArcOption writes what arcOption returns.
func writeArcOption(w *Words, b *bytes.Buffer, id string, rows []arcRow, scale model.Scale, title string, withPrev bool) {
	if title == "" { // go-echarts leaves an empty title out; a hole would not
		b.WriteString(string(arcOptionDirect(w, id, rows, scale, title, withPrev)))
		return
	}
	n := len(rows)
	var key strings.Builder
	key.Grow(24 + 10*n)
	key.WriteString(w.key("arc|"))
	key.WriteString(strconv.Itoa(scale.Min))
	key.WriteByte('|')
	key.WriteString(strconv.Itoa(scale.Max))
	key.WriteByte('|')
	key.WriteString(strconv.FormatBool(withPrev))
	for _, r := range rows {
		key.WriteByte('|')
		key.WriteString(r.color)
	}
	t := cachedOption(key.String(), func() template.JS {
		labels, cur, prev := make([]string, n), make([]any, n), make([]any, n)
		for i := range rows {
			labels[i], cur[i], prev[i] = hole(1+i), hole(1+n+i), hole(1+2*n+i)
		}
		return buildArcOption(w, id, rows, labels, cur, prev, scale, hole(0), withPrev)
	})
	vals := make([]string, 1+3*n)
	vals[0] = jsonString(title)
	for i, r := range rows {
		vals[1+i] = jsonString(arcAngleLabel(w, r))
		vals[1+n+i], vals[1+2*n+i] = `"-"`, `"-"`
		if r.rated {
			vals[1+n+i] = strconv.Itoa(r.value)
		}
		if r.hasPrev {
			vals[1+2*n+i] = strconv.Itoa(r.prev)
		}
	}
	t.write(b, vals)
}

// arcAngleLabel is an area's label on the angle axis, with "(not rated)"
// on a second line when it was not rated.
func arcAngleLabel(w *Words, r arcRow) string {
	if r.rated {
		return shortLabel(r.area.Name())
	}
	return w.t("chart_angle_unrated", "Area", shortLabel(r.area.Name()))
}

// arcOptionDirect builds the option of an arc chart with no template; the
// tests compare it with arcOption.
func arcOptionDirect(w *Words, id string, rows []arcRow, scale model.Scale, title string, withPrev bool) template.JS {
	n := len(rows)
	labels, cur, prev := make([]string, n), make([]any, n), make([]any, n)
	for i, r := range rows {
		labels[i], cur[i], prev[i] = arcAngleLabel(w, r), "-", "-"
		if r.rated {
			cur[i] = r.value
		}
		if r.hasPrev {
			prev[i] = r.prev
		}
	}
	return buildArcOption(w, id, rows, labels, cur, prev, scale, title, withPrev)
}

// buildArcOption builds an arc chart's option with go-echarts: labels are
// the angle axis' categories, cur and prev the bars' values (a rating, or
// "-", ECharts' empty value); any of them, and title, may be a hole.
func buildArcOption(w *Words, id string, rows []arcRow, labels []string, cur, prev []any, scale model.Scale, title string, withPrev bool) template.JS {
	current := make([]labelledBar, len(rows))
	previous := make([]styledBar, len(rows))
	for i, r := range rows {
		current[i] = labelledBar{
			BarData: opts.BarData{Name: labels[i], Value: cur[i], ItemStyle: &opts.ItemStyle{Color: r.color}},
			Label:   &ratingLabel,
		}
		previous[i] = styledBar{
			BarData: opts.BarData{Name: labels[i], Value: prev[i]},
			ItemStyle: &itemStyle{
				ItemStyle:  opts.ItemStyle{Color: "transparent", BorderColor: "#777777", BorderWidth: 2},
				BorderType: "dashed",
			},
		}
	}

	bar := charts.NewBar()
	bar.EnablePolarType()
	bar.Accept(visitor{
		angle: func(a opts.AngleAxis) interface{} {
			return angleAxis{
				AngleAxis: a,
				Data:      labels,
				// Long labels wrap on a phone; charts.js sizes the wheel to leave them room.
				AxisLabel: axisLabel{Interval: ptr(0), Margin: 8, FontSize: 11, LineHeight: 13, Width: 76, Overflow: "break"},
				SplitLine: &opts.SplitLine{Show: opts.Bool(true)},
				AxisTick:  &opts.AxisTick{Show: opts.Bool(false)},
			}
		},
		radius: func(r opts.RadiusAxis) interface{} {
			return radiusAxis{
				RadiusAxis: r,
				Min:        float64(scale.Min - 1),
				Max:        float64(scale.Max),
				// No ring numbers: they would sit on the sectors; the
				// sectors carry their ratings and the table the scale.
				AxisLabel: axisLabel{Show: ptr(false)},
				SplitLine: &opts.SplitLine{Show: opts.Bool(true)},
				Z:         10,
			}
		},
	})
	bar.ChartID = id // set directly: WithInitializationOpts re-runs go-echarts' reflective defaults
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(withPrev), Bottom: "0"}),
		// charts.js fits centre and radius to the container's width.
		charts.WithPolarOps(opts.Polar{Center: []string{"50%", "52%"}, Radius: []string{"0", "58%"}}),
		charts.WithAngleAxisOps(opts.AngleAxis{
			PolarAxisBase: opts.PolarAxisBase{Type: "category", StartAngle: 90, BoundaryGap: opts.Bool(true)},
			Clockwise:     opts.Bool(true),
		}),
		charts.WithRadiusAxisOps(opts.RadiusAxis{
			PolarAxisBase: opts.PolarAxisBase{Type: "value", Interval: 1},
		}),
	)
	bar.AddSeries(w.t("chart_this_session"), nil,
		charts.WithCoordinateSystem("polar"),
		// The series colour only shows in the legend; each sector has its area's.
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#777777"}),
		// Ratings of small sectors next to each other may meet near the
		// centre on a phone: one hides (its tooltip and the table keep it).
		charts.WithLabelLayoutOpts(opts.LabelLayout{HideOverlap: opts.Bool(true)}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.BarCategoryGap = "4%"
			s.BarGap = "-100%"
		}))
	bar.MultiSeries[0].Data = current
	if withPrev {
		bar.AddSeries(w.t("chart_previous_session"), nil, charts.WithCoordinateSystem("polar"),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: "transparent", BorderColor: "#777777", BorderWidth: 2}))
		bar.MultiSeries[1].Data = previous
		bar.MultiSeries[1].BarCategoryGap = "4%"
		bar.MultiSeries[1].BarGap = "-100%"
	}
	return optionJSON(bar)
}

func arcTable(w *Words, rows []arcRow, scale model.Scale, title string, withPrev bool) Table {
	notRated := w.t("chart_not_rated")
	head := []string{w.t("chart_col_area"), w.t("chart_col_rating", "Min", scale.Min, "Max", scale.Max), w.t("chart_col_previous"), w.t("chart_col_change")}
	if !withPrev {
		head = head[:2]
	}
	t := Table{Caption: title, Head: head, Rows: newRows(len(rows), len(head))}
	for i, r := range rows {
		row := t.Rows[i]
		row[0], row[1] = r.area.Name(), notRated
		if r.rated {
			row[1] = strconv.Itoa(r.value)
		}
		if withPrev {
			row[2], row[3] = notRated, "–"
			if r.hasPrev {
				row[2] = strconv.Itoa(r.prev)
				if r.rated {
					row[3] = signed(r.value - r.prev)
				}
			}
		}
	}
	return t
}

// Geometry of the arc SVG, in viewBox units.
const (
	arcW, arcH   = 480.0, 400.0
	arcCX, arcCY = 240.0, 200.0
	arcR         = 118.0 // room for labels of two lines of arcLabelChars around it
)

// arcRadius is the radius of rating v: (v-min+1)/(max-min+1) of the outer
// radius, so the lowest rating is a small arc, not nothing.
func arcRadius(v int, scale model.Scale) float64 {
	steps := scale.Max - scale.Min + 1
	if steps < 1 {
		steps = 1
	}
	f := float64(v-scale.Min+1) / float64(steps)
	return arcR * math.Max(0, math.Min(1, f))
}

// arcLabelChars is the longest line of an area label around the SVG
// wheel, in characters.
const arcLabelChars = 14

// writeArcSVG writes the SVG fallback of an arc chart.
func writeArcSVG(w *Words, b *bytes.Buffer, id string, rows []arcRow, scale model.Scale, title string) {
	s := svgWriter{b: b}
	s.open(id, arcW, arcH, title)
	arcDesc(w, &s, rows, scale)
	s.endDesc()
	s.b.WriteString(`<defs><pattern id="`)
	s.b.WriteString(id)
	s.b.WriteString(`_hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#a0a0a0" stroke-width="2"/></pattern></defs>`)

	n := len(rows)
	step := 2 * math.Pi / float64(max(n, 1))
	const pad = 0.012 // radians between sectors
	start := func(i int) float64 { return -math.Pi/2 + float64(i)*step }

	// Sectors: filled to the rating, hatched over the whole radius when not rated.
	for i, r := range rows {
		a0, a1 := start(i)+pad, start(i)+step-pad
		if n == 1 {
			a0, a1 = -math.Pi/2, 3*math.Pi/2
		}
		if r.rated {
			s.sector(a0, a1, arcRadius(r.value, scale), `fill="`, r.color, `"`)
		} else {
			s.sector(a0, a1, arcR, `fill="url(#`, id, `_hatch)" stroke="#a0a0a0" stroke-width="1"`)
		}
	}
	// Rings at every scale step, and the sector dividers.
	s.b.WriteString(`<g fill="none" stroke="currentColor" stroke-opacity="0.4" stroke-width="0.6">`)
	for v := scale.Min; v <= scale.Max; v++ {
		s.circle(arcCX, arcCY, arcRadius(v, scale))
	}
	if n > 1 {
		for i := 0; i < n; i++ {
			x, y := polar(start(i), arcR)
			s.line(arcCX, arcCY, x, y)
		}
	}
	s.b.WriteString(`</g>`)
	// Previous ratings as dashed outlines.
	s.b.WriteString(`<g fill="none" stroke="currentColor" stroke-width="1.6" stroke-dasharray="5 3">`)
	for i, r := range rows {
		if !r.hasPrev {
			continue
		}
		a0, a1 := start(i)+pad, start(i)+step-pad
		if n == 1 {
			a0, a1 = -math.Pi/2, 3*math.Pi/2
		}
		s.sector(a0, a1, arcRadius(r.prev, scale))
	}
	s.b.WriteString(`</g>`)
	// Area labels around the circle (no ring numbers: they would sit on
	// the sectors; the labels give each rating, the table the scale).
	s.b.WriteString(`<g font-family="sans-serif" font-size="13" fill="currentColor">`)
	for i, r := range rows {
		mid := start(i) + step/2
		x, y := polar(mid, arcR+14)
		anchor := "middle"
		switch c := math.Cos(mid); {
		case c > 0.25:
			anchor = "start"
		case c < -0.25:
			anchor = "end"
		}
		// The area on up to two lines, then its rating (and change) or
		// "not rated"; labels above the wheel grow upwards.
		name := wrapLabel(r.area.Name(), arcLabelChars, 2)
		if math.Sin(mid) < -0.25 {
			y -= 15 * float64(len(name))
		} else if math.Sin(mid) <= 0.25 {
			y -= 15 * float64(len(name)) / 2
		}
		s.b.WriteString(`<text x="`)
		s.num(x)
		s.b.WriteString(`" y="`)
		s.num(y)
		s.b.WriteString(`" text-anchor="`)
		s.b.WriteString(anchor)
		s.b.WriteString(`" font-weight="bold">`)
		s.lines(name, x, 15)
		s.b.WriteString(`<tspan font-weight="normal" x="`)
		s.num(x)
		s.b.WriteString(`" dy="15">`)
		if r.rated {
			s.int(r.value)
			if r.hasPrev {
				s.b.WriteString(" (")
				s.b.WriteString(signed(r.value - r.prev))
				s.b.WriteByte(')')
			}
		} else {
			s.esc(w.t("chart_not_rated"))
		}
		s.b.WriteString(`</tspan></text>`)
	}
	s.b.WriteString(`</g>`)
	s.close()
}

// arcDesc writes the text alternative of an arc chart into its <desc>.
func arcDesc(w *Words, s *svgWriter, rows []arcRow, scale model.Scale) {
	items := make([]string, len(rows))
	for i, r := range rows {
		var value any = w.t("chart_not_rated")
		if r.rated {
			value = r.value
		}
		if r.hasPrev {
			items[i] = w.t("chart_arc_desc_item_prev", "Area", r.area.Name(), "Value", value, "Prev", r.prev)
		} else {
			items[i] = w.t("chart_arc_desc_item", "Area", r.area.Name(), "Value", value)
		}
	}
	s.esc(w.t("chart_arc_desc", "Min", scale.Min, "Max", scale.Max, "List", strings.Join(items, w.t("chart_list_separator"))))
}

// polar returns the point at angle a (radians, clockwise from +x as SVG's y
// axis points down) and radius r around the arc chart's centre.
func polar(a, r float64) (x, y float64) {
	return arcCX + r*math.Cos(a), arcCY + r*math.Sin(a)
}
