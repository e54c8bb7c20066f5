package report

import (
	"math"
	"sort"

	"github.com/coachsite/coachsite/generator/locale"
	"github.com/coachsite/coachsite/generator/model"
)

// Derive computes the report of every client of s. It reads s and never
// changes it; the result points into s.
func Derive(s *model.Site) *Site {
	out := &Site{Site: s, Clients: make([]*Client, len(s.Clients))}
	for i, c := range s.Clients {
		out.Clients[i] = DeriveClient(s, c)
	}
	return out
}

// DeriveClient computes the report of one client of s, so a rebuild after an
// edit can derive only the client it touched.
func DeriveClient(s *model.Site, c *model.Client) *Client {
	areas := c.Areas
	rc := &Client{Client: c, Sessions: make([]*Session, len(c.Sessions)), SessionCount: len(c.Sessions)}

	// last and first rating seen so far per area, while walking oldest first.
	type seen struct{ first, last int }
	rated := make(map[string]seen, len(areas))

	for i, ms := range c.Sessions {
		rs := &Session{Session: ms, Index: i}
		if i > 0 {
			rs.Prev = c.Sessions[i-1]
			rs.DaysSincePrev = ms.Date.DaysSince(c.Sessions[i-1].Date)
			rc.CadenceDays = append(rc.CadenceDays, rs.DaysSincePrev)
		}
		if i+1 < len(c.Sessions) {
			rs.Next = c.Sessions[i+1]
		}

		rs.Ratings = make([]Rating, len(areas))
		for j, a := range areas {
			r := Rating{Area: a}
			r.Value, r.Rated = ms.RatingOf(a.Key)
			if p, ok := rated[a.Key]; ok {
				r.Prev, r.HasPrev = p.last, true
				r.First, r.HasFirst = p.first, true
				if r.Rated {
					r.DeltaPrev = r.Value - r.Prev
					r.DeltaFirst = r.Value - r.First
				}
			}
			if r.Rated {
				p, ok := rated[a.Key]
				if !ok {
					p.first = r.Value
				}
				p.last = r.Value
				rated[a.Key] = p
			}
			rs.Ratings[j] = r
		}

		if len(ms.Time) > 0 {
			rs.HasTime = true
			rs.Time = make([]TimeRow, len(areas))
			for j, a := range areas {
				t := ms.Time[a.Key]
				rs.Time[j] = TimeRow{Area: a, Actual: t.Actual, Wished: t.Wished, Gap: t.Wished - t.Actual}
			}
			rs.BalanceGap = BalanceGap(ms.Time)
		}

		rc.Sessions[i] = rs
	}
	if n := len(rc.Sessions); n > 0 {
		rc.Latest = rc.Sessions[n-1]
	}
	deriveLedger(rc)

	rc.Energizers = countPhrases(c.Sessions, func(s *model.Session) []string { return s.Energizers })
	rc.Drainers = countPhrases(c.Sessions, func(s *model.Session) []string { return s.Drainers })

	if len(rc.CadenceDays) > 0 {
		sum := 0
		for _, d := range rc.CadenceDays {
			sum += d
		}
		rc.MeanCadence = float64(sum) / float64(len(rc.CadenceDays))
	}

	rc.Changes = areaChanges(areas, c.Sessions)
	rc.Summary = summarize(rc)
	return rc
}

// deriveLedger builds the client's commitments, each once, from the
// sessions' mentions (grouped by the ID load gave them), with their history
// and the tallies built on them.
func deriveLedger(rc *Client) {
	byID := map[string]*Commitment{}
	made := map[*Commitment]*Session{}
	for _, rs := range rc.Sessions {
		ms := rs.Session
		rs.Mentions = make([]Mention, len(ms.Commitments))
		for j, cm := range ms.Commitments {
			c := byID[cm.ID]
			m := Mention{Commitment: cm, Ledger: c}
			if c == nil || cm.ID == "" {
				c = &Commitment{ID: cm.ID, Made: ms}
				if cm.ID != "" {
					byID[cm.ID] = c
				}
				rc.Ledger = append(rc.Ledger, c)
				made[c] = rs
				m.Ledger, m.Made = c, true
			} else {
				m.Was = c.Status
				if !cm.Due.Equal(c.Due.Time) {
					m.DueMoved, m.DueWas = true, c.Due
					c.DueChanges = append(c.DueChanges, DueChange{Session: ms, From: c.Due, To: cm.Due})
				}
				if cm.Status != c.Status {
					c.StatusChanges = append(c.StatusChanges, StatusChange{Session: ms, From: c.Status, To: cm.Status})
				}
			}
			c.Text, c.Due, c.Status = cm.Text, cm.Due, cm.Status
			c.Sessions = append(c.Sessions, ms)
			switch {
			case cm.Status == model.StatusOpen:
				c.Closed = nil
			case c.Closed == nil:
				c.Closed = ms // closed on the first session that settled it
			}
			rs.Mentions[j] = m
		}
		for _, c := range rc.Ledger {
			rs.LedgerSoFar.add(c.Status)
		}
	}

	daysToDone := 0
	for _, c := range rc.Ledger {
		rc.Commitments.add(c.Status)
		made[c].Commitments.add(c.Status)
		if c.Status == model.StatusOpen {
			rc.Open = append(rc.Open, c)
		}
		if d, ok := c.DaysToClose(); ok && c.Status == model.StatusDone {
			daysToDone += d
		}
	}
	if rc.Commitments.Done > 0 {
		rc.MeanDaysToDone = float64(daysToDone) / float64(rc.Commitments.Done)
	}
	sort.SliceStable(rc.Open, func(i, j int) bool {
		a, b := rc.Open[i], rc.Open[j]
		if a.Due.IsZero() != b.Due.IsZero() {
			return b.Due.IsZero()
		}
		return a.Due.Before(b.Due.Time)
	})
}

