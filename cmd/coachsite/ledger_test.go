package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/render"
	"github.com/coachsite/coachsite/generator/report"
	"github.com/coachsite/coachsite/themes"
)

// The scenario of issue 10: one open and one done commitment in session 1;
// new session carries the open one; the coach closes it there by changing
// one word and adds a new one. That is 3 commitments, 2 done and 1 open —
// in the export, the portal, the trends, the summary and the dashboard —
// and a third new session carries only the open one.

const ledgerSite = "title: Practice\nareas: [vision, service]\nprivacy: public\n"

func writeFile(t *testing.T, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newSession runs coachsite new session kim --date date and returns the
// file written.
func newSession(t *testing.T, date string) (path, text string) {
	t.Helper()
	code, out, errOut := runCLI(t, "new", "session", "kim", "--date", date)
	if code != 0 {
		t.Fatalf("new session exited %d: %s", code, errOut)
	}
	path = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(out), "wrote"))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, string(b)
}

var carriedID = regexp.MustCompile(`(?m)^  - id: (\S+)`)

func TestLedgerScenario(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFile(t, "content/site.yaml", ledgerSite)
	writeFile(t, "content/clients/kim/_index.md", "---\nname: Kim Lee\n---\n")
	writeFile(t, "content/clients/kim/2026-01-14.md", "---\ncommitments:\n"+
		"  - {text: Call Sam, due: 2026-01-20, status: open}\n"+
		"  - {text: Draft the plan, status: done}\n---\n")

	// Session 2: carries exactly the open one, with its id.
	p2, text := newSession(t, "2026-01-28")
	ids := carriedID.FindAllStringSubmatch(text, -1)
	if len(ids) != 1 || !strings.Contains(text, `text: "Call Sam"`) || strings.Contains(text, "Draft the plan") {
		t.Fatalf("session 2 should carry Call Sam once, and only it:\n%s", text)
	}
	sam := ids[0][1]
	// Close it by changing one word, and add a new one.
	if strings.Count(text, "status: open") != 1 {
		t.Fatalf("expected one status: open line:\n%s", text)
	}
	text = strings.Replace(text, "status: open", "status: done", 1)
	text = strings.Replace(text, "    status: done\n", "    status: done\n  - {text: Book the offsite, due: 2026-02-15}\n", 1)
	writeFile(t, p2, text)

	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}

	// Export: data.json and commitments.csv.
	var data struct {
		Version int `json:"version"`
		Clients []struct {
			Commitments []struct {
				ID       string   `json:"id"`
				Text     string   `json:"text"`
				MadeOn   string   `json:"made_on"`
				Status   string   `json:"status"`
				ClosedOn *string  `json:"closed_on"`
				Sessions []string `json:"sessions"`
			} `json:"commitments"`
			Sessions []struct {
				Commitments []struct {
					ID       string `json:"id"`
					MadeHere bool   `json:"made_here"`
				} `json:"commitments"`
			} `json:"sessions"`
			Derived struct {
				Commitments struct{ Total, Done, Dropped, Open int } `json:"commitments"`
			} `json:"derived"`
		} `json:"clients"`
	}
	b, err := os.ReadFile("public/clients/kim/data/data.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &data); err != nil {
		t.Fatal(err)
	}
	c := data.Clients[0]
	if tl := c.Derived.Commitments; data.Version != 2 || tl.Total != 3 || tl.Done != 2 || tl.Open != 1 || tl.Dropped != 0 {
		t.Errorf("export: version %d, tally %+v; want version 2, 3 commitments, 2 done, 1 open", data.Version, tl)
	}
	if len(c.Commitments) != 3 || c.Commitments[0].ID != sam || c.Commitments[0].Status != "done" ||
		c.Commitments[0].ClosedOn == nil || *c.Commitments[0].ClosedOn != "2026-01-28" ||
		strings.Join(c.Commitments[0].Sessions, " ") != "2026-01-14 2026-01-28" {
		t.Errorf("ledger in data.json: %+v", c.Commitments)
	}
	if m := c.Sessions[1].Commitments; len(m) != 2 || m[0].ID != sam || m[0].MadeHere || !m[1].MadeHere {
		t.Errorf("session 2's mentions: %+v", m)
	}
	b, _ = os.ReadFile("public/clients/kim/data/commitments.csv")
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var statuses []string
	for _, r := range recs[1:] {
		statuses = append(statuses, r[1]+"="+r[5])
	}
	if want := sam + "=done " + statuses[1][:strings.Index(statuses[1], "=")] + "=done"; len(recs) != 4 || !strings.HasPrefix(strings.Join(statuses, " "), want) || !strings.HasSuffix(statuses[2], "=open") {
		t.Errorf("commitments.csv: %q", recs)
	}

	// Portal: one row per open commitment: the offsite only.
	portal := readPage(t, "public/clients/kim/index.html")
	open := section(portal, `id="sec-open"`)
	if strings.Count(open, "<tr class=\"commitment status-open\">") != 1 || !strings.Contains(open, "Book the offsite") || strings.Contains(open, "Call Sam") {
		t.Errorf("portal's open commitments:\n%s", open)
	}
	// Trends and summary: 3 commitments, 2 kept, 1 open.
	for _, p := range []string{"public/clients/kim/trends/index.html", "public/clients/kim/summary/index.html"} {
		if page := readPage(t, p); !strings.Contains(page, "<li>3 commitments: 2 kept, 0 dropped, 1 open.") {
			t.Errorf("%s does not count 3 commitments, 2 kept, 1 open", p)
		}
	}
	// Dashboard (published only sealed; rendered here from the same stages).
	site, err := load.Site("content", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	th, err := render.LoadTheme(themes.Default, nil)
	if err != nil {
		t.Fatal(err)
	}
	dash, err := th.Dashboard(report.Derive(site), "coach", render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if main := string(dash.Main); !strings.Contains(main, "1 open commitment<") || strings.Count(main, "Book the offsite") != 1 || strings.Contains(main, "Call Sam") {
		t.Errorf("dashboard:\n%s", main)
	}

	// Session 3 carries only the open one.
	_, text = newSession(t, "2026-02-11")
	ids = carriedID.FindAllStringSubmatch(text, -1)
	if len(ids) != 1 || ids[0][1] == sam || !strings.Contains(text, `text: "Book the offsite"`) || strings.Contains(text, "Call Sam") {
		t.Errorf("session 3 should carry only Book the offsite:\n%s", text)
	}
	if code, _, errOut := runCLI(t, "check"); code != 0 {
		t.Errorf("check after a third new session exited %d: %s", code, errOut)
	}
}

func readPage(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// section returns the <section> of page that holds marker.
func section(page, marker string) string {
	i := strings.Index(page, marker)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(page[:i], "<section")
	end := strings.Index(page[i:], "</section>")
	return page[start : i+end]
}

// TestLedgerOldFormatFigures: clients whose files were written before ids,
// with no commitment carried, keep the figures of export version 1 — which
// counted every mention — in the real build of the example site.
func TestLedgerOldFormatFigures(t *testing.T) {
	site(t)
	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	for _, slug := range []string{"ruth-halloway-senna", "tobias-ferrante-okoro"} {
		var data struct {
			Clients []struct {
				Commitments []struct{ ID string } `json:"commitments"`
				Sessions    []struct {
					Commitments []struct {
						ID       string `json:"id"`
						Status   string `json:"status"`
						MadeHere bool   `json:"made_here"`
					} `json:"commitments"`
				} `json:"sessions"`
				Derived struct {
					Commitments struct {
						Total, Done, Dropped, Open int
						KeptRate                   *float64 `json:"kept_rate"`
					} `json:"commitments"`
				} `json:"derived"`
			} `json:"clients"`
		}
		b, err := os.ReadFile(filepath.Join("public", "clients", slug, "data", "data.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &data); err != nil {
			t.Fatal(err)
		}
		c := data.Clients[0]
		// Version 1's figures: one per mention.
		n := map[string]int{}
		ids := map[string]bool{}
		for _, s := range c.Sessions {
			for _, m := range s.Commitments {
				n[m.Status]++
				n["total"]++
				ids[m.ID] = true
				if !m.MadeHere {
					t.Errorf("%s: %s is not carried but not made where it is mentioned", slug, m.ID)
				}
			}
		}
		got := c.Derived.Commitments
		if got.Total != n["total"] || got.Done != n["done"] || got.Dropped != n["dropped"] || got.Open != n["open"] || len(ids) != n["total"] || len(c.Commitments) != n["total"] {
			t.Errorf("%s: tally %+v, %d ids, %d commitments; version 1 counted %v", slug, got, len(ids), len(c.Commitments), n)
		}
		if n["total"] == 0 || got.KeptRate == nil || *got.KeptRate != float64(int(float64(n["done"])/float64(n["done"]+n["dropped"])*1000+0.5))/1000 {
			t.Errorf("%s: kept rate %v", slug, got.KeptRate)
		}
	}
}
