package pipeline

import (
	"strings"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// brief is a client's summary (see summarize) as a run holds it while the
// other clients stream: the same values, packed. The profile is the site's
// own (no copy); the sessions kept are values referred to by index, not
// whole model.Sessions; the latest session's ratings and time split are
// numbers, their areas being the profile's, in order. It takes about a
// third of the memory of the summary it stands for, which unpack makes
// again when the site's own pages are rendered, once no client is in
// flight.
type brief struct {
	profile  *model.Client // Intro and Sessions are not read
	sessions []briefSession
	count    int
	tally    report.Tally
	meanDone float64
	cadence  float64
	latest   *briefLatest // nil without sessions
	open     []briefCommitment
}

// briefSession is a session the summary keeps: the latest, or one an open
// commitment names.
type briefSession struct {
	slug, title, format string
	date                model.Date
	duration            int
	draft               bool
}

// briefLatest is the latest session's report; its session is sessions[0].
type briefLatest struct {
	index, daysSincePrev int
	hasTime              bool
	gap                  float64
	made, soFar          report.Tally
	ratings              []briefRating // one per area of the profile
	time                 []briefTime   // one per area of the profile; nil without a time split
}

type briefRating struct {
	value, prev, first, deltaPrev, deltaFirst int32
	rated, hasPrev, hasFirst                  bool
}

type briefTime struct {
	actual, wished, gap int32
}

// briefCommitment is an open commitment; sessions are indexes into
// brief.sessions, -1 for none.
type briefCommitment struct {
	id, text, status string
	due              model.Date
	made, closed     int32
	sessions         []int32
	dueChanges       []briefDue    // nil when the report's is
	statusChanges    []briefStatus // nil when the report's is
}

type briefDue struct {
	session  int32
	from, to model.Date
}

type briefStatus struct {
	session  int32
	from, to string
}

// pack returns the brief of rc, whose profile (the same client, its
// sessions and text aside) is profile; the brief keeps profile, and
// nothing of rc.
func pack(rc *report.Client, profile *model.Client) *brief {
	b := &brief{profile: profile, count: rc.SessionCount, tally: rc.Commitments, meanDone: rc.MeanDaysToDone, cadence: rc.MeanCadence}
	index := map[*model.Session]int32{}
	keep := func(m *model.Session) int32 {
		if m == nil {
			return -1
		}
		if i, ok := index[m]; ok {
			return i
		}
		i := int32(len(b.sessions))
		// The slug is cut from the path of the file as listed: a copy
		// lets that go.
		b.sessions = append(b.sessions, briefSession{slug: strings.Clone(m.Slug), title: m.Title, format: m.Format, date: m.Date, duration: m.Duration, draft: m.Draft})
		index[m] = i
		return i
	}
	if l := rc.Latest; l != nil {
		keep(l.Session)
		bl := &briefLatest{index: l.Index, daysSincePrev: l.DaysSincePrev, hasTime: l.HasTime, gap: l.BalanceGap, made: l.Commitments, soFar: l.LedgerSoFar}
		bl.ratings = make([]briefRating, len(l.Ratings))
		for i, r := range l.Ratings {
			bl.ratings[i] = briefRating{int32(r.Value), int32(r.Prev), int32(r.First), int32(r.DeltaPrev), int32(r.DeltaFirst), r.Rated, r.HasPrev, r.HasFirst}
		}
		if l.Time != nil {
			bl.time = make([]briefTime, len(l.Time))
			for i, t := range l.Time {
				bl.time[i] = briefTime{int32(t.Actual), int32(t.Wished), int32(t.Gap)}
			}
		}
		b.latest = bl
	}
	b.open = make([]briefCommitment, len(rc.Open))
	for i, oc := range rc.Open {
		c := briefCommitment{id: oc.ID, text: oc.Text, status: oc.Status, due: oc.Due, made: keep(oc.Made), closed: keep(oc.Closed)}
		c.sessions = make([]int32, len(oc.Sessions))
		for j, ms := range oc.Sessions {
			c.sessions[j] = keep(ms)
		}
		if oc.DueChanges != nil {
			c.dueChanges = make([]briefDue, len(oc.DueChanges))
			for j, d := range oc.DueChanges {
				c.dueChanges[j] = briefDue{keep(d.Session), d.From, d.To}
			}
		}
		if oc.StatusChanges != nil {
			c.statusChanges = make([]briefStatus, len(oc.StatusChanges))
			for j, s := range oc.StatusChanges {
				c.statusChanges[j] = briefStatus{keep(s.Session), s.From, s.To}
			}
		}
		b.open[i] = c
	}
	return b
}

// unpack returns the summary b stands for: what summarize returns.
func (b *brief) unpack() *report.Client {
	s := &report.Client{SessionCount: b.count, Commitments: b.tally, MeanDaysToDone: b.meanDone, MeanCadence: b.cadence}
	mc := *b.profile
	mc.Intro, mc.Sessions = model.Notes{}, nil
	s.Client = &mc
	sessions := make([]model.Session, len(b.sessions)) // one allocation for all
	for i, bs := range b.sessions {
		sessions[i] = model.Session{Slug: bs.slug, Title: bs.title, Date: bs.date, Duration: bs.duration, Format: bs.format, Draft: bs.draft}
	}
	at := func(i int32) *model.Session {
		if i < 0 {
			return nil
		}
		return &sessions[i]
	}
	if bl := b.latest; bl != nil {
		l := &report.Session{Session: at(0), Index: bl.index, HasTime: bl.hasTime, BalanceGap: bl.gap, Commitments: bl.made, LedgerSoFar: bl.soFar, DaysSincePrev: bl.daysSincePrev}
		areas := mc.Areas
		l.Ratings = make([]report.Rating, len(bl.ratings))
		for i, r := range bl.ratings {
			l.Ratings[i] = report.Rating{Area: areas[i], Value: int(r.value), Rated: r.rated, Prev: int(r.prev), First: int(r.first),
				HasPrev: r.hasPrev, HasFirst: r.hasFirst, DeltaPrev: int(r.deltaPrev), DeltaFirst: int(r.deltaFirst)}
		}
		if bl.time != nil {
			l.Time = make([]report.TimeRow, len(bl.time))
			for i, t := range bl.time {
				l.Time[i] = report.TimeRow{Area: areas[i], Actual: int(t.actual), Wished: int(t.wished), Gap: int(t.gap)}
			}
		}
		s.Latest = l
		s.Sessions = []*report.Session{l}
		mc.Sessions = []*model.Session{l.Session}
	}
	s.Open = make([]*report.Commitment, len(b.open))
	for i, bc := range b.open {
		c := &report.Commitment{ID: bc.id, Text: bc.text, Due: bc.due, Status: bc.status, Made: at(bc.made), Closed: at(bc.closed)}
		c.Sessions = make([]*model.Session, len(bc.sessions))
		for j, k := range bc.sessions {
			c.Sessions[j] = at(k)
		}
		if bc.dueChanges != nil {
			c.DueChanges = make([]report.DueChange, len(bc.dueChanges))
			for j, d := range bc.dueChanges {
				c.DueChanges[j] = report.DueChange{Session: at(d.session), From: d.from, To: d.to}
			}
		}
		if bc.statusChanges != nil {
			c.StatusChanges = make([]report.StatusChange, len(bc.statusChanges))
			for j, st := range bc.statusChanges {
				c.StatusChanges[j] = report.StatusChange{Session: at(st.session), From: st.from, To: st.to}
			}
		}
		s.Open[i] = c
	}
	return s
}
