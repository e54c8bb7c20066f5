// Package chart builds the charts of coachsite's reports: the arc chart of a
// session's ratings, its time split, and the trends of an engagement.
//
// Each chart comes in three forms: an ECharts option (JSON built with
// go-echarts' types and marshalled with encoding/json, never rendered with
// go-echarts' templates), a server-side SVG fallback for print and pages read
// without JavaScript, and an accessible data table. The JSON is placed in a
// <script type="application/json"> data block that the theme's charts.js
// reads; docs/charts.md describes that markup contract.
//
// Everything here is deterministic: the same report gives the same bytes.
package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Chart is one chart ready to be placed in a page.
type Chart struct {
	// ID is the chart's element id, made only of [A-Za-z0-9_]. It names
	// both the container and its data block, so it must be unique in a page.
	ID string

	// Option is the ECharts option as JSON. <, > and & are escaped as
	// \u003c, \u003e and \u0026, so it is safe inside a
	// <script type="application/json"> element.
	Option template.JS

	// SVG is the server-side fallback drawing, shown when JavaScript does
	// not run (print, archives, no-JS); empty for charts that have none, in
	// which case Table is the fallback.
	SVG template.HTML

	// Height is the chart's drawing height in CSS pixels, from its content
	// (rows, series, legend), never from its width: charts.js gives the
	// container this height, and the SVG fallback has it too, so the live
	// chart takes over with no shift.
	Height int

	// Table holds the chart's data for screen readers and for readers who
	// want the numbers.
	Table Table

	// Caption, when not empty, is shown as the figure's <figcaption>, e.g.
	// the area of a sparkline, which has no title of its own.
	Caption string
}

// Table is the accessible data table of a chart: a caption, column headers
// and rows of cells. The first cell of each row is a row header.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]string
}

// newRows returns n table rows of cols cells each, all in one backing array.
func newRows(n, cols int) [][]string {
	cells := make([]string, n*cols)
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = cells[i*cols : (i+1)*cols : (i+1)*cols]
	}
	return rows
}

// ID returns an element id for a chart made from prefix and parts: every
// byte outside [A-Za-z0-9_] becomes '_', and the parts are joined with '_'.
// A result that would not start with a letter gets a leading "c". Use it to
// derive stable IDs such as ID("arc", session.Slug).
func ID(prefix string, parts ...string) string {
	var b strings.Builder
	write := func(s string) {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' {
				b.WriteByte(c)
			} else {
				b.WriteByte('_')
			}
		}
	}
	write(prefix)
	for _, p := range parts {
		b.WriteByte('_')
		write(p)
	}
	s := b.String()
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		s = "c" + s
	}
	return s
}

// validID reports whether id is a usable chart ID.
func validID(id string) bool {
	return id != "" && ID(id) == id
}

// checkID panics when id is not a valid chart ID: IDs come from the caller's
// code, never from content, so a bad one is a programming error.
func checkID(id string) {
	if !validID(id) {
		panic(fmt.Sprintf("chart: invalid chart ID %q (want a letter, then [A-Za-z0-9_])", id))
	}
}

// optionJSON marshals a go-echarts chart's option. json.Marshal escapes <, >
// and & and never interprets go-echarts' __f__ function markers, so every
// string stays inert data.
func optionJSON(c interface{ JSON() map[string]interface{} }) template.JS {
	b, err := json.Marshal(c.JSON())
	if err != nil {
		// Only NaN or Inf could fail here, and no chart puts one in.
		panic("chart: marshal option: " + err.Error())
	}
	return template.JS(b)
}

// HTML returns the chart's markup as the contract in docs/charts.md defines
// it: a <figure> with Caption as its <figcaption> when it is not empty, the
// container (holding the SVG fallback), the JSON data block and the data
// table.
//
// The container is aria-hidden: assistive technology reads the data table,
// never the drawing (ECharts' SVG or the fallback), so every chart is
// announced the same way with or without JavaScript.
func (c Chart) HTML() template.HTML {
	return Figures(c)
}

// Figures returns the markup of charts one after the other, each as its
// HTML method gives it.
func Figures(cs ...Chart) template.HTML {
	return template.HTML(render(func(b *bytes.Buffer) {
		for i := range cs {
			cs[i].writeHTML(b)
		}
	}))
}

