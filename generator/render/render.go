package render

import (
	"bytes"
	"fmt"
	"html/template"
	"path"
	"strings"
	"sync"

	"github.com/coachsite/coachsite/generator/locale"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// CSP is the Content-Security-Policy of every page, in its <meta> tag and in
// the _headers file: scripts and styles only from the site's own files, no
// inline script or style, nothing from another host.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"

// CheckInCSP is the check-in page's policy: CSP with no connection allowed
// at all, so nothing the client enters can leave the page by a request.
const CheckInCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'"

// SiteScript is the theme's own script, loaded by every page.
const SiteScript = "assets/js/site.js"

// DefaultChartScripts are the scripts a page with charts loads, after
// SiteScript: the script that draws the charts from their JSON data blocks.
// It loads the vendored ECharts build itself, after the page is shown, so
// that neither the page nor its unlock form waits for it.
var DefaultChartScripts = []string{"assets/js/charts.js"}

// File is one file of the output.
type File struct {
	Path string // slash-separated, relative to public/, e.g. "clients/kim/index.html"
	Data []byte
}

// Page is one rendered HTML page.
type Page struct {
	File // Data is the whole page as written when the page is not sealed

	Kind   string        // KindPortal, KindSession, ...
	Title  string        // the page's own title; Wrap puts it before the site's in <title>
	Client *model.Client // nil for site pages
	Lang   string        // the page's language: its client's, else the site's

	// Main is the content of <main> as the client sees it; CoachMain the same
	// for the coach (private notes inline), nil when identical to Main.
	Main, CoachMain []byte

	// Scripts are the scripts the page loads after SiteScript, as paths
	// relative to public/; Wrap links them relative to the page.
	Scripts []string

	site *model.Site
}

// Slots name the places where charts go; Options.Charts fills them.
const (
	SlotSessionArc  = "session-arc"  // session page: the session's arc chart
	SlotSessionTime = "session-time" // session page: actual vs wished time split
	SlotPortalArc   = "portal-arc"   // portal: the latest session's arc chart
	SlotPortalTrend = "portal-trend" // portal: small per-area trend
	SlotTrends      = "trends"       // trends page: ratings and gaps over time
	SlotTrendsTime  = "trends-time"  // trends page: time, actual and wished, one small chart per area
)

// ClientLanguage is the language of a client's pages: the client's own, else
// the site's, else English.
func ClientLanguage(s *model.Site, c *model.Client) string {
	if c != nil && c.Language != "" {
		return c.Language
	}
	if s != nil && s.Language != "" {
		return s.Language
	}
	return locale.Fallback
}

// Options says how a site's pages are laid out.
type Options struct {
	// PortalDir is the folder of a client's portal relative to public/, e.g.
	// "clients/kim" or an opaque token; nil means "clients/<slug>".
	PortalDir func(*model.Client) string

	// ListClients lists the client portals on the home page.
	ListClients bool

	// Charts, when set, returns the markup of a chart slot (one of the Slot
	// constants) for client c; s is the session of a session page, the latest
	// session on the portal, nil on the trends page. Empty markup leaves the
	// slot out. The markup must hold no script other than JSON data blocks.
	Charts func(slot string, c *report.Client, s *report.Session) (template.HTML, error)

	// ChartScripts are loaded by pages showing at least one chart; nil means
	// DefaultChartScripts.
	ChartScripts []string

	// DataFiles are the files of a client's data export that the portal
	// links, as names in the portal's data/ folder: the export files
	// themselves ("data.json", "ratings.csv", ...) where the caller writes
	// them in clear, or "index.html" for the sealed data page of an
	// encrypted site. Nil means the caller writes no export: no link.
	DataFiles []string

	// CoachViews renders, for every page with coach-only notes, the coach's
	// version too (Page.CoachMain). Only a sealed site publishes it, so other
	// sites leave it off and save the work.
	CoachViews bool

	// CheckIn, when set, gives every portal a check-in page sealed to the
	// coach's check-in key (see KindCheckIn).
	CheckIn *CheckInKey
}

func (o Options) portalDir(c *model.Client) (string, error) {
	dir := "clients/" + c.Slug
	if o.PortalDir != nil {
		dir = o.PortalDir(c)
	}
	if err := checkRel(dir); err != nil {
		return "", fmt.Errorf("portal folder of %s: %w", c.Slug, err)
	}
	return dir, nil
}

// checkRel accepts a clean, relative, slash-separated folder path.
func checkRel(p string) error {
	if p == "" || p == "." || strings.HasPrefix(p, "/") || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") || strings.ContainsAny(p, "\\?#") {
		return fmt.Errorf("%q is not a clean relative folder path", p)
	}
	return nil
}

