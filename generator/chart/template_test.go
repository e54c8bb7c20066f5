package chart

import (
	"testing"

	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// TestOptionTemplatesMatchDirectBuild checks that the cached option
// templates give, byte for byte, the option go-echarts builds directly, for
// charts of one shape with different texts and values: first and later
// sessions, areas not rated, hostile labels and titles, other IDs.
func TestOptionTemplatesMatchDirectBuild(t *testing.T) {
	areas := testAreas()
	hostileAreas := testAreas()
	hostileAreas[0].Label = `</script><script>alert(1)</script>`
	hostileAreas[1].Label = `__f__alert(1)__f__ "@@hole:0@@"`
	for _, as := range [][]model.Area{areas, hostileAreas} {
		cur := ratings(as, map[string]int{"vision": 3, "service": 9, "accountability": 1})
		prev := ratings(as, map[string]int{"vision": 5, "community": 2})
		for _, title := range []string{"Ratings", `</script>"@@hole:1@@"`, ""} {
			for _, pr := range [][]report.Rating{nil, prev} {
				for _, id := range []string{"arc", "chart_arc_latest"} {
					rows := arcRows(as, cur, pr)
					got := arcOption(id, rows, testScale, title, pr != nil)
					want := arcOptionDirect(id, rows, testScale, title, pr != nil)
					if got != want {
						t.Errorf("arc %q %q prev=%v:\n got %s\nwant %s", id, title, pr != nil, got, want)
					}
				}
			}
			rows := timeRows(as, []int{10, 50, 30, 10}, []int{25, 35, 20, 20})
			got := timeSplitOption("time", rows, gapOf(rows), title)
			want := timeSplitOptionDirect("time", rows, gapOf(rows), title)
			if got != want {
				t.Errorf("time split %q:\n got %s\nwant %s", title, got, want)
			}
		}
	}
}

// TestCutOption checks that an option is cut at every hole, repeated
// holes included, and filled in order.
func TestCutOption(t *testing.T) {
	tm := cutOption(`{"a":"@@hole:1@@","b":["@@hole:0@@","@@hole:1@@"],"c":"x"}`)
	if got := tm.fill([]string{`"zero"`, `7`}); got != `{"a":7,"b":["zero",7],"c":"x"}` {
		t.Errorf("fill = %s", got)
	}
}

// TestSparklineTemplateMatchesDirectBuild checks the cached sparkline
// template against a direct build, for every area of the test client.
func TestSparklineTemplateMatchesDirectBuild(t *testing.T) {
	as := testAreas()
	as[2].Label = `</script><script>alert(1)</script> "@@hole:1@@"`
	c := testClient(as)
	for i, a := range as {
		got := AreaSparkline("spark", c, a, testScale).Option
		var data []opts.LineData
		for _, s := range c.Sessions {
			if v, ok := ratingOf(s.Ratings, a.Key, i); ok {
				data = append(data, point(s.Session.Date.String(), v))
			}
		}
		want := sparklineOption("spark", areaLabel(a), color(a.Color, i), testScale, data)
		if got != want {
			t.Errorf("sparkline %s:\n got %s\nwant %s", a.Key, got, want)
		}
	}
}
