package chart

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

func decode(t *testing.T, c Chart) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(c.Option), &m); err != nil {
		t.Fatalf("%s: option is not JSON: %v", c.ID, err)
	}
	return m
}

func obj(t *testing.T, v any, path string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: want an object, got %T (%v)", path, v, v)
	}
	return m
}

func list(t *testing.T, v any, path string) []any {
	t.Helper()
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("%s: want an array, got %T (%v)", path, v, v)
	}
	return l
}

// checkSVG checks that s is well-formed XML, has a viewBox and no fixed
// size, a <title> and <desc>, and no style attribute or script.
func checkSVG(t *testing.T, s template.HTML) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(s)))
	var titles, descs int
	root := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "title":
			titles++
		case "desc":
			descs++
		case "script", "foreignObject", "style":
			t.Errorf("SVG has a <%s> element", se.Name.Local)
		}
		for _, a := range se.Attr {
			if a.Name.Local == "style" || strings.HasPrefix(a.Name.Local, "on") {
				t.Errorf("SVG <%s> has a %s attribute", se.Name.Local, a.Name.Local)
			}
		}
		if root {
			root = false
			var hasViewBox bool
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "viewBox":
					hasViewBox = true
				case "width", "height":
					t.Errorf("SVG root has a fixed %s", a.Name.Local)
				}
			}
			if se.Name.Local != "svg" || !hasViewBox {
				t.Errorf("root is <%s>, viewBox %v", se.Name.Local, hasViewBox)
			}
		}
	}
	if titles != 1 || descs != 1 {
		t.Errorf("SVG has %d <title> and %d <desc>, want 1 each", titles, descs)
	}
}

