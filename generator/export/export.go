// Package export writes the data of coaching engagements in plain, open
// formats: one data.json with a versioned schema (docs/export.md) and CSV
// files in long format (one row per rating, per time share, per commitment)
// that open cleanly in a spreadsheet.
//
// It reads the derived reports (generator/report) and never changes them.
// The same reports always give the same bytes: keys are written in a fixed
// order and every list in the order of the content.
package export

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// Schema and Version identify the data.json format. Version changes only
// when a field is removed or changes meaning; new fields may be added within
// a version, so readers must ignore fields they do not know. Version 2 counts
// each commitment once across sessions (clients[].commitments, the tally in
// derived) and gives each mention in a session its commitment's id.
const (
	Schema  = "coachsite-export"
	Version = 2
)

// Names of the files an export holds.
const (
	JSONFile        = "data.json"
	RatingsFile     = "ratings.csv"
	TimeFile        = "time.csv"
	CommitmentsFile = "commitments.csv"         // one row per commitment
	MentionsFile    = "commitment_mentions.csv" // one row per commitment each session mentions
)

// File is one file of an export.
type File struct {
	Name string // one of the names above
	Data []byte
}

// Data is the whole of data.json.
type Data struct {
	Schema  string   `json:"schema"`
	Version int      `json:"version"`
	Site    Site     `json:"site"`
	Clients []Client `json:"clients"`
}

// Site is the part of site.yaml an export keeps.
type Site struct {
	Title    string `json:"title"`
	Coach    string `json:"coach"`
	Language string `json:"language"`
	Scale    Scale  `json:"scale"`
}

// Scale is the range ratings are given on.
type Scale struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Client is one engagement.
type Client struct {
	Slug         string    `json:"slug"`
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	Organization string    `json:"organization"`
	Started      *string   `json:"started"` // YYYY-MM-DD or null
	Ended        *string   `json:"ended"`   // YYYY-MM-DD or null while ongoing
	Goals        []string  `json:"goals"`
	Areas        []Area    `json:"areas"`
	Sessions     []Session `json:"sessions"`
	// Commitments is the engagement's ledger: each commitment once, in the
	// order made, as its latest mention states it.
	Commitments []LedgerCommitment `json:"commitments"`
	Derived     Derived            `json:"derived"`
}

// Area is one area of the client's circle, in drawing order.
type Area struct {
	Key         string `json:"key"`
	Label       string `json:"label"`
	Description string `json:"description"`
	Color       string `json:"color"`
}

// Session is one session, without its notes.
type Session struct {
	Slug          string       `json:"slug"`
	Date          string       `json:"date"`
	Title         string       `json:"title"`
	Duration      *int         `json:"duration_minutes"` // null when not given
	Format        *string      `json:"format"`           // null when not given
	Ratings       []Rating     `json:"ratings"`          // rated areas only, in area order
	Time          []TimeShare  `json:"time"`             // empty without a time split
	BalanceGap    *float64     `json:"balance_gap"`      // percent; null without a time split
	Commitments   []Commitment `json:"commitments"`
	Energizers    []string     `json:"energizers"`
	Drainers      []string     `json:"drainers"`
	Tags          []string     `json:"tags"`
	DaysSincePrev *int         `json:"days_since_previous"` // null for the first session
}

// Rating is one area's rating in a session and how it moved.
type Rating struct {
	Area        string `json:"area"`
	Rating      int    `json:"rating"`
	ChangePrev  *int   `json:"change_since_previous"` // null when no earlier session rated the area
	ChangeFirst *int   `json:"change_since_first"`    // null when this is the area's first rating
}

// TimeShare is one area's share of working time in a session, in percent.
type TimeShare struct {
	Area   string `json:"area"`
	Actual int    `json:"actual"`
	Wished int    `json:"wished"`
}

