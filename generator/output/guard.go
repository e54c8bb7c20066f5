package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MarkerFile is the file every build puts at the top of its output, so that
// the next build knows the folder is its own to replace. It is published with
// the site. Its content is the fixed markerText: it says nothing about the
// site, its author, the coachsite version or the time of the build.
const MarkerFile = ".coachsite-output"

const markerText = "coachsite output\n"

// guard refuses to let a build replace target unless it is missing, an empty
// folder, or a folder marked by an earlier build (any non-empty folder with
// o.Force); and it refuses, whatever o says, a folder that holds secrets,
// keys, content, a git repository or a file of o.Keep.
func guard(target string, o Options) error {
	fi, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s: not a folder; refusing to replace it", target)
	}
	entries, err := os.ReadDir(target)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	for _, k := range o.Keep {
		if k.Path != "" && Within(realPath(target), realPath(k.Path)) {
			return fmt.Errorf("%s: %s is inside the output folder %s; refusing to replace it", k.Path, k.What, target)
		}
	}
	if rel, what, err := sensitive(target); err != nil {
		return err
	} else if rel != "" {
		return fmt.Errorf("%s: holds %s (%s); refusing to replace it", target, filepath.Join(target, rel), what)
	}
	if marked(target) || o.Force {
		return nil
	}
	msg := fmt.Sprintf("%s: not a coachsite output folder (no marker); refusing to replace it", target)
	if looksOld(target) {
		msg += "; if it is the output of an older coachsite, build with --force once to adopt it"
	} else {
		msg += "; choose an empty or new folder with --out"
	}
	return errors.New(msg)
}

// marked reports whether dir holds the marker a build writes.
func marked(dir string) bool {
	fi, err := os.Lstat(filepath.Join(dir, MarkerFile))
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(markerText)) {
		return false
	}
	b, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	return err == nil && string(b) == markerText
}

// looksOld reports whether dir looks like the output of a coachsite that
// did not write the marker yet: a home page and an assets folder. It only
// chooses the hint of an error; such a folder is never replaced without
// Force.
func looksOld(dir string) bool {
	a, err1 := os.Stat(filepath.Join(dir, "index.html"))
	b, err2 := os.Stat(filepath.Join(dir, "assets"))
	return err1 == nil && err2 == nil && a.Mode().IsRegular() && b.IsDir()
}

// sensitive walks dir for a file or folder that no build writes and that
// must not be lost with an old output: secrets, key files, content, a git
// repository. It returns the first one's path relative to dir and what it
// is, or "" when there is none. Symbolic links are not followed.
func sensitive(dir string) (rel, what string, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if w := Sensitive(d.Name()); w != "" {
			rel, _ = filepath.Rel(dir, p)
			what = w
			return filepath.SkipAll
		}
		return nil
	})
	return rel, what, err
}

// Sensitive says what a file or folder of this name is when a build
// never writes one: the secrets file (secrets.yaml or a .secrets* file), a
// key cache (*.keys), a signing key (*.key), site content (site.yaml,
// _index.md) or a git repository (.git). Names are compared without case,
// as macOS and Windows do.
func Sensitive(name string) string {
	n := strings.ToLower(name)
	switch {
	case n == "secrets.yaml" || n == "secrets.yml" || strings.HasPrefix(n, ".secrets"):
		return "a secrets file"
	case strings.HasSuffix(n, ".keys"):
		return "a key cache"
	case strings.HasSuffix(n, ".key"):
		return "a private key"
	case n == "site.yaml" || n == "_index.md":
		return "site content"
	case n == ".git":
		return "a git repository"
	}
	return ""
}
