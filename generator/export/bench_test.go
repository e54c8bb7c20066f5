package export_test

import (
	"testing"

	"github.com/coachsite/coachsite/generator/export"
	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/report"
	"github.com/coachsite/coachsite/internal/testsite"
)

// corpusSite returns the derived reports of a generated corpus of
// clients × 20 sessions, the shape of the benchmark corpus.
func corpusSite(tb testing.TB, clients int) *report.Site {
	tb.Helper()
	site, err := load.Site(testsite.Corpus(tb, clients, 20), load.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return report.Derive(site)
}

// BenchmarkClientFiles is the export of one 20-session client, as each
// portal gets it.
func BenchmarkClientFiles(b *testing.B) {
	rs := corpusSite(b, 1)
	b.ReportAllocs()
	for b.Loop() {
		export.New(rs, nil).Files()
	}
}

// BenchmarkClientJSON is data.json alone of one 20-session client.
func BenchmarkClientJSON(b *testing.B) {
	d := export.New(corpusSite(b, 1), nil)
	b.ReportAllocs()
	for b.Loop() {
		d.JSON()
	}
}

// BenchmarkSiteFiles is the site-wide export of a 50-client site.
func BenchmarkSiteFiles(b *testing.B) {
	rs := corpusSite(b, 50)
	b.ReportAllocs()
	for b.Loop() {
		export.New(rs, nil).Files()
	}
}

// BenchmarkSiteJoin is the site-wide export of a 50-client site joined from
// the exports of its clients.
func BenchmarkSiteJoin(b *testing.B) {
	rs := corpusSite(b, 50)
	var parts [][]export.File
	for _, c := range rs.Clients {
		parts = append(parts, export.New(rs, []*report.Client{c}).Files())
	}
	b.ReportAllocs()
	for b.Loop() {
		export.Join(rs, parts)
	}
}
