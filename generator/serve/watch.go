package serve

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/coachsite/coachsite/generator/load"
)

// stamp is what polling compares to see that a file changed.
type stamp struct {
	size  int64
	mtime time.Time
	dir   bool
}

// snapshot is the stamp of every file and folder below the watched roots,
// by path.
type snapshot map[string]stamp

// scanRoots walks each root and stamps what it finds. A root that does not
// exist contributes nothing. Hidden entries and editors' backup and lock
// files are passed over, as loading does; a hidden folder is not entered.
//
// It costs one lstat per entry (ReadDir gives the names, Info the stamp); on
// the 10,000-session corpus that is about 11,000 system calls a pass.
func scanRoots(roots []string, prev snapshot) snapshot {
	snap := make(snapshot, len(prev))
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // vanished or unreadable: seen as deleted
			}
			if p != root && load.SkipName(d.Name()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				snap[p] = stamp{dir: true}
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return nil
			}
			snap[p] = stamp{size: fi.Size(), mtime: fi.ModTime()}
			return nil
		})
	}
	return snap
}

// diff returns the paths added, removed or changed from a to b, sorted.
func diff(a, b snapshot) []string {
	var ch []string
	for p, s := range b {
		if o, ok := a[p]; !ok || o != s {
			ch = append(ch, p)
		}
	}
	for p := range a {
		if _, ok := b[p]; !ok {
			ch = append(ch, p)
		}
	}
	sort.Strings(ch)
	return ch
}

// plan is what a set of changed paths asks to rebuild.
type plan struct {
	full    bool
	clients []string // client slugs, sorted, when not full
}

// planFor sorts the changed paths into a full rebuild (site.yaml, the home
// text, the theme, anything outside a client folder) or the rebuild of the
// clients whose folders they are in.
func planFor(content string, changed []string) plan {
	clientsDir := filepath.Join(content, "clients")
	seen := map[string]bool{}
	var pl plan
	for _, p := range changed {
		rel, err := filepath.Rel(clientsDir, p)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			pl.full = true
			continue
		}
		slug, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		if !seen[slug] {
			seen[slug] = true
			pl.clients = append(pl.clients, slug)
		}
	}
	if pl.full {
		pl.clients = nil
	}
	sort.Strings(pl.clients)
	return pl
}

// exists reports whether path names a folder.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// Coalescing of change events: editors write a temporary file and rename
// it, or write a file in several steps, so a save is a burst of events. A
// burst ends after coalesceQuiet without an event, or at the latest
// coalesceMax after its first.
const (
	coalesceQuiet = 25 * time.Millisecond
	coalesceMax   = 250 * time.Millisecond
)

// coalesce gathers the paths sent on paths into bursts (see coalesceQuiet)
// and calls apply with each burst's paths, sorted and once each, until ctx is
// done or paths is closed.
func coalesce(ctx context.Context, paths <-chan string, apply func([]string)) {
	for {
		var first string
		select {
		case <-ctx.Done():
			return
		case p, ok := <-paths:
			if !ok {
				return
			}
			first = p
		}
		seen := map[string]bool{first: true}
		deadline := time.NewTimer(coalesceMax)
		quiet := time.NewTimer(coalesceQuiet)
		open := true
	burst:
		for {
			select {
			case <-ctx.Done():
				deadline.Stop()
				quiet.Stop()
				return
			case p, ok := <-paths:
				if !ok {
					open = false
					break burst
				}
				seen[p] = true
				quiet.Reset(coalesceQuiet)
			case <-quiet.C:
				break burst
			case <-deadline.C:
				break burst
			}
		}
		deadline.Stop()
		quiet.Stop()
		changed := make([]string, 0, len(seen))
		for p := range seen {
			changed = append(changed, p)
		}
		sort.Strings(changed)
		apply(changed)
		if !open {
			return
		}
	}
}
