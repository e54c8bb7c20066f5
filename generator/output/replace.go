package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CheckReplace returns the error ReplaceFile(name, ..., force, ours, what)
// would refuse with, without writing anything: a file already at name may
// be replaced only when ours reports it is one of ours (what names such a
// file, e.g. "a coachsite archive") or force is set; a folder or anything
// but a regular file never is.
func CheckReplace(name string, force bool, ours func(name string) bool, what string) error {
	fi, err := os.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s: not a regular file; refusing to replace it", name)
	case !force && !ours(name):
		return fmt.Errorf("%s: not %s; refusing to replace it (choose another -o, or give --force)", name, what)
	}
	return nil
}

// ReplaceFile writes data to name with permissions perm, under CheckReplace's
// rule. The new file is written beside name and renamed into place, so name
// is never half written. When name is a symbolic link, the file it points
// to is replaced.
func ReplaceFile(name string, data []byte, perm fs.FileMode, force bool, ours func(name string) bool, what string) error {
	if r, err := filepath.EvalSymlinks(name); err == nil {
		name = r
	}
	if err := CheckReplace(name, force, ours, what); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".writing-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
