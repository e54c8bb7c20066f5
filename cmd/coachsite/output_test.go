package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/internal/testsite"
)

// write creates files (path -> text) under the current folder.
func write(t *testing.T, files map[string]string) {
	t.Helper()
	testsite.WriteFiles(t, ".", files)
}

// names lists the current folder.
func names(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var n []string
	for _, e := range entries {
		n = append(n, e.Name())
	}
	return n
}

func TestBuildMarksItsOutput(t *testing.T) {
	site(t)
	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	b, err := os.ReadFile("public/.coachsite-output")
	if err != nil {
		t.Fatal("no marker in public/:", err)
	}
	// The marker says nothing about the site, the version or the time.
	if string(b) != "coachsite output\n" {
		t.Errorf("marker = %q", b)
	}
	// The build's own output is replaced without --force, again and again.
	for range 2 {
		if code, _, errOut := runCLI(t, "build"); code != 0 {
			t.Fatalf("rebuild exited %d: %s", code, errOut)
		}
	}
}

// TestBuildRefusesFoldersNotItsOwn: --out names a folder that a build must
// not wipe. Each is refused with exit 1, and nothing in it or beside it
// changes.
func TestBuildRefusesFoldersNotItsOwn(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string // under the --out folder
		args  []string
		err   string
	}{
		{"secrets beside notes", map[string]string{"secrets.yaml": "coach: correct horse\n", "plan.txt": "mine"}, nil,
			"coachsite build: private: holds private/secrets.yaml (a secrets file); refusing to replace it"},
		{"secrets, forced", map[string]string{"secrets.yaml": "coach: correct horse\n", "index.html": "x"}, []string{"--force"},
			"holds private/secrets.yaml (a secrets file)"},
		{"key cache deep inside", map[string]string{".coachsite-output": "coachsite output\n", "old/secrets.yaml.keys": "k"}, []string{"--force"},
			"holds private/old/secrets.yaml.keys (a key cache)"},
		{"a folder of one's own", map[string]string{"plan.txt": "mine"}, nil,
			"coachsite build: private: not a coachsite output folder (no marker); refusing to replace it"},
		{"a content copy", map[string]string{"site.yaml": "title: x\n"}, []string{"--force"},
			"holds private/site.yaml (site content)"},
		{"the secrets file, named as one likes", map[string]string{".coachsite-output": "coachsite output\n", "pw.txt": "coach: x\n"}, []string{"--secrets", "private/pw.txt"},
			"coachsite build: private/pw.txt: the secrets file is inside the output folder private; refusing to replace it"},
		{"a git checkout", map[string]string{"index.html": "x", ".git/HEAD": "ref: refs/heads/gh-pages\n"}, []string{"--force"},
			"holds private/.git (a git repository)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site(t)
			files := map[string]string{}
			for p, text := range c.files {
				files[filepath.Join("private", p)] = text
			}
			write(t, files)
			before, beside := snapshot(t, "private"), names(t)
			code, out, errOut := runCLI(t, append([]string{"build", "--out", "private"}, c.args...)...)
			if code != 1 || !strings.Contains(errOut, c.err) || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errOut, c.err)
			}
			after := snapshot(t, "private")
			if len(after) != len(before) {
				t.Errorf("private/ has %d files, had %d", len(after), len(before))
			}
			for p, b := range before {
				if !bytes.Equal(after[p], b) {
					t.Errorf("private/%s changed", p)
				}
			}
			if got := names(t); !slices.Equal(got, beside) {
				t.Errorf("beside the output: %v, was %v", got, beside)
			}
		})
	}
}

func TestBuildRefusesAFile(t *testing.T) {
	site(t)
	write(t, map[string]string{"notes.txt": "mine"})
	code, _, errOut := runCLI(t, "build", "--out", "notes.txt", "--force")
	if code != 1 || !strings.Contains(errOut, "notes.txt: not a folder; refusing to replace it") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if b, _ := os.ReadFile("notes.txt"); string(b) != "mine" {
		t.Error("notes.txt changed")
	}
}

// The output of a coachsite older than the marker is refused with a hint,
// adopted with --force once, and rebuilt without it from then on.
func TestBuildAdoptsAnOlderOutputWithForce(t *testing.T) {
	site(t)
	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	os.Remove("public/.coachsite-output") // as an older coachsite left it
	code, _, errOut := runCLI(t, "build")
	if code != 1 || !strings.Contains(errOut, "public: not a coachsite output folder (no marker)") || !strings.Contains(errOut, "--force once") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "build", "--force"); code != 0 {
		t.Fatalf("build --force exited %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("build after adoption exited %d: %s", code, errOut)
	}
}

