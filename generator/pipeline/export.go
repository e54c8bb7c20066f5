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

// writeClientExport writes ex, client c's data export, below its portal: in
// clear, or on an encrypted site sealed like the portal's pages into one
// page, <portal>/data/index.html, whose frame (site, language, coach) is
// lent by frame, a rendered page of the portal.
func writeClientExport(rs *report.Site, c *report.Client, th *render.Theme, frame *render.Page, ro render.Options, pv *privacy, ex []export.File, w Writer) error {
	dir := portalDirOf(ro, c.Client)
	files := make([]render.File, len(ex))
	for i, f := range ex {
		files[i] = render.File{Path: dir + "/" + ExportDir + "/" + f.Name, Data: f.Data}
	}
	if pv.portals == nil {
		for _, f := range files {
			if err := w.WriteFile(f.Path, f.Data); err != nil {
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
	return w.WriteFile(dp.Path, data)
}
