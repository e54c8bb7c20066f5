package chart

import (
	"time"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// Hostile strings every text field of a chart must carry as inert data.
const (
	scriptText = `</script><script>alert(1)</script>`
	funcText   = `__f__alert(1)__f__`
)

var testScale = model.Scale{Min: 1, Max: 9}

func testAreas() []model.Area {
	return []model.Area{
		{Key: "vision", Label: "Vision", Color: "#0072b2"},
		{Key: "service", Label: "Service", Color: "#e69f00"},
		{Key: "accountability", Label: "Accountability", Color: "#009e73"},
		{Key: "community", Label: "Community", Color: "#cc79a7"},
	}
}

// ratings builds a session's ratings in area order; a missing key is not rated.
func ratings(areas []model.Area, vals map[string]int) []report.Rating {
	rs := make([]report.Rating, len(areas))
	for i, a := range areas {
		v, ok := vals[a.Key]
		rs[i] = report.Rating{Area: a, Value: v, Rated: ok}
	}
	return rs
}

func timeRows(areas []model.Area, actual, wished []int) []report.TimeRow {
	rows := make([]report.TimeRow, len(areas))
	for i, a := range areas {
		rows[i] = report.TimeRow{Area: a, Actual: actual[i], Wished: wished[i], Gap: wished[i] - actual[i]}
	}
	return rows
}

func gapOf(rows []report.TimeRow) float64 {
	sum := 0
	for _, r := range rows {
		d := r.Actual - r.Wished
		if d < 0 {
			d = -d
		}
		sum += d
	}
	return float64(sum) / 2
}

// testClient builds a derived client by hand (report.Derive is not used, so
// these tests do not depend on it): three sessions, the second one not
// rating community and giving no time split.
func testClient(areas []model.Area) *report.Client {
	mc := &model.Client{Slug: "ada", Name: "Ada", Areas: areas}
	dates := []model.Date{
		model.NewDate(2026, time.January, 14),
		model.NewDate(2026, time.February, 11),
		model.NewDate(2026, time.March, 25),
	}
	vals := []map[string]int{
		{"vision": 4, "service": 8, "accountability": 7, "community": 4},
		{"vision": 5, "service": 7, "accountability": 7},
		{"vision": 7, "service": 6, "accountability": 8, "community": 5},
	}
	times := [][2][]int{
		{{10, 50, 25, 15}, {25, 35, 20, 20}},
		{},
		{{20, 40, 25, 15}, {25, 35, 20, 20}},
	}
	tallies := []report.Tally{{Done: 2, Dropped: 1}, {Done: 1, Open: 1}, {Open: 2}}
	c := &report.Client{Client: mc}
	var soFar report.Tally // no commitment is carried: the ledger is the sum so far
	for i, d := range dates {
		ms := &model.Session{Slug: d.String(), Date: d, Title: "Session " + d.String()}
		mc.Sessions = append(mc.Sessions, ms)
		soFar.Done, soFar.Dropped, soFar.Open = soFar.Done+tallies[i].Done, soFar.Dropped+tallies[i].Dropped, soFar.Open+tallies[i].Open
		s := &report.Session{Session: ms, Index: i, Ratings: ratings(areas, vals[i]), Commitments: tallies[i], LedgerSoFar: soFar}
		if times[i][0] != nil {
			s.Time = timeRows(areas, times[i][0], times[i][1])
			s.HasTime = true
			s.BalanceGap = gapOf(s.Time)
		}
		if i > 0 {
			s.DaysSincePrev = d.DaysSince(dates[i-1])
			c.CadenceDays = append(c.CadenceDays, s.DaysSincePrev)
		}
		c.Sessions = append(c.Sessions, s)
	}
	sum := 0
	for _, d := range c.CadenceDays {
		sum += d
	}
	c.MeanCadence = float64(sum) / float64(len(c.CadenceDays))
	c.Latest = c.Sessions[len(c.Sessions)-1]
	return c
}