// Commitment is a commitment as one session states it (a mention).
type Commitment struct {
	ID       string  `json:"id"` // the commitment's id in the client's ledger
	Text     string  `json:"text"`
	Due      *string `json:"due"` // YYYY-MM-DD or null
	Status   string  `json:"status"`
	MadeHere bool    `json:"made_here"` // this session made it; false when it reviews an earlier one
}

// LedgerCommitment is one commitment of an engagement, counted once, with
// its history.
type LedgerCommitment struct {
	ID            string         `json:"id"`
	Text          string         `json:"text"`           // as the latest mention states it
	MadeOn        string         `json:"made_on"`        // date of the session that made it
	Due           *string        `json:"due"`            // latest due date, or null
	Status        string         `json:"status"`         // latest status
	ClosedOn      *string        `json:"closed_on"`      // date of the session that marked it done or dropped; null while open
	DaysToClose   *int           `json:"days_to_close"`  // made_on to closed_on; null while open
	Sessions      []string       `json:"sessions"`       // slugs of the sessions that mention it, oldest first
	DueChanges    []DueChange    `json:"due_changes"`    // each due date a later session moved
	StatusChanges []StatusChange `json:"status_changes"` // each status a later session changed
}

// DueChange is a due date moved by a session.
type DueChange struct {
	Session string  `json:"session"` // slug
	From    *string `json:"from"`    // null when there was none
	To      *string `json:"to"`      // null when it was removed
}

// StatusChange is a status changed by a session.
type StatusChange struct {
	Session string `json:"session"` // slug
	From    string `json:"from"`
	To      string `json:"to"`
}

// Derived holds the figures computed over the whole engagement.
type Derived struct {
	Sessions         int          `json:"sessions"`
	FirstSession     *string      `json:"first_session"`
	LatestSession    *string      `json:"latest_session"`
	CadenceDays      []int        `json:"cadence_days"`
	MeanCadenceDays  *float64     `json:"mean_cadence_days"`  // null with fewer than two sessions
	FirstBalanceGap  *float64     `json:"first_balance_gap"`  // first session with a time split
	LatestBalanceGap *float64     `json:"latest_balance_gap"` // latest session with a time split
	Commitments      Tally        `json:"commitments"`
	MeanDaysToDone   *float64     `json:"mean_days_to_done"` // from made to done, over commitments done; null when none is
	Changes          []AreaChange `json:"changes"`
}

// Tally counts the commitments of the ledger by their latest status, each
// once.
type Tally struct {
	Total    int      `json:"total"`
	Done     int      `json:"done"`
	Dropped  int      `json:"dropped"`
	Open     int      `json:"open"`
	KeptRate *float64 `json:"kept_rate"` // done / (done + dropped), 0..1; null when none is settled
}

// AreaChange is how one area moved from the first to the latest session.
type AreaChange struct {
	Area          string `json:"area"`
	FirstRating   *int   `json:"first_rating"` // null when never rated
	LatestRating  *int   `json:"latest_rating"`
	Change        *int   `json:"change"`
	FirstTimeGap  *int   `json:"first_time_gap"` // |actual - wished| in percent; null without a time split
	LatestTimeGap *int   `json:"latest_time_gap"`
}

// New returns the export of clients (all of rs when clients is nil).
func New(rs *report.Site, clients []*report.Client) *Data {
	if clients == nil {
		clients = rs.Clients
	}
	s := rs.Site
	d := &Data{
		Schema: Schema, Version: Version,
		Site:    Site{Title: s.Title, Coach: s.Coach, Language: s.Language, Scale: Scale{s.Scale.Min, s.Scale.Max}},
		Clients: make([]Client, 0, len(clients)),
	}
	for _, c := range clients {
		d.Clients = append(d.Clients, client(rs.Site, c))
	}
	return d
}

