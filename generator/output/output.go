// Package output writes a built site to disk so that readers never see half a
// site: every file goes into a staging folder beside the target, and the
// staging folder replaces the target only when the whole build succeeded.
// A failed or aborted build leaves the previous output untouched.
package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Dir is an output folder being built. Its methods are safe for concurrent use.
type Dir struct {
	target  string // the folder the site ends up in, e.g. "public"
	staging string // where files are written until Commit

	mu   sync.Mutex
	made map[string]bool // folders already created under staging
	seen map[string]bool // files written, to catch two pages on one path
	done bool
}

// Begin starts a build into target. It creates a staging folder in target's
// parent folder, so the final rename stays on one file system.
func Begin(target string) (*Dir, error) {
	target = filepath.Clean(target)
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	staging, err := os.MkdirTemp(parent, "."+filepath.Base(target)+".building-")
	if err != nil {
		return nil, err
	}
	// MkdirTemp makes the folder 0700; a site is meant to be served.
	if err := os.Chmod(staging, 0o755); err != nil {
		os.RemoveAll(staging)
		return nil, err
	}
	return &Dir{target: target, staging: staging, made: map[string]bool{".": true}, seen: map[string]bool{}}, nil
}

// Staging returns the folder files are written to before Commit.
func (d *Dir) Staging() string { return d.staging }

// WriteFile writes data to rel, a slash-separated path relative to the output
// folder. Writing the same path twice is an error: it means two pages of the
// site would overwrite each other.
func (d *Dir) WriteFile(rel string, data []byte) error {
	if !fs.ValidPath(rel) || rel == "." {
		return fmt.Errorf("output: invalid path %q", rel)
	}
	dir := path.Dir(rel)
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return errors.New("output: write after commit or abort")
	}
	if d.seen[rel] {
		d.mu.Unlock()
		return fmt.Errorf("output: %s is written twice", rel)
	}
	d.seen[rel] = true
	needDir := !d.made[dir]
	if needDir {
		// Mark under the lock; making a folder is idempotent here, so a race
		// between two writers of one new folder is harmless.
		d.made[dir] = true
	}
	d.mu.Unlock()
	if needDir {
		full := filepath.Join(d.staging, filepath.FromSlash(dir))
		// Most new folders (a page each) sit in one already made: try one
		// mkdir before MkdirAll's stat and mkdir of every missing parent.
		if err := os.Mkdir(full, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			if err := os.MkdirAll(full, 0o755); err != nil {
				return err
			}
		}
	}
	return writeFile(filepath.Join(d.staging, filepath.FromSlash(rel)), data, 0o644)
}

// Files returns the number of files written so far.
func (d *Dir) Files() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.seen)
}

// Commit replaces the target folder with the staged one. The previous target
// is moved aside first and removed only once the new one is in place; if the
// swap fails half-way, the previous target is put back.
func (d *Dir) Commit() error {
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return errors.New("output: already committed or aborted")
	}
	d.done = true
	d.mu.Unlock()

	old := ""
	if _, err := os.Lstat(d.target); err == nil {
		old = d.staging + ".old"
		if err := os.Rename(d.target, old); err != nil {
			os.RemoveAll(d.staging)
			return fmt.Errorf("output: moving the previous %s aside: %w", d.target, err)
		}
	}
	if err := os.Rename(d.staging, d.target); err != nil {
		if old != "" {
			os.Rename(old, d.target)
		}
		os.RemoveAll(d.staging)
		return fmt.Errorf("output: %w", err)
	}
	if old != "" {
		return os.RemoveAll(old)
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
	return os.RemoveAll(d.staging)
}

// CheckPlacement refuses an output folder that would destroy what it is built
// from: one that is, or contains, the content folder, or that is the file
// system root or the user's home folder.
func CheckPlacement(content, out string) error {
	ca, err := filepath.Abs(content)
	if err != nil {
		return err
	}
	oa, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if ca == oa || within(oa, ca) {
		return fmt.Errorf("the output folder %s is or contains the content folder %s; choose another --out", out, content)
	}
	if oa == filepath.Dir(oa) {
		return fmt.Errorf("refusing to use the file system root %s as the output folder", out)
	}
	if home, err := os.UserHomeDir(); err == nil && filepath.Clean(home) == oa {
		return fmt.Errorf("refusing to use the home folder %s as the output folder", out)
	}
	return nil
}

// within reports whether p lies inside dir (or is dir itself).
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
