package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/export"
	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

func exampleSite(t *testing.T) *report.Site {
	t.Helper()
	site, err := load.Site("../../content", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return report.Derive(site)
}

// readCSV parses b as a spreadsheet would: BOM stripped, RFC 4180.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(export.BOM)) {
		t.Fatal("CSV does not start with a UTF-8 BOM")
	}
	r := csv.NewReader(bytes.NewReader(b[len(export.BOM):]))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestCSVRowCounts(t *testing.T) {
	rs := exampleSite(t)
	d := export.New(rs, nil)
	var ratings, times, mentions, commitments int
	for _, c := range rs.Site.Clients {
		for _, s := range c.Sessions {
			ratings += len(s.Ratings)
			times += len(s.Time)
			mentions += len(s.Commitments)
		}
	}
	for _, c := range rs.Clients {
		commitments += len(c.Ledger)
	}
	if ratings == 0 || times == 0 || commitments == 0 {
		t.Fatal("example content has no ratings, time or commitments")
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		header string
		rows   int
	}{
		{"ratings", d.RatingsCSV(), "client,session_date,session,area,rating", ratings},
		{"time", d.TimeCSV(), "client,session_date,session,area,actual,wished", times},
		{"commitments", d.CommitmentsCSV(), "client,id,text,made_on,due,status,closed_on,sessions", commitments},
		{"mentions", d.MentionsCSV(), "client,session_date,session,id,text,due,status,made_here", mentions},
	} {
		recs := readCSV(t, tc.data)
		if got := strings.Join(recs[0], ","); got != tc.header {
			t.Errorf("%s header = %q, want %q", tc.name, got, tc.header)
		}
		if len(recs)-1 != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.name, len(recs)-1, tc.rows)
		}
		if !bytes.HasSuffix(tc.data, []byte("\r\n")) || bytes.Count(tc.data, []byte("\r\n")) != tc.rows+1 {
			t.Errorf("%s: rows must end in CRLF", tc.name)
		}
	}
}

func TestCSVQuotingAndInjection(t *testing.T) {
	site := &model.Site{Title: "T", Scale: model.Scale{Min: 1, Max: 9}, Areas: []model.Area{{Key: "vision", Label: "Vision"}}}
	texts := []string{`=HYPERLINK("http://x","y")`, "+1 call", "-2 days", "@SUM(A1)", "plain, with comma", "two\nlines", `say "hi"`, "Ålesund café"}
	var cms []model.Commitment
	for _, s := range texts {
		cms = append(cms, model.Commitment{Text: s, Status: model.StatusOpen})
	}
	site.Clients = []*model.Client{{Slug: "kim", Name: "Kim", Sessions: []*model.Session{{
		Slug: "2026-01-14", Date: model.NewDate(2026, 1, 14), Ratings: map[string]int{"vision": 3}, Commitments: cms,
	}}}}
	d := export.New(report.Derive(site), nil)
	for _, f := range []struct {
		name string
		data []byte
		col  int // of the text
	}{{"commitments", d.CommitmentsCSV(), 2}, {"mentions", d.MentionsCSV(), 4}} {
		recs := readCSV(t, f.data)
		if len(recs) != len(texts)+1 {
			t.Fatalf("%s: %d records, want %d", f.name, len(recs), len(texts)+1)
		}
		for i, want := range texts {
			got := recs[i+1][f.col]
			if strings.ContainsAny(want[:1], "=+-@") {
				want = "'" + want
			}
			if got != want {
				t.Errorf("%s: cell %d = %q, want %q", f.name, i, got, want)
			}
		}
	}
}

func TestJSONSchemaAndDeterminism(t *testing.T) {
	rs := exampleSite(t)
	a, b := export.New(rs, nil).JSON(), export.New(exampleSite(t), nil).JSON()
	if !bytes.Equal(a, b) {
		t.Fatal("two exports of the same content differ")
	}
	var back struct {
		Schema  string `json:"schema"`
		Version int    `json:"version"`
		Clients []struct {
			Slug     string `json:"slug"`
			Sessions []struct {
				Ratings []struct {
					Area   string `json:"area"`
					Rating int    `json:"rating"`
				} `json:"ratings"`
				Notes any `json:"notes"`
			} `json:"sessions"`
		} `json:"clients"`
	}
	if err := json.Unmarshal(a, &back); err != nil {
		t.Fatal(err)
	}
	if back.Schema != export.Schema || back.Version != export.Version {
		t.Errorf("schema %q version %d", back.Schema, back.Version)
	}
	if len(back.Clients) != len(rs.Clients) {
		t.Fatalf("%d clients, want %d", len(back.Clients), len(rs.Clients))
	}
	for i, c := range rs.Site.Clients {
		for j, s := range c.Sessions {
			got := back.Clients[i].Sessions[j]
			if len(got.Ratings) != len(s.Ratings) {
				t.Errorf("%s/%s: %d ratings, want %d", c.Slug, s.Slug, len(got.Ratings), len(s.Ratings))
			}
			for _, r := range got.Ratings {
				if s.Ratings[r.Area] != r.Rating {
					t.Errorf("%s/%s %s = %d, want %d", c.Slug, s.Slug, r.Area, r.Rating, s.Ratings[r.Area])
				}
			}
			if got.Notes != nil {
				t.Errorf("%s/%s: export holds notes", c.Slug, s.Slug)
			}
		}
	}
	// Key order is the documented one.
	if !bytes.HasPrefix(a, []byte("{\n  \"schema\": \"coachsite-export\",\n  \"version\": 2,\n  \"site\": {")) {
		t.Errorf("unexpected start: %.80s", a)
	}
}

func TestNoPrivateNotes(t *testing.T) {
	rs := exampleSite(t)
	d := export.New(rs, nil)
	for _, c := range rs.Site.Clients {
		for _, s := range c.Sessions {
			if !s.Notes.HasPrivate {
				continue
			}
			for _, f := range d.Files() {
				// The coach's version holds the private text; the plain
				// body is never exported at all.
				if len(s.Notes.Coach) > 40 && bytes.Contains(f.Data, []byte(string(s.Notes.Coach)[:40])) {
					t.Errorf("%s holds notes of %s", f.Name, s.Path)
				}
			}
		}
	}
}

func BenchmarkExport(b *testing.B) {
	site, err := load.Site("../../content", load.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rs := report.Derive(site)
	for b.Loop() {
		export.New(rs, nil).Files()
	}
}
