package browsertest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored under axe/ for the tests only: it never
// reaches the theme or a built site (axe/README.md gives its version and
// licence).
//
//go:embed axe/axe.min.js
var axeSource string

// AxeViolation is one rule axe-core found broken on a page, with the
// elements that break it.
type AxeViolation struct {
	ID      string    `json:"id"`     // the rule, e.g. "color-contrast"
	Impact  string    `json:"impact"` // "minor", "moderate", "serious" or "critical"
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is one element that breaks a rule.
type AxeNode struct {
	Target  []string `json:"target"` // CSS selectors, outermost frame first
	HTML    string   `json:"html"`
	Impact  string   `json:"impact"`
	Summary string   `json:"failureSummary"`
}

// String formats the violation as "impact rule: help (n elements: selectors)".
func (v AxeViolation) String() string {
	var where []string
	for i, n := range v.Nodes {
		if i == 5 {
			where = append(where, "…")
			break
		}
		s := strings.Join(n.Target, " ")
		if n.Summary != "" {
			s += " [" + strings.ReplaceAll(n.Summary, "\n", " ") + "]"
		}
		where = append(where, s)
	}
	return fmt.Sprintf("%s %s: %s (%d: %s)", v.Impact, v.ID, v.Help, len(v.Nodes), strings.Join(where, "; "))
}

// Serious reports whether the violation's impact is "serious" or "critical".
func (v AxeViolation) Serious() bool { return v.Impact == "serious" || v.Impact == "critical" }

// axeRunJS runs axe on the whole document with the WCAG 2.x A and AA rules
// and best practices, and returns the violations only (passes and
// incomplete results would make the answer large for nothing). preload is
// off: axe would otherwise fetch the page's style sheets again with
// XMLHttpRequest, a request the site's CSP (connect-src 'none') refuses and
// reports; only the css-orientation-lock rule needs it.
const axeRunJS = `axe.run(document, {
  preload: false,
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
  resultTypes: ['violations'],
}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
  nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 200), impact: n.impact, failureSummary: n.failureSummary}))}))))`

// Axe injects axe-core into the page's current document and returns the
// violations it finds. The script is evaluated over the DevTools protocol
// (Runtime.evaluate), which the page's Content-Security-Policy does not
// govern, so a strict CSP neither blocks it nor reports a violation; it
// adds no element and makes no request. Injecting again after a navigation
// is needed and harmless.
func (p *Page) Axe() []AxeViolation {
	p.t.Helper()
	run(p, "injecting axe-core", chromedp.Evaluate[chromedp.Void](axeSource+"\n;void 0"))
	raw := run(p, "running axe-core", chromedp.Evaluate[string](axeRunJS, chromedp.EvalAwaitPromise))
	var out []AxeViolation
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		p.t.Fatalf("browsertest: axe-core's answer: %v", err)
	}
	return out
}

// AssertAxe runs [Page.Axe] and fails t for every violation of impact
// "serious" or "critical", naming where; it logs the lesser ones. It
// returns every violation, for counts.
func (p *Page) AssertAxe(t testing.TB, where string) []AxeViolation {
	t.Helper()
	vs := p.Axe()
	for _, v := range vs {
		if v.Serious() {
			t.Errorf("%s: axe: %s", where, v)
		} else {
			t.Logf("%s: axe (not failing): %s", where, v)
		}
	}
	return vs
}