func TestID(t *testing.T) {
	for _, tc := range []struct {
		prefix string
		parts  []string
		want   string
	}{
		{"arc", []string{"2026-01-14"}, "arc_2026_01_14"},
		{"arc", []string{"ada", "2026-01-14-vision work"}, "arc_ada_2026_01_14_vision_work"},
		{"9lives", nil, "c9lives"},
		{"", nil, "c"},
		{"x", []string{"</script>"}, "x___script_"},
		{"trend", []string{"émile"}, "trend___mile"},
	} {
		got := ID(tc.prefix, tc.parts...)
		if got != tc.want {
			t.Errorf("ID(%q, %q) = %q, want %q", tc.prefix, tc.parts, got, tc.want)
		}
		if !regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`).MatchString(got) {
			t.Errorf("ID %q has a character outside [A-Za-z0-9_]", got)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Arc with the ID \"a-b\" did not panic")
		}
	}()
	Arc(tw, "a-b", testAreas(), testScale, nil, nil, "x")
}

func TestArcOption(t *testing.T) {
	areas := testAreas()
	cur := ratings(areas, map[string]int{"vision": 4, "service": 8, "accountability": 1})
	prev := ratings(areas, map[string]int{"vision": 3, "service": 8, "community": 6})
	c := Arc(tw, "arc_0", areas, testScale, cur, prev, "Ratings")
	m := decode(t, c)

	if _, ok := m["xAxis"]; ok {
		t.Error("polar chart has an xAxis")
	}
	if _, ok := m["toolbox"]; ok {
		t.Error("option has a toolbox (not in the bundle)")
	}
	angle := obj(t, m["angleAxis"], "angleAxis")
	if angle["type"] != "category" || angle["startAngle"] != 90.0 || angle["clockwise"] != true {
		t.Errorf("angleAxis = %v, want a clockwise category axis from 90°", angle)
	}
	labels := list(t, angle["data"], "angleAxis.data")
	wantLabels := []string{"Vision", "Service", "Accountability", "Community\n(not rated)"}
	if len(labels) != len(wantLabels) {
		t.Fatalf("angle labels %v, want %v", labels, wantLabels)
	}
	for i, w := range wantLabels {
		if labels[i] != w {
			t.Errorf("angle label %d = %q, want %q", i, labels[i], w)
		}
	}
	radius := obj(t, m["radiusAxis"], "radiusAxis")
	if radius["type"] != "value" || radius["min"] != 0.0 || radius["max"] != 9.0 || radius["interval"] != 1.0 {
		t.Errorf("radiusAxis = %v, want value axis 0..9 with a ring per step", radius)
	}
	if obj(t, radius["splitLine"], "radiusAxis.splitLine")["show"] != true {
		t.Error("radius axis draws no rings")
	}

	series := list(t, m["series"], "series")
	if len(series) != 2 {
		t.Fatalf("%d series, want current and previous", len(series))
	}
	wantCur := []any{4.0, 8.0, 1.0, "-"}
	wantPrev := []any{3.0, 8.0, "-", 6.0}
	for si, want := range [][]any{wantCur, wantPrev} {
		s := obj(t, series[si], "series")
		if s["type"] != "bar" || s["coordinateSystem"] != "polar" || s["barGap"] != "-100%" {
			t.Errorf("series %d = type %v on %v, barGap %v", si, s["type"], s["coordinateSystem"], s["barGap"])
		}
		data := list(t, s["data"], "series.data")
		for i, d := range data {
			item := obj(t, d, "data item")
			if item["value"] != want[i] {
				t.Errorf("series %d item %d value = %v, want %v", si, i, item["value"], want[i])
			}
			style := obj(t, item["itemStyle"], "itemStyle")
			if si == 0 && style["color"] != areas[i].Color {
				t.Errorf("sector %d colour %v, want %s", i, style["color"], areas[i].Color)
			}
			if si == 1 && (style["borderType"] != "dashed" || style["color"] != "transparent") {
				t.Errorf("previous item %d style %v, want a dashed outline", i, style)
			}
		}
	}
	tip := obj(t, m["tooltip"], "tooltip")
	if tip["renderMode"] != "richText" {
		t.Errorf("tooltip renderMode %v, want richText (no innerHTML)", tip["renderMode"])
	}

	// The table says "not rated", never 0.
	if got := c.Table.Rows[3]; got[0] != "Community" || got[1] != "not rated" || got[2] != "6" || got[3] != "–" {
		t.Errorf("table row for community = %q", got)
	}
	if got := c.Table.Rows[0]; got[1] != "4" || got[2] != "3" || got[3] != "+1" {
		t.Errorf("table row for vision = %q", got)
	}

	// First session: no previous series, no legend.
	first := decode(t, Arc(tw, "arc_1", areas, testScale, cur, nil, "Ratings"))
	if n := len(list(t, first["series"], "series")); n != 1 {
		t.Errorf("first session has %d series, want 1", n)
	}
}

// sectorRadius returns the radius of each <path> sector in an arc SVG, in
// order, with its attributes.
var sectorRe = regexp.MustCompile(`<path d="M240 200L[-0-9.]+ [-0-9.]+A([0-9.]+) [0-9.]+ 0 [01] 1 [-0-9.]+ [-0-9.]+Z"([^/]*)/>`)

func TestArcSVG(t *testing.T) {
	areas := testAreas()
	cur := ratings(areas, map[string]int{"vision": 4, "service": 9, "accountability": 1})
	prev := ratings(areas, map[string]int{"vision": 3, "community": 6})
	c := Arc(tw, "arc_0", areas, testScale, cur, prev, "Ratings")
	checkSVG(t, c.SVG)
	svg := string(c.SVG)

	var filled, hatched, outlines []float64
	for _, m := range sectorRe.FindAllStringSubmatch(svg, -1) {
		r, _ := strconv.ParseFloat(m[1], 64)
		switch {
		case strings.Contains(m[2], "url(#arc_0_hatch)"):
			hatched = append(hatched, r)
		case strings.Contains(m[2], "fill="):
			filled = append(filled, r)
		default:
			outlines = append(outlines, r)
		}
	}
	want := func(v int) float64 { return arcR * float64(v) / 9 }
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.01 }
	if len(filled) != 3 || !near(filled[0], want(4)) || !near(filled[1], want(9)) || !near(filled[2], want(1)) {
		t.Errorf("filled sector radii %v, want %v %v %v", filled, want(4), want(9), want(1))
	}
	if len(hatched) != 1 || !near(hatched[0], arcR) {
		t.Errorf("hatched (not rated) sectors %v, want one at full radius", hatched)
	}
	if len(outlines) != 2 || !near(outlines[0], want(3)) || !near(outlines[1], want(6)) {
		t.Errorf("previous outlines %v, want %v %v", outlines, want(3), want(6))
	}
	if n := strings.Count(svg, "<circle"); n != 9 {
		t.Errorf("%d rings, want one per scale step (9)", n)
	}
	for i, a := range areas {
		if !strings.Contains(svg, `fill="`+a.Color+`"`) && i < 3 {
			t.Errorf("sector colour %s missing", a.Color)
		}
	}
	if !strings.Contains(svg, ">not rated<") {
		t.Error("not rated area is not labelled")
	}

	// A single area is a full circle.
	one := Arc(tw, "arc_1", areas[:1], testScale, cur[:1], nil, "One")
	checkSVG(t, one.SVG)
	if !strings.Contains(string(one.SVG), `r="52.44" fill="#0072b2"`) {
		t.Errorf("single-area arc is not a circle of radius %v: %s", want(4), one.SVG)
	}
}

func TestTimeSplit(t *testing.T) {
	areas := testAreas()
	rows := timeRows(areas, []int{10, 50, 25, 15}, []int{25, 35, 20, 20})
	gap := gapOf(rows)
	c := TimeSplit(tw, "time_0", rows, gap, "Time split")
	m := decode(t, c)
	title := obj(t, m["title"], "title")
	if title["text"] != "Time split" || title["subtext"] != "Balance gap: 20% of time in the wrong place" {
		t.Errorf("title %v", title)
	}
	y := list(t, m["yAxis"], "yAxis")
	yd := list(t, obj(t, y[0], "yAxis[0]")["data"], "yAxis.data")
	if len(yd) != 4 || yd[0] != "Vision" || yd[3] != "Community" {
		t.Errorf("y axis categories %v", yd)
	}
	series := list(t, m["series"], "series")
	if len(series) != 2 {
		t.Fatalf("%d series, want actual and wished", len(series))
	}
	for si, want := range [][]int{{10, 50, 25, 15}, {25, 35, 20, 20}} {
		data := list(t, obj(t, series[si], "series")["data"], "data")
		for i, d := range data {
			if obj(t, d, "item")["value"] != float64(want[i]) {
				t.Errorf("series %d item %d = %v, want %d", si, i, d, want[i])
			}
		}
	}
	checkSVG(t, c.SVG)
	// Bar widths are proportional to the shares: 50% is five times 10%.
	widths := regexp.MustCompile(`<rect x="130" y="[0-9.]+" width="([0-9.]+)"`).FindAllStringSubmatch(string(c.SVG), -1)
	widths = widths[1:] // the first is the legend's swatch
	if len(widths) != 8 {
		t.Fatalf("%d bars, want 8", len(widths))
	}
	w0, _ := strconv.ParseFloat(widths[0][1], 64)
	w2, _ := strconv.ParseFloat(widths[2][1], 64)
	if math.Abs(w2-5*w0) > 0.05 {
		t.Errorf("bar of 50%% is %v wide, bar of 10%% %v", w2, w0)
	}
	if c.Table.Rows[0][3] != "+15" || !strings.Contains(c.Table.Caption, "20%") {
		t.Errorf("table %v", c.Table)
	}
}

func TestTrends(t *testing.T) {
	areas := testAreas()
	c := testClient(areas)

	rt := decode(t, RatingTrend(tw, "trend_r", c, testScale, "Ratings over time"))
	x := obj(t, list(t, rt["xAxis"], "xAxis")[0], "xAxis[0]")
	if x["type"] != "time" {
		t.Errorf("rating trend x axis %v, want time", x["type"])
	}
	y := obj(t, list(t, rt["yAxis"], "yAxis")[0], "yAxis[0]")
	if y["min"] != 1.0 || y["max"] != 9.0 {
		t.Errorf("rating trend y axis %v..%v, want the scale 1..9", y["min"], y["max"])
	}
	series := list(t, rt["series"], "series")
	if len(series) != len(areas) {
		t.Fatalf("%d series, want one per area", len(series))
	}
	for i, a := range areas {
		s := obj(t, series[i], "series")
		if s["name"] != a.Label || s["type"] != "line" || obj(t, s["lineStyle"], "lineStyle")["color"] != a.Color {
			t.Errorf("series %d = %v %v, want %s", i, s["name"], s["type"], a.Label)
		}
	}
	// Community was not rated in the second session: two points, not three.
	comm := list(t, obj(t, series[3], "series")["data"], "data")
	if len(comm) != 2 {
		t.Errorf("community has %d points, want 2", len(comm))
	}
	p := list(t, obj(t, comm[1], "point")["value"], "value")
	if p[0] != "2026-03-25" || p[1] != 5.0 {
		t.Errorf("community's last point %v, want [2026-03-25 5]", p)
	}

	bt := decode(t, BalanceTrend(tw, "trend_b", c, "Balance"))
	bd := list(t, obj(t, list(t, bt["series"], "series")[0], "s")["data"], "data")
	if len(bd) != 2 {
		t.Errorf("balance trend has %d points, want 2 (sessions with a time split)", len(bd))
	}

	tt := decode(t, TimeTrend(tw, "trend_t", c, "Time"))
	if n := len(list(t, tt["series"], "series")); n != 2*len(areas) {
		t.Errorf("time trend has %d series, want %d", n, 2*len(areas))
	}

	ct := CommitmentTrend(tw, "trend_c", c, "Commitments")
	cm := decode(t, ct)
	cs := list(t, cm["series"], "series")
	if len(cs) != 4 {
		t.Fatalf("commitment trend has %d series, want done, dropped, open, kept", len(cs))
	}
	kept := list(t, obj(t, cs[3], "kept")["data"], "data")
	// Kept so far: 2/3, then 3/4, then still 3/4.
	for i, want := range []float64{66.7, 75, 75} {
		if obj(t, kept[i], "item")["value"] != want {
			t.Errorf("kept rate %d = %v, want %v", i, kept[i], want)
		}
	}
	if len(list(t, cm["yAxis"], "yAxis")) != 2 {
		t.Error("commitment trend has no second y axis for the kept rate")
	}

	cd := Cadence(tw, "trend_k", c, "Cadence")
	cdm := decode(t, cd)
	days := list(t, obj(t, list(t, cdm["series"], "series")[0], "s")["data"], "data")
	if len(days) != 2 || obj(t, days[0], "d")["value"] != 28.0 || obj(t, days[1], "d")["value"] != 42.0 {
		t.Errorf("cadence %v, want 28 and 42 days", days)
	}
	if !strings.Contains(obj(t, cdm["title"], "title")["subtext"].(string), "35 days") {
		t.Errorf("cadence subtitle %v, want the mean of 35 days", cdm["title"])
	}

	sp := decode(t, AreaSparkline(tw, "spark_v", c, areas[0], testScale))
	if n := len(list(t, obj(t, list(t, sp["series"], "series")[0], "s")["data"], "data")); n != 3 {
		t.Errorf("sparkline has %d points, want 3", n)
	}
}

// hostileClient gives every text that reaches a chart a hostile value.
func hostileClient() (*report.Client, []model.Area) {
	areas := testAreas()
	areas[0].Label = scriptText
	areas[1].Label = funcText
	areas[2].Color = `red" onload="alert(1)`
	areas[3].Color = `url(https://evil.example/x)`
	c := testClient(areas)
	c.Client.Name = scriptText
	return c, areas
}

func TestHostileText(t *testing.T) {
	c, areas := hostileClient()
	s := c.Sessions[2]
	both := []string{scriptText, funcText}
	for _, tc := range []struct {
		ch   Chart
		want []string // strings that must come back exactly
	}{
		{Arc(tw, "a", areas, testScale, s.Ratings, c.Sessions[1].Ratings, scriptText), both},
		{TimeSplit(tw, "b", s.Time, s.BalanceGap, funcText), both},
		{RatingTrend(tw, "c", c, testScale, scriptText), both},
		{AreaSparkline(tw, "d", c, areas[1], testScale), []string{funcText}},
		{BalanceTrend(tw, "e", c, funcText), []string{funcText}},
		{TimeTrend(tw, "f", c, scriptText), both},
		{CommitmentTrend(tw, "g", c, funcText), []string{funcText}},
		{Cadence(tw, "h", c, scriptText), []string{scriptText}},
	} {
		ch := tc.ch
		opt := string(ch.Option)
		if strings.ContainsAny(opt, "<>&") {
			t.Errorf("%s: option JSON has a raw <, > or &", ch.ID)
		}
		if strings.Contains(opt, "function") {
			t.Errorf("%s: option JSON holds a function", ch.ID)
		}
		if strings.Contains(opt, "evil.example") || strings.Contains(opt, "onload") {
			t.Errorf("%s: an unsafe colour reached the option", ch.ID)
		}
		// The labels survive exactly: decoding gives back the same strings.
		var texts []string
		collect(decode(t, ch), &texts)
		for _, w := range tc.want {
			found := false
			for _, got := range texts {
				// A drawing may shorten a long label (the table keeps it whole).
				found = found || strings.Contains(got, w) || strings.Contains(got, shortLabel(w))
			}
			if !found {
				t.Errorf("%s: %q did not survive as text", ch.ID, w)
			}
		}

		page := string(ch.HTML())
		if strings.Count(page, "<script") != 1 || strings.Count(page, "</script>") != 1 {
			t.Errorf("%s: chart markup has %d <script and %d </script>, want only the data block", ch.ID,
				strings.Count(page, "<script"), strings.Count(page, "</script>"))
		}
		if strings.Contains(page, "evil.example") || strings.Contains(page, `" onload=`) {
			t.Errorf("%s: an unsafe colour reached the markup", ch.ID)
		}
		if ch.SVG != "" {
			checkSVG(t, ch.SVG)
		}
	}
}

// collect gathers every string in a decoded JSON value.
func collect(v any, out *[]string) {
	switch v := v.(type) {
	case string:
		*out = append(*out, v)
	case []any:
		for _, e := range v {
			collect(e, out)
		}
	case map[string]any:
		for _, e := range v {
			collect(e, out)
		}
	}
}

func TestTemplateEmbedding(t *testing.T) {
	c, areas := hostileClient()
	ch := Arc(tw, "arc_x", areas, testScale, c.Sessions[0].Ratings, nil, scriptText)
	tmpl := template.Must(template.New("p").Parse(
		`<div class="chart" id="{{.ID}}">{{.SVG}}</div><script type="application/json" class="chart-data" data-chart="{{.ID}}">{{.Option}}</script>`))
	var b bytes.Buffer
	if err := tmpl.Execute(&b, ch); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ">"+string(ch.Option)+"</script>") {
		t.Errorf("html/template changed the option JSON:\n%s", b.String())
	}
}

func TestDeterministic(t *testing.T) {
	c := testClient(testAreas())
	build := func() string {
		s := c.Sessions[2]
		var b strings.Builder
		for _, ch := range []Chart{
			Arc(tw, "a", c.Client.Areas, testScale, s.Ratings, c.Sessions[1].Ratings, "t"),
			TimeSplit(tw, "b", s.Time, s.BalanceGap, "t"),
			RatingTrend(tw, "c", c, testScale, "t"),
			TimeTrend(tw, "d", c, "t"),
			CommitmentTrend(tw, "e", c, "t"),
		} {
			b.WriteString(string(ch.HTML()))
		}
		return b.String()
	}
	if a, b := build(), build(); a != b {
		t.Error("two builds of the same charts differ")
	}
}

func TestColor(t *testing.T) {
	for c, ok := range map[string]bool{
		"#0072b2": true, "#abc": true, "rgb(1, 2, 3)": true, "hsl(210deg 50% 40%)": true, "teal": true,
		"": false, "#12": false, "#ggg": false, "url(#x)": false, `red" x="`: false, "rgb(1,2,3);x": false,
		"expression(alert(1))": false,
	} {
		if plainColor(c) != ok {
			t.Errorf("plainColor(%q) = %v, want %v", c, !ok, ok)
		}
	}
}

// TestCommitmentTimeline: each commitment of the ledger is one bar from the
// day made to the day closed, in the series of its outcome, in the option,
// the SVG and the table alike.
func TestCommitmentTimeline(t *testing.T) {
	d := func(day int) model.Date { return model.NewDate(2026, time.January, day) }
	mc := &model.Client{Slug: "ada", Name: "Ada", Sessions: []*model.Session{
		{Slug: "s1", Date: d(1), Commitments: []model.Commitment{{ID: "a", Text: "Call Sam", Status: "open"}, {ID: "b", Text: "Rest </script>", Status: "done"}}},
		{Slug: "s2", Date: d(11), Commitments: []model.Commitment{{ID: "a", Text: "Call Sam", Status: "done"}, {ID: "c", Text: "Plan", Status: "open"}}},
		{Slug: "s3", Date: d(21), Commitments: []model.Commitment{{ID: "c", Text: "Plan", Status: "dropped"}}},
	}}
	c := report.DeriveClient(&model.Site{}, mc)
	ch := CommitmentTimeline(tw, "tl", c, "Accountability")
	m := decode(t, ch)
	series := list(t, m["series"], "series")
	if len(series) != 4 {
		t.Fatalf("%d series, want the offset and done, dropped, open", len(series))
	}
	values := func(i int) []any {
		var out []any
		for _, it := range list(t, obj(t, series[i], "s")["data"], "data") {
			out = append(out, obj(t, it, "item")["value"])
		}
		return out
	}
	// Offsets: made on day 0, 0, 10; lengths in days, inclusive: a 11, b 1, c 11.
	for i, want := range [][]any{{0.0, 0.0, 10.0}, {11.0, 1.0, "-"}, {"-", "-", 11.0}, {"-", "-", "-"}} {
		got := values(i)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("series %d = %v, want %v", i, got, want)
		}
	}
	y := obj(t, list(t, m["yAxis"], "yAxis")[0], "yAxis")
	if fmt.Sprint(y["data"]) != "[Call Sam Rest </script> Plan]" {
		t.Errorf("labels %v", y["data"])
	}
	if strings.Contains(string(ch.Option), "</script>") {
		t.Error("option holds </script> unescaped")
	}
	if n := strings.Count(string(ch.SVG), `<rect`); n != 3+3 {
		t.Errorf("SVG has %d rects, want 3 legend keys and 3 bars", n)
	}
	if strings.Contains(string(ch.SVG), "</script>") {
		t.Error("SVG holds </script> unescaped")
	}
	want := [][]string{{"Call Sam", "1 January 2026", "11 January 2026", "done", "10"}, {"Rest </script>", "1 January 2026", "1 January 2026", "done", "0"}, {"Plan", "11 January 2026", "21 January 2026", "dropped", "10"}}
	if fmt.Sprint(ch.Table.Rows) != fmt.Sprint(want) {
		t.Errorf("table %q, want %q", ch.Table.Rows, want)
	}
}

