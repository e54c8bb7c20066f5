package load

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/rootfs"
)

// sessionMeta is the front matter of a session file.
type sessionMeta struct {
	Title       yamlString      `yaml:"title"`
	Date        yamlDate        `yaml:"date"`
	Duration    yamlInt         `yaml:"duration"`
	Format      yamlString      `yaml:"format"`
	Ratings     yamlRatings     `yaml:"ratings"`
	Time        yamlTime        `yaml:"time"`
	Commitments yamlCommitments `yaml:"commitments"`
	Energizers  yamlStrings     `yaml:"energizers"`
	Drainers    yamlStrings     `yaml:"drainers"`
	Tags        yamlStrings     `yaml:"tags"`
	Draft       yamlBool        `yaml:"draft"`
}

// fmFirst is the file line of the first line of front matter (after ---).
const fmFirst = 2

// maxDuration is the longest session, in minutes.
const maxDuration = 24 * 60

var sessionNameRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:-[a-z0-9][a-z0-9-]*)?$`)

// parsedSession is one session file on its way to a *model.Session: read
// (in a worker) by read, checked against its client by finish.
type parsedSession struct {
	cd        *rootfs.Dir
	rel, path string
	slug      string // the page's name; "" when the file name is wrong
	nameDate  model.Date
	noDate    bool // the file name does not even start like a date
	meta      sessionMeta
	metaOK    bool // the front matter was read, so its fields can be checked
	notes     model.Notes
	errs      diag.List
	notesOf   notesFunc
}

func (ps *parsedSession) read() {
	name := filepath.Base(ps.rel)
	base := strings.TrimSuffix(name, filepath.Ext(name))
	if m := sessionNameRE.FindStringSubmatch(base); m == nil {
		ps.noDate = true
		ps.errs = append(ps.errs, diag.Errorf(ps.path, 0,
			"file name %q is not YYYY-MM-DD.md or YYYY-MM-DD-slug.md (slug of a-z, 0-9 and -), like 2026-01-14-vision-work.md", name))
	} else if d, msg := parseDate(m[1]); msg != "" {
		ps.errs = append(ps.errs, diag.Errorf(ps.path, 0, "the file name's date: %s", msg))
	} else {
		ps.slug, ps.nameDate = base, d
	}

	fm, body, bodyLine, errs := readWithFrontMatter(ps.cd, ps.rel, "a session", "front matter, at least a line reading --- and another, then its notes", "ratings: {vision: 4}")
	if errs != nil {
		ps.errs = append(ps.errs, errs...)
		return
	}
	errs, ok := decodeYAML(fm, &ps.meta, ps.path, fmFirst)
	ps.errs = append(ps.errs, errs...)
	ps.metaOK = ok
	notes, errs := ps.notesOf(body, ps.path, bodyLine)
	ps.errs = append(ps.errs, errs...)
	ps.notes = notes
}

// finish checks the session against its client's areas and the scale and
// builds it. The session is nil when there is any error.
func (ps *parsedSession) finish(areas []model.Area, scale model.Scale) (*model.Session, diag.List) {
	errs := append(diag.List(nil), ps.errs...)
	if !ps.metaOK {
		return nil, errs
	}
	m := &ps.meta
	line := func(yamlLine int) int { return yamlLine + fmFirst - 1 }
	s := &model.Session{
		Slug:        ps.slug,
		Title:       m.Title.Value,
		Date:        ps.nameDate,
		Duration:    m.Duration.Value,
		Format:      m.Format.Value,
		Commitments: commitmentsOf(m.Commitments.Items),
		Energizers:  m.Energizers.Values,
		Drainers:    m.Drainers.Values,
		Tags:        m.Tags.Values,
		Draft:       m.Draft.Value,
		Notes:       ps.notes,
		Path:        ps.path,
	}

	switch {
	case m.Date.Set && len(m.Date.problems) == 0:
		if ps.slug != "" && !m.Date.Value.Equal(ps.nameDate.Time) {
			errs = append(errs, diag.Errorf(ps.path, line(m.Date.Line),
				"date: %s contradicts the file name, which says %s", m.Date.Value, ps.nameDate))
		}
		s.Date = m.Date.Value
	case !m.Date.Set && ps.noDate:
		errs = append(errs, missingField(ps.path, "date", "give date: YYYY-MM-DD, or start the file name with the date"))
	}

	if m.Format.Set && !contains(model.Formats, s.Format) {
		errs = append(errs, diag.Errorf(ps.path, line(m.Format.Line), "format: %q is not one of %s%s",
			s.Format, strings.Join(model.Formats, ", "), didYouMean(s.Format, model.Formats)))
	}
	if m.Duration.Set && len(m.Duration.problems) == 0 && (s.Duration < 0 || s.Duration > maxDuration) {
		errs = append(errs, diag.Errorf(ps.path, line(m.Duration.Line),
			"duration: %d is not a number of minutes from 0 to %d", s.Duration, maxDuration))
	}

	keys := make([]string, len(areas))
	for i, a := range areas {
		keys[i] = a.Key
	}
	if len(m.Ratings.Items) > 0 {
		s.Ratings = make(map[string]int, len(m.Ratings.Items))
	}
	for _, r := range m.Ratings.Items {
		switch {
		case !contains(keys, r.Key):
			errs = append(errs, diag.Errorf(ps.path, line(r.Line), "ratings.%s: %s", r.Key, noArea(r.Key, keys)))
		case !r.OK:
		case r.Value < scale.Min || r.Value > scale.Max:
			errs = append(errs, diag.Errorf(ps.path, line(r.Line),
				"ratings.%s: %d is outside the scale %d..%d", r.Key, r.Value, scale.Min, scale.Max))
		default:
			s.Ratings[r.Key] = r.Value
		}
	}
	if len(m.Time.Items) > 0 {
		s.Time = make(map[string]model.TimeShare, len(m.Time.Items))
	}
	for _, t := range m.Time.Items {
		if !contains(keys, t.Key) {
			errs = append(errs, diag.Errorf(ps.path, line(t.Line), "time.%s: %s", t.Key, noArea(t.Key, keys)))
			continue
		}
		s.Time[t.Key] = model.TimeShare{Actual: t.Actual, Wished: t.Wished}
	}

	if s.Title == "" && !s.Date.IsZero() {
		s.Title = "Session of " + s.Date.Format("2 January 2006")
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return s, nil
}

// noArea says that key is not one of the client's area keys.
func noArea(key string, keys []string) string {
	if n := nearest(key, keys); n != "" {
		return fmt.Sprintf("the client has no area %q (did you mean %q?)", key, n)
	}
	if len(keys) == 0 {
		return fmt.Sprintf("the client has no area %q (it has no areas at all)", key)
	}
	return fmt.Sprintf("the client has no area %q (its areas: %s)", key, strings.Join(keys, ", "))
}

// commitmentsOf returns the commitments as written, before the ledger
// (resolveLedger) gives them their identity.
func commitmentsOf(items []commitmentItem) []model.Commitment {
	if len(items) == 0 {
		return nil
	}
	out := make([]model.Commitment, len(items))
	for i, it := range items {
		out[i] = it.Commitment
	}
	return out
}
