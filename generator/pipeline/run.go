package pipeline

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/export"
	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/render"
	"github.com/coachsite/coachsite/generator/report"
	"github.com/coachsite/coachsite/generator/rootfs"
	"github.com/coachsite/coachsite/themes"
)

// Writer receives the files a run makes, each by its path relative to
// public/ (slash-separated). Runs call WriteFile from several goroutines at
// once; it must copy data if it keeps it after returning.
type Writer interface {
	WriteFile(path string, data []byte) error
}

// creator is a Writer that can also take a file in pieces (output.Dir): a
// run writes the site-wide data export that way rather than holding it.
type creator interface {
	Create(path string) (io.WriteCloser, error)
}

// writeFunc is a function used as a Writer.
type writeFunc func(path string, data []byte) error

func (f writeFunc) WriteFile(path string, data []byte) error { return f(path, data) }

// discard is the Writer of Check.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

// purpose says what a run is assembled for, which decides how it lays the
// site out, whether it seals it, and what it makes.
type purpose int

const (
	// forPublish makes the site as published: laid out and sealed for its
	// privacy mode.
	forPublish purpose = iota
	// forPreview makes every page unsealed whatever the privacy mode, every
	// portal under clients/<slug>/ and listed on the home page: for the
	// coach on the local machine, never for publishing.
	forPreview
	// forCheck checks as forPublish would build, without rendering notes or
	// writing anything (key cache included); it renders the site's own
	// pages and the largest client's only.
	forCheck
	// forArchive makes an encrypted site's pages as forPublish does, and
	// any other site's as forPreview; the home page lists every client.
	forArchive
)

// run is the pipeline assembled once: the content opened (site, profiles),
// the theme, the privacy stage and the render options. Every command runs
// through one.
type run struct {
	o       Options
	purpose purpose
	content *load.Content
	site    *model.Site // as loaded, clients with their profiles only
	pub     *model.Site // as published: see privacy.site
	theme   *render.Theme
	ro      render.Options
	pv      *privacy
	// problems of the content found when opening it; then the run only
	// loads the clients, to report every problem at once.
	problems diag.List
	opened   time.Duration
	// summaries of the clients, in the order of site.Clients, once streamed.
	summaries []*report.Client
}

// assemble opens the content of o, loads its theme and sets up its privacy
// stage and layout for purpose p. Close the run when done.
func assemble(o Options, p purpose) (*run, error) {
	start := time.Now()
	if fi, err := os.Stat(o.Content); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("no content folder at %s", o.Content)
	}
	ct, err := load.Open(o.Content, load.Options{Drafts: o.Drafts, NoHTML: p == forCheck})
	if err != nil {
		return nil, err
	}
	r := &run{o: o, purpose: p, content: ct, site: ct.Site, problems: ct.Problems()}
	if len(r.problems) > 0 {
		return r, nil
	}
	if r.theme, err = loadTheme(o.Content, r.site.Theme); err != nil {
		ct.Close()
		return nil, err
	}
	r.pv = public
	if p == forPublish || p == forCheck || p == forArchive && r.site.Privacy == model.Encrypted {
		if r.pv, err = newPrivacy(o, r.site, p == forPublish); err != nil {
			ct.Close()
			return nil, err
		}
	}
	r.pub = r.pv.site(r.site)
	r.ro = render.Options{
		PortalDir:   func(c *model.Client) string { return "clients/" + c.Slug },
		ListClients: r.pv.mode == model.Public,
		Charts:      siteCharts(r.pub, r.theme),
		DataFiles:   exportFiles,
	}
	r.ro = r.pv.options(r.ro)
	if p == forPreview || p == forArchive {
		r.ro.ListClients = true
	}
	r.opened = time.Since(start)
	return r, nil
}

