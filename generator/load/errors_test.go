package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/diag"
)

// baseSite is a valid content folder the error cases change.
var baseSite = map[string]string{
	"content/site.yaml":             "title: Practice\nareas: [vision, service, accountability, community]\n",
	"content/clients/kim/_index.md": "---\nname: Kim Lee\nstarted: 2026-01-01\n---\nIntro.\n",
}

const deleted = "\x00deleted"

// writeTree writes base with changes into a fresh folder, made the current
// folder so that paths read content/...
func writeTree(t testing.TB, base, changes map[string]string) {
	t.Helper()
	t.Chdir(t.TempDir())
	files := map[string]string{}
	for k, v := range base {
		files[k] = v
	}
	for k, v := range changes {
		files[k] = v
	}
	for name, body := range files {
		if body == deleted {
			continue
		}
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(name, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// loadErrors loads ./content and returns its problems, failing t when
// loading without HTML (as checking does) reports other problems.
func loadErrors(t *testing.T) []string {
	t.Helper()
	got := loadErrorsWith(t, Options{})
	if noHTML := loadErrorsWith(t, Options{NoHTML: true}); strings.Join(noHTML, "\n") != strings.Join(got, "\n") {
		t.Errorf("loading without HTML reports other errors\n got:\n  %s\nwith HTML:\n  %s",
			strings.Join(noHTML, "\n  "), strings.Join(got, "\n  "))
	}
	return got
}

func loadErrorsWith(t *testing.T, opts Options) []string {
	t.Helper()
	_, err := Site("content", opts)
	if err == nil {
		return nil
	}
	list, ok := err.(diag.List)
	if !ok {
		t.Fatalf("error is %T, not diag.List: %v", err, err)
	}
	var out []string
	for _, e := range list {
		out = append(out, e.Error())
	}
	return out
}

const kimS = "content/clients/kim/2026-01-14.md"

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		want    []string
	}{
		{"malformed yaml",
			map[string]string{kimS: "---\ntitle: a\nratings: {vision: 4\n---\n"},
			[]string{kimS + ":3: malformed YAML: did not find expected ',' or '}'"}},
		{"front matter not a mapping",
			map[string]string{kimS: "---\n- a\n- b\n---\n"},
			[]string{kimS + ":2: front matter must be fields like \"title: ...\", one per line"}},
		{"unknown field near a known one",
			map[string]string{kimS: "---\ntitle: a\nratigns: {vision: 4}\n---\n"},
			[]string{kimS + `:3: ratigns: unknown field (did you mean "ratings"?)`}},
		{"unknown field far from any",
			map[string]string{kimS: "---\nmood: great\n---\n"},
			[]string{kimS + ":2: mood: unknown field; known fields: commitments, date, draft, drainers, duration, " +
				"energizers, format, ratings, tags, time, title"}},
		{"field given twice",
			map[string]string{kimS: "---\ntitle: a\ntitle: b\n---\n"},
			[]string{kimS + `:3: title: given twice (first on line 2)`}},
		{"impossible date",
			map[string]string{kimS: "---\ndate: 2025-02-30\n---\n"},
			[]string{kimS + ":2: date: 2025-02-30 is not a real date"}},
		{"not a date",
			map[string]string{kimS: "---\ndate: 14.01.2026\n---\n"},
			[]string{kimS + `:2: date: "14.01.2026" is not a date like 2026-01-14`}},
		{"date contradicts the file name",
			map[string]string{kimS: "---\ntitle: a\ndate: \"2026-01-15\"\n---\n"},
			[]string{kimS + ":3: date: 2026-01-15 contradicts the file name, which says 2026-01-14"}},
		{"file name not a date",
			map[string]string{"content/clients/kim/kickoff.md": "---\ntitle: a\n---\n"},
			[]string{
				`content/clients/kim/kickoff.md: file name "kickoff.md" is not YYYY-MM-DD.md or YYYY-MM-DD-slug.md (slug of a-z, 0-9 and -), like 2026-01-14-vision-work.md`,
				"content/clients/kim/kickoff.md:1: date: missing; give date: YYYY-MM-DD, or start the file name with the date",
			}},
		{"file name with an upper-case slug",
			map[string]string{"content/clients/kim/2026-01-14-Vision.md": "---\ndate: 2026-01-14\n---\n"},
			[]string{`content/clients/kim/2026-01-14-Vision.md: file name "2026-01-14-Vision.md" is not YYYY-MM-DD.md or YYYY-MM-DD-slug.md (slug of a-z, 0-9 and -), like 2026-01-14-vision-work.md`}},
		{"file name with an impossible date",
			map[string]string{"content/clients/kim/2025-02-30.md": "---\n---\n"},
			[]string{"content/clients/kim/2025-02-30.md: the file name's date: 2025-02-30 is not a real date"}},
		{"rating outside the scale",
			map[string]string{kimS: "---\nratings: {vision: 12, service: 0, community: 9}\n---\n"},
			[]string{
				kimS + ":2: ratings.service: 0 is outside the scale 1..9",
				kimS + ":2: ratings.vision: 12 is outside the scale 1..9",
			}},
		{"rating of an area the client does not have",
			map[string]string{kimS: "---\nratings:\n  vision: 4\n  visoin: 5\n  health: 3\n---\n"},
			[]string{
				kimS + `:4: ratings.visoin: the client has no area "visoin" (did you mean "vision"?)`,
				kimS + `:5: ratings.health: the client has no area "health" (its areas: vision, service, accountability, community)`,
			}},
		{"ratings not whole numbers",
			map[string]string{kimS: "---\nratings:\n  vision: 4.5\n  service: high\n  community: [1]\n---\n"},
			[]string{
				kimS + ":3: ratings.vision: 4.5 is not a whole number",
				kimS + `:4: ratings.service: "high" is not a whole number`,
				kimS + ":5: ratings.community: a list is not a whole number",
			}},
		{"ratings not a mapping",
			map[string]string{kimS: "---\nratings: [4, 5]\n---\n"},
			[]string{kimS + ":2: ratings: must be a mapping like {vision: 4, service: 7}, not a list"}},
		{"time shares",
			map[string]string{kimS: "---\ntime:\n  vision: {actual: 120, wished: 50}\n  health: {actual: 10, wished: 50}\n  service: {actual: 10}\n  community: {actul: 1, actual: 1, wished: 1}\n---\n"},
			[]string{
				kimS + ":3: time.vision.actual: 120 is not a percentage (0 to 100)",
				kimS + `:4: time.health: the client has no area "health" (its areas: vision, service, accountability, community)`,
				kimS + ":5: time.service: wished is missing; give both actual and wished",
				kimS + `:6: time.community.actul: unknown field (did you mean "actual"?)`,
			}},
		{"time shares not summing to 100",
			map[string]string{kimS: "---\ntitle: x\ntime:\n  vision: {actual: 40, wished: 50}\n  service: {actual: 50, wished: 50}\n---\n"},
			[]string{kimS + ":4: time: actual shares sum to 90, not 100"}},
		{"both time sums wrong",
			map[string]string{kimS: "---\ntime: {vision: {actual: 10, wished: 20}}\n---\n"},
			[]string{
				kimS + ":2: time: actual shares sum to 10, not 100",
				kimS + ":2: time: wished shares sum to 20, not 100",
			}},
		{"commitments",
			map[string]string{kimS: "---\ncommitments:\n  - {text: Call Sam, status: finished}\n  - {due: 2026-01-20}\n  - {text: Write, due: 2026-02-31, stauts: open}\n  - {text: Plan, status: dnoe}\n---\n"},
			[]string{
				kimS + `:3: commitments[1].status: "finished" is not one of open, done, dropped`,
				kimS + ":4: commitments[2]: a commitment needs text, like {text: Call Sam, due: 2026-01-20}",
				kimS + ":5: commitments[3].due: 2026-02-31 is not a real date",
				kimS + `:5: commitments[3].stauts: unknown field (did you mean "status"?)`,
				kimS + `:6: commitments[4].status: "dnoe" is not one of open, done, dropped (did you mean "done"?)`,
			}},
		{"format and duration",
			map[string]string{kimS: "---\nformat: zoom\nduration: -5\n---\n"},
			[]string{
				kimS + `:2: format: "zoom" is not one of in-person, video, phone`,
				kimS + ":3: duration: -5 is not a number of minutes from 0 to 1440",
			}},
		{"draft not a bool and lists not lists",
			map[string]string{kimS: "---\ndraft: maybe\ntags: vision\nenergizers: [a, [b]]\n---\n"},
			[]string{
				kimS + `:2: draft: "maybe" is not true or false`,
				kimS + `:3: tags: must be a list like [a, b], not "vision"`,
				kimS + ":4: energizers[2]: must be text, not a list",
			}},
		{"two files for one page",
			map[string]string{kimS: "---\n---\n", "content/clients/kim/2026-01-14.markdown": "---\n---\n"},
			[]string{kimS + ": would be written to the same page as content/clients/kim/2026-01-14.markdown"}},
		{"session without front matter",
			map[string]string{kimS: "Just notes.\n"},
			[]string{kimS + ":1: no front matter: a session starts with a line reading ---, then fields like ratings: {vision: 4}, then another ---"}},
		{"front matter never closed",
			map[string]string{kimS: "---\ntitle: a\n\nNotes.\n"},
			[]string{kimS + ":1: the front matter opened by --- on this line is never closed: end it with a line reading ---"}},
		{"empty session",
			map[string]string{kimS: " \n\n"},
			[]string{kimS + ": the file is empty: a session needs front matter, at least a line reading --- and another, then its notes"}},
		{"private block not at the top level",
			map[string]string{kimS: "---\ntitle: a\n---\n\n- item\n\n    ```private\n    secret\n"},
			[]string{kimS + ":7: a \"```private\" line must start a fenced block at the top level (not indented, not inside a list, quote, table or another fence), or its notes would show on the client's page"}},
		{"client folder without _index.md",
			map[string]string{"content/clients/ana/2026-01-14.md": "---\n---\n"},
			[]string{"content/clients/ana: no _index.md: every client folder needs a profile, _index.md, with front matter giving at least name"}},
		{"client folder name",
			map[string]string{"content/clients/Ana_B/_index.md": "---\nname: Ana\n---\n"},
			[]string{`content/clients/Ana_B: "Ana_B" is not a client folder name: use lower-case letters a-z, digits and -`}},
		{"client folders equal ignoring case",
			map[string]string{"content/clients/KIM/_index.md": "---\nname: Kim\n---\n"},
			[]string{
				`content/clients/KIM: "KIM" is not a client folder name: use lower-case letters a-z, digits and -`,
				`content/clients/kim: client folder "kim" would be written to the same pages as "KIM"`,
			}},
		{"client profile without name",
			map[string]string{"content/clients/kim/_index.md": "---\nrole: CEO\n---\n"},
			[]string{`content/clients/kim/_index.md:1: name: missing; every client needs a name, like name: "Kim Lee"`}},
		{"client profile without front matter",
			map[string]string{"content/clients/kim/_index.md": "Kim is great.\n"},
			[]string{`content/clients/kim/_index.md:1: no front matter: a client profile starts with a line reading ---, then fields like name: "Kim Lee", then another ---`}},
		{"empty client profile",
			map[string]string{"content/clients/kim/_index.md": ""},
			[]string{"content/clients/kim/_index.md: the file is empty: a client profile needs front matter giving at least name"}},
		{"ended before started",
			map[string]string{"content/clients/kim/_index.md": "---\nname: Kim\nstarted: 2026-03-01\nended: 2026-01-31\n---\n"},
			[]string{"content/clients/kim/_index.md:4: ended: 2026-01-31 is before started (2026-03-01)"}},
		{"client areas",
			map[string]string{"content/clients/kim/_index.md": "---\nname: Kim\nareas:\n  - health\n  - {key: Fun}\n  - {key: health}\n  - {label: No key}\n  - {key: work, color: red, colour: blue}\n---\n"},
			[]string{
				`content/clients/kim/_index.md:5: areas[2]: "Fun" is not an area key: use lower-case letters a-z, digits, - and _`,
				`content/clients/kim/_index.md:6: areas[3]: area "health" is listed twice (first on line 4)`,
				"content/clients/kim/_index.md:7: areas[4]: an area needs a key, like {key: vision, label: Vision}",
				`content/clients/kim/_index.md:8: areas[5].color: "red" is not a colour like #0072b2`,
				`content/clients/kim/_index.md:8: areas[5].colour: unknown field (did you mean "color"?)`,
			}},
		{"client without areas",
			map[string]string{"content/site.yaml": "title: Practice\n"},
			[]string{"content/clients/kim/_index.md:1: areas: missing; this client has no areas: list them under areas: in site.yaml or here"}},
		{"site.yaml missing",
			map[string]string{"content/site.yaml": deleted},
			[]string{"content/site.yaml: missing: a content folder needs a site.yaml giving at least the site's title"}},
		{"site.yaml without title",
			map[string]string{"content/site.yaml": "coach: Ana\nareas: [vision]\n"},
			[]string{`content/site.yaml:1: title: missing; give the site a title, like title: "Kim Lee Coaching"`}},
		{"site.yaml settings",
			map[string]string{"content/site.yaml": "title: P\nareas: [vision, service, vision]\nprivacy: secret\ntheme: ../x\nlanguage: english\nscale: {min: 5, max: 3}\n"},
			[]string{
				`content/site.yaml:2: areas[3]: area "vision" is listed twice (first on line 2)`,
				`content/site.yaml:3: privacy: "secret" is not one of encrypted, unlisted, public`,
				`content/site.yaml:4: theme: "../x" is not a theme name (the name of a folder under themes/: letters, digits, - and _)`,
				`content/site.yaml:5: language: "english" is not a language tag like en or de-CH`,
				"content/site.yaml:6: scale: min (5) must be below max (3)",
			}},
		{"scale below zero",
			map[string]string{"content/site.yaml": "title: P\nareas: [vision]\nscale:\n  min: -1\n"},
			[]string{"content/site.yaml:4: scale: min is -1; it cannot be below 0"}},
		{"scale above 100",
			map[string]string{"content/site.yaml": "title: P\nareas: [vision]\nscale: {max: 200, mid: 3}\n"},
			[]string{
				`content/site.yaml:3: scale.mid: unknown field (did you mean "min"?)`,
				"content/site.yaml:3: scale: max is 200; it cannot be above 100",
			}},
		{"base_url",
			map[string]string{"content/site.yaml": "title: P\nareas: [vision]\nbase_url: ftp://example.org/\n"},
			[]string{`content/site.yaml:3: base_url: "ftp://example.org/" is not the http or https address public/ is served at, like https://coach.example.org/portals/`}},
		{"base_url without a host",
			map[string]string{"content/site.yaml": "title: P\nareas: [vision]\nbase_url: /portals/\n"},
			[]string{`content/site.yaml:3: base_url: "/portals/" is not the http or https address public/ is served at, like https://coach.example.org/portals/`}},
		{"base_url with a password",
			map[string]string{"content/site.yaml": "title: P\nareas: [vision]\nbase_url: https://me:pw@example.org/\n"},
			[]string{`content/site.yaml:3: base_url: "https://me:pw@example.org/" holds a user name or password; give the address alone`}},
		{"base_url with a query",
			map[string]string{"content/site.yaml": "title: P\nareas: [vision]\nbase_url: https://example.org/?a=1\n"},
			[]string{`content/site.yaml:3: base_url: "https://example.org/?a=1" has a query or a fragment; give the folder's address alone`}},
		{"privacy typo",
			map[string]string{"content/site.yaml": "title: P\nareas: [vision]\nprivacy: pubilc\n"},
			[]string{`content/site.yaml:3: privacy: "pubilc" is not one of encrypted, unlisted, public (did you mean "public"?)`}},
		{"invalid UTF-8",
			map[string]string{kimS: "---\ntitle: caf\xe9\n---\n"},
			[]string{kimS + ":2: not valid UTF-8 text (byte 0xe9 at column 11); save the file as UTF-8"}},
		{"over the size cap",
			map[string]string{kimS: "---\n---\n" + strings.Repeat("a", MaxFileSize)},
			[]string{kimS + ": the file is 1048584 bytes, over the cap of 1 MiB (1048576 bytes) for a content file"}},
		{"home page front matter",
			map[string]string{"content/_index.md": "---\ntitle: Home\nintro: x\n---\nWelcome.\n"},
			[]string{`content/_index.md:3: intro: unknown field; known fields: title`}},
		{"yaml aliases are fine; a wrong one is reported where its value is",
			map[string]string{kimS: "---\ntitle: &t Hello\ntags: [*t]\nratings: *t\n---\n"},
			[]string{kimS + `:2: ratings: must be a mapping like {vision: 4, service: 7}, not "Hello"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeTree(t, baseSite, tt.changes)
			got := loadErrors(t)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestReservedSessionNames(t *testing.T) {
	// A session page named like a portal page (trends, summary, data)
	// would collide with it; every session file name starts with a date.
	for _, name := range []string{"trends", "summary", "data"} {
		t.Run(name, func(t *testing.T) {
			path := "content/clients/kim/" + name + ".md"
			writeTree(t, baseSite, map[string]string{path: "---\ntitle: x\ndate: 2026-01-14\n---\n"})
			got := loadErrors(t)
			want := path + `: file name "` + name + `.md" is not YYYY-MM-DD.md or YYYY-MM-DD-slug.md`
			if len(got) != 1 || !strings.HasPrefix(got[0], want) {
				t.Errorf("errors %q, want one starting %q", got, want)
			}
		})
	}
}

func TestAllErrorsOfAllFiles(t *testing.T) {
	writeTree(t, baseSite, map[string]string{
		kimS:                                "---\ntitel: a\nratings: {vision: 12, health: 3}\nformat: zoom\n---\n\n    ```private\n",
		"content/clients/kim/2026-01-21.md": "---\ndate: 2026-01-22\ncommitments: [{status: open}]\n---\n",
		"content/clients/ana/_index.md":     "---\nname: Ana\nareas: [a, a]\n---\n",
	})
	got := loadErrors(t)
	want := []string{
		`content/clients/ana/_index.md:3: areas[2]: area "a" is listed twice (first on line 3)`,
		kimS + `:2: titel: unknown field (did you mean "title"?)`,
		kimS + `:3: ratings.health: the client has no area "health" (its areas: vision, service, accountability, community)`,
		kimS + ":3: ratings.vision: 12 is outside the scale 1..9",
		kimS + `:4: format: "zoom" is not one of in-person, video, phone`,
		kimS + ":7: a \"```private\" line must start a fenced block at the top level (not indented, not inside a list, quote, table or another fence), or its notes would show on the client's page",
		"content/clients/kim/2026-01-21.md:2: date: 2026-01-22 contradicts the file name, which says 2026-01-21",
		"content/clients/kim/2026-01-21.md:3: commitments[1]: a commitment needs text, like {text: Call Sam, due: 2026-01-20}",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestContentFolderMissing(t *testing.T) {
	t.Chdir(t.TempDir())
	_, err := Site("content", Options{})
	if err == nil || !os.IsNotExist(err) {
		t.Fatalf("err = %v, want a not-exist error", err)
	}
	if _, ok := err.(diag.List); ok {
		t.Fatalf("a missing content folder is reported as content problems")
	}
}

// TestBaseURL checks that a good base_url is kept, with a final "/" added.
func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://coach.example.org":          "https://coach.example.org/",
		"https://coach.example.org/portals/": "https://coach.example.org/portals/",
		"http://localhost:8080/p":            "http://localhost:8080/p/",
	} {
		writeTree(t, baseSite, map[string]string{"content/site.yaml": "title: P\nareas: [vision]\nbase_url: " + in + "\n"})
		site, err := Site("content", Options{})
		if err != nil {
			t.Fatalf("base_url %s: %v", in, err)
		}
		if site.BaseURL != want || site.Address("abc") != want+"abc/" {
			t.Errorf("base_url %s: BaseURL %q, Address %q", in, site.BaseURL, site.Address("abc"))
		}
	}
}
