package chart

import (
	"bytes"
	"html/template"
	"math"
	"strconv"
)

// svgWriter writes an inline SVG fallback. It uses presentation attributes
// only, never style="" (the site's CSP forbids inline styles), a viewBox
// and no fixed size so the drawing scales to its container, and escapes
// every text.
type svgWriter struct {
	b *bytes.Buffer
}

// open starts the <svg> with its accessible <title>, and opens its <desc>:
// the caller writes the description (with esc) and then calls endDesc.
func (s *svgWriter) open(id string, w, h float64, title string) {
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
}

// endDesc closes the <desc> that open left open.
func (s *svgWriter) endDesc() {
	s.b.WriteString(`</desc>`)
}

// close ends the <svg>.
func (s *svgWriter) close() {
	s.b.WriteString(`</svg>`)
}

// num writes f with at most two decimals.
func (s *svgWriter) num(f float64) {
	s.b.Write(appendNum(s.b.AvailableBuffer(), f))
}

// int writes v in decimal.
func (s *svgWriter) int(v int) {
	s.b.Write(strconv.AppendInt(s.b.AvailableBuffer(), int64(v), 10))
}

// appendNum appends f rounded to two decimals, without trailing zeros
// ("12.5", "3", never "-0"), as strconv's correctly rounded 'f' format
// gives it. Drawing coordinates are small, so it rounds f×100 to an integer
// itself, which is exact unless f×100 lies within a hair of a rounding tie;
// those, and huge or non-finite values, go through strconv.
func appendNum(b []byte, f float64) []byte {
	y := math.Abs(f) * 100 // off from the exact product by under 1e-7 below 1e9
	if y < 1e9 && math.Abs(y-math.Floor(y)-0.5) > 1e-6 {
		n := int64(y + 0.5)
		if n == 0 {
			return append(b, '0')
		}
		if f < 0 {
			b = append(b, '-')
		}
		b = strconv.AppendInt(b, n/100, 10)
		if cents := n % 100; cents != 0 {
			b = append(b, '.', byte('0'+cents/10))
			if cents%10 != 0 {
				b = append(b, byte('0'+cents%10))
			}
		}
		return b
	}
	return appendNumStrconv(b, f)
}

// appendNumStrconv is appendNum through strconv, for every value.
func appendNumStrconv(b []byte, f float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', 2, 64)
	// Trim trailing zeros: "12.50" -> "12.5", "3.00" -> "3".
	for len(b) > start && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if len(b) > start && b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	if len(b)-start == 2 && b[start] == '-' && b[start+1] == '0' {
		b = append(b[:start], '0')
	}
	return b
}

// esc writes text escaped for SVG/HTML content and attribute values.
func (s *svgWriter) esc(text string) {
	s.b.WriteString(template.HTMLEscapeString(text)) // no copy when nothing needs escaping
}

// attrs writes the parts of a list of attributes, e.g. `fill="`, colour, `"`.
func (s *svgWriter) attrs(parts []string) {
	for _, p := range parts {
		s.b.WriteString(p)
	}
}

// sector writes a pie sector from the arc chart's centre between angles a0
// and a1 (radians) with radius r; a full turn becomes a circle. attrs are
// the parts of its attributes (see attrs).
func (s *svgWriter) sector(a0, a1, r float64, attrs ...string) {
	if a1-a0 >= 6.28 {
		s.circle(arcCX, arcCY, r, attrs...)
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
	if len(attrs) > 0 {
		s.b.WriteByte(' ')
		s.attrs(attrs)
	}
	s.b.WriteString(`/>`)
}

// circle writes a <circle>; attrs are the parts of its other attributes
// (see attrs), if any.
func (s *svgWriter) circle(cx, cy, r float64, attrs ...string) {
	s.b.WriteString(`<circle cx="`)
	s.num(cx)
	s.b.WriteString(`" cy="`)
	s.num(cy)
	s.b.WriteString(`" r="`)
	s.num(r)
	s.b.WriteByte('"')
	if len(attrs) > 0 {
		s.b.WriteByte(' ')
		s.attrs(attrs)
	}
	s.b.WriteString(`/>`)
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

// rect writes a <rect>; attrs are the parts of its attributes (see attrs).
func (s *svgWriter) rect(x, y, w, h float64, attrs ...string) {
	s.b.WriteString(`<rect x="`)
	s.num(x)
	s.b.WriteString(`" y="`)
	s.num(y)
	s.b.WriteString(`" width="`)
	s.num(w)
	s.b.WriteString(`" height="`)
	s.num(h)
	s.b.WriteString(`" `)
	s.attrs(attrs)
	s.b.WriteString(`/>`)
}

// text writes a <text> at x, y with extra attributes.
func (s *svgWriter) text(x, y float64, text, attrs string) {
	s.openText(x, y, attrs)
	s.esc(text)
	s.b.WriteString(`</text>`)
}

// lines writes a label wrapped on lines as the <tspan>s of an open <text>,
// each line after the first at x and dy below the one before.
func (s *svgWriter) lines(lines []string, x, dy float64) {
	for k, line := range lines {
		if k > 0 {
			s.b.WriteString(`<tspan x="`)
			s.num(x)
			s.b.WriteString(`" dy="`)
			s.num(dy)
			s.b.WriteString(`">`)
		} else {
			s.b.WriteString(`<tspan>`)
		}
		s.esc(line)
		if k < len(lines)-1 {
			s.b.WriteByte(' ') // the lines read as one label when the text is taken whole
		}
		s.b.WriteString(`</tspan>`)
	}
}

// openText starts a <text> at x, y with extra attributes; the caller
// writes its content and `</text>`.
func (s *svgWriter) openText(x, y float64, attrs string) {
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
}
