// Package report derives the figures a coaching report shows from the loaded
// model: rating changes, balance gaps, commitment tallies, cadence and trends.
// It is the "derive" stage of the pipeline: it reads a *model.Site and never
// changes it. Nothing here depends on the date of the build.
package report

import "github.com/coachsite/coachsite/generator/model"

// Site is the derived view of a whole site.
type Site struct {
	Site    *model.Site
	Clients []*Client // in the order of Site.Clients
}

// Client is everything derived about one engagement.
type Client struct {
	Client   *model.Client
	Sessions []*Session // oldest first, parallel to Client.Sessions
	Latest   *Session   // the newest session; nil when there is none

	// Open lists the commitments still open across all sessions, soonest due
	// first (undated ones last), then by session date.
	Open []OpenCommitment

	// Energizers and Drainers count what the sessions named, most frequent
	// first, ties in alphabetical order.
	Energizers []Count
	Drainers   []Count

	Commitments Tally // over all sessions

	// CadenceDays is the number of days between consecutive sessions
	// (len = len(Sessions)-1); MeanCadence is their mean, 0 with fewer than two
	// sessions.
	CadenceDays []int
	MeanCadence float64

	// Changes is, per area of the client, the first and latest rating and
	// the first and latest time gap; used for the trend summary.
	Changes []AreaChange

	// Summary is a few plain-language sentences computed from the data, for
	// the top of the trend page.
	Summary []string
}

// Session is everything derived about one session.
type Session struct {
	Session *model.Session
	Index   int            // position in Client.Sessions, 0 = first
	Prev    *model.Session // nil for the first session
	Next    *model.Session // nil for the newest session

	// Ratings has one entry per area of the client, in area order, rated or not.
	Ratings []Rating

	// Time has one entry per area of the client when the session gave a time
	// split (HasTime), else it is nil.
	Time       []TimeRow
	HasTime    bool
	BalanceGap float64 // ½·Σ|actual−wished|, percent of time in the wrong place

	Commitments   Tally // commitments made in this session
	DaysSincePrev int   // 0 for the first session
}

// Rating is one area's rating in a session and how it moved.
type Rating struct {
	Area  model.Area
	Value int
	Rated bool // false when the session did not rate this area

	// Prev is the rating of the most recent earlier session that rated the
	// area; First the rating of the earliest session that did.
	Prev, First           int
	HasPrev, HasFirst     bool
	DeltaPrev, DeltaFirst int // Value-Prev and Value-First, valid when Rated and HasPrev/HasFirst
}

// TimeRow is one area's share of time in a session.
type TimeRow struct {
	Area           model.Area
	Actual, Wished int
	Gap            int // Wished - Actual: positive means the client wants more time there
}

// Tally counts commitments by status.
type Tally struct {
	Done, Dropped, Open int
}

// Total is the number of commitments counted.
func (t Tally) Total() int { return t.Done + t.Dropped + t.Open }

// KeptRate is Done / (Done + Dropped), the share of settled commitments that
// were kept; ok is false when none is settled yet.
func (t Tally) KeptRate() (rate float64, ok bool) {
	settled := t.Done + t.Dropped
	if settled == 0 {
		return 0, false
	}
	return float64(t.Done) / float64(settled), true
}

// OpenCommitment is an open commitment and the session it was made in.
type OpenCommitment struct {
	model.Commitment
	Session *model.Session
}

// Count is a phrase and how many sessions named it.
type Count struct {
	Text string
	N    int
}

// AreaChange summarises how one area moved over the whole engagement.
type AreaChange struct {
	Area                model.Area
	FirstRating, Latest int
	Rated               bool // at least one session rated the area
	FirstGap, LatestGap int  // |actual-wished| in the first and latest session with a time split
	HasGap              bool
}