// loadTheme merges the site's own themes/<name>/ (beside the content folder)
// over the embedded default theme, reading the folder through rootfs: a
// link leading out of themes/, or a FIFO, is an error.
func loadTheme(content, name string) (*render.Theme, error) {
	if name == "" || name == "default" {
		return render.LoadTheme(themes.Default, nil)
	}
	dir := filepath.Join(filepath.Dir(filepath.Clean(content)), "themes", name)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, diag.List{{Path: filepath.Join(content, "site.yaml"), Msg: fmt.Sprintf("theme: no folder %s", dir)}}
	}
	// The root is themes/, not themes/<name>: a themes/<name> that is
	// itself a link out of themes/ is refused too.
	td, err := rootfs.Open(filepath.Dir(dir), "themes folder")
	if err != nil {
		return nil, err
	}
	defer td.Close()
	sub, err := fs.Sub(td.FS(), name)
	if err != nil {
		return nil, err
	}
	return render.LoadTheme(themes.Default, sub)
}

// Close closes the content folder the run reads.
func (r *run) Close() error { return r.content.Close() }

// loaded is one client as a run has loaded it: as in the content, as
// published and derived.
type loaded struct {
	src    *model.Client  // as loaded: real session slugs and source paths
	report *report.Client // as published
}

// client loads, publishes and derives the i-th client of the site.
func (r *run) client(i int) (loaded, diag.List) {
	src, errs := r.content.Client(i)
	if len(errs) > 0 || len(r.problems) > 0 {
		return loaded{src: src}, errs
	}
	return loaded{src, report.DeriveClient(r.pub, r.pv.client(src))}, nil
}

