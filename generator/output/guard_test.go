package output

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// listNames returns the names in dir, for checking that a refused build
// touched nothing beside the output either.
func listNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestGuardRefusesFoldersThatAreNotOurs(t *testing.T) {
	marker := map[string]string{MarkerFile: markerText}
	with := func(a map[string]string, more map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range a {
			m[k] = v
		}
		for k, v := range more {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name  string
		files map[string]string // nil: no folder; "/" suffix: an empty folder
		force bool
		err   string // "" when Begin may replace it
	}{
		{"missing", nil, false, ""},
		{"empty", map[string]string{}, false, ""},
		{"marked", with(marker, map[string]string{"index.html": "x", "clients/a/index.html": "y"}), false, ""},
		{"unmarked", map[string]string{"notes.txt": "mine"}, false, "not a coachsite output folder (no marker); refusing to replace it"},
		{"unmarked forced", map[string]string{"notes.txt": "mine"}, true, ""},
		{"older coachsite", map[string]string{"index.html": "x", "assets/css/site.css": "y"}, false, "build with --force once"},
		{"older coachsite forced", map[string]string{"index.html": "x", "assets/css/site.css": "y"}, true, ""},
		{"marker with other text", map[string]string{MarkerFile: "coachsite output 1.2\n", "index.html": "x"}, false, "no marker"},
		{"marker is a folder", map[string]string{MarkerFile + "/x": "", "index.html": "x"}, false, "no marker"},
		{"secrets file", with(marker, map[string]string{"secrets.yaml": "coach: x"}), false, "(a secrets file); refusing"},
		{"secrets file forced", map[string]string{"Secrets.YAML": "coach: x"}, true, "(a secrets file); refusing"},
		{"dot secrets", with(marker, map[string]string{".secrets-prod.yaml": "x"}), true, "a secrets file"},
		{"key cache deep", with(marker, map[string]string{"a/b/secrets.yaml.keys": "x"}), false, "a/b/secrets.yaml.keys (a key cache)"},
		{"other key cache", with(marker, map[string]string{"prod.keys": "x"}), true, "a key cache"},
		{"signing key", with(marker, map[string]string{"acme.key": "x"}), true, "a private key"},
		{"site settings", with(marker, map[string]string{"site.yaml": "title: x"}), true, "site content"},
		{"content folder", map[string]string{"content/clients/kim/_index.md": "x"}, true, "site content"},
		{"git repository", with(marker, map[string]string{".git/HEAD": "ref"}), true, "a git repository"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			target := filepath.Join(root, "public")
			if c.files != nil {
				os.Mkdir(target, 0o755)
			}
			for p, text := range c.files {
				full := filepath.Join(target, filepath.FromSlash(p))
				os.MkdirAll(filepath.Dir(full), 0o755)
				if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var before map[string]string
			if c.files != nil {
				before = readAll(t, target)
			}
			placeErr := CheckPlacement(filepath.Join(root, "content-elsewhere"), target, Options{Force: c.force})
			d, err := Begin(target, Options{Force: c.force})
			if c.err == "" {
				if err != nil || placeErr != nil {
					t.Fatalf("Begin = %v, CheckPlacement = %v; want both to accept", err, placeErr)
				}
				d.WriteFile("index.html", []byte("new"))
				if err := d.Commit(); err != nil {
					t.Fatal(err)
				}
				if got := readAll(t, target); len(got) != 2 || got["index.html"] != "new" {
					t.Fatalf("after commit: %v", got)
				}
				return
			}
			for _, e := range []error{err, placeErr} {
				if e == nil || !strings.Contains(e.Error(), c.err) || !strings.HasPrefix(e.Error(), target+": ") {
					t.Errorf("got %v; want an error starting %q and holding %q", e, target+": ", c.err)
				}
			}
			if got := readAll(t, target); len(got) != len(before) {
				t.Errorf("a refused build changed the folder: %v, was %v", got, before)
			}
			if names := listNames(t, root); len(names) != 1 {
				t.Errorf("a refused build left %v beside the output", names)
			}
		})
	}
}

func TestGuardRefusesAFile(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "site.zip")
	os.WriteFile(target, []byte("PK"), 0o644)
	if _, err := Begin(target, Options{Force: true}); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Fatalf("Begin on a file = %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "PK" {
		t.Fatal("the file was changed")
	}
}

// An --out that is a symbolic link builds and replaces the folder it points
// to; the link stays a link.
func TestSymlinkOutReplacesItsTarget(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "www", "site")
	link := filepath.Join(root, "public")
	for round, page := range []string{"first", "second"} {
		if round == 0 {
			os.MkdirAll(filepath.Dir(real), 0o755)
			if err := os.Symlink(real, link); err != nil {
				t.Skip("no symbolic links here:", err)
			}
			// A link to nothing yet: refused, with what to do.
			if _, err := Begin(link, Options{}); err == nil || !strings.Contains(err.Error(), "symbolic link to nothing") {
				t.Fatalf("Begin through a dangling link = %v", err)
			}
			os.Mkdir(real, 0o755)
		}
		d, err := Begin(link, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d.Target() != real {
			t.Errorf("target %s, want %s", d.Target(), real)
		}
		d.WriteFile("index.html", []byte(page))
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(link)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("round %d: %s is no longer a link: %v", round, link, err)
		}
		if b, _ := os.ReadFile(filepath.Join(link, "index.html")); string(b) != page {
			t.Errorf("round %d: index.html = %q", round, b)
		}
		if names := listNames(t, root); strings.Join(names, " ") != "public www" {
			t.Errorf("beside the link: %v", names)
		}
		if names := listNames(t, filepath.Dir(real)); strings.Join(names, " ") != ".site.lock site" {
			t.Errorf("beside the target: %v", names)
		}
	}
	// A link to a folder that is not ours is refused like the folder.
	other := filepath.Join(root, "home")
	os.Mkdir(other, 0o755)
	os.WriteFile(filepath.Join(other, "letter.txt"), []byte("mine"), 0o644)
	os.Symlink(other, filepath.Join(root, "out2"))
	if _, err := Begin(filepath.Join(root, "out2"), Options{}); err == nil || !strings.Contains(err.Error(), "no marker") {
		t.Fatalf("Begin through a link to a folder not ours = %v", err)
	}
}

func TestSecondBuildIntoOneFolderWaitsItsTurn(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no lock on Windows")
	}
	target := filepath.Join(t.TempDir(), "public")
	d, err := Begin(target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Begin(target, Options{}); err == nil || !strings.Contains(err.Error(), "another coachsite build") {
		t.Fatalf("second Begin while the first runs = %v", err)
	}
	if _, err := os.Stat(d.Staging()); err != nil {
		t.Fatalf("the second build touched the first's staging folder: %v", err)
	}
	d.Abort()
	d2, err := Begin(target, Options{})
	if err != nil {
		t.Fatalf("Begin after the first ended = %v", err)
	}
	d2.Abort()
}
