package pipeline_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/generator/render"
	"github.com/coachsite/coachsite/generator/seal"
)

// TestSponsorOpensSummaryOnly builds the example encrypted with a sponsor
// passphrase for one client and opens its pages as a browser would: the
// sponsor's passphrase opens the engagement summary and no other page of the
// portal; the client and the coach still open the summary.
func TestSponsorOpensSummaryOnly(t *testing.T) {
	content := privSite(t, privExample(), model.Encrypted)
	sec := writeSecrets(t, content)
	site := loadSite(t, content)
	c := site.Clients[0]
	sponsor := seal.GeneratePassphrase()
	if err := seal.SetPassphrase(sec.File, seal.RoleSponsor, c.Slug, sponsor); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, privBuild(t, content, sec.File))
	dir := portalOf(t, files, c.Slug, sec)

	summary := payloadOf(t, files[dir+"/"+render.SummaryDir+"/index.html"], "summary")
	portal := payloadOf(t, files[dir+"/index.html"], "portal")
	if summary.ID == portal.ID {
		t.Error("the summary's payload id is the portal's: a key remembered for one would be tried on the other")
	}
	summaryPath := dir + "/" + render.SummaryDir + "/index.html"
	o, err := seal.Open(summary, summaryPath, sponsor)
	if err != nil {
		t.Fatalf("the sponsor cannot open the summary: %v", err)
	}
	if o.Recipient != "sponsor" || !bytes.Contains(o.HTML, []byte("Engagement summary")) || !bytes.Contains(o.HTML, []byte(htmlText(c.Name))) {
		t.Errorf("the sponsor opened %q as %s", o.HTML[:min(len(o.HTML), 200)], o.Recipient)
	}
	for name, pass := range map[string]string{"client": sec.Clients[c.Slug], "coach": sec.Coach} {
		if _, err := seal.Open(summary, summaryPath, pass); err != nil {
			t.Errorf("the %s cannot open the summary: %v", name, err)
		}
	}

	// Every other sealed page of the portal: portal, trends, data, sessions.
	others := []string{dir + "/index.html", dir + "/trends/index.html", dir + "/" + pipeline.ExportDir + "/index.html"}
	for name := range files {
		if strings.HasPrefix(name, dir+"/") && strings.HasSuffix(name, "/index.html") && !strings.Contains(name, "/"+render.SummaryDir+"/") &&
			!strings.Contains(name, "/trends/") && strings.Count(name, "/") == 2 {
			others = append(others, name)
		}
	}
	if len(others) < 3+len(c.Sessions) {
		t.Fatalf("found %d pages of the portal, want %d", len(others), 3+len(c.Sessions))
	}
	sessions := 0
	for _, name := range others {
		p := payloadOf(t, files[name], name)
		if p.ID != portal.ID {
			t.Errorf("%s is not sealed with the portal's key", name)
		}
		for _, r := range p.R {
			if r.ID == "sponsor" {
				t.Errorf("%s has a sponsor recipient", name)
			}
		}
		// Trying every recipient costs a PBKDF2 each: open the portal,
		// trends, data page and one session.
		if strings.Count(name, "/") == 2 && !strings.Contains(name, "/trends/") && !strings.Contains(name, "/"+pipeline.ExportDir+"/") {
			if sessions++; sessions > 1 {
				continue
			}
		}
		if _, err := seal.Open(p, name, sponsor); err == nil {
			t.Errorf("the sponsor's passphrase opens %s", name)
		}
	}

	// Another client's summary has no sponsor.
	other := portalOf(t, files, site.Clients[1].Slug, sec)
	for _, r := range payloadOf(t, files[other+"/"+render.SummaryDir+"/index.html"], "other summary").R {
		if r.ID == "sponsor" {
			t.Error("a client without a sponsor has a sponsor recipient")
		}
	}
}

// TestWeakSponsorPassphrase checks that a weak sponsor passphrase fails the
// build with an error that names the client.
func TestWeakSponsorPassphrase(t *testing.T) {
	content := privSite(t, privExample(), model.Encrypted)
	sec := writeSecrets(t, content)
	slug := loadSite(t, content).Clients[0].Slug
	b, err := os.ReadFile(sec.File)
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, []byte("sponsors:\n  "+slug+": Summer2024!!\n")...)
	if err := os.WriteFile(sec.File, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = pipeline.Build(pipeline.Options{Content: content, Out: t.TempDir() + "/public", Secrets: sec.File, Environ: []string{}})
	if err == nil || !strings.Contains(err.Error(), `sponsor of client "`+slug+`": passphrase too guessable`) {
		t.Errorf("err = %v, want a weak sponsor passphrase naming %s", err, slug)
	}
}