// stream runs the pipeline into w: one client at a time on every core,
// each loaded, derived, rendered and written, then summarized; then the
// site's own pages from the summaries. On a content problem it still loads
// every client, and returns every problem as one diag.List.
func (r *run) stream(w Writer) (Stats, error) {
	start := time.Now()
	n := len(r.site.Clients)
	st := Stats{Clients: n, Stages: []Stage{{"open", r.opened}}}
	if r.o.Progress != nil {
		r.o.Progress(0, 0)
	}
	joiner, closeExport, err := r.siteExport(w)
	if err != nil {
		return Stats{}, err
	}
	var (
		mu       sync.Mutex
		problems = r.problems
		firstErr error
		done     int
		briefs   = make([]*brief, n)
		parts    = map[int][]export.File{} // exports waiting for those of earlier clients
		next     int                       // the client whose export joins next
		sample   loaded                    // forCheck: the client with most sessions
	)
	// ok reports whether rendering is still worth doing: nothing failed.
	ok := func() bool { return len(problems) == 0 && firstErr == nil }
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Go(func() {
			for i := range work {
				c, errs := r.client(i)
				mu.Lock()
				problems = append(problems, errs...)
				st.Sessions += len(c.src.Sessions)
				render := ok() && r.purpose != forCheck
				if ok() && r.purpose == forCheck && (sample.report == nil || len(c.report.Sessions) > len(sample.report.Sessions)) {
					sample = c
				}
				mu.Unlock()
				var part []export.File
				var err error
				if render {
					err = r.renderClient(c.report, w, func(f []export.File) { part = f })
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if c.report != nil {
					briefs[i] = pack(c.report, r.site.Clients[i])
				}
				if joiner != nil {
					parts[i] = part
					for ; next < n; next++ {
						p, ready := parts[next]
						if !ready {
							break
						}
						delete(parts, next)
						if p != nil && ok() {
							if err := joiner.Add(p); err != nil {
								firstErr = err
							}
						}
					}
				}
				done++
				if r.o.Progress != nil {
					r.o.Progress(done, n)
				}
				mu.Unlock()
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	if len(problems) > 0 {
		return Stats{}, problems.Err()
	}
	if firstErr != nil {
		return Stats{}, firstErr
	}
	lap := time.Now()
	st.Stages = append(st.Stages, Stage{"clients", lap.Sub(start)})

	// The clients' summaries, made again from their briefs now that no
	// client is in flight.
	summaries := make([]*report.Client, n)
	for i, b := range briefs {
		if b != nil {
			summaries[i] = b.unpack()
		}
	}
	r.summaries = summaries
	rs := &report.Site{Site: r.pub, Clients: summaries}
	if sample.report != nil {
		one := &report.Site{Site: r.pub, Clients: []*report.Client{sample.report}}
		if err := r.renderClient(sample.report, w, nil); err != nil {
			return Stats{}, err
		}
		rs = one
	}
	if err := r.renderSite(rs, w); err != nil {
		return Stats{}, err
	}
	if err := closeExport(); err != nil {
		return Stats{}, err
	}
	st.Stages = append(st.Stages, Stage{"site", time.Since(lap)})
	return st, nil
}

// siteExport returns the joiner of the site-wide data export (data/ of a
// public site; see writeSiteExport) writing into w, and the function that
// ends it. The joiner is nil when the site gets no such export.
func (r *run) siteExport(w Writer) (*export.Joiner, func() error, error) {
	if r.pv == nil || r.pv.mode != model.Public || r.purpose == forCheck {
		return nil, func() error { return nil }, nil
	}
	names := exportFiles
	outs := make([]io.Writer, len(names))
	var finish []func() error
	for i, name := range names {
		p := ExportDir + "/" + name
		if c, ok := w.(creator); ok {
			f, err := c.Create(p)
			if err != nil {
				return nil, nil, err
			}
			b := bufio.NewWriterSize(f, 64<<10)
			outs[i] = b
			finish = append(finish, func() error {
				if err := b.Flush(); err != nil {
					f.Close()
					return err
				}
				return f.Close()
			})
			continue
		}
		var b bytes.Buffer
		outs[i] = &b
		finish = append(finish, func() error { return w.WriteFile(p, b.Bytes()) })
	}
	j := export.NewJoiner(&report.Site{Site: r.pub}, outs)
	return j, func() error {
		err := j.Close()
		for _, f := range finish {
			if ferr := f(); err == nil {
				err = ferr
			}
		}
		return err
	}, nil
}

// renderSite writes the pages and files of the site as a whole: home, 404,
// assets and the privacy mode's extra pages, from rs, the summaries of the
// clients.
func (r *run) renderSite(rs *report.Site, w Writer) error {
	pages, files, err := r.theme.Site(rs, r.ro)
	if err != nil {
		return err
	}
	extra, err := r.pv.extra(r.theme, rs, r.ro)
	if err != nil {
		return err
	}
	files = append(files, extra...)
	for _, p := range pages {
		if err := w.WriteFile(p.Path, p.Data); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := w.WriteFile(f.Path, f.Data); err != nil {
			return err
		}
	}
	return nil
}

// renderClient renders client c's pages and data export and hands each
// file to w as soon as it is made, through the privacy stage (sealed on an
// encrypted site). exported, when not nil, receives the client's export in
// clear, for the site-wide one.
func (r *run) renderClient(c *report.Client, w Writer, exported func([]export.File)) error {
	rs := &report.Site{Site: r.pub}
	var (
		frame   *render.Page // the portal, lending its frame to the data page
		emitErr error
	)
	err := r.theme.ClientPages(rs, c, r.ro, func(p *render.Page) error {
		if frame == nil {
			f := *p
			f.Data, f.Main, f.CoachMain = nil, nil, nil
			frame = &f
		}
		data, err := r.pv.page(r.theme, p)
		if err == nil {
			err = w.WriteFile(p.Path, data)
		}
		emitErr = err
		return err
	})
	switch {
	case emitErr != nil:
		return emitErr
	case err != nil:
		return fmt.Errorf("rendering %s: %w", c.Client.Slug, err)
	}
	ex := export.New(rs, []*report.Client{c}).Files()
	if exported != nil {
		exported(ex)
	}
	return writeClientExport(rs, c, r.theme, frame, r.ro, r.pv, ex, w)
}

// summarize returns what the site's own pages (home, coach dashboard) read
// of a client's report, so that the rest can be dropped once the client's
// pages are written: the profile without its text; the number of sessions;
// the latest session's figures (ratings, time split, balance gap), not its
// notes or mentions; the open commitments (not the rest of the ledger); the
// tally of commitments and the mean cadence. Of the sessions it keeps only
// the latest as a report (Sessions and Client.Sessions hold it alone), and,
// for the latest and those the open commitments name, only the slug, title,
// date, duration and format, not the path of the file. A site's memory then
// grows with its clients, not with its sessions. docs/themes.md says what a
// summary holds. While the clients stream, a run holds each summary packed,
// as a brief.
func summarize(rc *report.Client) *report.Client { return pack(rc, rc.Client).unpack() }
