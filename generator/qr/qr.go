// Package qr draws QR codes as inline SVG, so that a page can carry one with
// no image file and no request. The code itself is made by
// github.com/boombuler/barcode/qr; this package only draws its modules.
package qr

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// Quiet is the width of the light border around the code, in modules: the
// four the QR standard asks for, so that a phone finds the code on any paper.
const Quiet = 4

// SVG returns an <svg> drawing of the QR code of text at error correction
// level M (15 % of the code may be lost), dark modules on a white square
// with the quiet zone around them. It has a viewBox and no fixed size, so
// it fills the width its container gives it; it is hidden from screen
// readers (aria-hidden): the page around it says what it is. The same text
// always gives the same bytes.
func SVG(text string) (string, error) {
	code, err := qr.Encode(text, qr.M, mode(text))
	if err != nil {
		return "", fmt.Errorf("qr: %w", err)
	}
	n := code.Bounds().Dx()
	size := n + 2*Quiet
	dark := func(x, y int) bool {
		r, _, _, _ := color.GrayModel.Convert(code.At(x, y)).RGBA()
		return r < 0x8000
	}
	var b strings.Builder
	b.Grow(n * n)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" aria-hidden="true" focusable="false">`, size, size)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, size, size)
	// One subpath per horizontal run of dark modules.
	for y := range n {
		for x := 0; x < n; {
			if !dark(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < n && dark(x+run, y) {
				run++
			}
			b.WriteByte('M')
			b.WriteString(strconv.Itoa(x + Quiet))
			b.WriteByte(' ')
			b.WriteString(strconv.Itoa(y + Quiet))
			b.WriteByte('h')
			b.WriteString(strconv.Itoa(run))
			b.WriteString("v1h-")
			b.WriteString(strconv.Itoa(run))
			b.WriteByte('z')
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

// alphanumeric is the character set of the QR code's alphanumeric mode.
const alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// mode picks the densest encoding that holds text, as qr.Auto does, except
// that qr.Auto reads digits with strconv.Atoi, which takes a sign: "+0"
// would be drawn as "00". Numeric mode is chosen only for ASCII digits.
func mode(text string) qr.Encoding {
	switch {
	case text != "" && strings.Trim(text, "0123456789") == "":
		return qr.Numeric
	case strings.Trim(text, alphanumeric) == "":
		return qr.AlphaNumeric
	}
	return qr.Unicode
}
