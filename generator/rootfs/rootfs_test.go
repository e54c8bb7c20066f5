package rootfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// tree makes a folder "in" holding a.txt, sub/b.txt and links to them, and
// beside it a folder "out" holding secret.txt.
func tree(t *testing.T) (in, out string) {
	t.Helper()
	base := t.TempDir()
	in, out = filepath.Join(base, "in"), filepath.Join(base, "out")
	for _, d := range []string{filepath.Join(in, "sub"), out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(in, "a.txt"), "A")
	write(filepath.Join(in, "sub", "b.txt"), "B")
	write(filepath.Join(out, "secret.txt"), "SECRET")
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(in, name)); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	link("a.txt", "link-a.txt")
	link("../a.txt", "sub/link-up.txt")
	link("sub", "link-sub")
	return in, out
}

func TestInsideLinksFollowed(t *testing.T) {
	in, _ := tree(t)
	d, err := Open(in, "content folder")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for rel, want := range map[string]string{
		"a.txt": "A", "link-a.txt": "A", "sub/link-up.txt": "A", "link-sub/b.txt": "B",
	} {
		b, err := fs.ReadFile(d.FS(), rel)
		if err != nil || string(b) != want {
			t.Errorf("%s: %q, %v; want %q", rel, b, err, want)
		}
	}
	// fs.WalkDir walks a linked folder inside as a folder.
	var walked []string
	if err := fs.WalkDir(d.FS(), ".", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			walked = append(walked, p)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(walked, " "); got != "a.txt link-a.txt link-sub/b.txt link-sub/link-up.txt sub/b.txt sub/link-up.txt" {
		t.Errorf("walked %s", got)
	}
}

func TestFSConforms(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "x", "y"), 0o755)
	os.WriteFile(filepath.Join(dir, "a"), []byte("a"), 0o644)
	os.WriteFile(filepath.Join(dir, "x", "y", "b"), []byte("b"), 0o644)
	d, err := Open(dir, "theme folder")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := fstest.TestFS(d.FS(), "a", "x/y/b"); err != nil {
		t.Error(err)
	}
}

func TestLinksLeavingRefused(t *testing.T) {
	in, out := tree(t)
	for name, target := range map[string]string{
		"abs.txt":        filepath.Join(out, "secret.txt"),
		"rel.txt":        "../out/secret.txt",
		"passwd.txt":     "/etc/passwd",
		"environ.txt":    "/proc/self/environ",
		"outdir":         out,
		"sub/deep.txt":   "../../out/secret.txt",
		"chain.txt":      "link-out-2.txt",
		"link-out-2.txt": "/etc/passwd",
	} {
		if err := os.Symlink(target, filepath.Join(in, name)); err != nil {
			t.Fatal(err)
		}
	}
	d, err := Open(in, "content folder")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, rel := range []string{"abs.txt", "rel.txt", "passwd.txt", "environ.txt", "outdir", "outdir/secret.txt", "sub/deep.txt", "chain.txt"} {
		f, err := d.Open(rel)
		if f != nil {
			f.Close()
		}
		var e *Error
		if !errors.As(err, &e) || e.Error() != filepath.Join(in, rel)+": symlink leaves the content folder" {
			t.Errorf("Open(%s) = %v", rel, err)
		}
		if _, err := fs.ReadFile(d.FS(), rel); !errors.As(err, &e) {
			t.Errorf("ReadFile(%s) = %v", rel, err)
		}
		if _, err := d.Stat(rel); !errors.As(err, &e) {
			t.Errorf("Stat(%s) = %v", rel, err)
		}
	}
	if _, err := d.ReadDir("outdir"); err == nil {
		t.Error("ReadDir lists a folder outside")
	}
	// A missing file is fs.ErrNotExist, not a refusal.
	if _, err := d.Open("nothing.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestFIFORefused checks that a FIFO is refused at once rather than read,
// which would block until a writer comes.
func TestFIFORefused(t *testing.T) {
	in, _ := tree(t)
	if err := syscall.Mkfifo(filepath.Join(in, "pipe.md"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := os.Symlink("pipe.md", filepath.Join(in, "link-pipe.md")); err != nil {
		t.Fatal(err)
	}
	d, err := Open(in, "theme folder")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	done := make(chan error, 2)
	go func() {
		for _, rel := range []string{"pipe.md", "link-pipe.md"} {
			f, err := d.Open(rel)
			if err == nil {
				_, _ = io.ReadAll(f)
				f.Close()
			}
			done <- err
		}
	}()
	for _, rel := range []string{"pipe.md", "link-pipe.md"} {
		select {
		case err := <-done:
			var e *Error
			if !errors.As(err, &e) || e.Error() != filepath.Join(in, rel)+": not a regular file" {
				t.Errorf("Open(%s) = %v", rel, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("opening a FIFO hangs")
		}
	}
}

// TestOpenRefusesFIFOAfterStat checks the second line of defence: a FIFO
// opened past Stat (as if swapped in between) is refused by its descriptor.
func TestOpenRefusesFIFOAfterStat(t *testing.T) {
	in, _ := tree(t)
	if err := syscall.Mkfifo(filepath.Join(in, "pipe"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	d, err := Open(in, "content folder")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	done := make(chan error, 1)
	go func() {
		f, err := d.root.OpenFile("pipe", os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err == nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("non-blocking open of a FIFO: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a non-blocking open of a FIFO hangs")
	}
}
