package pipeline

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/export"
	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// Memory is a site built in memory and kept up to date one client at a time,
// for the preview server. It holds every output file keyed by its path
// relative to public/ (for example "clients/kim/index.html").
//
// A rebuild that fails changes no file: the last good site stays in place and
// the problems are kept, by the part of the content they came from, until a
// later rebuild of that part succeeds.
//
// Unless sealed, pages are built unsealed whatever the site's privacy, with
// every portal under clients/<slug>/ and listed on the home page: a preview
// for the coach on the local machine, never for publishing. Sealed, they are
// built exactly as Build publishes them (secrets from Options), and every
// change rebuilds the whole site.
//
// The methods of a Memory may be called from several goroutines at once;
// rebuilds run one at a time.
type Memory struct {
	opts   Options
	sealed bool

	rebuild sync.Mutex // held through a whole rebuild

	// The last good build, read and replaced only under rebuild: its run
	// and the summaries of its clients, in the order of run.site.Clients.
	run       *run
	summaries []*report.Client
	owned     map[string][]string // client slug -> paths of its pages

	// exportStale says the site-wide data export (data/ of a public site)
	// predates the last client rebuild. Remaking it costs as much as the
	// rest of a rebuild on a large site, so it is remade when first asked for.
	exportStale atomic.Bool

	mu    sync.RWMutex
	files map[string][]byte
	gen   uint64
	errs  map[string]diag.List // "" for the site as a whole, else a client slug
}

// NewMemory returns an empty in-memory site for o.Content, sealed as Build
// seals it or not; o.Out is not used. Call Full to build it.
func NewMemory(o Options, sealed bool) *Memory {
	return &Memory{opts: o, sealed: sealed, files: map[string][]byte{}, errs: map[string]diag.List{}}
}

// File returns the output file at path (relative to public/, slash-separated)
// of the last good build.
func (m *Memory) File(path string) ([]byte, bool) {
	if m.exportStale.Load() && strings.HasPrefix(path, ExportDir+"/") {
		m.refreshExport()
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.files[path]
	return b, ok
}

// Paths returns the paths of every output file, sorted.
func (m *Memory) Paths() []string {
	m.mu.RLock()
	ps := make([]string, 0, len(m.files))
	for p := range m.files {
		ps = append(ps, p)
	}
	m.mu.RUnlock()
	sort.Strings(ps)
	return ps
}

// Generation counts the rebuilds that changed the files; it is 0 until the
// first build succeeds.
func (m *Memory) Generation() uint64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.gen
}

// Built reports whether a build has ever succeeded, so that there is a site
// to serve.
func (m *Memory) Built() bool { return m.Generation() > 0 }

// Errors returns the problems of the content as it is now: those of the
// last full build if it failed, and those of every client whose last rebuild
// failed. It is empty when the files served are up to date.
func (m *Memory) Errors() diag.List {
	m.mu.RLock()
	var all diag.List
	for _, l := range m.errs {
		all = append(all, l...)
	}
	m.mu.RUnlock()
	all.Sort()
	return all
}

// Full loads, derives and renders the whole site again, and replaces every
// file when it succeeds.
func (m *Memory) Full() (Stats, error) {
	m.rebuild.Lock()
	defer m.rebuild.Unlock()
	start := time.Now()
	p := forPreview
	if m.sealed {
		p = forPublish
	}
	r, err := assemble(m.opts, p)
	if err != nil {
		m.fail("", err, true)
		return Stats{}, err
	}
	defer r.Close()
	files := map[string][]byte{}
	var mu sync.Mutex
	st, err := r.stream(writeFunc(func(p string, b []byte) error {
		mu.Lock()
		files[p] = bytes.Clone(b)
		mu.Unlock()
		return nil
	}))
	if err != nil {
		m.fail("", err, true)
		return Stats{}, err
	}
	dirs := map[string]string{} // portal folder -> client slug
	for _, c := range r.site.Clients {
		dirs[r.ro.PortalDir(c)+"/"] = c.Slug
	}
	owned := map[string][]string{}
	for p := range files {
		if slug, ok := portalOf(dirs, p); ok {
			owned[slug] = append(owned[slug], p)
		}
	}
	m.run, m.summaries, m.owned = r, r.summaries, owned

	m.mu.Lock()
	m.files = files
	m.exportStale.Store(false)
	m.gen++
	clear(m.errs)
	m.mu.Unlock()

	st.Pages = len(files)
	st.Duration = time.Since(start)
	return st, nil
}

