package chart

import (
	"bytes"
	"html/template"
	"math"
	"strconv"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// CheckInArc returns the arc chart of a check-in page as an SVG to tap and
// drag on: the geometry of the session arc chart (one equal sector per
// area, clockwise from the top, rings at every step of scale), each sector a
// <g data-area="KEY" data-index="I"> holding a transparent full-radius
// target and a path of class "ci-fill" drawn to the area's rating in cur
// (empty when not rated). The <svg> carries the geometry in data-cx,
// data-cy, data-r, data-min, data-max and data-pad, so the page's script
// turns a point into an area and a rating and redraws a fill with the same
// formula (arcRadius). The form's number fields are the accessible way to
// set the same ratings: the SVG is hidden from assistive technology.
func CheckInArc(id string, areas []model.Area, scale model.Scale, cur []report.Rating) template.HTML {
	checkID(id)
	rows := arcRows(areas, cur, nil)
	const pad = 0.012
	n := len(rows)
	step := 2 * math.Pi / float64(max(n, 1))
	start := func(i int) float64 { return -math.Pi/2 + float64(i)*step }
	return template.HTML(render(func(b *bytes.Buffer) {
		s := svgWriter{b: b}
		b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg ci-arc" id="`)
		b.WriteString(id)
		b.WriteString(`" viewBox="0 0 `)
		s.num(arcW)
		b.WriteByte(' ')
		s.num(arcH)
		b.WriteString(`" aria-hidden="true" focusable="false" data-cx="`)
		s.num(arcCX)
		b.WriteString(`" data-cy="`)
		s.num(arcCY)
		b.WriteString(`" data-r="`)
		s.num(arcR)
		b.WriteString(`" data-min="`)
		s.int(scale.Min)
		b.WriteString(`" data-max="`)
		s.int(scale.Max)
		b.WriteString(`" data-pad="`)
		b.WriteString(strconv.FormatFloat(pad, 'f', -1, 64))
		b.WriteString(`">`)
		b.WriteString(`<g fill="none" stroke="currentColor" stroke-opacity="0.4" stroke-width="0.6">`)
		for v := scale.Min; v <= scale.Max; v++ {
			s.circle(arcCX, arcCY, arcRadius(v, scale))
		}
		b.WriteString(`</g>`)
		for i, r := range rows {
			a0, a1 := start(i)+pad, start(i)+step-pad
			if n == 1 {
				a0, a1 = -math.Pi/2, 3*math.Pi/2
			}
			b.WriteString(`<g data-area="`)
			s.esc(r.area.Key)
			b.WriteString(`" data-index="`)
			s.int(i)
			b.WriteString(`">`)
			s.sector(a0, a1, arcR, `class="ci-target" fill="`, r.color, `" fill-opacity="0.12"`)
			if r.rated {
				s.sector(a0, a1, arcRadius(r.value, scale), `class="ci-fill" fill="`, r.color, `"`)
			} else {
				b.WriteString(`<path class="ci-fill" d="" fill="` + r.color + `"/>`)
			}
			mid := start(i) + step/2
			x, y := polar(mid, arcR+16)
			b.WriteString(`<text class="ci-label" font-family="sans-serif" font-size="14" fill="currentColor" text-anchor="middle" x="`)
			s.num(x)
			b.WriteString(`" y="`)
			s.num(y + 5)
			b.WriteString(`">`)
			s.esc(r.area.Name())
			b.WriteString(`</text></g>`)
		}
		s.close()
	}))
}
