package report

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/model"
)

var testAreas = []model.Area{
	{Key: "vision", Label: "Vision", Color: "#0072b2"},
	{Key: "service", Label: "Service", Color: "#e69f00"},
	{Key: "accountability", Label: "Accountability", Color: "#009e73"},
}

func day(m time.Month, d int) model.Date { return model.NewDate(2026, m, d) }

func testSite() *model.Site {
	c := &model.Client{Slug: "kim", Name: "Kim", Areas: testAreas}
	c.Sessions = []*model.Session{
		{
			Slug: "2026-01-14", Date: day(1, 14),
			Ratings: map[string]int{"vision": 3, "service": 8},
			Time: map[string]model.TimeShare{
				"vision": {Actual: 10, Wished: 30}, "service": {Actual: 70, Wished: 50}, "accountability": {Actual: 20, Wished: 20},
			},
			Commitments: []model.Commitment{
				{Text: "late", Status: model.StatusOpen},
				{Text: "a", Due: day(1, 30), Status: model.StatusOpen},
				{Text: "b", Status: model.StatusDone},
			},
			Energizers: []string{"walks", "interviews", "walks"},
			Drainers:   []string{"budget"},
		},
		{
			Slug: "2026-02-11", Date: day(2, 11),
			Ratings: map[string]int{"vision": 5, "accountability": 6},
			Commitments: []model.Commitment{
				{Text: "c", Due: day(1, 20), Status: model.StatusOpen},
				{Text: "d", Status: model.StatusDropped},
			},
			Energizers: []string{"interviews"},
			Drainers:   []string{"budget", "email"},
		},
		{
			Slug: "2026-03-04", Date: day(3, 4),
			Ratings: map[string]int{"vision": 7, "service": 6, "accountability": 4},
			Time: map[string]model.TimeShare{
				"vision": {Actual: 25, Wished: 30}, "service": {Actual: 50, Wished: 50}, "accountability": {Actual: 25, Wished: 20},
			},
			Energizers: []string{"walks", "board"},
		},
	}
	return &model.Site{Title: "T", Areas: testAreas, Scale: model.Scale{Min: 1, Max: 9}, Clients: []*model.Client{c}}
}

func TestDeriveRatings(t *testing.T) {
	r := Derive(testSite())
	c := r.Clients[0]
	if len(c.Sessions) != 3 || c.Latest != c.Sessions[2] {
		t.Fatalf("sessions/latest wrong: %d", len(c.Sessions))
	}
	s0, s1, s2 := c.Sessions[0], c.Sessions[1], c.Sessions[2]
	if s0.Prev != nil || s0.Next != s1.Session || s2.Next != nil || s2.Prev != s1.Session {
		t.Error("prev/next links wrong")
	}
	if s0.Ratings[0].HasPrev || s0.Ratings[0].HasFirst {
		t.Error("first rating must have no previous")
	}
	// Service: rated 8 in session 0, skipped in 1, 6 in 2: delta vs the most
	// recent session that rated it.
	sv := s2.Ratings[1]
	if sv.Area.Key != "service" || !sv.Rated || !sv.HasPrev || sv.Prev != 8 || sv.DeltaPrev != -2 || sv.DeltaFirst != -2 {
		t.Errorf("service in session 3 = %+v", sv)
	}
	if r := s1.Ratings[1]; r.Rated || !r.HasPrev || r.Prev != 8 {
		t.Errorf("unrated service in session 2 = %+v", r)
	}
	v := s2.Ratings[0]
	if v.Prev != 5 || v.First != 3 || v.DeltaPrev != 2 || v.DeltaFirst != 4 {
		t.Errorf("vision in session 3 = %+v", v)
	}
	// Accountability first rated in session 2.
	if a := s1.Ratings[2]; !a.Rated || a.HasFirst {
		t.Errorf("accountability in session 2 = %+v", a)
	}
	if a := s2.Ratings[2]; a.First != 6 || a.DeltaFirst != -2 {
		t.Errorf("accountability in session 3 = %+v", a)
	}
}

