package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runWithin runs the command line, failing the test rather than hanging
// when it does not end within a minute (a FIFO read would block forever).
func runWithin(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		var o, e bytes.Buffer
		c := run(args, &o, &e)
		done <- result{c, o.String(), e.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.err
	case <-time.After(time.Minute):
		t.Fatalf("coachsite %s hangs", strings.Join(args, " "))
		return 0, "", ""
	}
}

// outsideFile writes a file outside the content folder holding marker.
func outsideFile(t *testing.T, marker string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "outside.md")
	src := "---\nname: Outside Person\ndate: 2025-07-01\n---\n" + marker + "\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	os.Remove(name)
	if err := os.Symlink(target, name); err != nil {
		t.Skip("no symbolic links here:", err)
	}
}

// expectRefused runs build and check; both must exit 1 naming want on
// standard error, write no public/, and print nothing of marker.
func expectRefused(t *testing.T, want, marker string) {
	t.Helper()
	for _, cmd := range []string{"build", "check"} {
		code, out, errOut := runWithin(t, cmd)
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("%s exited %d, stderr lacks %q:\n%s", cmd, code, want, errOut)
		}
		if marker != "" && strings.Contains(out+errOut, marker) {
			t.Errorf("%s printed what lies outside the content folder", cmd)
		}
	}
	if _, err := os.Stat("public"); err == nil {
		t.Error("public/ written")
	}
}

func TestContentSymlinksLeavingRefused(t *testing.T) {
	t.Run("home text to /etc/passwd", func(t *testing.T) {
		site(t)
		symlink(t, "/etc/passwd", filepath.Join("content", "_index.md"))
		expectRefused(t, "content/_index.md: symlink leaves the content folder", "root:")
	})
	t.Run("home text to /proc/self/environ", func(t *testing.T) {
		site(t)
		t.Setenv("CI_TOKEN_MARKER", "TOKEN-a81f")
		symlink(t, "/proc/self/environ", filepath.Join("content", "_index.md"))
		expectRefused(t, "content/_index.md: symlink leaves the content folder", "TOKEN-a81f")
	})
	t.Run("site.yaml", func(t *testing.T) {
		site(t)
		p := outsideFile(t, "OUTSIDE-11")
		symlink(t, p, filepath.Join("content", "site.yaml"))
		expectRefused(t, "content/site.yaml: symlink leaves the content folder", "OUTSIDE-11")
	})
	t.Run("session", func(t *testing.T) {
		site(t)
		p := outsideFile(t, "OUTSIDE-22")
		symlink(t, p, filepath.Join("content", "clients", "ruth-halloway-senna", "2025-07-01.md"))
		expectRefused(t, "content/clients/ruth-halloway-senna/2025-07-01.md: symlink leaves the content folder", "OUTSIDE-22")
	})
	t.Run("relative session link", func(t *testing.T) {
		site(t)
		outsideFile(t, "x")
		if err := os.WriteFile("elsewhere.md", []byte("---\ndate: 2025-07-01\n---\nOUTSIDE-33\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		symlink(t, "../../../elsewhere.md", filepath.Join("content", "clients", "ruth-halloway-senna", "2025-07-01.md"))
		expectRefused(t, "content/clients/ruth-halloway-senna/2025-07-01.md: symlink leaves the content folder", "OUTSIDE-33")
	})
	t.Run("client folder", func(t *testing.T) {
		site(t)
		dir := filepath.Join(t.TempDir(), "kim")
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "_index.md"), []byte("---\nname: OUTSIDE-44\n---\n"), 0o644)
		symlink(t, dir, filepath.Join("content", "clients", "kim"))
		expectRefused(t, "content/clients/kim: symlink leaves the content folder", "OUTSIDE-44")
	})
	t.Run("clients folder", func(t *testing.T) {
		site(t)
		if err := os.Rename(filepath.Join("content", "clients"), "clients-elsewhere"); err != nil {
			t.Fatal(err)
		}
		symlink(t, filepath.Join("..", "clients-elsewhere"), filepath.Join("content", "clients"))
		expectRefused(t, "content/clients: symlink leaves the content folder", "")
	})
}

// TestContentFIFORefused puts FIFOs where content is read: build and check
// must end at once with an error naming each, rather than hang.
func TestContentFIFORefused(t *testing.T) {
	for _, rel := range []string{
		"_index.md", "site.yaml",
		filepath.Join("clients", "ruth-halloway-senna", "2025-07-01.md"),
		filepath.Join("clients", "ruth-halloway-senna", "notes.txt"),
		filepath.Join("clients", "fifo-client"),
	} {
		t.Run(rel, func(t *testing.T) {
			site(t)
			p := filepath.Join("content", rel)
			os.Remove(p)
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
			expectRefused(t, p+": not a regular file", "")
		})
	}
}

