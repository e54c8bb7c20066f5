package chart

import (
	"bytes"
	"html/template"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Option changes how a trend chart is built.
type Option func(*options)

type options struct {
	months [12]string
}

// WithMonths names the months on the time axes of the trend charts' SVG
// drawings, January first (short names, e.g. a locale's "Jan" … "Dec").
// Without it they are English.
func WithMonths(short [12]string) Option {
	return func(o *options) { o.months = short }
}

var englishMonths = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

func buildOptions(os []Option) options {
	o := options{months: englishMonths}
	for _, f := range os {
		f(&o)
	}
	return o
}

// Geometry of the trend charts' SVG drawings, in viewBox units. The width
// is a phone's, so that on a phone the drawing is at its natural size: it
// is the first paint there until the live chart takes over, and what
// prints (scaled to the paper). Its height is the chart's Height.
const (
	trendW     = 400.0
	multipleW  = 200.0 // a small multiple: two to a phone's line
	trendLeft  = 36.0  // y labels
	trendRight = 14.0
)

// trendFrame is the plot area of a trend drawing and its scales.
type trendFrame struct {
	s                        *svgWriter
	w                        float64
	top, bottom, left, right float64
	y0, y1                   float64
}

func (f *trendFrame) y(v float64) float64 {
	if f.y1 == f.y0 {
		return (f.top + f.bottom) / 2
	}
	return f.bottom - (f.bottom-f.top)*(v-f.y0)/(f.y1-f.y0)
}

// openTrendSVG starts a trend drawing of height h with its title and the
// frame of its plot, which leaves room under it for the x labels and
// legendLines lines of legend.
func openTrendSVG(s *svgWriter, id, title, desc string, w float64, h int, legendLines int, y0, y1 float64) *trendFrame {
	s.open(id, w, float64(h), title)
	s.esc(desc)
	s.endDesc()
	top := 12.0
	if title != "" {
		s.text(w/2, 22, cut(title, 48), `font-family="sans-serif" font-size="15" font-weight="bold" text-anchor="middle" fill="currentColor"`)
		top = titleH + axisNameH
	}
	return &trendFrame{s: s, w: w, top: top, bottom: float64(h) - xLabelsH - bottomPad - float64(legendLines*legendLineH),
		left: trendLeft, right: w - trendRight, y0: y0, y1: y1}
}

// grid draws horizontal gridlines with their labels at each step from y0
// to y1, with suffix after each label (e.g. "%").
func (f *trendFrame) grid(step float64, suffix string) {
	s := f.s
	s.b.WriteString(`<g stroke="currentColor" stroke-opacity="0.18" stroke-width="1">`)
	for v := f.y0; v <= f.y1+1e-9; v += step {
		s.line(f.left, f.y(v), f.right, f.y(v))
	}
	s.b.WriteString(`</g><g font-family="sans-serif" font-size="11" fill="currentColor" fill-opacity="0.75" text-anchor="end">`)
	for v := f.y0; v <= f.y1+1e-9; v += step {
		s.text(f.left-5, f.y(v)+4, num(v)+suffix, "")
	}
	s.b.WriteString(`</g>`)
}

// labelGap is the least room, in viewBox units, between two x labels
// side by side: closer, two month names read as one word.
const labelGap = 8

// labelWidth is an upper estimate of the width of an x label at 11 px
// sans-serif, in viewBox units: 7 a character (digits and most letters of
// the fonts browsers pick are narrower; Arabic letters are joined).
func labelWidth(s string) float64 { return 7 * float64(utf8.RuneCountInString(s)) }

// day parses a "YYYY-MM-DD" date; a malformed one (never made by
// sessionDates) is the zero time.
func day(d string) time.Time {
	t, _ := time.Parse("2006-01-02", d)
	return t
}

// timeScale maps the dates of pts onto the plot's width and labels months
// under it: a month's first day as its name, or, with no month start in
// the span, the first date as "day month".
func (f *trendFrame) timeScale(o options, all []timePoint) func(string) float64 {
	if len(all) == 0 {
		return func(string) float64 { return (f.left + f.right) / 2 }
	}
	lo, hi := day(all[0].date), day(all[0].date)
	for _, p := range all {
		t := day(p.date)
		if t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	span := hi.Sub(lo).Hours() / 24
	pad := 8.0
	x := func(t time.Time) float64 {
		if span == 0 {
			return (f.left + f.right) / 2
		}
		return f.left + pad + (f.right-f.left-2*pad)*(t.Sub(lo).Hours()/24)/span
	}
	s := f.s
	s.b.WriteString(`<g font-family="sans-serif" font-size="11" fill="currentColor" fill-opacity="0.75" text-anchor="middle">`)
	s.line(f.left, f.bottom, f.right, f.bottom)
	lastRight := math.Inf(-1)
	labels := 0
	for m := time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(hi); m = m.AddDate(0, 1, 0) {
		if m.Before(lo) {
			continue
		}
		px := x(m)
		label := o.months[m.Month()-1]
		if m.Month() == time.January {
			label = strconv.Itoa(m.Year())
		}
		half := labelWidth(label) / 2
		if px-half < lastRight+labelGap {
			continue // it would run into the previous one
		}
		s.text(px, f.bottom+16, label, "")
		lastRight, labels = px+half, labels+1
	}
	if labels == 0 {
		s.text(x(lo), f.bottom+16, strconv.Itoa(lo.Day())+" "+o.months[lo.Month()-1], "")
	}
	s.b.WriteString(`</g>`)
	return func(d string) float64 { return x(day(d)) }
}

// lines draws each series as a polyline with a dot per point.
func (f *trendFrame) lines(series []timeSeries, x func(string) float64) {
	s := f.s
	for _, sr := range series {
		if len(sr.points) > 1 {
			s.b.WriteString(`<polyline fill="none" stroke-width="2" stroke-linejoin="round" stroke="`)
			s.b.WriteString(sr.color)
			if sr.dashed {
				s.b.WriteString(`" stroke-dasharray="5 3`)
			}
			s.b.WriteString(`" points="`)
			for i, p := range sr.points {
				if i > 0 {
					s.b.WriteByte(' ')
				}
				s.num(x(p.date))
				s.b.WriteByte(',')
				s.num(f.y(p.value))
			}
			s.b.WriteString(`"/>`)
		}
		for _, p := range sr.points {
			s.circle(x(p.date), f.y(p.value), 2.5, `fill="`, sr.color, `"`)
		}
	}
}

// legend draws the names and colours of items, two to a line, under the
// x labels, each name cut to fit its half.
func (f *trendFrame) legend(names, colors []string, dashed []bool) {
	s := f.s
	s.b.WriteString(`<g font-family="sans-serif" font-size="12" fill="currentColor">`)
	for i, n := range names {
		col, row := float64(i%legendPerLine), float64(i/legendPerLine)
		x := 16 + col*f.w/legendPerLine
		y := f.bottom + xLabelsH + 8 + row*legendLineH
		dash := ""
		if dashed != nil && dashed[i] {
			dash = ` stroke-dasharray="5 3"`
		}
		s.b.WriteString(`<line stroke-width="3" stroke="`)
		s.b.WriteString(colors[i])
		s.b.WriteString(`"` + dash + ` x1="`)
		s.num(x)
		s.b.WriteString(`" y1="`)
		s.num(y - 4)
		s.b.WriteString(`" x2="`)
		s.num(x + 18)
		s.b.WriteString(`" y2="`)
		s.num(y - 4)
		s.b.WriteString(`"/>`)
		s.text(x+24, y, cut(n, 24), "")
	}
	s.b.WriteString(`</g>`)
}

// niceStep is a step for about five gridlines from 0 to top: 1, 2, 5 or
// 10 times a power of ten.
func niceStep(top float64) float64 {
	if top <= 0 {
		return 1
	}
	raw := top / 5
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// svg draws a time line chart as its fallback: gridlines fixed to y0..y1
// (step apart, labelled with suffix), month labels, a line per series
// and, when there is more than one series and the chart is not small, a
// legend.
func (l *timeLine) svg(id string, h int, o options, y0, y1, step float64, suffix, desc string) template.HTML {
	return template.HTML(render(func(b *bytes.Buffer) {
		s := &svgWriter{b: b}
		legend := len(l.series) > 1 && !l.small
		lines := 0
		if legend {
			lines = legendLines(len(l.series))
		}
		w := trendW
		if l.small {
			w = multipleW
		}
		f := openTrendSVG(s, id, l.title, desc, w, h, lines, y0, y1)
		if l.small {
			f.top, f.right = 10, w-8
		}
		f.grid(step, suffix)
		var all []timePoint
		for _, sr := range l.series {
			all = append(all, sr.points...)
		}
		x := f.timeScale(o, all)
		f.lines(l.series, x)
		if legend {
			names, colors, dashed := make([]string, len(l.series)), make([]string, len(l.series)), make([]bool, len(l.series))
			for i, sr := range l.series {
				names[i], colors[i], dashed[i] = sr.name, sr.color, sr.dashed
			}
			f.legend(names, colors, dashed)
		}
		s.close()
	}))
}

// barsSVG draws bars over sessions as a fallback: per category (a date) a
// stack of the values of each series, bottom up, in its colour, with a
// legend when there is more than one series.
func barsSVG(id, title, desc string, h int, dates []string, names, colors []string, values [][]int) template.HTML {
	return template.HTML(render(func(b *bytes.Buffer) {
		s := &svgWriter{b: b}
		lines := 0
		if len(names) > 1 {
			lines = legendLines(len(names))
		}
		top := 1
		for i := range dates {
			sum := 0
			for _, v := range values {
				sum += v[i]
			}
			top = max(top, sum)
		}
		step := math.Max(1, niceStep(float64(top)))
		y1 := math.Ceil(float64(top)/step) * step
		f := openTrendSVG(s, id, title, desc, trendW, h, lines, 0, y1)
		f.grid(step, "")
		n := float64(max(len(dates), 1))
		slot := (f.right - f.left) / n
		bw := slot * 0.6
		for i := range dates {
			x := f.left + slot*float64(i) + (slot-bw)/2
			base := 0.0
			for k, v := range values {
				if v[i] == 0 {
					continue
				}
				y0, y1 := f.y(base), f.y(base+float64(v[i]))
				s.rect(x, y1, bw, y0-y1, `fill="`, colors[k], `"`)
				base += float64(v[i])
			}
		}
		// Dates under the first and last bars, and between them as room allows.
		s.b.WriteString(`<g font-family="sans-serif" font-size="11" fill="currentColor" fill-opacity="0.75">`)
		s.line(f.left, f.bottom, f.right, f.bottom)
		lastRight := math.Inf(-1)
		for i, d := range dates {
			cx := f.left + slot*(float64(i)+0.5)
			lw := labelWidth(d)
			anchor, left := `text-anchor="middle"`, cx-lw/2
			switch {
			case i == 0 && len(dates) > 1:
				anchor, cx, left = `text-anchor="start"`, f.left, f.left
			case i == len(dates)-1 && len(dates) > 1:
				anchor, cx, left = `text-anchor="end"`, f.right, f.right-lw
			}
			if left < lastRight+labelGap {
				continue // it would run into the previous one
			}
			s.text(cx, f.bottom+16, d, anchor)
			lastRight = left + lw
		}
		s.b.WriteString(`</g>`)
		if len(names) > 1 {
			f.legend(names, colors, nil)
		}
		s.close()
	}))
}
