// Package rootfs reads the files of one folder — the content folder, a
// site's theme folder — without ever reading anything outside it.
//
// A Dir is opened with os.OpenRoot. A symbolic link that stays inside the
// folder is followed; one that leads out of it is an error naming the path
// ("content/_index.md: symlink leaves the content folder"), and so is any
// file that is not a regular file or a folder — a FIFO, a device, a socket
// ("content/clients/kim/x.md: not a regular file"). Files are checked
// before they are opened and again on the open descriptor, and opened
// without blocking, so a FIFO put in place between the two cannot hang a
// build.
package rootfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// Error is a file of a Dir that is refused: it leads out of the folder, or
// is not a regular file or a folder.
type Error struct {
	Path string // as reached from the folder's name, e.g. content/_index.md
	Msg  string // "symlink leaves the content folder", "not a regular file"
}

func (e *Error) Error() string { return e.Path + ": " + e.Msg }

// Dir is a folder opened for reading. It is safe for use by several
// goroutines at once.
type Dir struct {
	root *os.Root
	name string // the folder as given, for messages
	what string // "content folder", "theme folder"
}

// Open opens the folder name for reading. What names the folder in errors,
// as in "symlink leaves the content folder".
func Open(name, what string) (*Dir, error) {
	r, err := os.OpenRoot(name)
	if err != nil {
		return nil, err
	}
	return &Dir{root: r, name: name, what: what}, nil
}

// Close releases the folder.
func (d *Dir) Close() error { return d.root.Close() }

// Name returns the folder's name as given to Open.
func (d *Dir) Name() string { return d.name }

// Path returns the path of rel, a slash- or OS-separated path inside the
// folder, as reached from the folder's name: the form used in messages.
func (d *Dir) Path(rel string) string { return filepath.Join(d.name, filepath.FromSlash(rel)) }

// Stat returns the FileInfo of rel, following symbolic links inside the
// folder. A link leading out of it and a file that is neither regular nor
// a folder is an *Error.
func (d *Dir) Stat(rel string) (fs.FileInfo, error) {
	fi, err := d.root.Stat(rel)
	if err != nil {
		return nil, d.wrap(rel, err)
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() {
		return nil, &Error{Path: d.Path(rel), Msg: "not a regular file"}
	}
	return fi, nil
}

// Open opens rel, a regular file or a folder, for reading; see Stat for
// what is refused.
func (d *Dir) Open(rel string) (*os.File, error) {
	if _, err := d.Stat(rel); err != nil {
		return nil, err
	}
	// O_NONBLOCK: should rel have been replaced by a FIFO since Stat, the
	// open returns at once and the check below refuses it.
	f, err := d.root.OpenFile(rel, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, d.wrap(rel, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() {
		f.Close()
		return nil, &Error{Path: d.Path(rel), Msg: "not a regular file"}
	}
	return f, nil
}

// ReadDir lists the folder rel, sorted by name.
func (d *Dir) ReadDir(rel string) ([]fs.DirEntry, error) {
	f, err := d.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	// os.File.ReadDir does not sort; fs.ReadDirFS must.
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return ents, err
}

// wrap turns an error of the root for rel into an *Error when rel, or a
// folder on its way, is a link leading out of the folder; other errors
// (fs.ErrNotExist among them) are returned as they are.
func (d *Dir) wrap(rel string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return err
	}
	var pe *fs.PathError
	// os.Root's error for a path that escapes is not exported; its text is
	// what the standard library and its tests use.
	if errors.As(err, &pe) && pe.Err.Error() == "path escapes from parent" {
		return &Error{Path: d.Path(rel), Msg: "symlink leaves the " + d.what}
	}
	return err
}

// FS returns the folder as an fs.FS whose Open refuses what Dir.Open
// refuses, and whose ReadDir resolves links (see dirFS.ReadDir).
func (d *Dir) FS() fs.FS { return dirFS{d} }

type dirFS struct{ d *Dir }

func (f dirFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	file, err := f.d.Open(name)
	if err != nil {
		return nil, err
	}
	return file, nil
}

// ReadDir lists the folder name with each symbolic link resolved: an entry
// that is a link to a folder inside is a folder, so fs.WalkDir walks it,
// and a link leading out, a dangling link, a FIFO, a device or a socket
// makes the listing fail.
func (f dirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	ents, err := f.d.ReadDir(name)
	if err != nil {
		return nil, err
	}
	for i, e := range ents {
		if e.Type().IsRegular() || e.IsDir() {
			continue
		}
		fi, err := f.d.Stat(path.Join(name, e.Name()))
		if err != nil {
			return nil, err
		}
		ents[i] = fs.FileInfoToDirEntry(fi)
	}
	return ents, nil
}

// ReadFile implements fs.ReadFileFS; it reads at most 64 MiB.
func (f dirFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	file, err := f.d.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, 64<<20))
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Stat implements fs.StatFS.
func (f dirFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	return f.d.Stat(name)
}

var (
	_ fs.ReadDirFS  = dirFS{}
	_ fs.ReadFileFS = dirFS{}
	_ fs.StatFS     = dirFS{}
)