// TestContentSymlinksInsideWork moves files within the content folder and
// links them back: the site builds as before.
func TestContentSymlinksInsideWork(t *testing.T) {
	site(t)
	code, _, errOut := runCLI(t, "build", "--out", "before")
	if code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	move := func(rel, to string) {
		t.Helper()
		from := filepath.Join("content", rel)
		dst := filepath.Join("content", to)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.Rename(from, dst); err != nil {
			t.Fatal(err)
		}
		target, _ := filepath.Rel(filepath.Dir(from), dst)
		symlink(t, target, from)
	}
	move("site.yaml", ".store/site.yaml")
	move(filepath.Join("clients", "ruth-halloway-senna", "2025-06-30.md"), ".store/2025-06-30.md")
	move(filepath.Join("clients", "tobias-ferrante-okoro"), ".store/tobias")
	if code, _, errOut := runWithin(t, "build", "--out", "after"); code != 0 {
		t.Fatalf("build with links inside exited %d: %s", code, errOut)
	}
	a, b := snapshot(t, "before"), snapshot(t, "after")
	if len(a) != len(b) {
		t.Fatalf("%d files before, %d with links", len(a), len(b))
	}
	for p, data := range a {
		if !bytes.Equal(data, b[p]) {
			t.Errorf("%s differs when read through links", p)
		}
	}
}

// themeSite makes the example site use its own theme folder, themes/mine,
// holding one partial, and returns the folder.
func themeSite(t *testing.T) string {
	t.Helper()
	site(t)
	dir := filepath.Join("themes", "mine")
	if err := os.MkdirAll(filepath.Join(dir, "layouts", "partials"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("content", "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, "\ntheme: mine\n"...)
	if err := os.WriteFile(filepath.Join("content", "site.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestThemeFilesRefused(t *testing.T) {
	t.Run("symlink to /etc/passwd", func(t *testing.T) {
		dir := themeSite(t)
		p := filepath.Join(dir, "layouts", "partials", "x.html")
		symlink(t, "/etc/passwd", p)
		code, out, errOut := runWithin(t, "build")
		if code != 1 || !strings.Contains(errOut, p+": symlink leaves the themes folder") || strings.Contains(out+errOut, "root:") {
			t.Errorf("build exited %d:\n%s", code, errOut)
		}
	})
	t.Run("folder leaving", func(t *testing.T) {
		dir := themeSite(t)
		outside := t.TempDir()
		os.WriteFile(filepath.Join(outside, "x.css"), []byte("OUTSIDE-55"), 0o644)
		symlink(t, outside, filepath.Join(dir, "assets"))
		code, _, errOut := runWithin(t, "build")
		if code != 1 || !strings.Contains(errOut, "symlink leaves the themes folder") {
			t.Errorf("build exited %d:\n%s", code, errOut)
		}
	})
	t.Run("theme folder itself leaving", func(t *testing.T) {
		dir := themeSite(t)
		outside := t.TempDir()
		os.MkdirAll(filepath.Join(outside, "layouts", "partials"), 0o755)
		os.WriteFile(filepath.Join(outside, "layouts", "partials", "x.html"), []byte("OUTSIDE-56"), 0o644)
		os.RemoveAll(dir)
		symlink(t, outside, dir)
		code, _, errOut := runWithin(t, "build")
		if code != 1 || !strings.Contains(errOut, dir+": symlink leaves the themes folder") {
			t.Errorf("build exited %d:\n%s", code, errOut)
		}
	})
	t.Run("FIFO", func(t *testing.T) {
		dir := themeSite(t)
		p := filepath.Join(dir, "layouts", "partials", "x.html")
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skip("no FIFOs here:", err)
		}
		code, _, errOut := runWithin(t, "build")
		if code != 1 || !strings.Contains(errOut, p+": not a regular file") {
			t.Errorf("build exited %d:\n%s", code, errOut)
		}
	})
	t.Run("symlink inside works", func(t *testing.T) {
		dir := themeSite(t)
		os.MkdirAll(filepath.Join(dir, "shared"), 0o755)
		os.WriteFile(filepath.Join(dir, "shared", "extra.css"), []byte(".inside-66 { color: red }"), 0o644)
		os.MkdirAll(filepath.Join(dir, "assets"), 0o755)
		symlink(t, filepath.Join("..", "shared", "extra.css"), filepath.Join(dir, "assets", "extra.css"))
		code, _, errOut := runWithin(t, "build")
		if code != 0 {
			t.Fatalf("build exited %d:\n%s", code, errOut)
		}
		b, err := os.ReadFile(filepath.Join("public", "assets", "extra.css"))
		if err != nil || !bytes.Contains(b, []byte(".inside-66{color:red}")) {
			t.Errorf("the linked asset was not published: %q %v", b, err)
		}
	})
}

// TestNewSessionReadsSiteThroughRoot covers the scaffolding, which reads
// site.yaml for the areas of a new session.
func TestNewSessionReadsSiteThroughRoot(t *testing.T) {
	site(t)
	symlink(t, "/etc/passwd", filepath.Join("content", "site.yaml"))
	code, out, errOut := runWithin(t, "new", "session", "ruth-halloway-senna")
	if code == 0 || !strings.Contains(errOut, "content/site.yaml: symlink leaves the content folder") || strings.Contains(out+errOut, "root:") {
		t.Errorf("new session exited %d:\n%s%s", code, out, errOut)
	}
	os.Remove(filepath.Join("content", "site.yaml"))
	if err := syscall.Mkfifo(filepath.Join("content", "site.yaml"), 0o644); err != nil {
		t.Skip(err)
	}
	if code, _, errOut := runWithin(t, "new", "session", "ruth-halloway-senna"); code == 0 || !strings.Contains(errOut, "content/site.yaml: not a regular file") {
		t.Errorf("new session with a FIFO exited %d:\n%s", code, errOut)
	}
}