func (c *Chart) writeHTML(b *bytes.Buffer) {
	openFigure(b, c.ID, c.Caption, c.Height)
	b.WriteString(string(c.SVG))
	figureData(b, c.ID)
	b.WriteString(string(c.Option))
	closeFigure(b, &c.Table)
}

// openFigure writes a chart's markup up to its fallback drawing: the
// figure, its caption and the opening of the container.
func openFigure(b *bytes.Buffer, id, caption string, height int) {
	b.WriteString(`<figure class="chart-figure">`)
	if caption != "" {
		b.WriteString(`<figcaption>`)
		b.WriteString(template.HTMLEscapeString(caption))
		b.WriteString(`</figcaption>`)
	}
	b.WriteString(`<div class="chart" id="`)
	b.WriteString(id)
	b.WriteString(`" data-height="`)
	b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(height), 10))
	b.WriteString(`" aria-hidden="true">`)
}

// figureData closes the container and opens the JSON data block, which the
// option follows.
func figureData(b *bytes.Buffer, id string) {
	b.WriteString(`</div><script type="application/json" class="chart-data" data-chart="`)
	b.WriteString(id)
	b.WriteString(`">`)
}

// closeFigure closes the data block and writes the data table.
func closeFigure(b *bytes.Buffer, t *Table) {
	b.WriteString(`</script>`)
	// The wrapper, not the table, is what CSS hides or lets scroll: a table
	// cannot be narrower than its content, so it would widen a phone's page.
	b.WriteString(`<div class="chart-table-wrap">`)
	t.writeHTML(b)
	b.WriteString(`</div></figure>`)
}

// HTML returns t as an HTML table with a caption and scoped headers, every
// text escaped.
func (t Table) HTML() template.HTML {
	return template.HTML(render(t.writeHTML))
}

