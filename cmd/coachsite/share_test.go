package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/internal/qrtest"
)

// TestShare hands portals over through the command line. On an encrypted
// site with a base_url, `share CLIENT` prints the portal's full address —
// the folder the build writes the portal to — and writes a sheet (mode
// 0600, outside content/ and public/) with that address in a QR code that
// decodes to it, the client's name, and no passphrase unless
// --with-passphrase. The coach dashboard shows every portal's address.
// Without base_url the address is the folder; on a public site,
// clients/SLUG/. Rotating a passphrase moves no address.
func TestShare(t *testing.T) {
	clearSecretsEnv(t)
	site(t)
	setPrivacy(t, "content/site.yaml", "encrypted")
	b, _ := os.ReadFile("content/site.yaml")
	if err := os.WriteFile("content/site.yaml", append(b, "base_url: https://coach.example.org/portals\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	const ada, ruth = "adaeze-lindqvist-moor", "ruth-halloway-senna"
	coach, _ := mustRun(t, "passphrase", "--coach")
	pass, _ := mustRun(t, "passphrase", ada)
	coach, pass = strings.TrimSpace(coach), strings.TrimSpace(pass)
	mustRun(t, "passphrase", ruth)
	mustRun(t, "passphrase", "tobias-ferrante-okoro")
	mustRun(t, "build")
	public := snapshot(t, "public")

	out, errOut := mustRun(t, "share", ada)
	m := regexp.MustCompile(`^https://coach\.example\.org/portals/([a-z2-7]{26})/\n$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("share printed %q", out)
	}
	address, dir := strings.TrimSpace(out), m[1]
	if o := openSealed(t, public[dir+"/index.html"], dir+"/index.html", pass); !strings.Contains(o, "Adaeze Lindqvist-Moor") {
		t.Errorf("the address share printed is not the client's portal in the build")
	}
	if !strings.Contains(errOut, "without the passphrase") || strings.Contains(errOut, pass) {
		t.Errorf("share stderr %q", errOut)
	}
	sheetFile := "handover-" + ada + ".html"
	fi, err := os.Stat(sheetFile)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", sheetFile, fi.Mode().Perm())
	}
	sheet := readString(t, sheetFile)
	for _, want := range []string{"Adaeze Lindqvist-Moor", address, "<svg ", "separately", "Harbour Light Coaching"} {
		if !strings.Contains(sheet, want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}
	if got, err := qrtest.Decode(sheet); err != nil || got != address {
		t.Errorf("the sheet's QR code reads %q (%v), want %q", got, err, address)
	}
	if strings.Contains(sheet, pass) || strings.Contains(sheet, coach) {
		t.Error("the sheet holds a passphrase without --with-passphrase")
	}
	// The sheet loads nothing: no script, no stylesheet or image from a file
	// or host; its only link is the portal's address.
	for _, bad := range []string{"<script", "<link", "<img", "src=", "@import", "url("} {
		if strings.Contains(sheet, bad) {
			t.Errorf("the sheet holds %q", bad)
		}
	}
	if hrefs := regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(sheet, -1); len(hrefs) != 1 || hrefs[0][1] != address {
		t.Errorf("the sheet links %v, want the address alone", hrefs)
	}

	// With the passphrase, on request only.
	_, errOut = mustRun(t, "share", ada, "--with-passphrase", "-o", "with.html")
	if s := readString(t, "with.html"); !strings.Contains(s, pass) || strings.Contains(s, coach) {
		t.Error("--with-passphrase: the sheet does not hold the client's passphrase alone")
	}
	if !strings.Contains(errOut, "WITH the passphrase") {
		t.Errorf("--with-passphrase stderr %q", errOut)
	}

	// Never into content/ or public/; no sheet for a client that is not one.
	if err := os.WriteFile("notes.md", []byte("my notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"share", ada, "-o", "content/handover.html"}, 2, "is inside content"},
		{[]string{"share", ada, "-o", "public/handover.html"}, 2, "is inside public"},
		{[]string{"share", "nobody"}, 1, `no client "nobody"`},
		{[]string{"share", ada, "-o", "notes.md"}, 2, "notes.md: not a hand-over sheet; refusing to replace it"},
		{[]string{"share", ada, "-o", "."}, 2, "not a regular file"},
		{[]string{"share"}, 2, "name one CLIENT"},
	} {
		code, _, errOut := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("coachsite %v: exit %d, stderr %q; want %d and %q", c.args, code, errOut, c.code, c.msg)
		}
	}
	if b, _ := os.ReadFile("notes.md"); string(b) != "my notes\n" {
		t.Errorf("share replaced a file that is not a sheet: %q", b)
	}
	mustRun(t, "share", ada, "-o", "notes.md", "--force")
	if b, _ := os.ReadFile("notes.md"); !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) {
		t.Errorf("share --force did not replace the file")
	}
	for _, p := range []string{"content/handover.html", "public/handover.html", "handover-nobody.html"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}

	// The coach dashboard shows each portal's address.
	if d := openSealed(t, public["coach/index.html"], "coach/index.html", coach); !strings.Contains(d, address) {
		t.Error("the coach dashboard does not show the portal's address")
	}

	// Rotation moves no address.
	mustRun(t, "passphrase", ada, "--rotate")
	if again, _ := mustRun(t, "share", ada); again != out {
		t.Errorf("after --rotate share prints %q, before %q", again, out)
	}

	// Without base_url: the folder, and no QR code.
	if err := os.WriteFile("content/site.yaml", b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut = mustRun(t, "share", ruth, "-o", "ruth.html")
	if !regexp.MustCompile(`^[a-z2-7]{26}/\n$`).MatchString(out) || !strings.Contains(errOut, "base_url") {
		t.Errorf("share without base_url: stdout %q, stderr %q", out, errOut)
	}
	if s := readString(t, "ruth.html"); strings.Contains(s, "<svg") || !strings.Contains(s, strings.TrimSpace(out)) {
		t.Error("without base_url the sheet should show the folder and no QR code")
	}

	// A public site: clients/SLUG/.
	setPrivacy(t, "content/site.yaml", "public")
	if out, _ := mustRun(t, "share", ruth, "-o", "ruth.html"); out != "clients/"+ruth+"/\n" {
		t.Errorf("share on a public site printed %q", out)
	}
	if code, _, errOut := runCLI(t, "share", ruth, "--with-passphrase", "-o", "x.html"); code != 1 || !strings.Contains(errOut, "no passphrases") {
		t.Errorf("--with-passphrase on a public site: exit %d, %q", code, errOut)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