// PageData is what the template "main" of every page kind receives as dot.
// The fields after Clients are prepared rows and links (see view.go): use
// them in loops, as they cost the template far less than computing the same
// from the report values.
type PageData struct {
	Kind    string
	Lang    string // the page's language: the client's, else the site's
	Root    string // relative path from this page to public/: "", "../../", ...
	Dir     string // this page's folder relative to public/; "" for the top
	Site    *report.Site
	Client  *report.Client  // nil on site pages
	Session *report.Session // session page: its session; portal: the latest (nil if none)

	PortalDir string // the client's portal folder relative to public/
	Coach     bool   // true while rendering the coach's view

	L *locale.Lang // the words and formats of Lang

	set *langSet // the theme's templates in Lang, for Partial

	Charts  map[string]template.HTML // chart markup by slot; empty when no charts
	Clients []ClientLink             // home page with Options.ListClients

	HomeHref, PortalHref, TrendsHref string // relative links from this page

	DateHTML template.HTML // Session's date in a <time> element
	DateText string        // Session's date as text
	Ratings  []RatingRow   // Session's ratings, one per area
	Time     []TimeView    // Session's time split; nil without one

	Commitments []CommitmentRow // session page: the commitments it mentions, in its order
	Made        []CommitmentRow // session page: those it made
	Reviewed    []CommitmentRow // session page: those an earlier session made, as it reviewed them
	Prev, Next  *SessionRow     // session page: neighbours, nil at the ends

	Sessions []SessionRow    // portal: newest first; trends: oldest first
	Open     []CommitmentRow // portal: open commitments, soonest due first
	Changes  []ChangeRow     // trends: per area over the engagement
	Data     []DataLink      // portal: the client's data export, from Options.DataFiles

	CheckInHref string       // portal: link to the check-in page; "" when the site has none
	CheckIn     *CheckInView // check-in page: its form's data
}

// DataLink is a link from the portal to a file of the client's data export.
type DataLink struct {
	Href     string // relative link from the page
	Name     string // the link text: the file name, or "Data export" for the data page
	Download bool   // a file to download rather than a page to open
}

// ClientLink is one entry of the home page's list of portals.
type ClientLink struct {
	Client     *model.Client
	Report     *report.Client
	Href       string        // relative link to the portal's index.html
	LatestHTML template.HTML // date of the latest session, "" when none
}

// Href returns the relative link from this page to target, a path relative
// to public/, e.g. "../2026-02-11/index.html".
func (d *PageData) Href(target string) string {
	if d.Dir == "" {
		return target
	}
	parts := strings.Split(d.Dir, "/")
	for i := len(parts); i > 0; i-- {
		prefix := strings.Join(parts[:i], "/") + "/"
		if strings.HasPrefix(target, prefix) {
			return strings.Repeat("../", len(parts)-i) + target[len(prefix):]
		}
	}
	return strings.Repeat("../", len(parts)) + target
}

// SessionHref links to the page of session s of the client.
func (d *PageData) SessionHref(s *model.Session) string {
	return d.Href(d.PortalDir + "/" + s.Slug + "/index.html")
}

