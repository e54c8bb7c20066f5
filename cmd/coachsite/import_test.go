package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/checkin"
	"github.com/coachsite/coachsite/generator/seal"
)

// coachCheckInKey is the coach's check-in key of the site in the current
// folder, as a build derives it from secrets.yaml.
func coachCheckInKey(t *testing.T) (*checkin.Key, *seal.Keyring) {
	t.Helper()
	s, err := seal.LoadSecretsFile("secrets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	k, err := seal.ReadKeyring(s, s.CacheFile)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := checkin.NewKey(k.CheckInSeed(), k.SiteKey())
	if err != nil {
		t.Fatal(err)
	}
	return ck, k
}

const adaCheckIn = `---
date: 2026-12-03
ratings: {vision: 7, service: 5, accountability: 8, community: 6}
time:
  vision: {actual: 25, wished: 30}
  service: {actual: 35, wished: 30}
  accountability: {actual: 20, wished: 20}
  community: {actual: 20, wished: 20}
commitments:
  - {id: k4rq, status: done}
  - {id: ez3c, status: dropped}
notes: {k4rq: "All three talks happened: \"good\" ones"}
energizers: ["the new shift leads", "a quiet Monday"]
drainers: ["the cost report"]
reflection: "I delegated more this month.\nNext: the offsite."
---
`

// TestImportCheckIn seals a check-in from Adaeze's portal as her browser
// does, imports it into the example site built encrypted, and checks the
// draft: its fields, that it builds with --drafts, and that a changed
// byte, another client, another site and an expired block are refused
// with nothing written.
func TestImportCheckIn(t *testing.T) {
	clearSecretsEnv(t)
	site(t)
	sealed(t)
	mustRun(t, "build")
	const ada = "adaeze-lindqvist-moor"
	ck, keys := coachCheckInKey(t)
	made := time.Now().UTC().Truncate(time.Second)
	sealFor := func(slug, text string, made, exp time.Time) string {
		b, err := checkin.Seal(ck.Public(), checkin.SiteID(keys.SiteKey()), keys.Token(slug), made, exp, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	block := sealFor(ada, adaCheckIn, made, made.Add(30*24*time.Hour))
	before := snapshot(t, "content")
	refused := func(name, text string, args []string, want string) {
		t.Helper()
		os.WriteFile("block.txt", []byte(text), 0o600)
		code, out, errOut := runCLI(t, append([]string{"import", "block.txt"}, args...)...)
		if code != 1 || !strings.Contains(errOut, want) || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 and %q", name, code, out, errOut, want)
		}
		if after := snapshot(t, "content"); len(after) != len(before) {
			t.Errorf("%s: a refused import wrote into content/", name)
		}
	}
	raw, _ := checkin.Dearmor(block)
	for _, i := range []int{0, 5, 30, 60, len(raw) / 2, len(raw) - 1} {
		b := append([]byte(nil), raw...)
		b[i] ^= 0x20
		refused("changed byte", checkin.Armor(b), nil, "check-in")
	}
	refused("other client", block, []string{"--client", "ruth-halloway-senna"}, "another client's portal")
	moved := append([]byte(nil), raw...)
	copy(moved[1+checkin.SiteIDLen:], keys.Token("ruth-halloway-senna"))
	refused("replayed into Ruth's portal", checkin.Armor(moved), nil, "changed or damaged")
	other, _ := checkin.NewKey(make([]byte, 32), make([]byte, 32))
	foreign, _ := checkin.Seal(other.Public(), checkin.SiteID(make([]byte, 32)), keys.Token(ada), made, made.Add(time.Hour), []byte(adaCheckIn))
	refused("another site", foreign, nil, "another site")
	refused("expired", sealFor(ada, adaCheckIn, made.Add(-40*24*time.Hour), made.Add(-time.Hour)), nil, "expired")
	refused("bad content", sealFor(ada, strings.Replace(adaCheckIn, "vision: 7", "vision: 12", 1), made, made.Add(time.Hour)), nil,
		"check-in:3: ratings.vision: 12 is outside the scale 1..9")
	refused("unknown commitment", sealFor(ada, strings.Replace(adaCheckIn, "k4rq, status: done", "zzzz, status: done", 1), made, made.Add(time.Hour)), nil,
		"check-in:10: commitments[1].id: zzzz is not one of this client's commitments")

	// From standard input, with the right client named.
	stdin = strings.NewReader("Hello,\n\n" + block + "\nAdaeze\n")
	defer func() { stdin = os.Stdin }()
	out, errOut := mustRun(t, "import", "-", "--client", ada)
	want := filepath.Join("content", "clients", ada, "2026-12-03-check-in.md")
	if strings.TrimSpace(out) != want || !strings.Contains(errOut, "imported "+ada+"'s check-in") {
		t.Fatalf("import printed %q, %q", out, errOut)
	}
	draft, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"date: 2026-12-03\n",
		"ratings:\n  vision: 7\n  service: 5\n  accountability: 8\n  community: 6\n",
		"  vision: {actual: 25, wished: 30}\n  service: {actual: 35, wished: 30}\n",
		"  - {id: k4rq, status: done}\n  - {id: ez3c, status: dropped}\n",
		"energizers:\n  - \"the new shift leads\"\n  - \"a quiet Monday\"\n",
		"drainers:\n  - \"the cost report\"\n",
		"draft: true",
		"- k4rq: All three talks happened: \"good\" ones\n",
		"> I delegated more this month.\n> Next: the offsite.\n",
	} {
		if !strings.Contains(string(draft), w) {
			t.Errorf("the draft lacks %q:\n%s", w, draft)
		}
	}
	// A second import never overwrites: it takes the next name.
	os.WriteFile("block.txt", []byte(block), 0o600)
	out, _ = mustRun(t, "import", "block.txt")
	if !strings.HasSuffix(strings.TrimSpace(out), "2026-12-03-check-in-2.md") {
		t.Errorf("second import wrote %q", out)
	}
	if again, _ := os.ReadFile(want); string(again) != string(draft) {
		t.Error("a second import changed the first draft")
	}
	mustRun(t, "build", "--drafts")
	mustRun(t, "build")
}
