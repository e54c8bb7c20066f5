package chart

import (
	"bytes"
	"html/template"
	"strconv"
)

// svgWriter writes an inline SVG fallback. It uses presentation attributes
// only, never style="" (the site's CSP forbids inline styles), a viewBox
// and no fixed size so the drawing scales to its container, and escapes
// every text.
type svgWriter struct {
	b bytes.Buffer
}

// open starts the <svg> with its accessible <title> and <desc>.
func (s *svgWriter) open(id string, w, h float64, title, desc string) {
	s.b.Grow(4096)
	s.b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 `)
	s.num(w)
	s.b.WriteByte(' ')
	s.num(h)
	s.b.WriteString(`" role="img" aria-labelledby="`)
	s.b.WriteString(id)
	s.b.WriteString(`_t `)
	s.b.WriteString(id)
	s.b.WriteString(`_d"><title id="`)
	s.b.WriteString(id)
	s.b.WriteString(`_t">`)
	s.esc(title)
	s.b.WriteString(`</title><desc id="`)
	s.b.WriteString(id)
	s.b.WriteString(`_d">`)
	s.esc(desc)
	s.b.WriteString(`</desc>`)
}

// close ends the <svg> and returns it.
func (s *svgWriter) close() template.HTML {
	s.b.WriteString(`</svg>`)
	return template.HTML(s.b.String())
}

// num writes f with at most two decimals.
func (s *svgWriter) num(f float64) {
	b := strconv.AppendFloat(s.b.AvailableBuffer(), f, 'f', 2, 64)
	// Trim trailing zeros: "12.50" -> "12.5", "3.00" -> "3".
	for len(b) > 0 && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if len(b) > 0 && b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	if len(b) == 2 && b[0] == '-' && b[1] == '0' {
		b = b[1:]
	}
	s.b.Write(b)
}

// esc writes text escaped for SVG/HTML content and attribute values.
func (s *svgWriter) esc(text string) {
	template.HTMLEscape(&s.b, []byte(text))
}

// sector writes a pie sector from the arc chart's centre between angles a0
// and a1 (radians) with radius r; a full turn becomes a circle.
func (s *svgWriter) sector(a0, a1, r float64, attrs string) {
	if a1-a0 >= 6.28 {
		s.b.WriteString(`<circle cx="`)
		s.num(arcCX)
		s.b.WriteString(`" cy="`)
		s.num(arcCY)
		s.b.WriteString(`" r="`)
		s.num(r)
		s.b.WriteString(`" `)
		s.b.WriteString(attrs)
		s.b.WriteString(`/>`)
		return
	}
	x0, y0 := polar(a0, r)
	x1, y1 := polar(a1, r)
	s.b.WriteString(`<path d="M`)
	s.num(arcCX)
	s.b.WriteByte(' ')
	s.num(arcCY)
	s.b.WriteString(`L`)
	s.num(x0)
	s.b.WriteByte(' ')
	s.num(y0)
	s.b.WriteString(`A`)
	s.num(r)
	s.b.WriteByte(' ')
	s.num(r)
	if a1-a0 > 3.14159265 {
		s.b.WriteString(` 0 1 1 `)
	} else {
		s.b.WriteString(` 0 0 1 `)
	}
	s.num(x1)
	s.b.WriteByte(' ')
	s.num(y1)
	s.b.WriteString(`Z"`)
	if attrs != "" {
		s.b.WriteByte(' ')
		s.b.WriteString(attrs)
	}
	s.b.WriteString(`/>`)
}

func (s *svgWriter) circle(cx, cy, r float64) {
	s.b.WriteString(`<circle cx="`)
	s.num(cx)
	s.b.WriteString(`" cy="`)
	s.num(cy)
	s.b.WriteString(`" r="`)
	s.num(r)
	s.b.WriteString(`"/>`)
}

func (s *svgWriter) line(x1, y1, x2, y2 float64) {
	s.b.WriteString(`<line x1="`)
	s.num(x1)
	s.b.WriteString(`" y1="`)
	s.num(y1)
	s.b.WriteString(`" x2="`)
	s.num(x2)
	s.b.WriteString(`" y2="`)
	s.num(y2)
	s.b.WriteString(`"/>`)
}

func (s *svgWriter) rect(x, y, w, h float64, attrs string) {
	s.b.WriteString(`<rect x="`)
	s.num(x)
	s.b.WriteString(`" y="`)
	s.num(y)
	s.b.WriteString(`" width="`)
	s.num(w)
	s.b.WriteString(`" height="`)
	s.num(h)
	s.b.WriteString(`" `)
	s.b.WriteString(attrs)
	s.b.WriteString(`/>`)
}

// text writes a <text> at x, y with extra attributes.
func (s *svgWriter) text(x, y float64, text, attrs string) {
	s.b.WriteString(`<text x="`)
	s.num(x)
	s.b.WriteString(`" y="`)
	s.num(y)
	s.b.WriteByte('"')
	if attrs != "" {
		s.b.WriteByte(' ')
		s.b.WriteString(attrs)
	}
	s.b.WriteByte('>')
	s.esc(text)
	s.b.WriteString(`</text>`)
}
