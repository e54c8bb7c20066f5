package pipeline

import (
	"reflect"
	"testing"

	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// TestSummaryKeepsWhatSitePagesRead summarizes each client of the example
// site: the summary counts every session but keeps only the latest as a
// session of its report, without notes or mentions; its open commitments
// name slim copies of the sessions they name (slug, title, date, duration,
// format; no notes, no file path), never the sessions of the full report.
func TestSummaryKeepsWhatSitePagesRead(t *testing.T) {
	site, err := load.Site("../../content", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rs := report.Derive(site)
	named := 0
	for _, rc := range rs.Clients {
		s := summarize(rc)
		name := rc.Client.Slug
		profile := *rc.Client // as a run opens it: no sessions, no text
		profile.Sessions, profile.Intro = nil, model.Notes{}
		if s.SessionCount != len(rc.Sessions) || len(rc.Sessions) < 2 {
			t.Fatalf("%s: SessionCount %d of %d sessions", name, s.SessionCount, len(rc.Sessions))
		}
		if s.Latest == nil || len(s.Sessions) != 1 || s.Sessions[0] != s.Latest || len(s.Client.Sessions) != 1 || s.Client.Sessions[0] != s.Latest.Session {
			t.Fatalf("%s: the summary keeps %d sessions, want the latest alone", name, len(s.Sessions))
		}
		if s.Latest.Index != len(rc.Sessions)-1 || s.Latest.Mentions != nil || s.Latest.Prev != nil || s.Latest.Next != nil {
			t.Errorf("%s: the latest session keeps its mentions or neighbours, or lost its index", name)
		}
		if !reflect.DeepEqual(s.Latest.Ratings, rc.Latest.Ratings) || !reflect.DeepEqual(s.Latest.Time, rc.Latest.Time) ||
			s.Latest.BalanceGap != rc.Latest.BalanceGap || s.Latest.HasTime != rc.Latest.HasTime || s.Latest.DaysSincePrev != rc.Latest.DaysSincePrev ||
			s.Latest.Commitments != rc.Latest.Commitments || s.Latest.LedgerSoFar != rc.Latest.LedgerSoFar {
			t.Errorf("%s: the latest session's figures are not kept", name)
		}
		if !reflect.DeepEqual(s, pack(rc, &profile).unpack()) {
			t.Errorf("%s: a brief of the report, with the profile as opened, does not make the same summary", name)
		}
		if s.Client.Intro.Client != "" || s.Client.Intro.Coach != "" || s.Ledger != nil || s.Summary != nil || s.Energizers != nil || s.CadenceDays != nil {
			t.Errorf("%s: the summary keeps the profile's text, the ledger, the trend summary or the cadence", name)
		}
		if s.Client.Name != rc.Client.Name || s.Commitments != rc.Commitments || s.MeanCadence != rc.MeanCadence || s.MeanDaysToDone != rc.MeanDaysToDone {
			t.Errorf("%s: the summary lost the profile or the tallies", name)
		}
		full := map[*model.Session]bool{}
		for _, ss := range rc.Sessions {
			full[ss.Session] = true
		}
		slim := func(what string, sm, m *model.Session) {
			t.Helper()
			if (sm == nil) != (m == nil) {
				t.Errorf("%s: %s: kept %v, want %v", name, what, sm != nil, m != nil)
				return
			}
			if sm == nil {
				return
			}
			named++
			if full[sm] {
				t.Errorf("%s: %s is the full session %s, notes and all", name, what, m.Slug)
			}
			if sm.Slug != m.Slug || sm.Title != m.Title || !sm.Date.Equal(m.Date.Time) || sm.Duration != m.Duration || sm.Format != m.Format {
				t.Errorf("%s: %s: slim session %+v does not match %s", name, what, sm, m.Slug)
			}
			if sm.Notes != (model.Notes{}) || sm.Path != "" || sm.Ratings != nil || sm.Commitments != nil {
				t.Errorf("%s: %s: slim session %s keeps notes, path, ratings or commitments", name, what, sm.Slug)
			}
		}
		slim("latest", s.Latest.Session, rc.Latest.Session)
		if len(s.Open) != len(rc.Open) {
			t.Fatalf("%s: %d open commitments, want %d", name, len(s.Open), len(rc.Open))
		}
		for i, oc := range s.Open {
			want := rc.Open[i]
			if oc.ID != want.ID || oc.Text != want.Text || oc.Status != want.Status || !oc.Due.Equal(want.Due.Time) {
				t.Errorf("%s: open commitment %d is %s, want %s", name, i, oc.ID, want.ID)
			}
			slim(oc.ID+" made", oc.Made, want.Made)
			slim(oc.ID+" closed", oc.Closed, want.Closed)
			if len(oc.Sessions) != len(want.Sessions) || oc.Reviews() != want.Reviews() {
				t.Fatalf("%s: %s names %d sessions, want %d", name, oc.ID, len(oc.Sessions), len(want.Sessions))
			}
			for j := range oc.Sessions {
				slim(oc.ID+" session", oc.Sessions[j], want.Sessions[j])
			}
			if len(oc.DueChanges) != len(want.DueChanges) || len(oc.StatusChanges) != len(want.StatusChanges) {
				t.Errorf("%s: %s lost its history", name, oc.ID)
			}
			for j := range oc.DueChanges {
				slim(oc.ID+" due change", oc.DueChanges[j].Session, want.DueChanges[j].Session)
			}
			for j := range oc.StatusChanges {
				slim(oc.ID+" status change", oc.StatusChanges[j].Session, want.StatusChanges[j].Session)
			}
			if oc.Made != oc.Sessions[0] {
				t.Errorf("%s: %s: Made is not the first session it names", name, oc.ID)
			}
		}
	}
	if named == 0 {
		t.Fatal("no session kept: the example site has no open commitments to check against")
	}
}

// TestBriefKnowsEveryField pins the fields of the report types a summary
// keeps. brief.go packs them field by field, so a field added to one of
// them would be dropped from the home page's and the dashboard's
// summaries without a word: when this fails, decide whether brief.go
// must keep the new field (and test it above), then update the list.
func TestBriefKnowsEveryField(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want []string
	}{
		{report.Client{}, []string{"Client", "Sessions", "SessionCount", "Latest", "Ledger", "Open", "Energizers", "Drainers", "Commitments", "MeanDaysToDone", "CadenceDays", "MeanCadence", "Changes", "Summary"}},
		{report.Session{}, []string{"Session", "Index", "Prev", "Next", "Ratings", "Time", "HasTime", "BalanceGap", "Mentions", "Commitments", "LedgerSoFar", "DaysSincePrev"}},
		{report.Rating{}, []string{"Area", "Value", "Rated", "Prev", "First", "HasPrev", "HasFirst", "DeltaPrev", "DeltaFirst"}},
		{report.TimeRow{}, []string{"Area", "Actual", "Wished", "Gap"}},
		{report.Commitment{}, []string{"ID", "Text", "Due", "Status", "Made", "Closed", "Sessions", "DueChanges", "StatusChanges"}},
	} {
		ty := reflect.TypeOf(tc.v)
		var got []string
		for i := range ty.NumField() {
			got = append(got, ty.Field(i).Name)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("report.%s has the fields %v, brief.go was written for %v: see whether a summary must keep the new ones", ty.Name(), got, tc.want)
		}
	}
}
