package browsertest

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Media is what [Page.Emulate] makes the page believe about its reader.
type Media struct {
	Width, Height int  // viewport in CSS pixels; 0 keeps the current one
	Dark          bool // prefers-color-scheme: dark (else light)
	Print         bool // print media
}

// Emulate sets the viewport and the emulated media of the page, with
// prefers-reduced-motion always on (charts then draw without animation, so
// what is measured is what stays), and waits two animation frames so that
// resize and media listeners have run.
func (p *Page) Emulate(m Media) {
	p.t.Helper()
	scheme := "light"
	if m.Dark {
		scheme = "dark"
	}
	media := ""
	if m.Print {
		media = "print"
	}
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	if m.Width > 0 {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(m.Width), int64(m.Height))); err != nil {
			p.t.Fatalf("browsertest: emulating %+v: %v", m, err)
		}
	}
	params := emulation.SetEmulatedMediaParams{Media: media, Features: []*emulation.MediaFeature{
		{Name: "prefers-color-scheme", Value: scheme},
		{Name: "prefers-reduced-motion", Value: "reduce"},
	}}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, params); err != nil {
		p.t.Fatalf("browsertest: emulating %+v: %v", m, err)
	}
	p.Eval(settleJS, nil)
}

// settleJS waits for two animation frames (or 300 ms, as a hidden tab may
// not get frames).
const settleJS = `new Promise(done => {
  let n = 0;
  const t = setTimeout(() => done(true), 300);
  const f = () => { if (++n >= 2) { clearTimeout(t); setTimeout(() => done(true), 30); } else requestAnimationFrame(f); };
  requestAnimationFrame(f);
})`

// Geometry is what [Page.Geometry] measured of the laid-out page.
type Geometry struct {
	Viewport    int // document.documentElement.clientWidth
	ScrollWidth int // the page's own width; above Viewport, it scrolls sideways

	Tables  []TableBox // visible tables in <main>
	Charts  []ChartBox // chart containers (.chart)
	Clipped []string   // text elements cut off by a box or the viewport
}

// TableBox is one visible table of a page.
type TableBox struct {
	Name    string  // the table's class, else its caption
	Width   float64 // its laid-out width
	Box     float64 // the width of the box it sits in (its wrapper's client width)
	Scrolls bool    // the box scrolls sideways to show it
	Stacked bool    // the table is shown in its stacked (one card per row) form
}

// ChartBox is one chart container and what its drawing holds.
type ChartBox struct {
	ID            string
	Width, Height float64
	Live          bool     // drawn by ECharts (else the server-side SVG shows)
	Labels        int      // visible text elements in its drawing
	Outside       []string // labels reaching outside the container
	Overlapping   []string // pairs of labels that overlap
}

// Geometry measures the laid-out page now: its width, the width of every
// visible table against its box, every chart's size and labels, and text
// cut off by an ancestor that clips or by the viewport.
func (p *Page) Geometry() Geometry {
	p.t.Helper()
	var g Geometry
	p.Eval(geometryJS, &g)
	return g
}

// String summarises a chart box for test messages.
func (c ChartBox) String() string {
	return fmt.Sprintf("%s %.0f×%.0f", c.ID, c.Width, c.Height)
}

// geometryJS measures the page. A text element counts as clipped when part
// of it lies outside an ancestor whose overflow is not visible (a scrolling
// box hides it until scrolled, a hidden one for good) or outside the
// viewport. Elements hidden for all but screen readers (.vh, a chart's
// visually hidden table, print-only copies) are skipped. Chart labels are
// the SVG <text> elements of a chart's drawing, with their painted boxes.
const geometryJS = `(() => {
` + chartLabelsJS + `
  const de = document.documentElement;
  const vw = de.clientWidth;
  const g = {Viewport: vw, ScrollWidth: de.scrollWidth, Tables: [], Charts: [], Clipped: []};
  const hidden = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden') return true;
      if (e.classList.contains('vh') || e.classList.contains('chart-print') || e.classList.contains('skip')) return true;
      const r = e.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1 && cs.overflow !== 'visible') return true;
    }
    return false;
  };
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.className && typeof el.className === 'string') s += '.' + el.className.trim().split(/\s+/).join('.');
    const t = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return s + ' "' + t + '"';
  };
  for (const t of document.querySelectorAll('main table')) {
    if (hidden(t)) continue;
    const box = t.parentElement;
    const cap = t.querySelector('caption');
    g.Tables.push({Name: t.className || (cap ? cap.textContent.trim().slice(0, 40) : 'table'),
      Width: t.getBoundingClientRect().width, Box: box.clientWidth,
      Scrolls: box.scrollWidth > box.clientWidth + 1,
      Stacked: getComputedStyle(t).display === 'block' || getComputedStyle(t).display === 'grid'});
  }
  const seen = new Set();
  const clipCache = new Map(); // element -> its clipping box, or null
  const clipBox = a => {
    if (clipCache.has(a)) return clipCache.get(a);
    const cs = getComputedStyle(a);
    let box = null;
    if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
      const r = a.getBoundingClientRect();
      const bl = r.left + a.clientLeft, bt = r.top + a.clientTop;
      box = {l: bl, r: bl + a.clientWidth, t: bt, b: bt + a.clientHeight, y: cs.overflowY !== 'visible', n: a};
    }
    clipCache.set(a, box);
    return box;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue.trim()) continue;
    const el = n.parentElement;
    if (!el || seen.has(el) || el.closest('svg, script, style, noscript, template')) continue;
    seen.add(el);
    if (hidden(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (!rects.length) continue;
    const left = Math.min(...rects.map(r => r.left)), right = Math.max(...rects.map(r => r.right));
    const top = Math.min(...rects.map(r => r.top)), bottom = Math.max(...rects.map(r => r.bottom));
    let why = '';
    if (right > vw + 1 + window.scrollX || left < -1 - window.scrollX) why = 'outside the viewport';
    for (let a = el; a && !why && a !== document.documentElement; a = a.parentElement) {
      const c = clipBox(a);
      if (c && (right > c.r + 1 || left < c.l - 1 || (c.y && (bottom > c.b + 1 || top < c.t - 1)))) {
        why = 'cut by ' + name(a).slice(0, 60);
      }
    }
    if (why) g.Clipped.push(name(el) + ': ' + why);
  }
  const overlap = (a, b) => {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    // A text's box is its line box, taller than its ink: boxes that meet
    // by less than a third of a line do not overlap on screen.
    if (w <= 2 || h <= Math.min(a.height, b.height) / 3) return false;
    return w * h > 0.1 * Math.min(a.width * a.height, b.width * b.height);
  };
  for (const c of document.querySelectorAll('.chart')) {
    const cr = c.getBoundingClientRect();
    const box = {ID: c.id, Width: cr.width, Height: cr.height, Live: c.classList.contains('chart-live'), Labels: 0, Outside: [], Overlapping: []};
    const labels = chartLabels(c, false);
    for (const {s, r} of labels) {
      if (r.left < cr.left - 2 || r.right > cr.right + 2 || r.top < cr.top - 2 || r.bottom > cr.bottom + 2) box.Outside.push(s);
    }
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
      if (overlap(labels[i].r, labels[j].r)) box.Overlapping.push(labels[i].s + ' / ' + labels[j].s);
    }
    box.Labels = labels.length;
    g.Charts.push(box);
  }
  return g;
})()`
