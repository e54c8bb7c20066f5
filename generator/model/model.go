// Package model holds the plain data types at the centre of coachsite: the
// site, its clients and their sessions, exactly as loaded from content/.
// Every later stage of the pipeline (derive, render, write) reads these types;
// none of them changes them.
package model

import (
	"html/template"
	"time"
)

// Privacy is how a site's client portals are protected in public/.
type Privacy string

// The privacy modes a site.yaml may name.
const (
	Encrypted Privacy = "encrypted" // portals sealed with passphrases
	Unlisted  Privacy = "unlisted"  // opaque, unguessable portal URLs
	Public    Privacy = "public"    // plain slugs, for demos and consented material
)

// Session formats a session's front matter may name.
var Formats = []string{"in-person", "video", "phone"}

// Commitment statuses a commitment may have.
const (
	StatusOpen    = "open"
	StatusDone    = "done"
	StatusDropped = "dropped"
)

// Site is the whole content tree: settings from site.yaml, the optional home
// page text, and every client.
type Site struct {
	Title string
	Coach string
	// CoachEmail is the coach's address (coach_email in site.yaml), where a
	// client's check-in page offers to send it; "" for none.
	CoachEmail string
	Language   string // BCP 47 tag for <html lang>, e.g. "en" or "de-CH"
	Areas      []Area // the default areas, in drawing order (clockwise from the top)
	Scale      Scale
	Privacy    Privacy
	Theme      string // name of a folder under the site's themes/ overriding the default theme; "" for none
	// BaseURL is where public/ is served, an http or https address ending
	// in "/", e.g. "https://coach.example.org/portals/"; "" when not given.
	// Links never use it (they are relative); it names portals in full to
	// the coach (dashboard, coachsite share).
	BaseURL string
	Home    Notes // body of content/_index.md, if any
	Clients []*Client
}

// Scale is the range ratings are given on, 1..9 unless site.yaml says otherwise.
type Scale struct {
	Min, Max int
}

// Area is one sector of the role's circle: a key used in front matter, and
// how it is shown.
type Area struct {
	Key         string
	Label       string
	Description string
	Color       string // CSS colour, e.g. "#0072b2"; always set after loading
}

// Name is the area's label, or its key when it has none. Loading gives
// every area a label; areas made otherwise may have none.
func (a Area) Name() string {
	if a.Label != "" {
		return a.Label
	}
	return a.Key
}

// Client is one coaching engagement: the profile from clients/<slug>/_index.md
// and its sessions, oldest first.
type Client struct {
	Slug         string // folder name under clients/
	Name         string
	Role         string
	Organization string
	Started      Date // zero if not given
	Ended        Date // zero while the engagement goes on
	Goals        []string
	Language     string // BCP 47 tag of the client's pages; "" means the site's
	Areas        []Area // the client's own areas, or the site's
	Intro        Notes  // Markdown body of _index.md
	Sessions     []*Session
	Path         string // source file of the profile, as reached from --content
}

// Session is one coaching session, from one Markdown file.
type Session struct {
	Slug        string // file name without ".md", e.g. "2026-02-11-vision-work"; the page's folder name
	Title       string // from front matter, or built from the date when absent
	Date        Date
	Duration    int                  // minutes; 0 if not given
	Format      string               // one of Formats, or "" if not given
	Ratings     map[string]int       // area key -> rating; areas not rated are absent
	Time        map[string]TimeShare // area key -> share of time; empty if not given
	Commitments []Commitment
	Energizers  []string
	Drainers    []string
	Tags        []string
	Draft       bool
	Notes       Notes
	Path        string // source file, as reached from --content
}

// TimeShare is the percentage of working time actually spent on an area and
// the percentage the client wishes they spent.
type TimeShare struct {
	Actual, Wished int
}

// Commitment is one mention of something the client agreed to do: the
// commitment as a session states it. One commitment may be mentioned by
// several sessions, from the one that made it to the one that closed it;
// the mentions share its ID.
type Commitment struct {
	// ID is the commitment's identity across the client's sessions: the id
	// written in front matter, or, for a commitment written without one,
	// the id load derives (see docs/content-format.md, "Commitments across
	// sessions"). Load sets it for every commitment of a client it loads
	// whole; "" only for data built by other means, where each such
	// mention stands alone.
	ID     string
	Text   string // as stated here, or carried from the earlier mention when left out
	Due    Date   // zero if no due date
	Status string // StatusOpen, StatusDone or StatusDropped
}

// Notes is a Markdown body rendered for each audience. Client never holds a
// private block; Coach holds them inline. When HasPrivate is false the two are
// identical.
type Notes struct {
	Client     template.HTML
	Coach      template.HTML
	HasPrivate bool
}

// Date is a calendar day with no time of day or zone; the zero value means
// "not given".
type Date struct {
	time.Time // midnight UTC of the day
}

// NewDate returns the Date of year, month and day. It does not normalise:
// callers validate first.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format("2006-01-02")
}

// DaysSince returns the number of days from e to d.
func (d Date) DaysSince(e Date) int {
	return int(d.Sub(e.Time).Hours() / 24)
}

// RatingOf returns the rating of area key in s and whether it was rated.
func (s *Session) RatingOf(key string) (int, bool) {
	v, ok := s.Ratings[key]
	return v, ok
}

// Address is the address of the folder dir of the site (relative to
// public/, e.g. a portal's): BaseURL + dir + "/" when the site has a
// BaseURL, else dir + "/", relative to the site's root.
func (s *Site) Address(dir string) string {
	return s.BaseURL + dir + "/"
}

// CheckIn is what a client filled in on their portal's check-in page and
// `coachsite import` opened: a session's ratings, time split, commitment
// statuses (by id), energizers and drainers, with a note per commitment and
// the client's reflection.
type CheckIn struct {
	Session    *Session          // no slug, title or path yet; Draft is false
	Notes      map[string]string // commitment id -> the client's note
	Reflection string
}
