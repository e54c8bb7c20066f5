package chart

import (
	"strconv"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// trendVariant is a client to draw the trend charts of.
type trendVariant struct {
	name  string
	c     *report.Client
	scale model.Scale
}

// trendVariants returns clients whose trend charts differ in shape and
// text: hostile labels and names, an area never rated, one session, no time
// split, many areas, another scale, odd balance gaps and a missing label.
func trendVariants() []trendVariant {
	hostile := testAreas()
	hostile[0].Label = scriptText
	hostile[1].Label = funcText + ` "@@hole:3@@" é` + "\u2028"
	hc := testClient(hostile)
	hc.Client.Name = scriptText

	unrated := testClient(testAreas())
	for _, s := range unrated.Sessions {
		s.Ratings[3].Rated = false
		s.Ratings[3].Value = 0
	}

	one := testClient(testAreas())
	one.Sessions = one.Sessions[:1]
	one.CadenceDays, one.MeanCadence = nil, 0

	noTime := testClient(testAreas())
	for _, s := range noTime.Sessions {
		s.Time, s.HasTime, s.BalanceGap = nil, false, 0
	}

	var many []model.Area
	for i := range 11 {
		many = append(many, model.Area{Key: "area" + strconv.Itoa(i), Label: "Area " + strconv.Itoa(i)})
	}
	many[4].Color = "url(x)"
	many[5].Color = "rebeccapurple"
	many[6].Label = ""
	mc := longClient(testAreas(), 20)
	mcl := *mc.Client
	mcl.Areas = many
	mc.Client = &mcl
	for i, s := range mc.Sessions {
		vals := map[string]int{}
		for j := range many {
			if (i+j)%5 != 0 {
				vals[many[j].Key] = (i + j) % 11
			}
		}
		s.Ratings = ratings(many, vals)
		s.Time = timeRows(many, make([]int, len(many)), make([]int, len(many)))
		s.Time[i%len(many)].Actual, s.Time[(i+1)%len(many)].Wished = 100, 100
		s.HasTime, s.BalanceGap = i%3 != 1, float64(i)/3
		s.Commitments = report.Tally{Done: i % 4, Dropped: i % 3, Open: i % 2}
	}
	mc.MeanCadence = 6.666666666666667

	long := longClient(testAreas(), 20)
	long.Sessions[0].Commitments = report.Tally{Open: 3}

	return []trendVariant{
		{"plain", testClient(testAreas()), testScale},
		{"hostile", hc, testScale},
		{"unrated", unrated, testScale},
		{"one session", one, testScale},
		{"no time split", noTime, testScale},
		{"many areas", mc, model.Scale{Min: 0, Max: 10}},
		{"twenty sessions", long, testScale},
	}
}
