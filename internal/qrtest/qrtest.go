// Package qrtest reads back the QR codes that generator/qr draws, with an
// independent decoder (gozxing, a port of ZXing), so that tests check what
// a phone's camera would read rather than how the code was drawn.
package qrtest

import (
	"fmt"
	"image"
	"image/color"
	"regexp"
	"strconv"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

var (
	viewBoxRe = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	pathRe    = regexp.MustCompile(`<path fill="#000" d="([^"]*)"`)
	runRe     = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
)

// Decode rasterizes the first QR code drawn in svg (as generator/qr draws
// it: one path of horizontal runs) at 4 pixels a module and decodes it.
func Decode(svg string) (string, error) {
	vb := viewBoxRe.FindStringSubmatch(svg)
	d := pathRe.FindStringSubmatch(svg)
	if vb == nil || d == nil {
		return "", fmt.Errorf("qrtest: no QR drawing in the SVG")
	}
	const scale = 4
	size, _ := strconv.Atoi(vb[1])
	img := image.NewGray(image.Rect(0, 0, size*scale, size*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, m := range runRe.FindAllStringSubmatch(d[1], -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		n, _ := strconv.Atoi(m[3])
		for px := x * scale; px < (x+n)*scale; px++ {
			for py := y * scale; py < (y+1)*scale; py++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		return "", fmt.Errorf("qrtest: %w", err)
	}
	return res.GetText(), nil
}
