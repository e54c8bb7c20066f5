package browsertest

import (
	"encoding/json"
	"fmt"
)

// chartLabelsJS defines chartLabels(c, ancestors): the visible labels of
// the chart container c (the SVG <text> of its drawing that has text, is
// painted and has a size) as {s: text, r: box}; with ancestors, a label
// inside an element hidden below c is left out too. No % in it: it is part
// of format strings.
const chartLabelsJS = `  const chartLabels = (c, ancestors) => {
    const labels = [];
    for (const t of c.querySelectorAll('svg text')) {
      const s = (t.textContent || '').trim();
      if (!s) continue;
      const cs = getComputedStyle(t);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0 ||
          parseFloat(t.getAttribute('opacity') || '1') === 0 || parseFloat(t.getAttribute('fill-opacity') || '1') === 0) continue;
      let hidden = false;
      for (let e = t; ancestors && e && e !== c; e = e.parentElement) {
        const ecs = getComputedStyle(e);
        if (ecs.display === 'none' || ecs.visibility === 'hidden') { hidden = true; break; }
      }
      if (hidden) continue;
      const r = t.getBoundingClientRect();
      if (r.width <= 0 || r.height <= 0) continue;
      labels.push({s, r});
    }
    return labels;
  };`

// crowdedJS lists, for every chart container matching a CSS selector, the
// pairs of visible labels (SVG <text> of its drawing) that sit side by side
// on one line (their boxes share at least half of the lower one's height)
// closer than the given gap in CSS pixels, or overlapping: words that run
// together, which the overlap test of [Page.Geometry] lets pass as long as
// their boxes only touch.
const crowdedJS = `((sel, gap) => {
` + chartLabelsJS + `
  const out = [];
  for (const c of document.querySelectorAll(sel)) {
    const labels = chartLabels(c, true);
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i].r, b = labels[j].r;
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (h < Math.min(a.height, b.height) / 2) continue;
      const apart = Math.max(a.left, b.left) - Math.min(a.right, b.right);
      if (apart < gap) out.push(c.id + ': ' + labels[i].s + ' / ' + labels[j].s + ' (' + Math.round(apart) + ' px apart)');
    }
  }
  return out;
})(%s, %s)`

// CrowdedLabels returns the pairs of labels on one line, in the chart
// containers matching the CSS selector (".chart" when empty), that are
// less than gap CSS pixels apart (or overlap), each as "chart id: a / b
// (n px apart)": axis labels that run together although their boxes do not
// overlap.
func (p *Page) CrowdedLabels(sel string, gap float64) []string {
	p.t.Helper()
	var out []string
	p.Eval(fmt.Sprintf(crowdedJS, mustJSON(chartSel(sel)), mustJSON(gap)), &out)
	return out
}

// CrowdedLabels is [Page.CrowdedLabels] in WebKit.
func (w *WebKit) CrowdedLabels(sel string, gap float64) []string {
	w.t.Helper()
	var out []string
	w.Eval(fmt.Sprintf(crowdedJS, mustJSON(chartSel(sel)), mustJSON(gap)), &out)
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only numbers and strings are passed
	}
	return string(b)
}

func chartSel(sel string) string {
	if sel == "" {
		return ".chart"
	}
	return sel
}
