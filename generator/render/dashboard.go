package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/coachsite/coachsite/generator/report"
)

// KindDashboard is the coach dashboard: every client on one page. The page
// names every client, so a build publishes it only sealed for the coach.
const KindDashboard = "dashboard"

// DashboardScript counts the overdue commitments of each client on the
// dashboard against the reader's own calendar.
const DashboardScript = "assets/js/dashboard.js"

// DashboardData is what the template "main" of layouts/dashboard.html
// receives as dot.
type DashboardData struct {
	Kind     string // KindDashboard
	Lang     string
	Root     string // relative path from the dashboard to public/
	Dir      string // the dashboard's folder relative to public/
	Site     *report.Site
	HomeHref string
	Rows     []DashboardRow // one per client, in the site's order
	Sessions int            // sessions of all clients
	Open     int            // open commitments of all clients
}

// DashboardRow is one client on the dashboard.
type DashboardRow struct {
	Client *report.Client
	Name   string
	Meta   string // role and organization, e.g. "Head of Sales · Acme"
	Href   string // relative link to the client's portal
	// Address is the portal's address to hand over: the full URL when
	// site.yaml gives base_url, else its folder (model.Site.Address).
	Address    string
	LatestHref string        // relative link to the latest session; "" without sessions
	LatestHTML template.HTML // date of the latest session in a <time>; "" without sessions
	Sessions   int
	Ratings    []RatingRow     // the latest session's ratings, in area order
	GapText    string          // the latest session's balance gap, "–" without a time split
	Open       []CommitmentRow // open commitments, soonest due first
	// Dues holds the due dates (YYYY-MM-DD, space-separated) of the open
	// commitments that have one; dashboard.js counts those already past.
	Dues string
	// Dated is how many open commitments have a due date.
	Dated int
}

// Dashboard renders the coach dashboard into dir/index.html (dir relative to
// public/, e.g. "coach"), linking into each client's portal as o lays them
// out. Its Main is the content of <main>; seal it before publishing: the
// page names every client.
func (t *Theme) Dashboard(s *report.Site, dir string, o Options) (Page, error) {
	if err := checkRel(dir); err != nil {
		return Page{}, fmt.Errorf("dashboard folder: %w", err)
	}
	set, err := t.set(s.Site.Language)
	if err != nil {
		return Page{}, err
	}
	kt, l := set.kinds[KindDashboard], set.lang
	title, err := l.T("coach_dashboard")
	if err != nil {
		return Page{}, err
	}
	p := Page{File: File{Path: dir + "/index.html"}, Kind: KindDashboard, Title: title, Lang: s.Site.Language, Scripts: []string{DashboardScript}, site: s.Site}
	d := &DashboardData{Kind: KindDashboard, Lang: s.Site.Language, Root: rootOf(p.Path), Dir: dir, Site: s}
	d.HomeHref = d.Root + "index.html"
	href := (&PageData{Dir: dir}).Href
	for _, c := range s.Clients {
		pdir, err := o.portalDir(c.Client)
		if err != nil {
			return Page{}, err
		}
		areas := c.Client.Areas
		v := newClientView(l, areas, c)
		r := DashboardRow{Client: c, Name: c.Client.Name, Href: href(pdir + "/index.html"), Address: s.Site.Address(pdir), Sessions: c.SessionCount, GapText: "–"}
		r.Meta = c.Client.Role
		if c.Client.Organization != "" {
			if r.Meta != "" {
				r.Meta += " · "
			}
			r.Meta += c.Client.Organization
		}
		if l := c.Latest; l != nil {
			r.LatestHref = href(pdir + "/" + l.Session.Slug + "/index.html")
			r.LatestHTML = timeAtom(v.lang, l.Session.Date)
			r.Ratings = v.ratings(l.Ratings, s.Site.Scale)
			if l.HasTime {
				r.GapText = v.lang.Pct(l.BalanceGap)
			}
		}
		var dues []string
		for _, oc := range c.Open {
			cr := v.commitment(oc)
			cr.SessionHref = href(pdir + "/" + oc.Made.Slug + "/index.html")
			if cr.DueISO != "" {
				dues = append(dues, cr.DueISO)
			}
			r.Open = append(r.Open, cr)
		}
		r.Dues, r.Dated = strings.Join(dues, " "), len(dues)
		d.Sessions += r.Sessions
		d.Open += len(r.Open)
		d.Rows = append(d.Rows, r)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if err := kt.ExecuteTemplate(buf, "main", d); err != nil {
		return Page{}, fmt.Errorf("%s: %w", p.Path, err)
	}
	err = t.finish(&p, buf.Bytes())
	return p, err
}
