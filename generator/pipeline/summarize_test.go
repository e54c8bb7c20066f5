package pipeline

import (
	"testing"

	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// TestSummaryKeepsWhatSitePagesRead summarizes each client of the example
// site: the summary counts every session but keeps only the latest and
// those its open commitments name, without notes or mentions, and its
// commitments point only at sessions it keeps.
func TestSummaryKeepsWhatSitePagesRead(t *testing.T) {
	site, err := load.Site("../../content", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rs := report.Derive(site)
	for _, rc := range rs.Clients {
		s := summarize(rc)
		name := rc.Client.Slug
		if s.SessionCount != len(rc.Sessions) || len(rc.Sessions) < 2 {
			t.Fatalf("%s: SessionCount %d of %d sessions", name, s.SessionCount, len(rc.Sessions))
		}
		kept := map[*model.Session]bool{}
		for i, ss := range s.Sessions {
			kept[ss.Session] = true
			if ss.Session.Notes.Client != "" || ss.Session.Notes.Coach != "" || ss.Mentions != nil {
				t.Errorf("%s: session %s keeps its notes or mentions", name, ss.Session.Slug)
			}
			if i > 0 && ss.Index <= s.Sessions[i-1].Index {
				t.Errorf("%s: sessions out of order", name)
			}
			if s.Client.Sessions[i] != ss.Session {
				t.Errorf("%s: the client's sessions and the report's differ", name)
			}
		}
		if s.Latest == nil || s.Sessions[len(s.Sessions)-1] != s.Latest || s.Latest.Index != len(rc.Sessions)-1 {
			t.Fatalf("%s: the latest session is not kept last", name)
		}
		if len(s.Latest.Ratings) != len(rc.Latest.Ratings) || s.Latest.BalanceGap != rc.Latest.BalanceGap {
			t.Errorf("%s: the latest session's figures are not kept", name)
		}
		if s.Client.Intro.Client != "" || s.Ledger != nil || s.Summary != nil {
			t.Errorf("%s: the summary keeps the profile's text, the ledger or the trend summary", name)
		}
		want := map[*model.Session]bool{rc.Latest.Session: true}
		for i, oc := range s.Open {
			if oc.ID != rc.Open[i].ID {
				t.Errorf("%s: open commitment %d is %s, want %s", name, i, oc.ID, rc.Open[i].ID)
			}
			for _, ms := range append([]*model.Session{oc.Made, oc.Closed}, oc.Sessions...) {
				if ms != nil && !kept[ms] {
					t.Errorf("%s: commitment %s names a session the summary does not keep", name, oc.ID)
				}
			}
			for _, ms := range rc.Open[i].Sessions {
				want[ms] = true
			}
		}
		if len(s.Sessions) != len(want) {
			t.Errorf("%s: %d sessions kept, want %d (the latest and those open commitments name)", name, len(s.Sessions), len(want))
		}
	}
}
