package pipeline

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

// exportFiles are the files of a client's data export, as named in the
// portal's data/ folder when written in clear.
var exportFiles = []string{export.JSONFile, export.RatingsFile, export.TimeFile, export.CommitmentsFile, export.MentionsFile}

// summaryCharts returns next extended with the two arc charts of the
// engagement summary: the first session, and the latest one with the first
// as a dashed outline, so the change over the engagement shows.
func summaryCharts(site *model.Site, next func(string, *report.Client, *report.Session) (template.HTML, error)) func(string, *report.Client, *report.Session) (template.HTML, error) {
	return func(slot string, c *report.Client, s *report.Session) (template.HTML, error) {
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
}

// portalDirOf is the portal folder ro gives client c.
func portalDirOf(ro render.Options, c *model.Client) string {
	if ro.PortalDir != nil {
		return ro.PortalDir(c)
	}
	return "clients/" + c.Slug
}

// writeClientExport writes client c's data export below its portal: in
// clear, or on an encrypted site sealed like the portal's pages into one
// page, <portal>/data/index.html, whose frame (site, language, coach) is
// lent by frame, a rendered page of the portal. site, when not nil, keeps
// the export for the site-wide one.
func writeClientExport(rs *report.Site, c *report.Client, th *render.Theme, frame *render.Page, ro render.Options, pv *privacy, site *siteExport, write func(string, []byte) error) error {
	ex := export.New(rs, []*report.Client{c}).Files()
	site.add(c, ex)
	dir := portalDirOf(ro, c.Client)
	files := make([]render.File, len(ex))
	for i, f := range ex {
		files[i] = render.File{Path: dir + "/" + ExportDir + "/" + f.Name, Data: f.Data}
	}
	if pv.portals == nil {
		for _, f := range files {
			if err := write(f.Path, f.Data); err != nil {
				return err
			}
		}
		return nil
	}
	dp := *frame
	dp.Path, dp.Kind, dp.Title, dp.Scripts = dir+"/"+ExportDir+"/index.html", render.KindPortal, "Data export", nil
	dp.Main, dp.CoachMain = exportMain(files), nil
	data, err := pv.page(th, &dp)
	if err != nil {
		return err
	}
	return write(dp.Path, data)
}

// writeSiteExport writes the export of the whole site to data/ on a public
// site only: on an unlisted site it would put every client's data at one
// guessable address, and on an encrypted one in clear. A full build joins it
// from the clients' exports instead: see siteExport.
func writeSiteExport(rs *report.Site, pv *privacy, write func(string, []byte) error) error {
	if pv.mode != model.Public {
		return nil
	}
	return writeExportFiles(export.New(rs, nil).Files(), write)
}

// siteExport keeps the clients' exports as their portals get them, so that
// the site-wide export is joined from them once every client is done rather
// than encoded a second time.
type siteExport struct {
	rs    *report.Site
	index map[*report.Client]int // of each client in rs.Clients
	parts [][]export.File        // each client's export, in the order of rs.Clients
}

// newSiteExport returns the keeper of rs's site-wide export, or nil when the
// site gets none (see writeSiteExport).
func newSiteExport(rs *report.Site, pv *privacy) *siteExport {
	if pv.mode != model.Public {
		return nil
	}
	s := &siteExport{rs: rs, index: make(map[*report.Client]int, len(rs.Clients)), parts: make([][]export.File, len(rs.Clients))}
	for i, c := range rs.Clients {
		s.index[c] = i
	}
	return s
}

// add keeps the export of client c; nothing on a nil s. Workers may add
// different clients at the same time.
func (s *siteExport) add(c *report.Client, files []export.File) {
	if s != nil {
		s.parts[s.index[c]] = files
	}
}

// write writes the site-wide export to data/ once every client was added;
// nothing on a nil s.
func (s *siteExport) write(write func(string, []byte) error) error {
	if s == nil {
		return nil
	}
	return writeExportFiles(export.Join(s.rs, s.parts), write)
}

func writeExportFiles(files []export.File, write func(string, []byte) error) error {
	for _, f := range files {
		if err := write(ExportDir+"/"+f.Name, f.Data); err != nil {
			return err
		}
	}
	return nil
}