// TestDatesInTheReadersLanguage: a chart's data table writes a session's
// date as the reader's language does, and a bar chart's labels its day and
// month; only the points of a time axis keep YYYY-MM-DD, which ECharts reads.
func TestDatesInTheReadersLanguage(t *testing.T) {
	c := testClient(testAreas())
	for _, tc := range []struct {
		lang, long, short string
	}{
		{"en", "25 March 2026", "25 Mar"},
		{"de", "25. März 2026", "25. März"},
		{"es", "25 de marzo de 2026", "25 mar."},
	} {
		w := mustWords(tc.lang)
		for _, ch := range []Chart{
			RatingTrend(w, "trend_r", c, testScale, "R"),
			BalanceTrend(w, "trend_b", c, "B"),
			TimeTrend(w, "trend_t", c, "T"),
			CommitmentTrend(w, "trend_c", c, "C"),
			Cadence(w, "trend_k", c, "K"),
			AreaSparkline(w, "spark_v", c, testAreas()[0], testScale),
		} {
			var cells []string
			for _, r := range ch.Table.Rows {
				cells = append(cells, r[0])
			}
			if !slices.Contains(cells, tc.long) {
				t.Errorf("%s %s: table's dates %q, want %q among them", tc.lang, ch.ID, cells, tc.long)
			}
			if strings.Contains(string(ch.SVG), "2026-03-25") {
				t.Errorf("%s %s: the drawing writes 2026-03-25", tc.lang, ch.ID)
			}
		}
		for _, ch := range []Chart{CommitmentTrend(w, "trend_c", c, "C"), Cadence(w, "trend_k", c, "K")} {
			labels := list(t, obj(t, list(t, decode(t, ch)["xAxis"], "xAxis")[0], "xAxis[0]")["data"], "data")
			if !slices.Contains(labels, any(tc.short)) {
				t.Errorf("%s %s: bar labels %q, want %q among them", tc.lang, ch.ID, labels, tc.short)
			}
			if !strings.Contains(string(ch.SVG), ">"+tc.short+"<") {
				t.Errorf("%s %s: the drawing does not label a bar %q", tc.lang, ch.ID, tc.short)
			}
		}
	}
}
