package main

import (
	"bytes"
	"errors"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/seal"
)

// TestRotatePassphrase goes the way docs/privacy.md tells a coach to change
// one client's passphrase: build, `passphrase CLIENT --rotate`, build. After
// the second build the old passphrase, and a key a browser remembered with
// it, open no page of that portal; the new passphrase, the coach's and the
// sponsor's do; every other file — the other portals, the dashboard, the
// assets — is byte for byte what it was, and no address moved.
func TestRotatePassphrase(t *testing.T) {
	clearSecretsEnv(t)
	site(t)
	setPrivacy(t, "content/site.yaml", "encrypted")
	clients := []string{"adaeze-lindqvist-moor", "ruth-halloway-senna", "tobias-ferrante-okoro"}
	pass := func(args ...string) string {
		out, _ := mustRun(t, append([]string{"passphrase"}, args...)...)
		return strings.TrimSpace(out)
	}
	coach := pass("--coach")
	old := pass(clients[0])
	other := pass(clients[1])
	pass(clients[2])
	sponsor := pass(clients[0], "--sponsor")

	// A second passphrase for the same reader needs --rotate; --rotate needs
	// one to replace.
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"passphrase", clients[0]}, "give --rotate"},
		{[]string{"passphrase", "--coach"}, "give --rotate"},
		{[]string{"passphrase", clients[1], "--sponsor", "--rotate"}, "no passphrase"},
	} {
		if code, _, errOut := runCLI(t, c.args...); code != 2 || !strings.Contains(errOut, c.msg) {
			t.Errorf("coachsite %v: exit %d, stderr %q; want 2 and %q", c.args, code, errOut, c.msg)
		}
	}
	if s, _ := seal.LoadSecretsFile("secrets.yaml"); s == nil || s.Clients[clients[0]] != old {
		t.Fatal("a refused passphrase command changed the secrets file")
	}

	mustRun(t, "build")
	before := snapshot(t, "public")
	s, err := seal.LoadSecretsFile("secrets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	portal := seal.Token(seal.NewSiteKey(s.SiteSecret), clients[0])
	pages := portalPages(t, before, portal)
	oldKeys := map[string][]byte{}
	for _, p := range pages {
		oldKeys[p] = openPage(t, before, p, old).Key
	}

	newPass, errOut := mustRun(t, "passphrase", clients[0], "--rotate")
	newPass = strings.TrimSpace(newPass)
	if newPass == old || seal.CheckPassphrase(newPass) != nil {
		t.Fatalf("--rotate printed %q", newPass)
	}
	if strings.Contains(errOut, newPass) || !strings.Contains(errOut, "replaced") {
		t.Errorf("--rotate stderr %q", errOut)
	}
	mustRun(t, "build")
	after := snapshot(t, "public")

	if a, b := sortedPaths(before), sortedPaths(after); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatalf("the paths of public/ changed with the rotation:\nbefore %v\nafter  %v", a, b)
	}
	for p, b := range before {
		inPortal, same := strings.HasPrefix(p, portal+"/"), bytes.Equal(after[p], b)
		switch {
		case inPortal && same:
			t.Errorf("%s is unchanged: the old passphrase would still open it", p)
		case !inPortal && !same:
			t.Errorf("%s changed, but it is not in the rotated portal", p)
		}
	}

	for _, p := range pages {
		if _, err := tryOpen(after, p, old); !errors.Is(err, seal.ErrWrongPassphrase) {
			t.Errorf("%s: the old passphrase: %v, want ErrWrongPassphrase", p, err)
		}
		payload := payloadOf(t, after[p])
		if _, err := seal.OpenWithKey(payload, seal.PagePath(p), oldKeys[p], false); err == nil {
			t.Errorf("%s opens with the key a browser remembered before the rotation", p)
		}
		if o := openPage(t, after, p, newPass); o.Coach {
			t.Errorf("%s: the client's new passphrase opened the coach's version", p)
		}
		if o := openPage(t, after, p, coach); !o.Coach || !strings.Contains(string(o.HTML), "Adaeze") {
			t.Errorf("%s: the coach's passphrase does not open the coach's version", p)
		}
	}
	summary := portal + "/summary/index.html"
	if o := openPage(t, after, summary, sponsor); o.Coach || !strings.Contains(string(o.HTML), "Adaeze") {
		t.Errorf("the sponsor's passphrase no longer opens the summary")
	}
	otherPortal := seal.Token(seal.NewSiteKey(s.SiteSecret), clients[1]) + "/index.html"
	if o := openPage(t, after, otherPortal, other); !strings.Contains(string(o.HTML), "Ruth") {
		t.Error("another client's passphrase no longer opens their portal")
	}
}

// portalPages lists the portal page, its summary and one session page of
// the portal folder dir.
func portalPages(t *testing.T, files map[string][]byte, dir string) []string {
	t.Helper()
	pages := []string{dir + "/index.html", dir + "/summary/index.html"}
	var sessions []string
	for p := range files {
		if strings.HasPrefix(p, dir+"/") && strings.Count(p, "/") == 2 && path.Base(p) == "index.html" {
			switch path.Base(path.Dir(p)) {
			case "summary", "trends", "data":
			default:
				sessions = append(sessions, p)
			}
		}
	}
	if len(sessions) == 0 {
		t.Fatalf("no session pages in %s", dir)
	}
	sort.Strings(sessions)
	for _, p := range pages {
		if _, ok := files[p]; !ok {
			t.Fatalf("no %s", p)
		}
	}
	return append(pages, sessions[0])
}

func sortedPaths(files map[string][]byte) []string {
	ps := make([]string, 0, len(files))
	for p := range files {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

var sealedRe = regexp.MustCompile(`<script type="application/json" id="sealed">([^<]*)</script>`)

// payloadOf returns the sealed payload of a built page, failing the test
// if it has none.
func payloadOf(t *testing.T, data []byte) *seal.Payload {
	t.Helper()
	m := sealedRe.FindSubmatch(data)
	if m == nil {
		t.Fatal("not a sealed page")
	}
	p, err := seal.ParsePayload(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func tryOpen(files map[string][]byte, p, passphrase string) (*seal.Opened, error) {
	m := sealedRe.FindSubmatch(files[p])
	if m == nil {
		return nil, errors.New(p + " is not a sealed page")
	}
	payload, err := seal.ParsePayload(m[1])
	if err != nil {
		return nil, err
	}
	return seal.Open(payload, seal.PagePath(p), passphrase)
}

func openPage(t *testing.T, files map[string][]byte, p, passphrase string) *seal.Opened {
	t.Helper()
	o, err := tryOpen(files, p, passphrase)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return o
}