// Partial returns what the theme's partial template name writes for data,
// so that a page can hand a partial's markup to T, e.g. a change inside a
// sentence.
func (d *PageData) Partial(name string, data any) (template.HTML, error) {
	if d.set == nil {
		return "", errNoLang
	}
	var b bytes.Buffer
	if err := d.set.layout.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// Asset links to a file under public/, e.g. "assets/css/site.css".
func (d *PageData) Asset(p string) string { return d.Root + p }

// Notes picks the audience's rendering of n: with private blocks for the
// coach, without for the client.
func (d *PageData) Notes(n model.Notes) template.HTML {
	if d.Coach {
		return n.Coach
	}
	return n.Client
}

// Date formats x in the page's language, e.g. "14 January 2026".
func (d *PageData) Date(x model.Date) string { return d.L.Date(x.Time) }

// Scale is the site's rating scale.
func (d *PageData) Scale() model.Scale { return d.Site.Site.Scale }

// LayoutData is what the template "base" receives as dot.
type LayoutData struct {
	Lang      string // the page's language, for <html lang>; T speaks it
	Title     string // the page's title, e.g. "Kim Lee · Coaching notes"
	SiteTitle string
	Coach     string // the coach's name
	Kind      string
	Root      string   // relative path from the page to public/
	CSP       string   // the Content-Security-Policy for the <meta> tag
	Scripts   []string // relative links of the scripts to load, in order
	Main      template.HTML
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Wrap lays main out as the complete page p: head, header, footer and
// scripts. The privacy stage calls it with sealed content; it reads only
// p.Path, p.Kind, p.Title and p.Scripts, so a sealed page shows nothing of
// the client when its Title is neutral.
func (t *Theme) Wrap(p *Page, main template.HTML) ([]byte, error) {
	return t.appendPage(nil, p, main)
}

// appendPage appends main laid out as the complete page p to dst.
func (t *Theme) appendPage(dst []byte, p *Page, main template.HTML) ([]byte, error) {
	ld := layoutData(p, main)
	set, err := t.set(ld.Lang)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	buf := bytes.NewBuffer(dst)
	if err := set.layout.ExecuteTemplate(buf, "base", &ld); err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	return buf.Bytes(), nil
}

// finish lays main out as the complete page p in memory of its own, setting
// p.Data and p.Main. main may be a reused buffer: p keeps no reference to it.
func (t *Theme) finish(p *Page, main []byte) error {
	data, err := t.appendPage(nil, p, template.HTML(main))
	if err != nil {
		return err
	}
	p.Data, p.Main = data, bytes.Clone(main)
	return nil
}

func layoutData(p *Page, main template.HTML) LayoutData {
	root := rootOf(p.Path)
	ld := LayoutData{
		Kind: p.Kind, Root: root, CSP: CSP, Main: main,
		Scripts: make([]string, 0, 1+len(p.Scripts)),
	}
	if p.Kind == KindCheckIn {
		ld.CSP = CheckInCSP
	}
	if p.site != nil {
		ld.Lang, ld.SiteTitle, ld.Coach = p.site.Language, p.site.Title, p.site.Coach
	}
	if p.Lang != "" {
		ld.Lang = p.Lang
	}
	if ld.Lang == "" {
		ld.Lang = "en"
	}
	ld.Title = ld.SiteTitle
	if p.Title != "" && p.Title != ld.SiteTitle {
		ld.Title = p.Title
		if ld.SiteTitle != "" {
			ld.Title += " · " + ld.SiteTitle
		}
	}
	ld.Scripts = append(ld.Scripts, root+SiteScript)
	for _, s := range p.Scripts {
		ld.Scripts = append(ld.Scripts, root+s)
	}
	return ld
}

// rootOf returns the relative path from the page at p to public/.
func rootOf(p string) string {
	return strings.Repeat("../", strings.Count(p, "/"))
}

var pagePool = sync.Pool{New: func() any { return new([]byte) }}

// render executes the page kind's "main" for d (and again for the coach when
// private differs), wraps it and hands the page to emit. The page's Data,
// Main and CoachMain live in reused buffers: they are valid only until emit
// returns.
func (t *Theme) render(d *PageData, p Page, private bool, emit func(*Page) error) error {
	set, err := t.set(d.Lang)
	if err != nil {
		return fmt.Errorf("%s: %w", p.Path, err)
	}
	kt := set.kinds[d.Kind]
	p.Lang = d.Lang
	main := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(main)
	main.Reset()
	if err := kt.ExecuteTemplate(main, "main", d); err != nil {
		return fmt.Errorf("%s: %w", p.Path, err)
	}
	page := pagePool.Get().(*[]byte)
	defer pagePool.Put(page)
	data, err := t.appendPage((*page)[:0], &p, template.HTML(main.Bytes()))
	if err != nil {
		return err
	}
	*page = data
	p.Data, p.Main = data, main.Bytes()
	if private {
		coach := bufPool.Get().(*bytes.Buffer)
		defer bufPool.Put(coach)
		coach.Reset()
		d.Coach = true
		err := kt.ExecuteTemplate(coach, "main", d)
		d.Coach = false
		if err != nil {
			return fmt.Errorf("%s: %w", p.Path, err)
		}
		p.CoachMain = coach.Bytes()
	}
	return emit(&p)
}

// keep returns an emit function that appends a copy of each page to pages.
func keep(pages *[]Page) func(*Page) error {
	return func(p *Page) error {
		c := *p
		c.Data = bytes.Clone(p.Data)
		c.Main = bytes.Clone(p.Main)
		c.CoachMain = bytes.Clone(p.CoachMain)
		*pages = append(*pages, c)
		return nil
	}
}

// Client renders the pages of one client: the portal, the engagement
// summary, the trends page and one page per session, in that order. It may
// be called from several goroutines at once.
func (t *Theme) Client(s *report.Site, c *report.Client, o Options) ([]Page, error) {
	pages := make([]Page, 0, len(c.Sessions)+3)
	if err := t.ClientPages(s, c, o, keep(&pages)); err != nil {
		return nil, err
	}
	return pages, nil
}

// ClientPages renders the pages of one client as Client does, but hands each
// page to emit as soon as it is made instead of keeping them all. The
// page's Data, Main and CoachMain are reused once emit returns, so emit must
// copy what it keeps: a build that writes each page at once so allocates no
// memory for it. It stops at the first error emit returns.
func (t *Theme) ClientPages(s *report.Site, c *report.Client, o Options, emit func(*Page) error) error {
	dir, err := o.portalDir(c.Client)
	if err != nil {
		return err
	}
	areas := c.Client.Areas
	lang := ClientLanguage(s.Site, c.Client)
	set, err := t.set(lang)
	if err != nil {
		return fmt.Errorf("client %s: %w", c.Client.Slug, err)
	}
	l := set.lang
	view := newClientView(l, areas, c)
	base := func(kind, pageDir string, sess *report.Session) *PageData {
		d := &PageData{
			Kind: kind, Lang: lang, L: l, set: set, Dir: pageDir, Root: rootOf(pageDir + "/index.html"),
			Site: s, Client: c, Session: sess, PortalDir: dir,
		}
		view.fill(d)
		return d
	}
	add := func(d *PageData, title string, private bool, slots ...string) error {
		var err error
		if d.Charts, err = o.charts(c, d.Session, d.Kind, slots...); err != nil {
			return err
		}
		p := Page{File: File{Path: d.Dir + "/index.html"}, Kind: d.Kind, Title: title, Client: c.Client, site: s.Site}
		if len(d.Charts) > 0 {
			p.Scripts = o.chartScripts()
		}
		return t.render(d, p, private && o.CoachViews, emit)
	}

	name := c.Client.Name
	portal := base(KindPortal, dir, c.Latest)
	for _, f := range o.DataFiles {
		dl := DataLink{Href: portal.DataHref(f), Name: f, Download: true}
		if f == "index.html" {
			dl.Name, dl.Download = "", false // the theme names the data page
		}
		portal.Data = append(portal.Data, dl)
	}
	if o.CheckIn != nil {
		portal.CheckInHref = portal.Href(dir + "/" + CheckInDir + "/index.html")
	}
	if err := add(portal, name, c.Client.Intro.HasPrivate, SlotPortalArc, SlotPortalTrend); err != nil {
		return err
	}
	if o.CheckIn != nil {
		if err := t.checkIn(base(KindCheckIn, dir+"/"+CheckInDir, nil), o, view, areas, emit); err != nil {
			return err
		}
	}
	if err := t.summary(base(KindSummary, dir+"/"+SummaryDir, nil), o, emit); err != nil {
		return err
	}
	trendsTitle, err := l.T("title_trends", map[string]any{"Name": name})
	if err != nil {
		return err
	}
	if err := add(base(KindTrends, dir+"/trends", nil), trendsTitle, false, SlotTrends, SlotTrendsTime); err != nil {
		return err
	}
	for _, rs := range c.Sessions {
		if err := checkRel(rs.Session.Slug); err != nil || strings.Contains(rs.Session.Slug, "/") || rs.Session.Slug == "trends" {
			return fmt.Errorf("session %s of %s: unusable slug", rs.Session.Slug, c.Client.Slug)
		}
		if err := add(base(KindSession, dir+"/"+rs.Session.Slug, rs), rs.Session.Title+" · "+name, rs.Session.Notes.HasPrivate, SlotSessionArc, SlotSessionTime); err != nil {
			return err
		}
	}
	return nil
}

func (o Options) chartScripts() []string {
	if o.ChartScripts != nil {
		return o.ChartScripts
	}
	return DefaultChartScripts
}

func (o Options) charts(c *report.Client, s *report.Session, kind string, slots ...string) (map[string]template.HTML, error) {
	if o.Charts == nil {
		return nil, nil
	}
	var m map[string]template.HTML
	for _, slot := range slots {
		h, err := o.Charts(slot, c, s)
		if err != nil {
			return nil, fmt.Errorf("%s chart of %s: %w", slot, c.Client.Slug, err)
		}
		if h != "" {
			if m == nil {
				m = make(map[string]template.HTML, len(slots))
			}
			m[slot] = h
		}
	}
	return m, nil
}

// Site renders the pages and files of the site as a whole: the home page, a
// 404 page, robots.txt, _headers and the theme's assets.
func (t *Theme) Site(s *report.Site, o Options) ([]Page, []File, error) {
	l, err := t.Lang(s.Site.Language)
	if err != nil {
		return nil, nil, err
	}
	home := &PageData{Kind: KindHome, Lang: s.Site.Language, L: l, Site: s, HomeHref: "index.html"}
	if o.ListClients {
		for _, c := range s.Clients {
			dir, err := o.portalDir(c.Client)
			if err != nil {
				return nil, nil, err
			}
			cl := ClientLink{Client: c.Client, Report: c, Href: dir + "/index.html"}
			if c.Latest != nil {
				cl.LatestHTML = timeAtom(l, c.Latest.Session.Date)
			}
			home.Clients = append(home.Clients, cl)
		}
	}
	var pages []Page
	for _, d := range []*PageData{home, {Kind: KindNotFound, Lang: s.Site.Language, L: l, Site: s}} {
		name := "index.html"
		title := s.Site.Title
		if d.Kind == KindNotFound {
			name = "404.html"
			if title, err = l.T("page_not_found"); err != nil {
				return nil, nil, err
			}
		}
		if err := t.render(d, Page{File: File{Path: name}, Kind: d.Kind, Title: title, site: s.Site}, false, keep(&pages)); err != nil {
			return nil, nil, err
		}
	}
	files := []File{
		{Path: "robots.txt", Data: []byte("User-agent: *\nDisallow: /\n")},
		{Path: "_headers", Data: headersFile()},
	}
	files = append(files, t.assets...)
	return pages, files, nil
}
