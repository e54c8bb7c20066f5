package export_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/coachsite/coachsite/generator/export"
	"github.com/coachsite/coachsite/generator/report"
)

// marshalIndent is what data.json was before it was written by hand: the
// reference its bytes must keep to.
func marshalIndent(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func sameJSON(t *testing.T, name string, d *export.Data) {
	t.Helper()
	got, want := d.JSON(), marshalIndent(t, d)
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		lo := max(0, i-80)
		t.Errorf("%s: JSON differs from json.MarshalIndent at byte %d:\n got …%s…\nwant …%s…", name, i, got[lo:min(len(got), i+80)], want[lo:min(len(want), i+80)])
	}
}

func TestJSONIsMarshalIndent(t *testing.T) {
	rs := exampleSite(t)
	sameJSON(t, "example site", export.New(rs, nil))
	for _, c := range rs.Clients {
		sameJSON(t, c.Client.Slug, export.New(rs, []*report.Client{c}))
	}
	if testing.Short() {
		return
	}
	sameJSON(t, "generated corpus", export.New(corpusSite(t, 20), nil))
}

func TestJSONEdgeCases(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	n := func(v int) *int { return &v }
	s := func(v string) *string { return &v }
	for name, d := range map[string]*export.Data{
		"zero":      {},
		"no client": {Clients: []export.Client{}},
		"nil lists": {Clients: []export.Client{{Sessions: []export.Session{{}}}}},
		"values": {Site: export.Site{Title: "<b>&\"\\\x00\x1f\x7f\u2028\u2029\xff\t\b\f\r\n"}, Clients: []export.Client{{
			Started: s("2026-01-01"), Goals: []string{}, Areas: []export.Area{{Key: "k"}},
			Sessions: []export.Session{{
				Duration: n(-3), Format: s(""), BalanceGap: f(1e-7),
				Ratings:    []export.Rating{{Area: "a", Rating: 9, ChangePrev: n(0), ChangeFirst: n(-8)}},
				Time:       []export.TimeShare{{Area: "a", Actual: 100}},
				Energizers: []string{"x", "y"}, Commitments: []export.Commitment{{Text: "t", Due: s("d")}},
			}},
			Derived: export.Derived{CadenceDays: []int{7, 14}, MeanCadenceDays: f(10.5), FirstBalanceGap: f(1e21), LatestBalanceGap: f(-0.000001),
				Commitments: export.Tally{KeptRate: f(0.333)}, Changes: []export.AreaChange{{Area: "a", Change: n(2)}}},
		}}},
	} {
		sameJSON(t, name, d)
	}
}

// FuzzJSONString checks strings are escaped as encoding/json escapes them.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "<script>&amp;", "\u2028\u2029", "\xff\xfe", "tab\there", "é — ü", "\x00\x1f\"\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := &export.Data{Schema: s}
		if got, want := d.JSON(), marshalIndent(t, d); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	})
}

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
