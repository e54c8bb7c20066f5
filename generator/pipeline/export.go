package pipeline

import (
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
	title, err := th.T(dp.Lang, "data_export")
	if err != nil {
		return err
	}
	dp.Path, dp.Kind, dp.Title, dp.Scripts = dir+"/"+ExportDir+"/index.html", render.KindPortal, title, nil
	if dp.Main, err = exportMain(th, dp.Lang, files); err != nil {
		return err
	}
	dp.CoachMain = nil
	data, err := pv.page(th, &dp)
	if err != nil {
		return err
	}
	return w.WriteFile(dp.Path, data)
}
