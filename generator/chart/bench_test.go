package chart

import (
	"testing"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// BenchmarkArc builds one arc chart: option JSON, SVG fallback and table.
func BenchmarkArc(b *testing.B) {
	c := testClient(testAreas())
	s, prev := c.Sessions[2], c.Sessions[1]
	b.ReportAllocs()
	for b.Loop() {
		Arc(tw, "arc_0", c.Client.Areas, testScale, s.Ratings, prev.Ratings, "Ratings")
	}
}

// BenchmarkSessionCharts builds the charts of one session page: the arc
// chart and the time split, each as JSON, SVG and table.
func BenchmarkSessionCharts(b *testing.B) {
	c := testClient(testAreas())
	s, prev := c.Sessions[2], c.Sessions[1]
	b.ReportAllocs()
	for b.Loop() {
		Arc(tw, "arc_0", c.Client.Areas, testScale, s.Ratings, prev.Ratings, "Ratings")
		TimeSplit(tw, "time_0", s.Time, s.BalanceGap, "Time split")
	}
}

// BenchmarkTrendCharts builds every trend chart of a three-session client.
func BenchmarkTrendCharts(b *testing.B) {
	benchTrendCharts(b, testClient(testAreas()))
}

// BenchmarkSessionChartsHTML is the chart stage of one session page: the
// arc chart and the time split, each built as a Chart and turned into its
// markup (figure, SVG fallback, JSON data block and table).
func BenchmarkSessionChartsHTML(b *testing.B) {
	c := testClient(testAreas())
	s, prev := c.Sessions[2], c.Sessions[1]
	b.ReportAllocs()
	for b.Loop() {
		_ = Arc(tw, "chart_arc", c.Client.Areas, testScale, s.Ratings, prev.Ratings, "14 January 2026").HTML()
		_ = TimeSplit(tw, "chart_time", s.Time, s.BalanceGap, "Time split").HTML()
	}
}

// BenchmarkTrendCharts20 is BenchmarkTrendCharts for a client of 20
// sessions, as in the benchmark corpus: the three test sessions repeated,
// a week apart.
func BenchmarkTrendCharts20(b *testing.B) {
	benchTrendCharts(b, longClient(testAreas(), 20))
}

// longClient is testClient with n sessions: its three sessions repeated,
// one a week.
func longClient(areas []model.Area, n int) *report.Client {
	base := testClient(areas)
	c := &report.Client{Client: base.Client}
	first := base.Sessions[0].Session.Date
	for i := range n {
		s := *base.Sessions[i%len(base.Sessions)]
		ms := *s.Session
		ms.Date = model.Date{Time: first.AddDate(0, 0, 7*i)}
		s.Session, s.Index = &ms, i
		if i > 0 {
			s.DaysSincePrev = 7
			c.CadenceDays = append(c.CadenceDays, 7)
		}
		c.Sessions = append(c.Sessions, &s)
	}
	c.MeanCadence = 7
	c.Latest = c.Sessions[n-1]
	return c
}

// benchTrendCharts builds every trend chart and sparkline of c, b.N times.
func benchTrendCharts(b *testing.B, c *report.Client) {
	b.ReportAllocs()
	for b.Loop() {
		RatingTrend(tw, "t1", c, testScale, "Ratings")
		BalanceTrend(tw, "t2", c, "Balance")
		TimeTrend(tw, "t3", c, "Time")
		CommitmentTrend(tw, "t4", c, "Commitments")
		Cadence(tw, "t5", c, "Cadence")
		for _, a := range c.Client.Areas {
			AreaSparkline(tw, ID("spark", a.Key), c, a, testScale)
		}
	}
}
