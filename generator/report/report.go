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
	// SessionCount is the number of sessions of the engagement: the length
	// of Sessions, except in a summary, which keeps only some of them (the
	// site's own pages read summaries: see docs/themes.md).
	SessionCount int
	Latest       *Session // the newest session; nil when there is none

	// Ledger lists every commitment of the engagement once, in the order
	// made (session by session, in the order each session lists them), with
	// its history.
	Ledger []*Commitment

	// Open lists the commitments of Ledger still open after the latest
	// session, soonest due first (undated ones last), then in the order made.
	Open []*Commitment

	// Energizers and Drainers count what the sessions named, most frequent
	// first, ties in alphabetical order.
	Energizers []Count
	Drainers   []Count

	Commitments Tally // over Ledger: each commitment once, by its latest status

	// MeanDaysToDone is the mean number of days from the session that made a
	// commitment to the one that marked it done, over the commitments done;
	// 0 when none is.
	MeanDaysToDone float64

	// CadenceDays is the number of days between consecutive sessions
	// (len = len(Sessions)-1); MeanCadence is their mean, 0 with fewer than two
	// sessions.
	CadenceDays []int
	MeanCadence float64

	// Changes is, per area of the client, the first and latest rating and
	// the first and latest time gap; used for the trend summary.
	Changes []AreaChange

	// Summary is a few plain-language sentences computed from the data, for
	// the top of the trend page. Each names a message of the theme's
	// translations and the values it fills in; the theme writes the words.
	Summary []Sentence
}

// Sentence is one sentence of a summary: the key of its message in the
// theme's translation files and the values the message names. Count, when
// the message has plural forms, chooses among them.
type Sentence struct {
	ID     string
	Values map[string]any // numbers as int, float64 or locale.Percent; area labels as strings
}

// Args returns the sentence's values, as locale.Args asks.
func (s Sentence) Args() map[string]any { return s.Values }

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

	// Mentions are the commitments this session states, in its order: the
	// ones it made and the earlier ones it reviewed.
	Mentions []Mention

	// Commitments counts the commitments made in this session by their
	// latest status (each once, however many sessions carried it).
	Commitments Tally
	// LedgerSoFar counts every commitment made up to this session by its
	// status as of this session: the kept rate over time.
	LedgerSoFar Tally

	DaysSincePrev int // 0 for the first session
}

// Made returns the mentions of commitments made in this session.
func (s *Session) Made() []Mention { return s.filter(true) }

// Reviewed returns the mentions of commitments an earlier session made.
func (s *Session) Reviewed() []Mention { return s.filter(false) }

func (s *Session) filter(made bool) []Mention {
	var out []Mention
	for _, m := range s.Mentions {
		if m.Made == made {
			out = append(out, m)
		}
	}
	return out
}

// Mention is a commitment as one session states it.
type Mention struct {
	model.Commitment             // as stated in the session
	Ledger           *Commitment // the commitment, with its whole history
	Made             bool        // this session made it
	// Was is the status before this session ("" when made here), so a page
	// can say what changed: open → done.
	Was string
	// DueMoved says this mention changed the due date an earlier one gave;
	// DueWas is that earlier date (zero if there was none).
	DueMoved bool
	DueWas   model.Date
}

// Commitment is one commitment of a client's ledger and its history, from
// the session that made it to the latest that mentions it.
type Commitment struct {
	ID     string
	Text   string     // as the latest mention states it
	Due    model.Date // as the latest mention states it; zero if none
	Status string     // as the latest mention states it

	Made   *model.Session // the session that made it
	Closed *model.Session // the session that marked it done or dropped; nil while open

	// Sessions lists every session that mentions it, oldest first;
	// Sessions[0] is Made.
	Sessions []*model.Session
	// DueChanges and StatusChanges list each change a later mention made.
	DueChanges    []DueChange
	StatusChanges []StatusChange
}

// DueChange is a due date a session moved.
type DueChange struct {
	Session  *model.Session
	From, To model.Date // zero when there was none / is none
}

// StatusChange is a status a session changed.
type StatusChange struct {
	Session  *model.Session
	From, To string
}

// LastReviewed is the latest session that mentions c.
func (c *Commitment) LastReviewed() *model.Session { return c.Sessions[len(c.Sessions)-1] }

// Reviews is the number of sessions after the one that made c that mention it.
func (c *Commitment) Reviews() int { return len(c.Sessions) - 1 }

// DaysToClose is the number of days from the session that made c to the one
// that closed it; ok is false while c is open.
func (c *Commitment) DaysToClose() (days int, ok bool) {
	if c.Closed == nil {
		return 0, false
	}
	return c.Closed.Date.DaysSince(c.Made.Date), true
}

// AgeOn is the number of days from the session that made c to day. Pages
// leave today's age to the reader's browser: the build never reads the
// calendar.
func (c *Commitment) AgeOn(day model.Date) int { return day.DaysSince(c.Made.Date) }

// OverdueOn reports whether c is open with a due date before day.
func (c *Commitment) OverdueOn(day model.Date) bool {
	return c.Status == model.StatusOpen && !c.Due.IsZero() && c.Due.Before(day.Time)
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
