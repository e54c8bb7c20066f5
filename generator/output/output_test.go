package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestCommitReplacesTarget(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "public")
	os.MkdirAll(filepath.Join(target, "old"), 0o755)
	os.WriteFile(filepath.Join(target, "old", "stale.html"), []byte("stale"), 0o644)
	os.WriteFile(filepath.Join(target, MarkerFile), []byte(markerText), 0o644)

	d, err := Begin(target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "clients/kim/index.html", "clients/kim/2026-01-14/index.html"} {
		if err := d.WriteFile(p, []byte("<p>"+p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, target)
	if len(got) != 4 || got["clients/kim/index.html"] != "<p>clients/kim/index.html" || got[MarkerFile] != markerText {
		t.Fatalf("target after commit = %v", got)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 || entries[0].Name() != ".public.lock" {
		t.Fatalf("staging or backup folders left behind: %v", entries)
	}
}

func TestAbortLeavesTargetUntouched(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "public")
	os.MkdirAll(target, 0o755)
	os.WriteFile(filepath.Join(target, "index.html"), []byte("good"), 0o644)
	os.WriteFile(filepath.Join(target, MarkerFile), []byte(markerText), 0o644)

	d, err := Begin(target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("index.html", []byte("half"))
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, target); len(got) != 2 || got["index.html"] != "good" {
		t.Fatalf("target after abort = %v", got)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 2 {
		t.Fatalf("staging folder left behind: %v", entries)
	}
	if err := d.WriteFile("x.html", nil); err == nil {
		t.Fatal("write after abort succeeded")
	}
}

func TestWriteTwiceAndBadPaths(t *testing.T) {
	d, err := Begin(filepath.Join(t.TempDir(), "public"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	if err := d.WriteFile("a/index.html", nil); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("a/index.html", nil); err == nil || !strings.Contains(err.Error(), "written twice") {
		t.Fatalf("second write: %v", err)
	}
	for _, p := range []string{"../escape.html", "/abs.html", "a/../../b", "", MarkerFile} {
		if err := d.WriteFile(p, nil); err == nil {
			t.Errorf("WriteFile(%q) succeeded", p)
		}
	}
}

func TestCheckPlacement(t *testing.T) {
	root := t.TempDir()
	content := filepath.Join(root, "site", "content")
	cases := []struct {
		out string
		ok  bool
	}{
		{filepath.Join(root, "site", "public"), true},
		{content, false},
		{filepath.Join(root, "site"), false},
		{root, false},
		{filepath.Join(content, "public"), true},
		{"/", false},
	}
	for _, c := range cases {
		err := CheckPlacement(content, c.out, Options{})
		if (err == nil) != c.ok {
			t.Errorf("CheckPlacement(%s, %s) = %v, want ok=%v", content, c.out, err, c.ok)
		}
	}
}

// TestWriteIntoFolderMarkedNotMade writes into a folder another writer has
// marked made but not made yet: the write makes it.
func TestWriteIntoFolderMarkedNotMade(t *testing.T) {
	d, err := Begin(filepath.Join(t.TempDir(), "public"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	d.made["a/b"] = true
	if err := d.WriteFile("a/b/index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("a/b/index.html", []byte("y")); err == nil || !strings.Contains(err.Error(), "written twice") {
		t.Errorf("a second write of one path: %v", err)
	}
}
