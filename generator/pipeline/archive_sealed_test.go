package pipeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/generator/seal"
)

// TestArchiveEncrypted archives a client of the example site made encrypted:
// without Unsealed the bag verifies and holds no sensitive string of the
// content in clear, anywhere (bag-info.txt and file names included), and
// the client opens its sealed portal; with Unsealed, which is explicit and
// so allowed, its pages, source and export are readable.
func TestArchiveEncrypted(t *testing.T) {
	content := privSite(t, privExample(), model.Encrypted)
	sec := writeSecrets(t, content)
	o := pipeline.ArchiveOptions{Options: pipeline.Options{Content: content, Secrets: sec.File, Environ: []string{}}, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	as, err := pipeline.Archive(o, archiveClient)
	if err != nil {
		t.Fatal(err)
	}
	a := as[0]
	if !a.Sealed {
		t.Fatal("the archive of an encrypted site is not sealed")
	}
	verifyZip(t, a.Zip, nil)
	bag := unzipArchive(t, a)
	assertNoLeak(t, content, filepath.Dir(bag))
	files := readTree(t, filepath.Join(bag, "data"))
	dir := portalOf(t, files, archiveClient, sec)
	for _, p := range []string{dir + "/index.html", dir + "/summary/index.html", dir + "/trends/index.html", dir + "/data/index.html"} {
		if _, ok := files[p]; !ok {
			t.Errorf("the sealed bag has no %s", p)
		}
	}
	for p := range files {
		if strings.HasPrefix(p, "source/") || strings.HasPrefix(p, "export/") {
			t.Errorf("the sealed bag holds %s in clear", p)
		}
	}
	o2, err := seal.Open(payloadOf(t, files[dir+"/index.html"], "portal"), dir+"/index.html", sec.Clients[archiveClient])
	if err != nil {
		t.Fatalf("the client cannot open the archived portal: %v", err)
	}
	site := loadSite(t, content)
	var name string
	for _, c := range site.Clients {
		if c.Slug == archiveClient {
			name = c.Name
		}
	}
	if !bytes.Contains(o2.HTML, []byte(htmlText(name))) {
		t.Error("the archived portal, opened, does not name its client")
	}

	o.Unsealed = true
	as, err = pipeline.Archive(o, archiveClient)
	if err != nil {
		t.Fatal(err)
	}
	if as[0].Sealed {
		t.Fatal("--unsealed gave a sealed archive")
	}
	verifyZip(t, as[0].Zip, nil)
	open := filepath.Join(unzipArchive(t, as[0]), "data")
	portal, err := os.ReadFile(filepath.Join(open, "clients", archiveClient, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(portal, []byte(htmlText(name))) || sealedBlock.Match(portal) {
		t.Error("the unsealed archive's portal is not readable")
	}
	for _, p := range []string{"source/site.yaml", "export/data.json", "clients/" + archiveClient + "/data/ratings.csv"} {
		if _, err := os.Stat(filepath.Join(open, filepath.FromSlash(p))); err != nil {
			t.Errorf("the unsealed archive lacks %s", p)
		}
	}
}
