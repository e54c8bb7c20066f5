package chart

import (
	"testing"

	"github.com/coachsite/coachsite/generator/report"
)

// TestOnePassHTML checks that ArcHTML and TimeSplitHTML give what the
// charts' HTML method gives with the table caption set, for plain and
// hostile texts, with and without a previous session or a title.
func TestOnePassHTML(t *testing.T) {
	hostile, _ := hostileClient()
	for name, c := range map[string]*report.Client{"plain": testClient(testAreas()), "hostile": hostile} {
		for i, s := range c.Sessions {
			var prev []report.Rating
			if i > 0 {
				prev = c.Sessions[i-1].Ratings
			}
			for _, title := range []string{"14 January 2026", "", scriptText} {
				for _, caption := range []string{"Ratings: a (b)", "", funcText} {
					arc := Arc(tw, "chart_arc", c.Client.Areas, testScale, s.Ratings, prev, title)
					arc.Table.Caption = caption
					if got, want := ArcHTML(tw, "chart_arc", c.Client.Areas, testScale, s.Ratings, prev, title, caption), arc.HTML(); got != want {
						t.Errorf("%s session %d, title %q: ArcHTML differs from Arc(tw, ...).HTML():\n got %s\nwant %s", name, i, title, got, want)
					}
					ts := TimeSplit(tw, "chart_time", s.Time, s.BalanceGap, title)
					ts.Table.Caption = caption
					if got, want := TimeSplitHTML(tw, "chart_time", s.Time, s.BalanceGap, title, caption), ts.HTML(); got != want {
						t.Errorf("%s session %d, title %q: TimeSplitHTML differs from TimeSplit(tw, ...).HTML():\n got %s\nwant %s", name, i, title, got, want)
					}
				}
			}
		}
	}
}
