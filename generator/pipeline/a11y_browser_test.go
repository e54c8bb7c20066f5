package pipeline_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/coachsite/coachsite/internal/browsertest"
)

// axeCheck runs axe-core on the open page at the width, light and dark,
// failing t for every serious or critical violation, and logs how many
// violations of each impact it found.
func axeCheck(t *testing.T, p *browsertest.Page, name string, width, height int) {
	t.Helper()
	for _, dark := range []bool{false, true} {
		p.Emulate(browsertest.Media{Width: width, Height: height, Dark: dark})
		where := fmt.Sprintf("%s at %d px light", name, width)
		if dark {
			where = strings.Replace(where, "light", "dark", 1)
		}
		vs := p.AssertAxe(t, where)
		count := map[string]int{}
		for _, v := range vs {
			count[v.Impact] += len(v.Nodes)
		}
		t.Logf("%s: axe: %d rules broken; elements: critical %d, serious %d, moderate %d, minor %d",
			where, len(vs), count["critical"], count["serious"], count["moderate"], count["minor"])
		// The pages break no rule at all: a moderate or minor one fails
		// too, so that none comes back unnoticed (AssertAxe has reported
		// the serious and critical ones).
		for _, v := range vs {
			if v.Impact == "moderate" || v.Impact == "minor" {
				t.Errorf("%s: axe %s %s: %s (%d elements)", where, v.Impact, v.ID, v.Help, len(v.Nodes))
			}
		}
	}
}

// TestAxePages runs axe-core (WCAG 2.x A and AA, best practices) on every
// page kind of the example site at 390 px, light and dark — the home
// page, a portal, the first and the latest session, trends, the summary
// and the 404 page of a public build, and the unlock form and the coach's
// dashboard of an encrypted one — and fails on any violation, whatever
// its impact. The check-in page is checked by TestCheckInRoundTrip.
func TestAxePages(t *testing.T) {
	b := browsertest.New(t)
	public := buildSite(t, exampleContent)
	cp := listClients(t, public)[0]
	pages := []struct{ name, rel string }{
		{"home", "index.html"},
		{"portal", cp.Portal},
		{"session-first", cp.Sessions[0]},
		{"session", cp.Sessions[len(cp.Sessions)-1]},
		{"trends", cp.Trends},
		{"summary", strings.TrimSuffix(cp.Portal, "index.html") + "summary/index.html"},
		{"404", "404.html"},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			p := b.Open(t, browsertest.FileURL(public, pg.rel))
			axeCheck(t, p, pg.name, 390, 844)
		})
	}

	ss := buildSealedExample(t)
	sec, sealed := ss.sec, ss.public
	p := b.Open(t, browsertest.FileURL(sealed, "coach/index.html"))
	t.Run("unlock", func(t *testing.T) {
		if st := pageState(p); st != "locked" {
			t.Fatalf("state %s, want locked", st)
		}
		axeCheck(t, p, "unlock form", 390, 844)
	})
	t.Run("dashboard", func(t *testing.T) {
		if st := unlock(t, p, sec.Coach, false); !strings.HasPrefix(st.State, "unlocked") {
			t.Fatalf("dashboard: %+v", st)
		}
		axeCheck(t, p, "dashboard", 390, 844)
	})
}

// arcTouchJS scrolls the check-in's arc into view and returns its
// touch-action, the scroll position, the viewport points of a drag along
// the first area's arc from 0.3 to 0.82 of the radius and of a tap at 0.5
// on the second's, and the ratings under the finger at the end of each:
// the band (v-min)/(max-min+1) < distance/radius <= (v-min+1)/(max-min+1).
// It starts a log of the touch and pointer events the page receives.
const arcTouchJS = `(() => {
  const svg = document.querySelector('svg.ci-arc'), form = document.getElementById('check-in');
  svg.scrollIntoView({block: 'center'});
  const min = +form.dataset.min, max = +form.dataset.max;
  const cx = +svg.dataset.cx, cy = +svg.dataset.cy, r = +svg.dataset.r;
  const n = svg.querySelectorAll('g[data-area]').length, m = svg.getScreenCTM();
  const at = (i, f) => {
    const a = -Math.PI / 2 + (i + 0.5) * 2 * Math.PI / n;
    const p = new DOMPoint(cx + r * f * Math.cos(a), cy + r * f * Math.sin(a)).matrixTransform(m);
    return {X: p.x, Y: p.y};
  };
  const under = f => Math.min(max, Math.ceil(f * (max - min + 1)) + min - 1);
  const log = window.__touchLog = {};
  for (const type of ['touchstart', 'touchmove', 'touchend', 'pointerdown', 'pointermove', 'pointerup', 'pointercancel']) {
    addEventListener(type, e => {
      const k = e.pointerType && type !== 'pointercancel' ? type + ':' + e.pointerType : type;
      log[k] = (log[k] || 0) + 1;
    }, {capture: true, passive: true});
  }
  return {Action: getComputedStyle(svg).touchAction, Scale: [min, max], ScrollY: scrollY,
    Drag: [0.3, 0.45, 0.6, 0.75, 0.82].map(f => at(0, f)), Tap: at(1, 0.5), Expected: [under(0.82), under(0.5)]};
})()`

// focusStep is one element the Tab key focused.
type focusStep struct {
	I                        int
	ID, Tag, Type, Name      string
	InForm, InView           bool
	Top, Bottom, Left, Right float64 // in document coordinates
	Outline, Shadow          string  // computed while focused
}

