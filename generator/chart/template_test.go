package chart

import (
	"bytes"
	"encoding/json"
	"html/template"
	"math"
	"testing"
	"unicode/utf8"

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
					got := arcOption(tw, id, rows, testScale, title, pr != nil)
					want := arcOptionDirect(tw, id, rows, testScale, title, pr != nil)
					if got != want {
						t.Errorf("arc %q %q prev=%v:\n got %s\nwant %s", id, title, pr != nil, got, want)
					}
				}
			}
			rows := timeRows(as, []int{10, 50, 30, 10}, []int{25, 35, 20, 20})
			got := timeSplitOption(tw, "time", rows, gapOf(rows), title)
			want := timeSplitOptionDirect(tw, "time", rows, gapOf(rows), title)
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
// template against a direct build, for every area of the test client and
// of the trend test clients (see trendVariants).
func TestSparklineTemplateMatchesDirectBuild(t *testing.T) {
	as := testAreas()
	as[2].Label = `</script><script>alert(1)</script> "@@hole:1@@"`
	variants := append(trendVariants(), trendVariant{"hostile label", testClient(as), testScale})
	for _, v := range variants {
		c := v.c
		for i, a := range c.Client.Areas {
			got := AreaSparkline(tw, "spark", c, a, v.scale).Option
			var data []opts.LineData // nil, written as null, for an area never rated
			for _, s := range c.Sessions {
				if v, ok := ratingOf(s.Ratings, a.Key, i); ok {
					data = append(data, point(s.Session.Date.String(), v))
				}
			}
			want := sparklineOption("spark", a.Name(), color(a.Color, i), v.scale, data)
			if got != want {
				t.Errorf("%s, sparkline %s:\n got %s\nwant %s", v.name, a.Key, got, want)
			}
		}
	}
}

// TestTrendTemplatesMatchDirectBuild checks that the trend charts' options,
// written into their cached templates, are byte for byte what go-echarts
// builds directly, for clients of every shape (see trendVariants) and
// plain, hostile and empty titles.
func TestTrendTemplatesMatchDirectBuild(t *testing.T) {
	type option interface {
		option(id string) template.JS
		optionDirect(id string) template.JS
	}
	for _, v := range trendVariants() {
		for _, title := range []string{"Ratings over time", scriptText + ` "@@hole:0@@" ` + funcText, ""} {
			rt, _ := ratingTrend(tw, v.c, v.scale, title)
			bt, _ := balanceTrend(tw, v.c, title)
			tt, _ := timeTrend(tw, v.c, title)
			ct, _ := commitmentTrend(tw, v.c, title)
			cd, _ := cadence(tw, v.c, title)
			charts := []Chart{
				RatingTrend(tw, "trend_r", v.c, v.scale, title),
				BalanceTrend(tw, "trend_b", v.c, title),
				TimeTrend(tw, "trend_t", v.c, title),
				CommitmentTrend(tw, "trend_c", v.c, title),
				Cadence(tw, "trend_k", v.c, title),
			}
			for i, o := range []option{rt, bt, tt, ct, cd} {
				id := charts[i].ID
				if got, want := charts[i].Option, o.optionDirect(id); got != want {
					t.Errorf("%s, %s, title %q:\n got %s\nwant %s", v.name, id, title, got, want)
				}
				// A template cached under another ID serves this one.
				if got, want := o.option("other_id"), o.optionDirect("other_id"); got != want {
					t.Errorf("%s, %s as other_id, title %q:\n got %s\nwant %s", v.name, id, title, got, want)
				}
			}
		}
	}
}

// TestWriteJSONNumMatchesMarshal checks writeJSONNum against encoding/json.
func TestWriteJSONNumMatchesMarshal(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 7, 66.7, 71.4, 12.5, 100, 1.0 / 3, 20.0 / 3, 1e-6, 9.99e-7, 1e20, 1e21, -1e21, 123456789012, -3, 1 << 52, 1<<53 - 1, 1 << 53, -(1 << 53), 1<<53 + 2, 2.5, -0.5, math.SmallestNonzeroFloat64, math.MaxFloat64} {
		want, _ := json.Marshal(f)
		var b bytes.Buffer
		writeJSONNum(&b, f)
		if b.String() != string(want) {
			t.Errorf("writeJSONNum(%v) = %s, want %s", f, b.String(), want)
		}
	}
}

// FuzzOptionTemplate fills the cached option templates of an arc chart, a
// time split and a sparkline with arbitrary texts and values and checks
// each against go-echarts' direct build, byte for byte, and the JSON
// number writer against encoding/json. Texts are valid UTF-8, as loading
// guarantees of every text that reaches a chart.
func FuzzOptionTemplate(f *testing.F) {
	f.Add("Ratings", "Vision", `</script>"@@hole:1@@"`, 3, 9, 10, 50, 66.7)
	f.Add("", "", "\u2028\x00&<>", -1, 0, 100, 0, 1e21)
	f.Fuzz(func(t *testing.T, title, label0, label1 string, r0, r1, actual, wished int, num float64) {
		if !utf8.ValidString(title + label0 + label1) {
			t.Skip()
		}
		as := testAreas()
		as[0].Label, as[1].Label = label0, label1
		vals := map[string]int{"vision": r0, "community": 5}
		if r1 >= testScale.Min && r1 <= testScale.Max {
			vals["service"] = r1
		}
		cur := ratings(as, vals)
		prev := ratings(as, map[string]int{"service": r1, "accountability": r0})
		for _, pr := range [][]report.Rating{nil, prev} {
			rows := arcRows(as, cur, pr)
			if got, want := arcOption(tw, "arc", rows, testScale, title, pr != nil), arcOptionDirect(tw, "arc", rows, testScale, title, pr != nil); got != want {
				t.Errorf("arc, prev=%v:\n got %s\nwant %s", pr != nil, got, want)
			}
		}
		rows := timeRows(as, []int{actual, 100 - actual, 0, 0}, []int{wished, 0, 100 - wished, 0})
		if got, want := timeSplitOption(tw, "time", rows, gapOf(rows), title), timeSplitOptionDirect(tw, "time", rows, gapOf(rows), title); got != want {
			t.Errorf("time split:\n got %s\nwant %s", got, want)
		}
		c := testClient(as)
		for i, a := range c.Client.Areas {
			got := AreaSparkline(tw, "spark", c, a, testScale).Option
			var data []opts.LineData
			for _, s := range c.Sessions {
				if v, ok := ratingOf(s.Ratings, a.Key, i); ok {
					data = append(data, point(s.Session.Date.String(), v))
				}
			}
			if want := sparklineOption("spark", a.Name(), color(a.Color, i), testScale, data); got != want {
				t.Errorf("sparkline %s:\n got %s\nwant %s", a.Key, got, want)
			}
		}
		if !math.IsNaN(num) && !math.IsInf(num, 0) {
			want, _ := json.Marshal(num)
			var b bytes.Buffer
			writeJSONNum(&b, num)
			if b.String() != string(want) {
				t.Errorf("writeJSONNum(%v) = %s, want %s", num, b.String(), want)
			}
		}
	})
}