// BalanceGap returns ½·Σ|actual−wished| over a session's time split: the
// percentage of time spent in the wrong place.
func BalanceGap(t map[string]model.TimeShare) float64 {
	sum := 0
	for _, v := range t {
		sum += abs(v.Actual - v.Wished)
	}
	return float64(sum) / 2
}

func (t *Tally) add(status string) {
	switch status {
	case model.StatusDone:
		t.Done++
	case model.StatusDropped:
		t.Dropped++
	default:
		t.Open++
	}
}

// countPhrases counts in how many sessions each phrase appears, most
// frequent first, ties alphabetical.
func countPhrases(sessions []*model.Session, get func(*model.Session) []string) []Count {
	n := map[string]int{}
	for _, s := range sessions {
		list := get(s)
		for i, p := range list {
			dup := false
			for _, q := range list[:i] {
				if q == p {
					dup = true
					break
				}
			}
			if !dup {
				n[p]++
			}
		}
	}
	if len(n) == 0 {
		return nil
	}
	out := make([]Count, 0, len(n))
	for p, k := range n {
		out = append(out, Count{Text: p, N: k})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Text < out[j].Text
	})
	return out
}

func areaChanges(areas []model.Area, sessions []*model.Session) []AreaChange {
	out := make([]AreaChange, len(areas))
	for i, a := range areas {
		ch := AreaChange{Area: a}
		for _, s := range sessions {
			if v, ok := s.Ratings[a.Key]; ok {
				if !ch.Rated {
					ch.FirstRating, ch.Rated = v, true
				}
				ch.Latest = v
			}
			if len(s.Time) > 0 {
				t := s.Time[a.Key]
				g := abs(t.Actual - t.Wished)
				if !ch.HasGap {
					ch.FirstGap, ch.HasGap = g, true
				}
				ch.LatestGap = g
			}
		}
		out[i] = ch
	}
	return out
}

// summarize picks two to four plain sentences about the engagement; the
// theme's translations word them.
func summarize(c *Client) []Sentence {
	n := len(c.Sessions)
	if n == 0 {
		return []Sentence{{ID: "summary_none"}}
	}
	type v = map[string]any
	var out []Sentence
	add := func(id string, values v) { out = append(out, Sentence{ID: id, Values: values}) }
	if n == 1 {
		add("summary_one_session", nil)
		if hi, lo, ok := extremes(c.Latest.Ratings); ok {
			if hi.Value == lo.Value {
				add("summary_all_same", v{"Count": hi.Value})
			} else {
				add("summary_high_low", v{"High": hi.Area.Label, "HighValue": hi.Value, "Low": lo.Area.Label, "LowValue": lo.Value})
			}
		}
		if c.Latest.HasTime {
			add("summary_gap_is", v{"Gap": locale.Percent(round1(c.Latest.BalanceGap))})
		}
		return out
	}

	add("summary_cadence", v{"Count": n, "Days": round1(c.MeanCadence)})

	// Biggest rise and biggest fall since the first rating.
	var up, down *AreaChange
	for i := range c.Changes {
		ch := &c.Changes[i]
		if !ch.Rated {
			continue
		}
		d := ch.Latest - ch.FirstRating
		if d > 0 && (up == nil || d > up.Latest-up.FirstRating) {
			up = ch
		}
		if d < 0 && (down == nil || d < down.Latest-down.FirstRating) {
			down = ch
		}
	}
	switch {
	case up != nil && down != nil:
		add("summary_rose_most", v{"Area": up.Area.Name(), "From": up.FirstRating, "To": up.Latest})
		add("summary_fell_by", v{"Area": down.Area.Name(), "Count": down.FirstRating - down.Latest})
	case up != nil:
		add("summary_rose_none_fell", v{"Area": up.Area.Name(), "From": up.FirstRating, "To": up.Latest})
	case down != nil:
		add("summary_none_rose", v{"Area": down.Area.Name(), "From": down.FirstRating, "To": down.Latest})
	default:
		add("summary_unchanged", nil)
	}

	// Balance gap: first and latest session that gave a time split.
	var first, last *Session
	for _, s := range c.Sessions {
		if s.HasTime {
			if first == nil {
				first = s
			}
			last = s
		}
	}
	if first != nil && first != last && len(out) < 4 {
		a, b := round1(first.BalanceGap), round1(last.BalanceGap)
		switch {
		case b < a:
			add("summary_gap_narrowed", v{"From": locale.Percent(a), "To": locale.Percent(b)})
		case b > a:
			add("summary_gap_widened", v{"From": locale.Percent(a), "To": locale.Percent(b)})
		default:
			add("summary_gap_held", v{"Gap": locale.Percent(b)})
		}
	}
	return out
}

// extremes returns the highest and lowest rated entries, earliest area first
// on ties.
func extremes(rs []Rating) (hi, lo Rating, ok bool) {
	for _, r := range rs {
		if !r.Rated {
			continue
		}
		if !ok || r.Value > hi.Value {
			hi = r
		}
		if !ok || r.Value < lo.Value {
			lo = r
		}
		ok = true
	}
	hi.Area.Label, lo.Area.Label = hi.Area.Name(), lo.Area.Name()
	return hi, lo, ok
}

// round1 rounds f to one decimal, as the sentences show it.
func round1(f float64) float64 { return math.Round(f*10) / 10 }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
