package serve

import (
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/coachsite/coachsite/generator/load"
	"github.com/fsnotify/fsnotify"
)

// notifier watches the folders below some roots with fsnotify (inotify,
// kqueue or ReadDirectoryChangesW, as the system has) and sends the paths
// that changed; Watch gathers them into bursts (see coalesce).
type notifier struct {
	w     *fsnotify.Watcher
	roots []string
	paths chan string
	stop  chan struct{}
	once  sync.Once
	// parents are the folders holding the roots, watched for a root that
	// appears, goes or is renamed; their other entries are not reported.
	parents map[string]bool
}

// newNotifier watches every folder below roots (a root that does not exist
// yet is watched for from its parent folder). It fails when the system
// cannot watch a folder (the limit of watches is reached, for example), so
// that the caller falls back to polling.
func newNotifier(roots []string) (*notifier, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	n := &notifier{w: w, paths: make(chan string, 256), stop: make(chan struct{}), parents: map[string]bool{}}
	for _, root := range roots {
		root = filepath.Clean(root)
		n.roots = append(n.roots, root)
		parent := filepath.Dir(root)
		if err := w.Add(parent); err != nil {
			w.Close()
			return nil, err
		}
		n.parents[parent] = true
		if isDir(root) {
			if err := n.addTree(root, nil); err != nil {
				w.Close()
				return nil, err
			}
		}
	}
	go n.read()
	return n, nil
}

// addTree watches dir and every folder below it that loading does not pass
// over. found, if not nil, is called with every path met, so that files
// made in a new folder before its watch was added are not missed.
func (n *notifier) addTree(dir string, found func(string)) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // vanished meanwhile: its removal is an event of its own
		}
		if p != dir && load.SkipName(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if found != nil {
			found(p)
		}
		if !d.IsDir() {
			return nil
		}
		if err := n.w.Add(p); err != nil && isDir(p) {
			return err
		}
		return nil
	})
}

// isRoot reports whether p is one of the watched roots.
func (n *notifier) isRoot(p string) bool {
	for _, r := range n.roots {
		if r == p {
			return true
		}
	}
	return false
}

// read turns events into changed paths until the watcher is closed. An
// error (an overflowed queue, say) reports the roots themselves, which asks
// for a full rebuild.
func (n *notifier) read() {
	defer close(n.paths)
	for {
		select {
		case ev, ok := <-n.w.Events:
			if !ok {
				return
			}
			n.handle(ev)
		case _, ok := <-n.w.Errors:
			if !ok {
				return
			}
			for _, r := range n.roots {
				n.send(r)
			}
		case <-n.stop:
			return
		}
	}
}

// handle turns one event into changed paths, and watches a new folder.
func (n *notifier) handle(ev fsnotify.Event) {
	p := filepath.Clean(ev.Name)
	if n.parents[filepath.Dir(p)] && !n.isRoot(p) {
		return // the site folder's other files are not watched
	}
	if load.SkipName(filepath.Base(p)) {
		return
	}
	if ev.Has(fsnotify.Create) && isDir(p) {
		// A new folder, perhaps with files already in it.
		if err := n.addTree(p, n.send); err != nil {
			n.send(p)
		}
		return
	}
	n.send(p)
}

// send passes a changed path on, unless the watching has stopped.
func (n *notifier) send(p string) {
	select {
	case n.paths <- p:
	case <-n.stop:
	}
}

// Close stops the watching; the paths channel closes after.
func (n *notifier) Close() error {
	n.once.Do(func() { close(n.stop) })
	return n.w.Close()
}