// TestBuildCleansUpAfterKilledBuilds: builds killed half-way (by an older
// coachsite too) left staging folders and, killed between its two renames,
// the old output aside and no public/ at all. The next build puts things
// right and leaves nothing behind.
func TestBuildCleansUpAfterKilledBuilds(t *testing.T) {
	site(t)
	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	want := snapshot(t, "public")
	if err := os.Rename("public", ".public.building-1234.old"); err != nil {
		t.Fatal(err)
	}
	write(t, map[string]string{
		".public.building-1234/index.html":            "half",
		".public.building-98/clients/x/index.html":    "half",
		".public.old-77/index.html":                   "older still",
		".private.building-5/index.html":              "another output's: left alone",
		"content-notes/.public.building-6/index.html": "elsewhere: left alone",
	})
	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("build after kills exited %d: %s", code, errOut)
	}
	if got := names(t); !slices.Equal(got, []string{".private.building-5", ".public.lock", "content", "content-notes", "public"}) {
		t.Errorf("after the build: %v", got)
	}
	got := snapshot(t, "public")
	if len(got) != len(want) {
		t.Errorf("public/ has %d files, want %d", len(got), len(want))
	}
}

// An --out that is a symbolic link: the folder it points to is built and
// replaced, and the link stays.
func TestBuildIntoASymlinkedOut(t *testing.T) {
	site(t)
	if err := os.MkdirAll("www/site", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("www", "site"), "public"); err != nil {
		t.Skip("no symbolic links:", err)
	}
	for range 2 {
		if code, _, errOut := runCLI(t, "build"); code != 0 {
			t.Fatalf("build exited %d: %s", code, errOut)
		}
		fi, err := os.Lstat("public")
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatal("public is no longer a symbolic link")
		}
		if _, err := os.Stat("www/site/index.html"); err != nil {
			t.Fatal("the link's folder was not built:", err)
		}
	}
}

// TestArchiveRefusesToOverwrite: archive -o replaces an earlier archive, but
// not a file that is not one (without --force), and never the content or
// the secrets.
func TestArchiveRefusesToOverwrite(t *testing.T) {
	site(t)
	const client = "ruth-halloway-senna"
	write(t, map[string]string{"notes.txt": "mine", "secrets.yaml": "coach: x\n"})
	siteYAML, _ := os.ReadFile("content/site.yaml")
	cases := []struct {
		args []string
		err  string // "" for success
	}{
		{[]string{"-o", "content/site.yaml"}, "content/site.yaml: inside the content folder"},
		{[]string{"-o", "content/site.yaml", "--force"}, "inside the content folder"},
		{[]string{"-o", "notes.txt"}, "notes.txt: not a coachsite archive; refusing to replace it"},
		{[]string{"-o", "secrets.yaml", "--force"}, "secrets.yaml: is the secrets file"},
		{[]string{"-o", "vault/secrets.yaml", "--force"}, "named like a secrets file"},
		{[]string{"-o", "x.keys", "--force"}, "named like a key cache"},
		{[]string{"-o", "content"}, "is the content folder"},
		{[]string{"-o", "ruth.zip"}, ""},
		{[]string{"-o", "ruth.zip"}, ""}, // an archive replaces an archive
		{[]string{"-o", "notes.txt", "--force"}, ""},
	}
	for _, c := range cases {
		code, out, errOut := runCLI(t, append([]string{"archive", client}, c.args...)...)
		if c.err == "" {
			if code != 0 {
				t.Errorf("archive %v exited %d: %s", c.args, code, errOut)
			}
			continue
		}
		if code != 1 || !strings.Contains(errOut, c.err) {
			t.Errorf("archive %v: exit %d, stdout %q, stderr %q; want exit 1 and %q", c.args, code, out, errOut, c.err)
		}
	}
	if b, _ := os.ReadFile("content/site.yaml"); !bytes.Equal(b, siteYAML) {
		t.Error("content/site.yaml changed")
	}
	if b, _ := os.ReadFile("secrets.yaml"); string(b) != "coach: x\n" {
		t.Error("secrets.yaml changed")
	}
	// A zip that is not a coachsite bag is not an archive to replace.
	b, _ := os.ReadFile("ruth.zip")
	zip := bytes.Replace(b, []byte("bagit.txt"), []byte("bagit.tx_"), -1)
	write(t, map[string]string{"other.zip": string(zip)})
	if code, _, errOut := runCLI(t, "archive", client, "-o", "other.zip"); code != 1 || !strings.Contains(errOut, "not a coachsite archive") {
		t.Errorf("archive over a zip that is no bag: exit %d, %s", code, errOut)
	}
	if got := names(t); slices.ContainsFunc(got, func(n string) bool { return strings.Contains(n, ".writing-") }) {
		t.Errorf("temporary files left: %v", got)
	}
}
