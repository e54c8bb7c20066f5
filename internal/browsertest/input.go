package browsertest

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// Point is a position in the page's viewport, in CSS pixels.
type Point struct{ X, Y float64 }

// EmulatePhone makes the page a touch phone with the given viewport: mobile
// device metrics and touch emulation (five touch points), so that
// [Page.Touch] sends real touch events and the page sees a coarse pointer.
// [Page.Emulate] turns touch emulation off again.
func (p *Page) EmulatePhone(width, height int) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateMobile, chromedp.EmulatePortrait))
	if err == nil {
		_, err = chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5})
	}
	if err != nil {
		p.t.Fatalf("browsertest: emulating a %d × %d phone: %v", width, height, err)
	}
	p.Eval(settleJS, nil)
}

// Touch moves one finger along path with Input.dispatchTouchEvent: it
// touches the first point, moves through the others and lifts; a single
// point is a tap. The browser turns the touches into pointer events of type
// "touch", and scrolls or cancels them as the
// page's touch-action says, as on a phone. Call [Page.EmulatePhone] first.
func (p *Page) Touch(path ...Point) {
	p.t.Helper()
	if len(path) == 0 {
		p.t.Fatalf("browsertest: Touch needs a point")
	}
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	one := 1.0
	id := 0.0
	send := func(typ input.DispatchTouchEventType, pt *Point) error {
		ps := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{}}
		if pt != nil {
			ps.TouchPoints = []*input.TouchPoint{{X: pt.X, Y: pt.Y, RadiusX: &one, RadiusY: &one, Force: &one, ID: &id}}
		}
		_, err := chromedp.Call(ctx, input.DispatchTouchEvent, ps)
		return err
	}
	err := send(input.DispatchTouchEventTypeTouchStart, &path[0])
	for i := 1; i < len(path) && err == nil; i++ {
		err = send(input.DispatchTouchEventTypeTouchMove, &path[i])
	}
	if err == nil {
		err = send(input.DispatchTouchEventTypeTouchEnd, nil) // a touchEnd has no touch points
	}
	if err != nil {
		p.t.Fatalf("browsertest: touch along %v: %v", path, err)
	}
	p.Eval(settleJS, nil)
}

// Press sends key events for keys to whatever has the focus, focusing
// nothing first (unlike [Page.SendKeys]): kb.Tab moves the focus as the
// Tab key does, kb.ArrowUp moves within a radio group, text is typed. Pass
// chromedp.KeyModifiers(chromedp.ModifierShift) for Shift+Tab.
func (p *Page) Press(keys string, opts ...chromedp.KeyOption) {
	p.t.Helper()
	run(p, fmt.Sprintf("pressing %q", keys), chromedp.KeyEvent(keys, opts...))
}
