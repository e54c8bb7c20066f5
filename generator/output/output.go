// Package output writes a built site to disk so that readers never see half a
// site: every file goes into a staging folder beside the target, and the
// staging folder replaces the target only when the whole build succeeded.
// A failed or aborted build leaves the previous output untouched.
//
// The output folder is coachsite's own: a build marks it with [MarkerFile]
// and replaces only a folder that is empty or carries the mark, and never one
// that holds secrets, keys, content or a git repository (see guard.go). The
// swap is atomic where the system can exchange two folders in one step
// (Linux renameat2, macOS renamex_np); elsewhere it takes two renames, and a
// build killed between them is repaired by the next (see swap.go).
package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Options changes how Begin treats an existing output folder.
type Options struct {
	// Force replaces a non-empty folder that has no marker, such as the
	// output of a coachsite older than the marker. A folder holding secrets,
	// keys, content or a git repository is refused even so.
	Force bool
	// Keep names files that must outlive any build, such as the secrets file
	// and its key cache whatever they are called: a folder that holds one
	// is never replaced. Empty names are ignored.
	Keep []SecretFile
}

// Dir is an output folder being built. Its methods are safe for concurrent use.
type Dir struct {
	target  string // the folder the site ends up in, e.g. "public", symbolic links resolved
	staging string // where files are written until Commit
	lock    *lock  // held from Begin to Commit or Abort

	mu sync.Mutex
	// made holds folders already created under staging, to spare a
	// mkdir per file. Pages come client by client, so only recent folders
	// matter: it is emptied when it reaches maxMade, and a folder made
	// again is found to exist, so that memory does not grow with the site.
	made  map[string]bool
	files int // files written
	done  bool
}

// testHook is called at each step of a build's life on disk, so that tests
// can kill the process there and check what a kill leaves behind.
var testHook = func(step string) {}

// Begin starts a build into target. It refuses a target that is not
// coachsite's to replace (see CheckPlacement), takes the output's lock,
// repairs or removes what killed builds left beside it, and creates a
// staging folder in target's parent folder, so the final swap stays on one
// file system. When target is a symbolic link, the folder it points to is
// built and replaced, and the link is left as it is.
func Begin(target string, o Options) (*Dir, error) {
	target, err := resolve(filepath.Clean(target))
	if err != nil {
		return nil, err
	}
	if err := guard(target, o); err != nil {
		return nil, err
	}
	parent, base := filepath.Dir(target), filepath.Base(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	lk, err := acquire(filepath.Join(parent, "."+base+".lock"), target)
	if err != nil {
		return nil, err
	}
	testHook("locked")
	fail := func(err error) (*Dir, error) {
		lk.release()
		return nil, err
	}
	restored, err := tidy(parent, base)
	if err != nil {
		return fail(err)
	}
	if restored {
		// The folder put back was moved aside by a build, but check it as
		// any other before it is replaced.
		if err := guard(target, o); err != nil {
			return fail(err)
		}
	}
	staging, err := os.MkdirTemp(parent, "."+base+stagingInfix)
	if err != nil {
		return fail(err)
	}
	// MkdirTemp makes the folder 0700; a site is meant to be served.
	if err := os.Chmod(staging, 0o755); err != nil {
		os.RemoveAll(staging)
		return fail(err)
	}
	testHook("staged")
	return &Dir{target: target, staging: staging, lock: lk, made: map[string]bool{".": true}}, nil
}

// resolve follows target when it is a symbolic link, so that the folder it
// points to is replaced and the link itself stays.
func resolve(target string) (string, error) {
	fi, err := os.Lstat(target)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return target, nil
	}
	r, err := filepath.EvalSymlinks(target)
	if err != nil {
		return "", fmt.Errorf("%s: a symbolic link to nothing (%v); create the folder it names or remove the link", target, err)
	}
	return r, nil
}

// Staging returns the folder files are written to before Commit.
func (d *Dir) Staging() string { return d.staging }

// Target returns the folder Commit replaces: the output folder, or the
// folder it links to.
func (d *Dir) Target() string { return d.target }

