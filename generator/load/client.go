package load

import (
	"errors"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/rootfs"
)

// clientMeta is the front matter of clients/<slug>/_index.md.
type clientMeta struct {
	Name         yamlString  `yaml:"name"`
	Role         yamlString  `yaml:"role"`
	Organization yamlString  `yaml:"organization"`
	Started      yamlDate    `yaml:"started"`
	Ended        yamlDate    `yaml:"ended"`
	Goals        yamlStrings `yaml:"goals"`
	Language     yamlString  `yaml:"language"`
	Areas        yamlAreas   `yaml:"areas"`
}

// clientLoad is one client folder on its way to a *model.Client: the files
// found by listClient, read by its tasks, checked by finish.
type clientLoad struct {
	cd      *rootfs.Dir
	slug    string
	path    string // of the folder, as reached from the content folder
	profile profileLoad
	// files are the session files (their paths below the content folder),
	// listed when the content is opened; sessions are made from them when
	// the client is loaded, so that a large site holds no per-session
	// state for the clients not loaded yet.
	files    []string
	notesOf  notesFunc
	sessions []*parsedSession
	// sessionsRead says the session files were read with the profile.
	sessionsRead bool
}

// profileLoad is the result of reading a client's _index.md.
type profileLoad struct {
	cd     *rootfs.Dir
	rel    string
	path   string
	found  bool
	meta   clientMeta
	metaOK bool
	notes  model.Notes
	errs   diag.List

	notesOf notesFunc
}

// listClient lists the folder clients/<slug> of the content folder cd. It
// returns nil when the folder cannot be read, with the reason. Entries
// that lead out of the content folder or are not regular files are
// reported, whatever their names.
func listClient(cd *rootfs.Dir, slug string, notesOf notesFunc) (*clientLoad, diag.List) {
	rel := filepath.Join("clients", slug)
	cl := &clientLoad{cd: cd, slug: slug, path: cd.Path(rel), notesOf: notesOf}
	ents, err := cd.ReadDir(rel)
	if err != nil {
		var refused *rootfs.Error
		if errors.As(err, &refused) {
			return nil, diag.List{diag.Errorf(refused.Path, 0, "%s", refused.Msg)}
		}
		msg := "cannot read the client folder: " + unwrapPathError(err)
		if errors.Is(err, fs.ErrNotExist) {
			msg = "no such client folder"
		}
		return nil, diag.List{diag.Errorf(cl.path, 0, "%s", msg)}
	}
	cl.profile.cd, cl.profile.rel = cd, filepath.Join(rel, "_index.md")
	cl.profile.path = cd.Path(cl.profile.rel)
	cl.profile.notesOf = notesOf
	var errs diag.List
	for _, e := range ents {
		name := e.Name()
		if SkipName(name) {
			continue
		}
		if isDir, d := entryIsDir(cd, filepath.Join(rel, name)); d != nil {
			errs = append(errs, *d)
			continue
		} else if isDir {
			continue
		}
		if name == "_index.md" {
			cl.profile.found = true
			continue
		}
		ext := strings.ToLower(filepath.Ext(name))
		if ext != ".md" && ext != ".markdown" {
			continue // pictures, attachments: not content
		}
		cl.files = append(cl.files, filepath.Join(rel, name))
	}
	return cl, errs
}

// profileTasks returns the task reading the client's profile, if it has one.
func (cl *clientLoad) profileTasks() []task {
	if !cl.profile.found {
		return nil
	}
	return []task{{cl.profile.path, cl.profile.read, &cl.profile.errs}}
}

// sessionTasks returns one task per session file of the client.
func (cl *clientLoad) sessionTasks() []task {
	ts := make([]task, 0, len(cl.files))
	cl.sessions = make([]*parsedSession, len(cl.files))
	for i, rel := range cl.files {
		ps := &parsedSession{cd: cl.cd, rel: rel, path: cl.cd.Path(rel), notesOf: cl.notesOf}
		cl.sessions[i] = ps
		ts = append(ts, task{ps.path, ps.read, &ps.errs})
	}
	return ts
}

func (p *profileLoad) read() {
	fm, body, bodyLine, errs := readWithFrontMatter(p.cd, p.rel, "a client profile", "front matter giving at least name", `name: "Kim Lee"`)
	if errs != nil {
		p.errs = append(p.errs, errs...)
		return
	}
	errs, ok := decodeYAML(fm, &p.meta, p.path, 2)
	p.errs = append(p.errs, errs...)
	p.metaOK = ok
	notes, errs := p.notesOf(body, p.path, bodyLine)
	p.errs = append(p.errs, errs...)
	p.notes = notes
}

