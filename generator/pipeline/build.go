// Package pipeline runs the whole pipeline — load, derive, render, write — for
// one site. The command line and the preview server both build through it.
package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/output"
	"github.com/coachsite/coachsite/generator/render"
	"github.com/coachsite/coachsite/generator/report"
	"github.com/coachsite/coachsite/generator/rootfs"
	"github.com/coachsite/coachsite/themes"
)

// Options says what to build and where.
type Options struct {
	Content string // the content folder, e.g. "content"
	Out     string // the output folder, e.g. "public"; replaced only on success
	Drafts  bool   // include sessions marked draft: true
	// Force replaces an output folder that has no coachsite marker, such
	// as the output of an older coachsite (see output.Options).
	Force bool

	// Secrets is the secrets file of an encrypted or unlisted site
	// (docs/privacy.md); "" reads them from the environment or, when it
	// holds none, from secrets.yaml beside the content folder
	// (seal.LocateSecrets).
	Secrets string
	// Environ is the environment the secrets are read from when Secrets is
	// ""; nil means os.Environ().
	Environ []string
	// SecretsFrom, when set, is told where the secrets of an encrypted or
	// unlisted site were read from — the file's path, or "environment" —
	// each time they are read. It is never told a secret.
	SecretsFrom func(source string)

	// Warn, when set, hears each warning of the build (a secrets file open
	// to others, or tracked by git), one sentence without a newline; when
	// nil, warnings go to standard error.
	Warn func(msg string)

	// Progress, when set, is called as the build goes: once when the content
	// is loaded (done = total = 0) and after each client's pages are written,
	// with the number of clients done and in all. It may be called from
	// several goroutines, never at the same time.
	Progress func(done, total int)
}

// Stats describes a finished build.
type Stats struct {
	Clients  int
	Sessions int
	Pages    int // files written, assets included
	Duration time.Duration
	Stages   []Stage // how long each stage took, in pipeline order
}

// Stage is the time one stage of a build took.
type Stage struct {
	Name     string // "load", "derive", "render+write", "commit"
	Duration time.Duration
}

// String formats the counts for the one-line summary, e.g.
// "3 clients, 17 sessions, 28 files".
func (s Stats) String() string {
	return fmt.Sprintf("%s, %s, %s", plural(s.Clients, "client"), plural(s.Sessions, "session"), plural(s.Pages, "file"))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Build builds the site in o.Content into o.Out. Content problems are returned
// as a diag.List holding every problem found; then, as on any error, o.Out is
// left exactly as it was.
func Build(o Options) (Stats, error) {
	start := time.Now()
	if err := output.CheckPlacement(o.Content, o.Out, output.Options{Force: o.Force}); err != nil {
		return Stats{}, err
	}
	var stages []Stage
	lap := start
	mark := func(name string) {
		now := time.Now()
		stages = append(stages, Stage{name, now.Sub(lap)})
		lap = now
	}
	site, th, err := prepare(o, load.Options{Drafts: o.Drafts})
	if err != nil {
		return Stats{}, err
	}
	pv, pub, err := newPrivacy(o, site)
	if err != nil {
		return Stats{}, err
	}
	mark("load")
	if o.Progress != nil {
		o.Progress(0, 0)
	}
	rs := report.Derive(pub)
	mark("derive")

	out, err := output.Begin(o.Out, output.Options{Force: o.Force})
	if err != nil {
		return Stats{}, err
	}
	write := out.WriteFile
	if o.Progress != nil {
		write = progressWriter(rs, o.Progress, write)
	}
	if err := renderSite(rs, th, pv.options(renderOptions(pub, th)), pv, write); err != nil {
		out.Abort()
		return Stats{}, err
	}
	mark("render+write")
	st := count(site)
	st.Pages = out.Files()
	if err := out.Commit(); err != nil {
		return Stats{}, err
	}
	mark("commit")
	st.Duration = time.Since(start)
	st.Stages = stages
	return st, nil
}

// Check finds every problem a build would, and writes nothing. It validates
// every file of the content (notes included, without making their HTML), the
// secrets of a private site, and renders the site's own pages and the
// largest client's — which exercises every template of the theme and the
// privacy stage — rather than every page, so that it stays fast on large
// sites. Stats.Pages is 0.
func Check(o Options) (Stats, error) {
	start := time.Now()
	site, th, err := prepare(o, load.Options{Drafts: o.Drafts, NoHTML: true})
	if err != nil {
		return Stats{}, err
	}
	pv, pub, err := newPrivacy(o, site)
	if err != nil {
		return Stats{}, err
	}
	rs := report.Derive(pub)
	sample := *rs
	sample.Clients = nil
	for _, c := range rs.Clients {
		if len(sample.Clients) == 0 || len(c.Sessions) > len(sample.Clients[0].Sessions) {
			sample.Clients = []*report.Client{c}
		}
	}
	discard := func(string, []byte) error { return nil }
	if err := renderSite(&sample, th, pv.options(renderOptions(pub, th)), pv, discard); err != nil {
		return Stats{}, err
	}
	st := count(site)
	st.Duration = time.Since(start)
	return st, nil
}

// prepare loads the content and the theme it asks for.
func prepare(o Options, lo load.Options) (*model.Site, *render.Theme, error) {
	if fi, err := os.Stat(o.Content); err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("no content folder at %s", o.Content)
	}
	site, err := load.Site(o.Content, lo)
	if err != nil {
		return nil, nil, err
	}
	th, err := loadTheme(o.Content, site.Theme)
	if err != nil {
		return nil, nil, err
	}
	return site, th, nil
}