// portalOf finds the client whose portal folder holds path p.
func portalOf(dirs map[string]string, p string) (string, bool) {
	for d := p; ; {
		i := lastSlash(d)
		if i < 0 {
			return "", false
		}
		d = d[:i]
		if slug, ok := dirs[d+"/"]; ok {
			return slug, true
		}
	}
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

// Client rebuilds after a change in the folder clients/<slug> of the content:
// it reloads that client alone (an edited, added, renamed or deleted session,
// or its profile), derives and renders its pages and the site's own pages
// (home, 404), and replaces them. A client folder that has gone is removed
// with its pages; a new one is added. Without a good full build to update,
// it makes a full build instead, as it does for a sealed site.
func (m *Memory) Client(slug string) (Stats, error) {
	m.rebuild.Lock()
	if m.run == nil || len(m.errsOf("")) > 0 || m.sealed {
		m.rebuild.Unlock()
		return m.Full()
	}
	defer m.rebuild.Unlock()
	start := time.Now()
	r0 := m.run

	var c *model.Client
	folder := filepath.Join(m.opts.Content, "clients", slug)
	if fi, err := os.Stat(folder); err == nil && fi.IsDir() {
		var errs diag.List
		c, errs = load.Client(r0.site, m.opts.Content, slug, load.Options{Drafts: m.opts.Drafts})
		if len(errs) > 0 {
			m.fail(slug, errs, false)
			return Stats{}, errs
		}
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		m.fail(slug, err, false)
		return Stats{}, err
	}

	// A new run and summaries with the client replaced, added or removed;
	// the old ones stay as they were until this rebuild has succeeded.
	r := *r0
	site := *r0.site
	site.Clients = nil
	r.site, r.pub = &site, &site // a preview publishes the site as loaded
	var (
		summaries []*report.Client
		rc        *report.Client
		done      bool
	)
	add := func(mc *model.Client, s *report.Client) {
		site.Clients = append(site.Clients, mc)
		summaries = append(summaries, s)
	}
	for i, old := range r0.site.Clients {
		if !done && c != nil && c.Slug <= old.Slug {
			rc = report.DeriveClient(&site, c)
			add(c, summarize(rc))
			done = true
		}
		if old.Slug != slug {
			add(old, m.summaries[i])
		}
	}
	if !done && c != nil {
		rc = report.DeriveClient(&site, c)
		add(c, summarize(rc))
	}

	newFiles := map[string][]byte{}
	var paths []string
	if rc != nil {
		err := r.renderClient(rc, writeFunc(func(p string, b []byte) error {
			newFiles[p] = bytes.Clone(b)
			paths = append(paths, p)
			return nil
		}), nil)
		if err != nil {
			err = diag.List{{Path: folder, Msg: err.Error()}}
			m.fail(slug, err, false)
			return Stats{}, err
		}
	}
	sitePages, _, err := r.theme.Site(&report.Site{Site: &site, Clients: summaries}, r.ro)
	if err != nil {
		m.fail(slug, err, false)
		return Stats{}, err
	}
	for _, p := range sitePages {
		newFiles[p.Path] = p.Data
	}
	m.exportStale.Store(true)

	m.run, m.summaries = &r, summaries
	old := m.owned[slug]
	if rc != nil {
		m.owned[slug] = paths
	} else {
		delete(m.owned, slug)
	}

	m.mu.Lock()
	for _, p := range old {
		delete(m.files, p)
	}
	for p, b := range newFiles {
		m.files[p] = b
	}
	m.gen++
	delete(m.errs, slug)
	m.mu.Unlock()

	st := Stats{Clients: 1, Pages: len(newFiles), Duration: time.Since(start)}
	if c != nil {
		st.Sessions = len(c.Sessions)
	} else {
		st.Clients = 0
	}
	return st, nil
}

// refreshExport remakes the site-wide data export (data/ of a public site)
// from the exports of the portals of the last good build.
func (m *Memory) refreshExport() {
	m.rebuild.Lock()
	defer m.rebuild.Unlock()
	if !m.exportStale.Load() {
		return
	}
	r := m.run
	files := map[string][]byte{}
	if r.pv.mode == model.Public {
		m.mu.RLock()
		parts := make([][]export.File, len(r.site.Clients))
		for i, c := range r.site.Clients {
			dir := r.ro.PortalDir(c) + "/" + ExportDir + "/"
			for _, name := range exportFiles {
				parts[i] = append(parts[i], export.File{Name: name, Data: m.files[dir+name]})
			}
		}
		m.mu.RUnlock()
		for _, f := range export.Join(&report.Site{Site: r.pub}, parts) {
			files[ExportDir+"/"+f.Name] = f.Data
		}
	}
	m.mu.Lock()
	for p := range m.files {
		if strings.HasPrefix(p, ExportDir+"/") {
			delete(m.files, p)
		}
	}
	maps.Copy(m.files, files)
	m.mu.Unlock()
	m.exportStale.Store(false)
}

func (m *Memory) errsOf(scope string) diag.List {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.errs[scope]
}

// fail records err as the problems of scope. A full build that fails
// replaces every earlier problem: its list holds them all.
func (m *Memory) fail(scope string, err error, full bool) {
	var list diag.List
	if !errors.As(err, &list) {
		list = diag.List{{Path: m.opts.Content, Msg: err.Error()}}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if full {
		clear(m.errs)
	}
	m.errs[scope] = list
}
