package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/internal/testsite"
)

// snapshot reads every file under dir.
func snapshot(t *testing.T, dir string) map[string][]byte { return testsite.ReadTree(t, dir) }

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

// site copies the example content into a temp folder made the current
// folder, so error paths read "content/...".
func site(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	testsite.CopyTree(t, filepath.Join("..", "..", "content"), filepath.Join(dir, "content"))
	t.Chdir(dir)
}

func TestBuildExample(t *testing.T) {
	site(t)
	code, out, errOut := runCLI(t, "build")
	if code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "built 3 clients, ") || !strings.Contains(out, "→ public") {
		t.Errorf("summary line = %q", out)
	}
	files := snapshot(t, "public")
	if _, ok := files["index.html"]; !ok {
		t.Fatal("no index.html in public/")
	}
	// The draft session is left out, and included with --drafts.
	draft := "clients/adaeze-lindqvist-moor/2026-11-18"
	for p := range files {
		if strings.Contains(p, "2026-11-18") {
			t.Errorf("draft session written without --drafts: %s", p)
		}
	}
	if code, _, errOut := runCLI(t, "build", "--drafts", "--out", "withdrafts"); code != 0 {
		t.Fatalf("build --drafts exited %d: %s", code, errOut)
	}
	found := false
	for p := range snapshot(t, "withdrafts") {
		found = found || strings.Contains(p, draft)
	}
	if !found {
		t.Error("--drafts did not write the draft session")
	}
}

func TestContentErrorsExitOneAndKeepOutput(t *testing.T) {
	site(t)
	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("first build exited %d: %s", code, errOut)
	}
	before := snapshot(t, "public")

	// Break two files in two ways each.
	edit := func(path, old, new string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s does not contain %q", path, old)
		}
		os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
	}
	a := "content/clients/adaeze-lindqvist-moor/2026-03-30.md"
	edit(a, "vision: 5", "vision: 12")
	edit(a, "format: in-person", "format: carrier-pigeon")
	r := "content/clients/ruth-halloway-senna/_index.md"
	edit(r, "name:", "nmae:")

	code, out, errOut := runCLI(t, "build")
	if code != 1 {
		t.Fatalf("build with errors exited %d, want 1; stderr:\n%s", code, errOut)
	}
	if out != "" {
		t.Errorf("stdout on failure = %q", out)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	wantPrefixes := []string{
		a + ":", a + ":", r + ":",
	}
	var got []string
	for _, l := range lines {
		if strings.HasPrefix(l, "content/") {
			got = append(got, l)
		}
	}
	if len(got) < len(wantPrefixes) {
		t.Fatalf("want at least %d PATH:LINE errors, got:\n%s", len(wantPrefixes), errOut)
	}
	for _, want := range []string{"ratings.vision: 12 is outside the scale 1..9", "carrier-pigeon", "nmae"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	for _, l := range got {
		// PATH:LINE: message, with a line number.
		parts := strings.SplitN(l, ":", 3)
		if len(parts) < 3 || parts[1] == "" || strings.Trim(parts[1], "0123456789") != "" {
			t.Errorf("not PATH:LINE: message: %q", l)
		}
	}
	if !strings.Contains(lines[len(lines)-1], "nothing was written") {
		t.Errorf("last line = %q", lines[len(lines)-1])
	}

	after := snapshot(t, "public")
	if len(after) != len(before) {
		t.Fatalf("public/ has %d files after a failed build, %d before", len(after), len(before))
	}
	for p, b := range before {
		if !bytes.Equal(after[p], b) {
			t.Errorf("%s changed after a failed build", p)
		}
	}
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if strings.Contains(e.Name(), "building") {
			t.Errorf("staging folder left behind: %s", e.Name())
		}
	}

	// check reports the same problems and writes nothing.
	code, _, checkErr := runCLI(t, "check")
	if code != 1 || strings.Replace(checkErr, "coachsite check:", "coachsite build:", 1) != errOut {
		t.Errorf("check exited %d with\n%s\nwant 1 with the build's errors", code, checkErr)
	}
}

func TestUsage(t *testing.T) {
	site(t)
	cases := []struct {
		args []string
		code int
		out  string // in stdout, or stderr when the code is not 0
	}{
		{nil, 2, "Usage"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"build", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"build", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"build", "-h"}, 0, "Usage: coachsite build"},
		{[]string{"check", "-h"}, 0, "--content"},
		{[]string{"help"}, 0, "Commands:"},
		{[]string{"help", "build"}, 0, "--drafts"},
		{[]string{"help", "nope"}, 2, "unknown command"},
		{[]string{"version"}, 0, "coachsite "},
		{[]string{"--help"}, 0, "Commands:"},
		{[]string{"check"}, 0, "ok: 3 clients"},
		{[]string{"build", "--out", "content"}, 1, "is or contains the content folder"},
		{[]string{"build", "--out", "."}, 1, "is or contains the content folder"},
		{[]string{"build", "--content", "nowhere"}, 1, "no content folder"},
	}
	for _, c := range cases {
		code, out, errOut := runCLI(t, c.args...)
		text := out
		if c.code != 0 {
			text = errOut
		}
		if code != c.code || !strings.Contains(text, c.out) {
			t.Errorf("coachsite %v: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, errOut, c.code, c.out)
		}
	}
	if _, err := os.Stat("public"); err == nil {
		t.Error("check or a refused build wrote public/")
	}
}

func TestQuietAndVerbose(t *testing.T) {
	site(t)
	code, out, errOut := runCLI(t, "build", "--quiet")
	if code != 0 || out != "" || errOut != "" {
		t.Fatalf("build --quiet: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, "build", "--verbose")
	if code != 0 {
		t.Fatalf("build --verbose exited %d", code)
	}
	for _, stage := range []string{"open", "clients", "site", "commit", "built 3 clients"} {
		if !strings.Contains(out, stage) {
			t.Errorf("build --verbose output lacks %q:\n%s", stage, out)
		}
	}
	// Not a terminal: no progress line, only the summary.
	if strings.Contains(out, "\r") {
		t.Errorf("progress written to a pipe: %q", out)
	}
}