// finishProfile checks the client's profile against site and builds the
// client without sessions. Area colours are not set yet.
//
// siteOK says site.yaml was read without error; otherwise a client without
// areas is not reported, the cause being in site.yaml.
func (cl *clientLoad) finishProfile(site *model.Site, siteOK bool) (*model.Client, diag.List) {
	var errs diag.List
	c := &model.Client{Slug: cl.slug, Path: cl.profile.path}
	if !cl.profile.found {
		errs = append(errs, diag.Errorf(cl.path, 0, "no _index.md: every client folder needs a profile, _index.md, with front matter giving at least name"))
		c.Areas = inheritAreas(nil, site.Areas)
	} else {
		p := &cl.profile
		errs = append(errs, p.errs...)
		m := &p.meta
		c.Name, c.Role, c.Organization = m.Name.Value, m.Role.Value, m.Organization.Value
		c.Started, c.Ended, c.Goals = m.Started.Value, m.Ended.Value, m.Goals.Values
		c.Intro = p.notes
		if l := m.Language; l.Set && l.Value != "" {
			if ValidLanguage(l.Value) {
				c.Language = l.Value
			} else {
				errs = append(errs, diag.Errorf(p.path, l.Line+1, "language: %q is not a language tag like en or de-CH", l.Value))
			}
		}
		c.Areas = inheritAreas(areasOf(m.Areas.Items), site.Areas)
		if p.metaOK && len(p.errs) == 0 {
			if c.Name == "" && len(m.Name.problems) == 0 {
				errs = append(errs, missingField(p.path, "name", `every client needs a name, like name: "Kim Lee"`))
			}
			if !c.Started.IsZero() && !c.Ended.IsZero() && c.Ended.Before(c.Started.Time) {
				errs = append(errs, diag.Errorf(p.path, m.Ended.Line+1, "ended: %s is before started (%s)", c.Ended, c.Started))
			}
			if len(c.Areas) == 0 && len(m.Areas.problems) == 0 && siteOK {
				errs = append(errs, missingField(p.path, "areas", "this client has no areas: list them under areas: in site.yaml or here"))
			}
		}
	}
	return c, errs
}

// finishSessions checks the sessions read against client c (its areas set)
// and site, and sets c.Sessions, sorted by date then slug, drafts dropped
// unless opts.Drafts.
func (cl *clientLoad) finishSessions(c *model.Client, site *model.Site, opts Options) diag.List {
	var errs diag.List
	// Two files for one page: same slug, ignoring case.
	sort.Slice(cl.sessions, func(i, j int) bool { return cl.sessions[i].rel < cl.sessions[j].rel })
	pages := map[string]string{}
	var ledger []ledgerSession
	gap := false
	for _, ps := range cl.sessions {
		s, serrs := ps.finish(c.Areas, site.Scale)
		errs = append(errs, serrs...)
		if s != nil {
			ledger = append(ledger, ledgerSession{s, ps.path, ps.meta.Commitments.Items})
		} else {
			gap = true
		}
		if ps.slug != "" {
			key := strings.ToLower(ps.slug)
			if first, dup := pages[key]; dup {
				errs = append(errs, diag.Errorf(ps.path, 0, "would be written to the same page as %s", first))
				continue
			}
			pages[key] = ps.path
		}
		if s != nil && (!s.Draft || opts.Drafts) {
			c.Sessions = append(c.Sessions, s)
		}
	}
	sort.Slice(c.Sessions, func(i, j int) bool { return sessionBefore(c.Sessions[i], c.Sessions[j]) })
	// Drafts take part in the ledger: they are checked like any session,
	// and a commitment they carry keeps its identity once they are published.
	sort.Slice(ledger, func(i, j int) bool { return sessionBefore(ledger[i].s, ledger[j].s) })
	errs = append(errs, resolveLedger(ledger, gap)...)
	return errs
}

// inheritAreas returns the client's own areas, each taking the label,
// description and colour of the site's area of the same key where it gives
// none itself, or, when the client has none, the site's areas themselves:
// one slice for every such client, not a copy each. Colouring them
// (assignColors) gives a site's area the same colour either way.
func inheritAreas(own, site []model.Area) []model.Area {
	if len(own) == 0 {
		return site
	}
	for i := range own {
		for _, s := range site {
			if s.Key != own[i].Key {
				continue
			}
			if own[i].Label == labelOf(own[i].Key) {
				own[i].Label = s.Label
			}
			if own[i].Description == "" {
				own[i].Description = s.Description
			}
			if own[i].Color == "" {
				own[i].Color = s.Color
			}
		}
	}
	return own
}

// sessionBefore orders sessions by date, then by slug.
func sessionBefore(a, b *model.Session) bool {
	if !a.Date.Equal(b.Date.Time) {
		return a.Date.Before(b.Date.Time)
	}
	return a.Slug < b.Slug
}