func client(site *model.Site, c *report.Client) Client {
	m := c.Client
	areas := m.Areas
	x := Client{
		Slug: m.Slug, Name: m.Name, Role: m.Role, Organization: m.Organization,
		Started: date(m.Started), Ended: date(m.Ended), Goals: list(m.Goals),
		Areas: make([]Area, len(areas)), Sessions: make([]Session, len(c.Sessions)),
	}
	for i, a := range areas {
		x.Areas[i] = Area{a.Key, a.Name(), a.Description, a.Color}
	}
	for i, s := range c.Sessions {
		x.Sessions[i] = session(s)
	}
	x.Commitments = make([]LedgerCommitment, len(c.Ledger))
	for i, lc := range c.Ledger {
		x.Commitments[i] = ledgerCommitment(lc)
	}
	x.Derived = derived(c, x.Sessions)
	return x
}

func ledgerCommitment(c *report.Commitment) LedgerCommitment {
	x := LedgerCommitment{ID: c.ID, Text: c.Text, MadeOn: c.Made.Date.String(), Due: date(c.Due), Status: c.Status,
		Sessions: make([]string, len(c.Sessions)), DueChanges: make([]DueChange, len(c.DueChanges)), StatusChanges: make([]StatusChange, len(c.StatusChanges))}
	if c.Closed != nil {
		x.ClosedOn = ptr(c.Closed.Date.String())
	}
	if d, ok := c.DaysToClose(); ok {
		x.DaysToClose = ptr(d)
	}
	for i, s := range c.Sessions {
		x.Sessions[i] = s.Slug
	}
	for i, ch := range c.DueChanges {
		x.DueChanges[i] = DueChange{Session: ch.Session.Slug, From: date(ch.From), To: date(ch.To)}
	}
	for i, ch := range c.StatusChanges {
		x.StatusChanges[i] = StatusChange{Session: ch.Session.Slug, From: ch.From, To: ch.To}
	}
	return x
}

func session(s *report.Session) Session {
	m := s.Session
	x := Session{
		Slug: m.Slug, Date: m.Date.String(), Title: m.Title,
		Ratings: make([]Rating, 0, len(s.Ratings)), Time: make([]TimeShare, 0, len(s.Time)),
		Commitments: make([]Commitment, len(s.Mentions)), Energizers: list(m.Energizers),
		Drainers: list(m.Drainers), Tags: list(m.Tags),
	}
	if m.Duration > 0 {
		x.Duration = ptr(m.Duration)
	}
	if m.Format != "" {
		x.Format = ptr(m.Format)
	}
	for _, r := range s.Ratings {
		if !r.Rated {
			continue
		}
		y := Rating{Area: r.Area.Key, Rating: r.Value}
		if r.HasPrev {
			y.ChangePrev = ptr(r.DeltaPrev)
		}
		if r.HasFirst {
			y.ChangeFirst = ptr(r.DeltaFirst)
		}
		x.Ratings = append(x.Ratings, y)
	}
	if s.HasTime {
		for _, t := range s.Time {
			x.Time = append(x.Time, TimeShare{t.Area.Key, t.Actual, t.Wished})
		}
		x.BalanceGap = ptr(round(s.BalanceGap))
	}
	for i, cm := range s.Mentions {
		x.Commitments[i] = Commitment{ID: cm.ID, Text: cm.Text, Due: date(cm.Due), Status: cm.Status, MadeHere: cm.Made}
	}
	if s.Index > 0 {
		x.DaysSincePrev = ptr(s.DaysSincePrev)
	}
	return x
}

