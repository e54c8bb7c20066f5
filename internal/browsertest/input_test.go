package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestTouchAndKeys: on an emulated phone, Touch reaches the page as touch
// and pointer events of type "touch", and Press moves
// the focus with Tab and Shift+Tab and types into the focused field.
func TestTouchAndKeys(t *testing.T) {
	t.Parallel()
	dir := site(t, map[string]string{
		"index.html": head + `<meta name="viewport" content="width=device-width"><style>#pad { width: 200px; height: 200px; touch-action: none; background: #eee }</style></head><body>
<div id="pad"></div><input id="a"><input id="b"><script src="app.js"></script></body></html>`,
		"app.js": `window.log = [];
const pad = document.getElementById('pad');
for (const type of ['touchstart', 'pointerdown', 'pointermove', 'pointerup']) {
  pad.addEventListener(type, e => log.push(type + (e.pointerType ? ':' + e.pointerType : '') + (type === 'pointermove' ? '@' + Math.round(e.clientX) : '')));
}`,
	})
	p := New(t).Open(t, FileURL(dir, "index.html"))
	p.EmulatePhone(360, 640)
	var touches int
	p.Eval(`navigator.maxTouchPoints`, &touches)
	if touches < 1 {
		t.Errorf("maxTouchPoints %d on an emulated phone", touches)
	}
	p.Touch(Point{20, 20}, Point{60, 20}, Point{100, 20})
	var log []string
	p.Eval(`log`, &log)
	want := map[string]bool{"touchstart": true, "pointerdown:touch": true, "pointermove:touch@100": true, "pointerup:touch": true}
	for _, l := range log {
		delete(want, l)
	}
	if len(want) > 0 {
		t.Errorf("a drag: events %q lack %v", log, want)
	}
	p.Eval(`(log.length = 0, true)`, nil)
	p.Touch(Point{50, 50})
	p.Eval(`log`, &log)
	if strings.Join(log, " ") != "pointerdown:touch touchstart pointerup:touch" {
		t.Errorf("a tap: events %q, want a touch pointer's down and up", log)
	}

	p.Press(kb.Tab)
	p.Press("hi")
	p.Press(kb.Tab)
	p.Press(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	var got struct{ Focus, A, B string }
	p.Eval(`({Focus: document.activeElement.id, A: document.getElementById('a').value, B: document.getElementById('b').value})`, &got)
	if got.Focus != "a" || got.A != "hi" || got.B != "" {
		t.Errorf("Tab, type, Tab, Shift+Tab: %+v, want the focus back on a holding hi", got)
	}
}