func (t *Table) writeHTML(b *bytes.Buffer) {
	b.WriteString(`<table class="chart-table"><caption>`)
	b.WriteString(template.HTMLEscapeString(t.Caption))
	b.WriteString(`</caption><thead><tr>`)
	for _, h := range t.Head {
		b.WriteString(`<th scope="col">`)
		b.WriteString(template.HTMLEscapeString(h))
		b.WriteString(`</th>`)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for _, row := range t.Rows {
		b.WriteString(`<tr>`)
		for i, cell := range row {
			if i == 0 {
				b.WriteString(`<th scope="row">`)
				b.WriteString(template.HTMLEscapeString(cell))
				b.WriteString(`</th>`)
				continue
			}
			b.WriteString(`<td>`)
			b.WriteString(template.HTMLEscapeString(cell))
			b.WriteString(`</td>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
}

// render returns what write writes, copied once, at its exact size, out
// of a pooled buffer.
func render(write func(b *bytes.Buffer)) string {
	b := getBuf()
	write(b)
	s := b.String()
	putBuf(b)
	return s
}

// bufs holds render's scratch buffers; a buffer that grew past
// maxPooledBuf (a huge trend table) is left to the GC.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBuf = 256 << 10

func getBuf() *bytes.Buffer {
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putBuf(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuf {
		bufs.Put(b)
	}
}

// Words are the words of the charts in the reader's language: titles,
// legends, axis names, table headers and the text alternatives of the
// drawings. The pipeline makes them from the theme's translations (the
// chart_* keys of i18n/<lang>.yaml); no chart word is written here.
type Words struct {
	// Lang names the language; the cached option templates of one
	// language are kept apart from another's.
	Lang string
	// T returns message id filled with values (nil for none).
	T func(id string, values map[string]any) string
	// Num writes a number with at most one decimal as the locale does.
	Num func(float64) string
	// Date writes a date in full as the locale does (a data table's
	// session column); ShortDate its day and month (under a bar).
	Date, ShortDate func(time.Time) string
}

// t returns message id with values given in pairs of name and value.
func (w *Words) t(id string, kv ...any) string {
	var m map[string]any
	if len(kv) > 0 {
		m = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
	}
	return w.T(id, m)
}

// key prefixes a cache key with the language.
func (w *Words) key(k string) string { return w.Lang + "|" + k }

// fallbackColors is the Okabe–Ito palette, used when an area's colour is
// missing or not a plain CSS colour.
var fallbackColors = []string{"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#8c8c8c"}

// color returns c when it is a plain CSS colour (#hex, rgb()/hsl() of
// numbers, or a colour name), else a palette colour chosen by i. Colours go
// into SVG attributes and the ECharts option; a url() or anything odd never
// does.
func color(c string, i int) string {
	if plainColor(c) {
		return c
	}
	return fallbackColors[i%len(fallbackColors)]
}

func plainColor(c string) bool {
	if c == "" || len(c) > 40 {
		return false
	}
	if c[0] == '#' {
		n := len(c) - 1
		if n != 3 && n != 4 && n != 6 && n != 8 {
			return false
		}
		for i := 1; i < len(c); i++ {
			if !isHex(c[i]) {
				return false
			}
		}
		return true
	}
	for _, fn := range []string{"rgb(", "rgba(", "hsl(", "hsla("} {
		if strings.HasPrefix(c, fn) && strings.HasSuffix(c, ")") {
			for _, r := range c[len(fn) : len(c)-1] {
				if !strings.ContainsRune("0123456789.,% /", r) && !strings.ContainsRune("deg", r) {
					return false
				}
			}
			return true
		}
	}
	for i := 0; i < len(c); i++ {
		if !(c[i] >= 'a' && c[i] <= 'z' || c[i] >= 'A' && c[i] <= 'Z') {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// num formats a number without trailing zeros: 12.5, 10.
func num(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// signed formats a change with its sign: +2, -1, 0.
func signed(d int) string {
	if -10 < d && d < 10 {
		return smallSigned[d+9]
	}
	if d > 0 {
		return "+" + strconv.Itoa(d)
	}
	return strconv.Itoa(d)
}

// smallSigned holds signed(d) for -9 ≤ d ≤ 9, the usual changes.
var smallSigned = [...]string{"-9", "-8", "-7", "-6", "-5", "-4", "-3", "-2", "-1", "0", "+1", "+2", "+3", "+4", "+5", "+6", "+7", "+8", "+9"}

// axisLabel is an ECharts axisLabel with the fields go-echarts' polar axes
// lack.
type axisLabel struct {
	Show         *bool   `json:"show,omitempty"`
	Interval     *int    `json:"interval,omitempty"`
	Margin       float64 `json:"margin,omitempty"`
	FontSize     float64 `json:"fontSize,omitempty"`
	ShowMinLabel *bool   `json:"showMinLabel,omitempty"`
	HideOverlap  *bool   `json:"hideOverlap,omitempty"`
	LineHeight   float64 `json:"lineHeight,omitempty"`
	Width        float64 `json:"width,omitempty"`
	Overflow     string  `json:"overflow,omitempty"`
}

// tooltip is go-echarts' Tooltip plus renderMode: coachsite draws tooltips
// as rich text inside the chart, so no chart text ever goes through
// innerHTML and no inline style is needed (the CSP forbids them).
type tooltip struct {
	opts.Tooltip
	RenderMode string `json:"renderMode"`
}

// itemStyle is go-echarts' ItemStyle plus borderType, which it lacks.
type itemStyle struct {
	opts.ItemStyle
	BorderType string `json:"borderType,omitempty"`
}

// styledBar is a bar data item whose style may have a border type.
type styledBar struct {
	opts.BarData
	ItemStyle *itemStyle `json:"itemStyle,omitempty"`
}

// visitor completes go-echarts' option tree where go-echarts has no field
// for an ECharts option: it wraps the polar axes and the tooltip, and drops
// the empty toolbox go-echarts always emits (the bundle has no toolbox).
type visitor struct {
	charts.BaseConfigurationVisitor
	angle  func(opts.AngleAxis) interface{}
	radius func(opts.RadiusAxis) interface{}
	// post, when set, completes the whole option last (see layout.go).
	post func(m map[string]interface{})
}

func (v visitor) Visit(m map[string]interface{}) {
	delete(m, "toolbox")
	if v.post != nil {
		v.post(m)
	}
}

func (v visitor) VisitTooltipOpt(t opts.Tooltip) interface{} {
	return tooltip{Tooltip: t, RenderMode: "richText"}
}

func (v visitor) VisitAngleAxis(a opts.AngleAxis) interface{} {
	if v.angle != nil {
		return v.angle(a)
	}
	return a
}

func (v visitor) VisitRadiusAxis(r opts.RadiusAxis) interface{} {
	if v.radius != nil {
		return v.radius(r)
	}
	return r
}

func ptr[T any](v T) *T { return &v }