func derived(c *report.Client, sessions []Session) Derived {
	d := Derived{Sessions: len(sessions), CadenceDays: list(c.CadenceDays), Changes: make([]AreaChange, len(c.Changes))}
	if n := len(sessions); n > 0 {
		d.FirstSession, d.LatestSession = ptr(sessions[0].Date), ptr(sessions[n-1].Date)
	}
	if len(c.CadenceDays) > 0 {
		d.MeanCadenceDays = ptr(round(c.MeanCadence))
	}
	for _, s := range sessions {
		if s.BalanceGap != nil {
			if d.FirstBalanceGap == nil {
				d.FirstBalanceGap = s.BalanceGap
			}
			d.LatestBalanceGap = s.BalanceGap
		}
	}
	t := c.Commitments
	d.Commitments = Tally{Total: t.Total(), Done: t.Done, Dropped: t.Dropped, Open: t.Open}
	if r, ok := t.KeptRate(); ok {
		d.Commitments.KeptRate = ptr(math.Round(r*1000) / 1000)
	}
	if t.Done > 0 {
		d.MeanDaysToDone = ptr(round(c.MeanDaysToDone))
	}
	for i, ch := range c.Changes {
		x := AreaChange{Area: ch.Area.Key}
		if ch.Rated {
			x.FirstRating, x.LatestRating, x.Change = ptr(ch.FirstRating), ptr(ch.Latest), ptr(ch.Latest-ch.FirstRating)
		}
		if ch.HasGap {
			x.FirstTimeGap, x.LatestTimeGap = ptr(ch.FirstGap), ptr(ch.LatestGap)
		}
		d.Changes[i] = x
	}
	return d
}

// JSON returns d as indented JSON (two spaces) ending in a line feed.
// Keys come in the order of the struct fields above. Its values are
// numbers, strings and lists, which encoding/json cannot fail on but for a
// NaN or infinite number, which derived figures never are.
func (d *Data) JSON() []byte {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		panic("export: " + err.Error())
	}
	return append(b, '\n')
}

// Files returns data.json and the four CSV files of d, in that order.
func (d *Data) Files() []File {
	return []File{
		{JSONFile, d.JSON()},
		{RatingsFile, d.RatingsCSV()},
		{TimeFile, d.TimeCSV()},
		{CommitmentsFile, d.CommitmentsCSV()},
		{MentionsFile, d.MentionsCSV()},
	}
}

// RatingsCSV returns ratings.csv: client,session_date,session,area,rating;
// one row per rated area of each session.
func (d *Data) RatingsCSV() []byte {
	w := newCSV(d.csvSize(func(s *Session) (int, int) { return len(s.Ratings), 0 }),
		"client", "session_date", "session", "area", "rating")
	for _, c := range d.Clients {
		for _, s := range c.Sessions {
			for _, r := range s.Ratings {
				w.row(c.Slug, s.Date, s.Slug, r.Area, strconv.Itoa(r.Rating))
			}
		}
	}
	return w.bytes()
}

// TimeCSV returns time.csv: client,session_date,session,area,actual,wished;
// one row per area of each session that gave a time split.
func (d *Data) TimeCSV() []byte {
	w := newCSV(d.csvSize(func(s *Session) (int, int) { return len(s.Time), 0 }),
		"client", "session_date", "session", "area", "actual", "wished")
	for _, c := range d.Clients {
		for _, s := range c.Sessions {
			for _, t := range s.Time {
				w.row(c.Slug, s.Date, s.Slug, t.Area, strconv.Itoa(t.Actual), strconv.Itoa(t.Wished))
			}
		}
	}
	return w.bytes()
}

// CommitmentsCSV returns commitments.csv:
// client,id,text,made_on,due,status,closed_on,sessions; one row per
// commitment of each client's ledger, in the order made. due and closed_on
// are empty when there is none; sessions holds the slugs of the sessions
// that mention it, oldest first, separated by spaces.
func (d *Data) CommitmentsCSV() []byte {
	n := 128
	for i := range d.Clients {
		for _, lc := range d.Clients[i].Commitments {
			n += len(d.Clients[i].Slug) + len(lc.Text) + 48 + 20*len(lc.Sessions)
		}
	}
	w := newCSV(n, "client", "id", "text", "made_on", "due", "status", "closed_on", "sessions")
	for _, c := range d.Clients {
		for _, lc := range c.Commitments {
			w.row(c.Slug, lc.ID, lc.Text, lc.MadeOn, deref(lc.Due), lc.Status, deref(lc.ClosedOn), strings.Join(lc.Sessions, " "))
		}
	}
	return w.bytes()
}