// focusJS describes the focused element and marks it with its step, or
// returns null when the focus is on the body (it left the page's controls)
// or on an element visited before (it wrapped round).
const focusJS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (el.hasAttribute('data-walk')) return {I: -1 - +el.getAttribute('data-walk')};
  const i = document.querySelectorAll('[data-walk]').length;
  el.setAttribute('data-walk', i);
  const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
  return {I: i, ID: el.id, Tag: el.tagName.toLowerCase(), Type: el.type || '', Name: el.name || '',
    InForm: !!el.closest('#check-in'), InView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    Top: r.top + scrollY, Bottom: r.bottom + scrollY, Left: r.left + scrollX, Right: r.right + scrollX,
    Outline: cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor, Shadow: cs.boxShadow};
})()`

// tabFromTop moves the focus, and so where Tab starts from, to the top of
// the page, as a reader who has just opened it: the body is focused for a
// moment (a blur alone would leave Tab starting from the last focused
// element).
func tabFromTop(p *browsertest.Page) {
	p.Eval(`(() => {
	  const b = document.body;
	  scrollTo(0, 0);
	  b.tabIndex = -1; b.focus(); b.removeAttribute('tabindex');
	  return true;
	})()`, nil)
}

// tabWalk presses Tab from the top of the page until the focus leaves the
// page's controls or comes round again, and returns each element it
// focused, in order. It fails t after 120 presses: a trap.
func tabWalk(t *testing.T, p *browsertest.Page) []focusStep {
	t.Helper()
	tabFromTop(p)
	p.Eval(`(document.querySelectorAll('[data-walk]').forEach(e => e.removeAttribute('data-walk')), true)`, nil)
	var walk []focusStep
	for range 120 {
		p.Press(kb.Tab)
		var st *focusStep
		p.Eval(focusJS, &st)
		if st == nil || st.I < 0 {
			return walk
		}
		walk = append(walk, *st)
	}
	t.Fatalf("a focus trap: 120 Tab presses never left the page's controls (last: %+v)", walk[len(walk)-1])
	return nil
}

// checkWalk asserts, of a Tab walk over the check-in page: the focus
// follows the visual order through the form (down the page, left to right
// within a row, right to left on a right-to-left page); every tabbable
// control of the form is reached (a radio group once); Tab goes on past
// the form's last control; and every focused element is scrolled into view
// and shows a focus indicator, an outline or box-shadow it does not have
// unfocused.
func checkWalk(t *testing.T, p *browsertest.Page, walk []focusStep) {
	t.Helper()
	var rtl bool
	p.Eval(`getComputedStyle(document.documentElement).direction === 'rtl'`, &rtl)
	var prev *focusStep
	last := -1
	for i, st := range walk {
		if !st.InView {
			t.Errorf("Tab to %s#%s: it is not scrolled into view", st.Tag, st.ID)
		}
		if !st.InForm {
			continue
		}
		last = i
		if prev != nil {
			sameRow := st.Top < prev.Bottom-1 && prev.Top < st.Bottom-1
			switch {
			case sameRow && !rtl && st.Left < prev.Left-1, sameRow && rtl && st.Right > prev.Right+1:
				t.Errorf("focus order: %s comes after %s but lies before it in the same row (%+v, %+v)", st.ID, prev.ID, st, *prev)
			case !sameRow && st.Top < prev.Top-1:
				t.Errorf("focus order: %s comes after %s but lies above it (top %.0f < %.0f)", st.ID, prev.ID, st.Top, prev.Top)
			}
		}
		prev = &walk[i]
	}
	if last < 0 {
		t.Fatal("Tab never reached the check-in form")
	}
	if last == len(walk)-1 && walk[last].ID != "ci-seal" {
		t.Errorf("Tab ends inside the form at %s", walk[last].ID)
	}
	if walk[last].ID != "ci-seal" {
		t.Errorf("the last control Tab reaches in the form is %s, want the seal button", walk[last].ID)
	}

	var want []string
	p.Eval(`(() => {
	  const seen = new Set(), out = [];
	  for (const el of document.querySelectorAll('#check-in input, #check-in textarea, #check-in button, #check-in select, #check-in a[href], #check-in [tabindex]')) {
	    if (el.disabled || el.type === 'hidden' || el.tabIndex < 0 || !el.getClientRects().length) continue;
	    const key = el.type === 'radio' ? 'radio:' + el.name : el.id;
	    if (!seen.has(key)) { seen.add(key); out.push(key); }
	  }
	  return out;
	})()`, &want)
	got := map[string]bool{}
	for _, st := range walk {
		if st.Type == "radio" {
			got["radio:"+st.Name] = true
		} else {
			got[st.ID] = true
		}
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("Tab never reaches %s", w)
		}
	}

	var unfocused []struct{ Outline, Shadow string }
	p.Eval(`(document.activeElement && document.activeElement.blur(), [...document.querySelectorAll('[data-walk]')]
	  .sort((a, b) => a.getAttribute('data-walk') - b.getAttribute('data-walk'))
	  .map(el => { const cs = getComputedStyle(el); return {Outline: cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor, Shadow: cs.boxShadow}; }))`, &unfocused)
	if len(unfocused) != len(walk) {
		t.Fatalf("%d elements marked, %d walked", len(unfocused), len(walk))
	}
	for i, st := range walk {
		u := unfocused[i]
		visible := !strings.HasPrefix(st.Outline, "none") && !strings.Contains(st.Outline, " 0px ") || st.Shadow != "none"
		if !visible || (st.Outline == u.Outline && st.Shadow == u.Shadow) {
			t.Errorf("%s#%s shows no focus indicator (focused: outline %q, shadow %q; unfocused: %q, %q)", st.Tag, st.ID, st.Outline, st.Shadow, u.Outline, u.Shadow)
		}
	}
	var order []string
	for _, st := range walk {
		name := st.ID
		if name == "" {
			name = st.Tag
		}
		order = append(order, name)
	}
	t.Logf("Tab walk: %d stops: %s", len(walk), strings.Join(order, " → "))
}