// WriteFile writes data to rel, a slash-separated path relative to the output
// folder. Writing the same path twice is an error: it means two pages of the
// site would overwrite each other. The marker file's name is reserved.
func (d *Dir) WriteFile(rel string, data []byte) error {
	full, err := d.claim(rel)
	if err != nil {
		return err
	}
	f, err := create(rel, full)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// create creates the file full, rel in the staging folder, which must not
// exist yet: two pages on one path are an error, caught by the file
// system rather than by a set of every path written.
func create(rel, full string) (*os.File, error) {
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrNotExist) {
		// Another writer marked the folder made and has not made it yet.
		if err = os.MkdirAll(filepath.Dir(full), 0o755); err == nil {
			f, err = os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		}
	}
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("output: %s is written twice", rel)
	}
	return f, err
}

// Create creates the file rel, named as for WriteFile, to be written in
// pieces: for a file too large to be held in memory whole. Close it before
// Commit.
func (d *Dir) Create(rel string) (io.WriteCloser, error) {
	full, err := d.claim(rel)
	if err != nil {
		return nil, err
	}
	f, err := create(rel, full)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// maxMade is how many folders Dir.made holds at most.
const maxMade = 4096

// claim records that rel is written, makes its folder, and returns its path
// in the staging folder.
func (d *Dir) claim(rel string) (string, error) {
	if !fs.ValidPath(rel) || rel == "." || rel == MarkerFile {
		return "", fmt.Errorf("output: invalid path %q", rel)
	}
	dir := path.Dir(rel)
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return "", errors.New("output: write after commit or abort")
	}
	d.files++
	needDir := !d.made[dir]
	if needDir {
		// Mark under the lock; making a folder is idempotent, and a writer
		// that finds the folder marked but not made yet makes it (create).
		if len(d.made) >= maxMade {
			clear(d.made)
		}
		d.made[dir] = true
	}
	d.mu.Unlock()
	if needDir {
		full := filepath.Join(d.staging, filepath.FromSlash(dir))
		// Most new folders (a page each) sit in one already made: try one
		// mkdir before MkdirAll's stat and mkdir of every missing parent.
		if err := os.Mkdir(full, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			if err := os.MkdirAll(full, 0o755); err != nil {
				return "", err
			}
		}
	}
	return filepath.Join(d.staging, filepath.FromSlash(rel)), nil
}

// Files returns the number of files written so far, the marker not counted.
func (d *Dir) Files() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.files
}

// Commit marks the staged folder as coachsite's output and swaps it in for
// the target (see swap). The previous target is removed once the new one is
// in place; if the swap fails, the previous target stays.
func (d *Dir) Commit() error {
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return errors.New("output: already committed or aborted")
	}
	d.done = true
	d.mu.Unlock()
	defer d.lock.release()

	testHook("written")
	if err := os.WriteFile(filepath.Join(d.staging, MarkerFile), []byte(markerText), 0o644); err != nil {
		os.RemoveAll(d.staging)
		return fmt.Errorf("output: %w", err)
	}
	testHook("marked")
	if err := swap(d.staging, d.target); err != nil {
		os.RemoveAll(d.staging)
		return fmt.Errorf("output: replacing %s: %w", d.target, err)
	}
	return nil
}

// Abort discards everything written; the target folder is left as it was.
func (d *Dir) Abort() error {
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return nil
	}
	d.done = true
	d.mu.Unlock()
	defer d.lock.release()
	return os.RemoveAll(d.staging)
}

// CheckPlacement refuses an output folder that would destroy what it is built
// from: one that is, or contains, the content folder, or that is the file
// system root or the user's home folder; and any existing folder that Begin
// would refuse to replace (see guard). It writes nothing, so a build can ask
// before it loads the content.
func CheckPlacement(content, out string, o Options) error {
	ca, err := filepath.Abs(content)
	if err != nil {
		return err
	}
	resolved, err := resolve(filepath.Clean(out))
	if err != nil {
		return err
	}
	for _, p := range []string{out, resolved} {
		oa, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		if ca == oa || Within(oa, ca) {
			return fmt.Errorf("the output folder %s is or contains the content folder %s; choose another --out", out, content)
		}
		if oa == filepath.Dir(oa) {
			return fmt.Errorf("refusing to use the file system root %s as the output folder", out)
		}
		if home, err := os.UserHomeDir(); err == nil && filepath.Clean(home) == oa {
			return fmt.Errorf("refusing to use the home folder %s as the output folder", out)
		}
	}
	return guard(resolved, o)
}

// Within reports whether p lies inside dir (or is dir itself), each taken
// from the working folder when relative. It compares paths only: symbolic
// links are not followed.
func Within(dir, p string) bool {
	d, err1 := filepath.Abs(dir)
	q, err2 := filepath.Abs(p)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, q)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