// MentionsCSV returns commitment_mentions.csv:
// client,session_date,session,id,text,due,status,made_here; one row per
// commitment each session mentions, as that session states it (the rows of
// commitments.csv in export version 1, with the id and made_here added).
// made_here is "yes" in the session that made it, else "no".
func (d *Data) MentionsCSV() []byte {
	w := newCSV(d.csvSize(func(s *Session) (rows, text int) {
		for _, cm := range s.Commitments {
			text += len(cm.Text) + len(cm.ID) + 8
		}
		return len(s.Commitments), text
	}), "client", "session_date", "session", "id", "text", "due", "status", "made_here")
	for _, c := range d.Clients {
		for _, s := range c.Sessions {
			for _, cm := range s.Commitments {
				made := "no"
				if cm.MadeHere {
					made = "yes"
				}
				w.row(c.Slug, s.Date, s.Slug, cm.ID, cm.Text, deref(cm.Due), cm.Status, made)
			}
		}
	}
	return w.bytes()
}

// BOM starts every CSV file: without it Excel reads UTF-8 as the system's
// legacy code page and garbles every name with an accent.
const BOM = "\ufeff"

// csvSize is a guess of the length of a CSV file of d, a little above the
// usual one, so that it is written into one buffer without growing it.
// rowsOf gives the number of rows of a session and the length of the text
// they hold; each row starts with the client, the date and the session, and
// the rest of it (area, numbers, due date, status) is short.
func (d *Data) csvSize(rowsOf func(*Session) (rows, text int)) int {
	n := 128 // BOM and header
	for i := range d.Clients {
		c := &d.Clients[i]
		for j := range c.Sessions {
			s := &c.Sessions[j]
			rows, text := rowsOf(s)
			n += rows*(len(c.Slug)+len(s.Date)+len(s.Slug)+32) + text
		}
	}
	return n
}

type csvWriter struct{ b bytes.Buffer }

// newCSV starts a CSV file of about size bytes with its header row.
func newCSV(size int, header ...string) *csvWriter {
	w := &csvWriter{}
	w.b.Grow(size)
	w.b.WriteString(BOM)
	w.row(header...)
	return w
}

// row writes one record as RFC 4180 asks: fields joined by commas, quoted
// when they hold a comma, a quote, a line break or leading/trailing space,
// quotes doubled, CRLF at the end.
func (w *csvWriter) row(fields ...string) {
	for i, f := range fields {
		if i > 0 {
			w.b.WriteByte(',')
		}
		f = Cell(f)
		if needsQuotes(f) {
			w.b.WriteByte('"')
			w.b.WriteString(strings.ReplaceAll(f, `"`, `""`))
			w.b.WriteByte('"')
		} else {
			w.b.WriteString(f)
		}
	}
	w.b.WriteString("\r\n")
}

// needsQuotes reports whether CSV field f holds a comma, a quote or a line
// break, or starts or ends with white space.
func needsQuotes(f string) bool {
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return strings.TrimSpace(f) != f
}

func (w *csvWriter) bytes() []byte { return w.b.Bytes() }

// Cell guards a CSV cell against formula injection: a spreadsheet runs a
// cell that starts with =, +, -, @ (or a tab or carriage return, which some
// strip first) as a formula, so such a cell gets a leading apostrophe, which
// spreadsheets show as plain text. Numbers written by this package never
// start with one of these; only text from the content can.
func Cell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

func date(d model.Date) *string {
	if d.IsZero() {
		return nil
	}
	return ptr(d.String())
}

// list returns s, or an empty slice for nil, so JSON shows [] and not null.
func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// round keeps two decimals, so figures such as 33.333… do not carry float
// noise into the file.
func round(f float64) float64 { return math.Round(f*100) / 100 }
