package export_test

import (
	"bytes"
	"testing"

	"github.com/coachsite/coachsite/generator/export"
	"github.com/coachsite/coachsite/generator/report"
)

func sameFiles(t *testing.T, name string, got, want []export.File) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d files, want %d", name, len(got), len(want))
	}
	for i := range want {
		if got[i].Name != want[i].Name || !bytes.Equal(got[i].Data, want[i].Data) {
			t.Errorf("%s: %s differs from %s of the joint export", name, got[i].Name, want[i].Name)
		}
	}
}

func TestJoin(t *testing.T) {
	sites := []*report.Site{exampleSite(t)}
	if !testing.Short() {
		sites = append(sites, corpusSite(t, 5))
	}
	for _, rs := range sites {
		var parts [][]export.File
		for _, c := range rs.Clients {
			parts = append(parts, export.New(rs, []*report.Client{c}).Files())
		}
		want := export.New(rs, nil).Files()
		sameFiles(t, "one part per client", export.Join(rs, parts), want)

		none := export.New(rs, []*report.Client{}).Files()
		sameFiles(t, "no part", export.Join(rs, nil), none)
		sameFiles(t, "an empty part", export.Join(rs, [][]export.File{none}), none)
		withEmpty := append([][]export.File{none}, parts...)
		sameFiles(t, "with an empty part", export.Join(rs, withEmpty), want)
		twoInOne := export.New(rs, rs.Clients[:2]).Files()
		sameFiles(t, "two clients in a part", export.Join(rs, append([][]export.File{twoInOne}, parts[2:]...)), want)
	}
}