func TestDeriveTimeAndTallies(t *testing.T) {
	c := Derive(testSite()).Clients[0]
	s0, s1, s2 := c.Sessions[0], c.Sessions[1], c.Sessions[2]
	if !s0.HasTime || s0.BalanceGap != 20 || s1.HasTime || s1.Time != nil || s2.BalanceGap != 5 {
		t.Errorf("balance gaps %v %v %v", s0.BalanceGap, s1.BalanceGap, s2.BalanceGap)
	}
	if g := s0.Time[0]; g.Area.Key != "vision" || g.Gap != 20 || g.Actual != 10 {
		t.Errorf("time row = %+v", g)
	}
	if s0.Commitments != (Tally{Done: 1, Open: 2}) || c.Commitments != (Tally{Done: 1, Dropped: 1, Open: 3}) {
		t.Errorf("tallies %+v %+v", s0.Commitments, c.Commitments)
	}
	var open []string
	for _, o := range c.Open {
		open = append(open, o.Text)
	}
	if want := []string{"c", "a", "late"}; !reflect.DeepEqual(open, want) {
		t.Errorf("open = %v, want %v", open, want)
	}
	if want := []int{28, 21}; !reflect.DeepEqual(c.CadenceDays, want) || c.MeanCadence != 24.5 {
		t.Errorf("cadence %v %v", c.CadenceDays, c.MeanCadence)
	}
	if s1.DaysSincePrev != 28 || s0.DaysSincePrev != 0 {
		t.Error("DaysSincePrev wrong")
	}
	// "walks" twice in one session counts once per session.
	want := []Count{{"interviews", 2}, {"walks", 2}, {"board", 1}}
	if !reflect.DeepEqual(c.Energizers, want) {
		t.Errorf("energizers = %v", c.Energizers)
	}
	if want := []Count{{"budget", 2}, {"email", 1}}; !reflect.DeepEqual(c.Drainers, want) {
		t.Errorf("drainers = %v", c.Drainers)
	}
	ch := c.Changes[0]
	if !ch.Rated || ch.FirstRating != 3 || ch.Latest != 7 || !ch.HasGap || ch.FirstGap != 20 || ch.LatestGap != 5 {
		t.Errorf("vision change = %+v", ch)
	}
}

func TestSummary(t *testing.T) {
	c := Derive(testSite()).Clients[0]
	got := sentences(c.Summary)
	for _, want := range []string{"summary_cadence Count=3", "summary_rose_most Area=Vision From=3 To=7", "summary_fell_by Area=Service Count=2", "summary_gap_narrowed From=20 To=5"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary %q lacks %q", got, want)
		}
	}
	if n := len(c.Summary); n < 2 || n > 4 {
		t.Errorf("summary has %d sentences", n)
	}
}

// sentences writes a summary as its message keys and values, e.g.
// "summary_fell_by Area=Service Count=2", one sentence a line: the words
// are the theme's (the render tests check them).
func sentences(ss []Sentence) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.ID)
		keys := make([]string, 0, len(s.Values))
		for k := range s.Values {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%v", k, s.Values[k])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestFewSessions(t *testing.T) {
	s := testSite()
	s.Clients[0].Sessions = s.Clients[0].Sessions[:1]
	s.Clients = append(s.Clients, &model.Client{Slug: "none", Areas: s.Areas}) // loading gives every client areas
	r := Derive(s)
	one, none := r.Clients[0], r.Clients[1]
	if one.MeanCadence != 0 || len(one.CadenceDays) != 0 || one.Latest == nil {
		t.Error("one session: cadence or latest wrong")
	}
	if got := sentences(one.Summary); !strings.Contains(got, "summary_high_low High=Service HighValue=8 Low=Vision LowValue=3") || !strings.Contains(got, "summary_gap_is Gap=20") {
		t.Errorf("one-session summary %q", got)
	}
	if none.Latest != nil || len(none.Summary) != 1 || len(none.Changes) != len(testAreas) || none.Open != nil {
		t.Errorf("no-session client = %+v", none)
	}
}

func TestDeriveDoesNotChangeModel(t *testing.T) {
	s := testSite()
	before := *s.Clients[0].Sessions[0]
	Derive(s)
	if !reflect.DeepEqual(before, *s.Clients[0].Sessions[0]) {
		t.Error("Derive changed the model")
	}
}
