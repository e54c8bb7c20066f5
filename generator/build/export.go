package build

import (
	"html/template"

	"github.com/coachsite/coachsite/generator/chart"
	"github.com/coachsite/coachsite/generator/export"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/render"
	"github.com/coachsite/coachsite/generator/report"
)

// ExportDir is the folder of a data export: below each portal
// (<portal>/data/) and, on public sites, at the top of public/ for the whole
// site (data/).
const ExportDir = "data"

// withSummaryCharts returns ro whose Charts also draws the two arc charts of
// the engagement summary: the first session, and the latest one with the
// first as a dashed outline, so the change over the engagement shows.
func withSummaryCharts(site *model.Site, ro render.Options) render.Options {
	next := ro.Charts
	ro.Charts = func(slot string, c *report.Client, s *report.Session) (template.HTML, error) {
		if slot != render.SlotSummaryFirst && slot != render.SlotSummaryLatest {
			if next == nil {
				return "", nil
			}
			return next(slot, c, s)
		}
		if s == nil || len(c.Sessions) == 0 {
			return "", nil
		}
		areas := c.Client.Areas
		if len(areas) == 0 {
			areas = site.Areas
		}
		if slot == render.SlotSummaryFirst {
			return chart.Arc("arc_first", areas, site.Scale, s.Ratings, nil, "First session: "+s.Session.Title).HTML(), nil
		}
		return chart.Arc("arc_latest", areas, site.Scale, s.Ratings, c.Sessions[0].Ratings, "Latest session: "+s.Session.Title).HTML(), nil
	}
	return ro
}

// portalDirOf is the portal folder ro gives client c.
func portalDirOf(ro render.Options, c *model.Client) string {
	if ro.PortalDir != nil {
		return ro.PortalDir(c)
	}
	return "clients/" + c.Slug
}

// clientExport returns the data export of one client (data.json and the CSV
// files) with paths relative to public/, under <portal>/data/.
func clientExport(rs *report.Site, c *report.Client, dir string) []render.File {
	var out []render.File
	for _, f := range export.New(rs, []*report.Client{c}).Files() {
		out = append(out, render.File{Path: dir + "/" + ExportDir + "/" + f.Name, Data: f.Data})
	}
	return out
}

// writeClientExtras renders what a portal has beside the pages of
// render.Theme.Client: the engagement summary (published through pv like
// every client page) and, unless the site is encrypted, the client's data
// export in clear. On an encrypted site the export is left to the privacy
// stage, which carries data files inside sealed pages.
func writeClientExtras(rs *report.Site, c *report.Client, th *render.Theme, ro render.Options, pv *privacy, write func(string, []byte) error) error {
	p, err := th.Summary(rs, c, withSummaryCharts(rs.Site, ro))
	if err != nil {
		return err
	}
	data, err := pv.page(th, &p)
	if err != nil {
		return err
	}
	if err := write(p.Path, data); err != nil {
		return err
	}
	if pv.mode == model.Encrypted {
		return nil
	}
	for _, f := range clientExport(rs, c, portalDirOf(ro, c.Client)) {
		if err := write(f.Path, f.Data); err != nil {
			return err
		}
	}
	return nil
}

// writeSiteExport writes the export of the whole site to data/ on a public
// site only: on an unlisted site it would put every client's data at one
// guessable address, and on an encrypted one in clear.
func writeSiteExport(rs *report.Site, pv *privacy, write func(string, []byte) error) error {
	if pv.mode != model.Public {
		return nil
	}
	for _, f := range export.New(rs, nil).Files() {
		if err := write(ExportDir+"/"+f.Name, f.Data); err != nil {
			return err
		}
	}
	return nil
}
