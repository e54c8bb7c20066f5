package chart

import "testing"

// BenchmarkArc builds one arc chart: option JSON, SVG fallback and table.
func BenchmarkArc(b *testing.B) {
	c := testClient(testAreas())
	s, prev := c.Sessions[2], c.Sessions[1]
	b.ReportAllocs()
	for b.Loop() {
		Arc("arc_0", c.Client.Areas, testScale, s.Ratings, prev.Ratings, "Ratings")
	}
}

// BenchmarkSessionCharts builds the charts of one session page: the arc
// chart and the time split, each as JSON, SVG and table.
func BenchmarkSessionCharts(b *testing.B) {
	c := testClient(testAreas())
	s, prev := c.Sessions[2], c.Sessions[1]
	b.ReportAllocs()
	for b.Loop() {
		Arc("arc_0", c.Client.Areas, testScale, s.Ratings, prev.Ratings, "Ratings")
		TimeSplit("time_0", s.Time, s.BalanceGap, "Time split")
	}
}

// BenchmarkTrendCharts builds every trend chart of a three-session client.
func BenchmarkTrendCharts(b *testing.B) {
	c := testClient(testAreas())
	b.ReportAllocs()
	for b.Loop() {
		RatingTrend("t1", c, testScale, "Ratings")
		BalanceTrend("t2", c, "Balance")
		TimeTrend("t3", c, "Time")
		CommitmentTrend("t4", c, "Commitments")
		Cadence("t5", c, "Cadence")
		for _, a := range c.Client.Areas {
			AreaSparkline(ID("spark", a.Key), c, a, testScale)
		}
	}
}

// BenchmarkSessionChartsHTML is the chart stage of one session page as the
// build runs it: the arc chart and the time split, each built and turned
// into its markup (figure, SVG fallback, JSON data block and table).
func BenchmarkSessionChartsHTML(b *testing.B) {
	c := testClient(testAreas())
	s, prev := c.Sessions[2], c.Sessions[1]
	b.ReportAllocs()
	for b.Loop() {
		_ = Arc("chart_arc", c.Client.Areas, testScale, s.Ratings, prev.Ratings, "14 January 2026").HTML()
		_ = TimeSplit("chart_time", s.Time, s.BalanceGap, "Time split").HTML()
	}
}
