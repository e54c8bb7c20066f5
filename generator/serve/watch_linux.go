//go:build linux

package serve

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"unsafe"
)

// watchMask is what a watched folder reports: files written, created,
// deleted or renamed in it, and its own removal or move.
const watchMask = syscall.IN_CLOSE_WRITE | syscall.IN_MODIFY | syscall.IN_ATTRIB |
	syscall.IN_CREATE | syscall.IN_DELETE | syscall.IN_MOVED_FROM | syscall.IN_MOVED_TO |
	syscall.IN_DELETE_SELF | syscall.IN_MOVE_SELF | syscall.IN_ONLYDIR

// notifier watches the folders below some roots with inotify and sends the
// paths that changed, a burst at a time (see coalesce).
type notifier struct {
	f     *os.File // the inotify descriptor, read through the runtime poller
	fd    int      // the same, for adding watches (f.Fd would make f blocking)
	roots []string
	paths chan string
	stop  chan struct{}
	once  sync.Once

	mu   sync.Mutex
	dirs map[int32]string // watch descriptor -> folder
	// parents are the folders holding the roots, watched for a root that
	// appears, goes or is renamed; by watch descriptor.
	parents map[int32]bool
}

// newNotifier watches every folder below roots (a root that does not exist
// yet is watched for from its parent folder). It fails when inotify cannot
// be had, or a folder cannot be watched (the limit of watches is reached,
// for example), so that the caller falls back to polling.
func newNotifier(roots []string) (*notifier, error) {
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		return nil, os.NewSyscallError("inotify_init1", err)
	}
	n := &notifier{
		f:       os.NewFile(uintptr(fd), "inotify"),
		fd:      fd,
		roots:   roots,
		paths:   make(chan string, 256),
		stop:    make(chan struct{}),
		dirs:    map[int32]string{},
		parents: map[int32]bool{},
	}
	for _, root := range roots {
		wd, err := syscall.InotifyAddWatch(fd, filepath.Dir(root), watchMask&^(syscall.IN_CLOSE_WRITE|syscall.IN_MODIFY|syscall.IN_ATTRIB))
		if err != nil {
			n.f.Close()
			return nil, os.NewSyscallError("inotify_add_watch", err)
		}
		n.parents[int32(wd)] = true
		n.dirs[int32(wd)] = filepath.Dir(root)
		if isDir(root) {
			if err := n.addTree(root, nil); err != nil {
				n.f.Close()
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
		if p != dir && skipName(d.Name()) {
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
		wd, err := syscall.InotifyAddWatch(n.fd, p, watchMask)
		if err != nil {
			if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ENOTDIR) {
				return nil
			}
			return os.NewSyscallError("inotify_add_watch "+p, err)
		}
		n.mu.Lock()
		n.dirs[int32(wd)] = p
		n.mu.Unlock()
		return nil
	})
}

// isRoot reports whether p is one of the watched roots.
func (n *notifier) isRoot(p string) bool {
	for _, r := range n.roots {
		if filepath.Clean(r) == p {
			return true
		}
	}
	return false
}

// read turns inotify events into changed paths until the descriptor is
// closed. An overflowed queue or a failed read reports the roots
// themselves, which asks for a full rebuild.
func (n *notifier) read() {
	defer close(n.paths)
	buf := make([]byte, 64*1024)
	for {
		k, err := n.f.Read(buf)
		if err != nil {
			if !errors.Is(err, os.ErrClosed) {
				for _, r := range n.roots {
					n.send(r)
				}
			}
			return
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= k; {
			ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
			nameBytes := buf[off+syscall.SizeofInotifyEvent : off+syscall.SizeofInotifyEvent+int(ev.Len)]
			off += syscall.SizeofInotifyEvent + int(ev.Len)
			name := string(trimNUL(nameBytes))
			n.handle(ev.Wd, ev.Mask, name)
		}
	}
}

func trimNUL(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}

// handle turns one event into changed paths, and keeps the watches in step
// with the folders.
func (n *notifier) handle(wd int32, mask uint32, name string) {
	if mask&syscall.IN_Q_OVERFLOW != 0 {
		for _, r := range n.roots {
			n.send(r)
		}
		return
	}
	n.mu.Lock()
	dir, ok := n.dirs[wd]
	parent := n.parents[wd]
	if mask&syscall.IN_IGNORED != 0 {
		delete(n.dirs, wd)
		delete(n.parents, wd)
	}
	n.mu.Unlock()
	if !ok || mask&syscall.IN_IGNORED != 0 {
		return
	}
	if name == "" {
		// The watched folder itself was removed or moved: its parent's
		// event names it, unless it is a root, whose parent is watched
		// for that.
		if mask&(syscall.IN_DELETE_SELF|syscall.IN_MOVE_SELF) != 0 {
			n.send(dir)
		}
		return
	}
	p := filepath.Join(dir, name)
	if parent && !n.isRoot(p) {
		return // the site folder's other files are not watched
	}
	if skipName(name) {
		return
	}
	if mask&syscall.IN_ISDIR != 0 && mask&(syscall.IN_CREATE|syscall.IN_MOVED_TO) != 0 {
		// A new folder, perhaps with files already in it.
		if err := n.addTree(p, func(q string) { n.send(q) }); err != nil {
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
	return n.f.Close()
}
