package chart

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/themes"
)

// previewCSP is the policy the preview pages run under: the site's own
// rules, with no inline script or style.
const previewCSP = `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:`

const previewCSS = `body { font-family: sans-serif; max-width: 56rem; margin: 1rem auto; padding: 0 1rem; }
.chart { width: 100%; }
.chart-svg { width: 100%; height: auto; max-height: 80vh; }
.chart-table { border-collapse: collapse; margin: .5rem 0 2rem; font-size: .85rem; }
.chart-table th, .chart-table td { border: 1px solid #ccc; padding: .2rem .5rem; }
@media (prefers-color-scheme: dark) { body { background: #111; color: #eee; } }
`

// writePreview writes a standalone preview of every chart kind into dir:
// index.html (live charts), nojs.html (the SVG fallbacks and tables only),
// <ID>.html and <ID>_nojs.html for each chart alone,
// a stylesheet and the theme's chart assets, all linked relatively, so a
// browser can open it from file://.
func writePreview(t *testing.T, dir string) []Chart {
	t.Helper()
	c, _ := hostileClient()
	areas := testAreas()
	areas[0].Label = "Vision " + scriptText // hostile text must show as text
	c.Client.Areas = areas
	s := c.Sessions[2]
	for i := range s.Ratings {
		s.Ratings[i].Area = areas[i]
	}
	prev := ratings(areas, map[string]int{"vision": 5, "service": 7, "accountability": 7})
	cur := ratings(areas, map[string]int{"vision": 7, "service": 6, "accountability": 8})
	list := []Chart{
		Arc(tw, "arc_latest", areas, testScale, cur, prev, "Ratings, 25 March 2026"),
		Arc(tw, "arc_first", areas, testScale, c.Sessions[0].Ratings, nil, "Ratings, 14 January 2026"),
		TimeSplit(tw, "time_latest", timeRows(areas, []int{10, 50, 25, 15}, []int{25, 35, 20, 20}), 20, "Time split"),
		RatingTrend(tw, "trend_ratings", c, testScale, "Ratings over time"),
		AreaSparkline(tw, "spark_vision", c, areas[0], testScale),
		BalanceTrend(tw, "trend_balance", c, "Balance gap over time"),
		TimeTrend(tw, "trend_time", c, "Time split over time"),
		CommitmentTrend(tw, "trend_commitments", c, "Commitments"),
		Cadence(tw, "trend_cadence", c, "Days between sessions"),
	}
	page := func(title string, scripts bool, charts ...Chart) string {
		var b strings.Builder
		b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
		b.WriteString(`<meta http-equiv="Content-Security-Policy" content="` + previewCSP + `">` + "\n")
		b.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1">` + "\n")
		b.WriteString("<title>" + title + "</title>\n")
		b.WriteString(`<link rel="stylesheet" href="preview.css">` + "\n")
		if scripts {
			b.WriteString(`<script src="assets/js/charts.js" defer></script>` + "\n")
		}
		b.WriteString("</head><body>\n<h1>" + title + "</h1>\n")
		for _, ch := range charts {
			b.WriteString(string(ch.HTML()))
			b.WriteByte('\n')
		}
		b.WriteString("</body></html>\n")
		return b.String()
	}
	files := map[string][]byte{
		"index.html":  []byte(page("Chart preview", true, list...)),
		"nojs.html":   []byte(page("Chart preview without JavaScript", false, list...)),
		"preview.css": []byte(previewCSS),
	}
	// One page per chart, with and without JavaScript, to look at one alone.
	for _, ch := range list {
		files[ch.ID+".html"] = []byte(page(ch.ID, true, ch))
		files[ch.ID+"_nojs.html"] = []byte(page(ch.ID, false, ch))
	}
	for _, name := range []string{"assets/vendor/echarts/echarts.min.js", "assets/js/charts.js"} {
		b, err := fs.ReadFile(themes.Default, name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return list
}

// TestPreview writes the preview pages (into $CHART_PREVIEW_DIR when set, to
// look at them in a browser) and checks the markup contract on them.
func TestPreview(t *testing.T) {
	dir := os.Getenv("CHART_PREVIEW_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	list := writePreview(t, dir)
	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, ch := range list {
		container := regexp.MustCompile(`<div class="chart" id="` + ch.ID + `" data-height="[0-9]+" aria-hidden="true">`)
		block := `<script type="application/json" class="chart-data" data-chart="` + ch.ID + `">`
		if len(container.FindAllString(page, -1)) != 1 || strings.Count(page, block) != 1 {
			t.Errorf("%s: want exactly one container and one data block", ch.ID)
		}
	}
	// Every reference is relative and local.
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if strings.Contains(m[1], ":") || strings.HasPrefix(m[1], "/") {
			t.Errorf("non-relative reference %q", m[1])
		}
		if _, err := os.Stat(filepath.Join(dir, m[1])); err != nil {
			t.Errorf("reference %q: %v", m[1], err)
		}
	}
	if strings.Contains(page, "style=") {
		t.Error("preview page has a style attribute")
	}
}
