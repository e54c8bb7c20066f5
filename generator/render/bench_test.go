package render

import (
	"testing"

	"github.com/coachsite/coachsite/generator/report"
)

func discardPage(*Page) error { return nil }

// BenchmarkRenderPage times each page kind and the layout on its own.
func BenchmarkRenderPage(b *testing.B) {
	th := mustTheme(b)
	rs := report.Derive(testSite(20))
	c := rs.Clients[0]
	set, err := th.set("en")
	if err != nil {
		b.Fatal(err)
	}
	v := newClientView(set.lang, areas, c)
	for _, k := range []string{KindSession, KindPortal, KindTrends} {
		b.Run(k, func(b *testing.B) {
			d := &PageData{Kind: k, Lang: "en", L: set.lang, set: set, Dir: "clients/kim/2026-01-28", Root: "../../../", Site: rs, Client: c, Session: c.Sessions[1], PortalDir: "clients/kim"}
			if k == KindTrends {
				d.Session = nil
			}
			v.fill(d)
			p := Page{File: File{Path: "clients/kim/2026-01-28/index.html"}, Kind: k, site: rs.Site}
			b.ReportAllocs()
			for b.Loop() {
				th.render(d, p, false, discardPage)
			}
		})
	}
	b.Run("wrap", func(b *testing.B) {
		p := Page{File: File{Path: "clients/kim/2026-01-28/index.html"}, Kind: "session", site: rs.Site}
		b.ReportAllocs()
		for b.Loop() {
			th.Wrap(&p, "<p>x</p>")
		}
	})
	b.Run("fill", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d := &PageData{Kind: KindSession, Lang: "en", Dir: "clients/kim/2026-01-28", Root: "../../../", Site: rs, Client: c, Session: c.Sessions[1], PortalDir: "clients/kim"}
			v.fill(d)
		}
	})
}