// loadTheme merges the site's own themes/<name>/ (beside the content folder)
// over the embedded default theme, reading the folder through rootfs: a
// link leading out of it, or a FIFO, is an error.
func loadTheme(content, name string) (*render.Theme, error) {
	if name == "" || name == "default" {
		return render.LoadTheme(themes.Default, nil)
	}
	dir := filepath.Join(filepath.Dir(filepath.Clean(content)), "themes", name)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, diag.List{{Path: filepath.Join(content, "site.yaml"), Msg: fmt.Sprintf("theme: no folder %s", dir)}}
	}
	td, err := rootfs.Open(dir, "theme folder")
	if err != nil {
		return nil, err
	}
	defer td.Close()
	return render.LoadTheme(themes.Default, td.FS())
}

// renderOptions lays the site out with portals under clients/<slug>/, each
// linking its data export in clear; the privacy stage (privacy.options)
// changes both for unlisted and encrypted sites.
func renderOptions(site *model.Site, th *render.Theme) render.Options {
	return render.Options{
		PortalDir:   func(c *model.Client) string { return "clients/" + c.Slug },
		ListClients: site.Privacy == model.Public,
		Charts:      summaryCharts(site, siteCharts(site, th)),
		DataFiles:   exportFiles,
	}
}

func count(site *model.Site) Stats {
	st := Stats{Clients: len(site.Clients)}
	for _, c := range site.Clients {
		st.Sessions += len(c.Sessions)
	}
	return st
}

// progressWriter wraps write so that progress hears of each client whose
// portal page has been written: every client has exactly one page at
// clients/<dir>/index.html, and no other page lies at that depth.
func progressWriter(rs *report.Site, progress func(done, total int), write func(string, []byte) error) func(string, []byte) error {
	var mu sync.Mutex
	done, total := 0, len(rs.Clients)
	return func(path string, data []byte) error {
		if err := write(path, data); err != nil {
			return err
		}
		if strings.Count(path, "/") == 2 && strings.HasSuffix(path, "/index.html") {
			mu.Lock()
			done++
			progress(done, total)
			mu.Unlock()
		}
		return nil
	}
}

// renderSite renders every page of the site and hands each to write,
// rendering clients on all cores and publishing through the privacy stage pv
// (client pages sealed and the coach dashboard added when the site is
// encrypted). The site's own pages are made beside the clients, not before
// them, and the site-wide export is joined from the clients' exports once
// they are all done. Pages are handed over as they are made and not kept, so
// memory stays flat however many sessions the site has; write must copy any
// data it keeps after it returns.
func renderSite(rs *report.Site, th *render.Theme, ro render.Options, pv *privacy, write func(path string, data []byte) error) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	wg.Go(func() {
		if err := renderSiteFiles(rs, th, ro, pv, write); err != nil {
			fail(err)
		}
	})
	site := newSiteExport(rs, pv)
	work := make(chan *report.Client)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for c := range work {
				if err := renderClient(rs, c, th, ro, pv, site, write); err != nil {
					fail(err)
				}
			}
		})
	}
	for _, c := range rs.Clients {
		work <- c
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return site.write(write)
}

// renderSiteFiles writes the pages and files of the site as a whole: home,
// 404, assets and the privacy mode's extra pages.
func renderSiteFiles(rs *report.Site, th *render.Theme, ro render.Options, pv *privacy, write func(path string, data []byte) error) error {
	pages, files, err := th.Site(rs, ro)
	if err != nil {
		return err
	}
	extra, err := pv.extra(th, rs, ro)
	if err != nil {
		return err
	}
	files = append(files, extra...)
	for _, p := range pages {
		if err := write(p.Path, p.Data); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := write(f.Path, f.Data); err != nil {
			return err
		}
	}
	return nil
}

// renderClient renders client c's pages and export and hands each file to
// write as soon as it is made. write must not keep data after it returns:
// the pages' memory is reused.
func renderClient(rs *report.Site, c *report.Client, th *render.Theme, ro render.Options, pv *privacy, site *siteExport, write func(path string, data []byte) error) error {
	var (
		frame   *render.Page // the portal, lending its frame to the data page
		emitErr error
	)
	err := th.ClientPages(rs, c, ro, func(p *render.Page) error {
		if frame == nil {
			f := *p
			f.Data, f.Main, f.CoachMain = nil, nil, nil
			frame = &f
		}
		data, err := pv.page(th, p)
		if err == nil {
			err = write(p.Path, data)
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
	return writeClientExport(rs, c, th, frame, ro, pv, site, write)
}
