package pipeline_test

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/archive"
	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/pipeline"
)

const archiveClient = "ruth-halloway-senna"

func archiveExample(t testing.TB, o pipeline.ArchiveOptions) pipeline.Archived {
	t.Helper()
	o.Content = "../../content"
	as, err := pipeline.Archive(o, archiveClient)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 {
		t.Fatalf("%d archives, want 1", len(as))
	}
	return as[0]
}

func TestArchiveIsReproducible(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	a, b := archiveExample(t, pipeline.ArchiveOptions{}), archiveExample(t, pipeline.ArchiveOptions{})
	if !bytes.Equal(a.Zip, b.Zip) {
		t.Fatal("two archives of the same content differ")
	}
	// Without SOURCE_DATE_EPOCH the bagging time is the newest session's day.
	site, err := load.Site("../../content", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var newest string
	for _, c := range site.Clients {
		if c.Slug == archiveClient {
			newest = c.Sessions[len(c.Sessions)-1].Date.String()
		}
	}
	rep := verifyZip(t, a.Zip, nil)
	if got := field(rep, "Bagging-Date"); got != newest {
		t.Errorf("Bagging-Date %q, want the newest session %q", got, newest)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	c := archiveExample(t, pipeline.ArchiveOptions{})
	if got := field(verifyZip(t, c.Zip, nil), "Bagging-Date"); got != "2023-11-14" {
		t.Errorf("with SOURCE_DATE_EPOCH, Bagging-Date %q", got)
	}
	if bytes.Equal(a.Zip, c.Zip) {
		t.Error("SOURCE_DATE_EPOCH did not change the archive")
	}
}

func field(r archive.Report, label string) string {
	for _, f := range r.Info {
		if f.Label == label {
			return f.Value
		}
	}
	return ""
}

func verifyZip(t testing.TB, b []byte, pub ed25519.PublicKey) archive.Report {
	t.Helper()
	rep, err := archive.Verify(bytes.NewReader(b), int64(len(b)), pub)
	if err != nil {
		t.Fatalf("verify: %v %v", err, rep.Problems)
	}
	return rep
}

func TestArchiveVerifyAndTamper(t *testing.T) {
	pub, priv, err := archive.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	a := archiveExample(t, pipeline.ArchiveOptions{Signer: priv, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	rep := verifyZip(t, a.Zip, pub)
	if rep.Signature != archive.SignatureValid {
		t.Fatalf("signature: %s", rep.Signature)
	}
	if rep.Files != a.Files {
		t.Errorf("%d payload files verified, archive says %d", rep.Files, a.Files)
	}
	// Change one byte of each of a few payload files, in the uncompressed
	// content, and rezip: verify must fail naming exactly that file.
	for _, target := range []string{"data/index.html", "data/export/ratings.csv", "data/clients/" + archiveClient + "/summary/index.html"} {
		z := rewrite(t, a.Zip, func(name string, data []byte) []byte {
			if strings.HasSuffix(name, "/"+target) {
				data = bytes.Clone(data)
				data[len(data)/2] ^= 1
			}
			return data
		})
		rep, err := archive.Verify(bytes.NewReader(z), int64(len(z)), pub)
		if err == nil || rep.OK() {
			t.Fatalf("%s changed, yet verify passed", target)
		}
		if len(rep.Problems) != 1 || rep.Problems[0].Path != target || rep.Problems[0].Kind != archive.Changed {
			t.Errorf("%s changed: problems %v", target, rep.Problems)
		}
	}
	// A byte flipped in the zip itself (inside compressed data) fails too.
	bad := bytes.Clone(a.Zip)
	bad[len(bad)/3] ^= 0xff
	if rep, err := archive.Verify(bytes.NewReader(bad), int64(len(bad)), pub); err == nil || rep.OK() {
		t.Error("a flipped byte in the zip went unnoticed")
	}
}

// rewrite returns the zip b with every entry's content passed through f.
func rewrite(t *testing.T, b []byte, f func(name string, data []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		data := readEntry(t, e)
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f(e.Name, data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// unzipArchive extracts a into a temporary folder and returns the bag folder.
func unzipArchive(t testing.TB, a pipeline.Archived) string {
	t.Helper()
	dir := t.TempDir()
	zr, err := zip.NewReader(bytes.NewReader(a.Zip), int64(len(a.Zip)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range zr.File {
		p := filepath.Join(dir, filepath.FromSlash(e.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data := readEntry(t, e)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, a.Name)
}

func TestArchiveContents(t *testing.T) {
	a := archiveExample(t, pipeline.ArchiveOptions{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	bag := unzipArchive(t, a)
	site, err := load.Site("../../content", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ratings, times, mentions int
	ledger := map[string]bool{} // commitment ids: each commitment once
	for _, c := range site.Clients {
		if c.Slug != archiveClient {
			continue
		}
		for _, s := range c.Sessions {
			ratings += len(s.Ratings)
			times += len(s.Time)
			mentions += len(s.Commitments)
			for _, cm := range s.Commitments {
				ledger[cm.ID] = true
			}
			src := filepath.Join(bag, "data", "source", "clients", c.Slug, filepath.Base(s.Path))
			if _, err := os.Stat(src); err != nil {
				t.Errorf("source of %s missing: %v", s.Slug, err)
			}
			if _, err := os.Stat(filepath.Join(bag, "data", "clients", c.Slug, s.Slug, "index.html")); err != nil {
				t.Errorf("page of %s missing: %v", s.Slug, err)
			}
		}
	}
	for name, rows := range map[string]int{"ratings.csv": ratings, "time.csv": times, "commitments.csv": len(ledger), "commitment_mentions.csv": mentions} {
		b, err := os.ReadFile(filepath.Join(bag, "data", "export", name))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(recs)-1 != rows {
			t.Errorf("%s: %d rows, want %d", name, len(recs)-1, rows)
		}
	}
	// Only the archived client: no other client's name anywhere.
	for _, c := range site.Clients {
		if c.Slug == archiveClient {
			continue
		}
		filepath.WalkDir(bag, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err == nil && (bytes.Contains(b, []byte(c.Slug)) || bytes.Contains(b, []byte(c.Name))) {
				t.Errorf("%s names another client, %s", p, c.Slug)
			}
			return err
		})
	}
	home, err := os.ReadFile(filepath.Join(bag, "data", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(home, []byte(`href="clients/`+archiveClient+`/index.html"`)) {
		t.Error("data/index.html does not link to the portal")
	}
}

func BenchmarkArchive(b *testing.B) {
	b.Setenv("SOURCE_DATE_EPOCH", "0")
	for b.Loop() {
		archiveExample(b, pipeline.ArchiveOptions{})
	}
}

// readEntry returns the contents of one zip entry.
func readEntry(t testing.TB, e *zip.File) []byte {
	t.Helper()
	rc, err := e.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
