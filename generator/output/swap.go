package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Names of what a build keeps beside its output folder OUT, all starting
// with a dot: .OUT.building-XXXX is a staging folder, .OUT.old-XXXX the
// previous output moved aside by the two-rename swap, and .OUT.lock the lock
// file, which stays.
const (
	stagingInfix = ".building-"
	oldInfix     = ".old-"
)

// errNoExchange says the system or file system cannot exchange two folders
// in one step.
var errNoExchange = errors.New("exchanging folders is not supported here")

// exchange swaps the folders a and b in one step, or fails with
// errNoExchange. A variable so that tests can take the fallback path.
var exchange = exchangeFolders

// swap puts the finished staging folder in place of target. When target
// exists, the two are exchanged in one step where the system can
// (renameat2 RENAME_EXCHANGE on Linux, renamex_np RENAME_SWAP on macOS), so
// that target is at every instant either the old output or the new one; the
// old one, now under the staging name, is then removed. Elsewhere target is
// renamed aside to .OUT.old-XXXX and staging renamed into place: a kill
// between the two renames leaves no target, and the next build puts the old
// output back before it starts (see tidy).
func swap(staging, target string) error {
	if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(staging, target); err != nil {
			return err
		}
		testHook("swapped")
		return nil
	}
	err := exchange(staging, target)
	if err == nil {
		testHook("swapped")
		// staging now holds the previous output.
		return os.RemoveAll(staging)
	}
	if !errors.Is(err, errNoExchange) {
		return err
	}
	parent, base := filepath.Dir(target), filepath.Base(target)
	old := filepath.Join(parent, "."+base+oldInfix+strings.TrimPrefix(filepath.Base(staging), "."+base+stagingInfix))
	if err := os.Rename(target, old); err != nil {
		return err
	}
	testHook("aside")
	if err := os.Rename(staging, target); err != nil {
		if back := os.Rename(old, target); back != nil {
			return errors.Join(err, back)
		}
		return err
	}
	testHook("swapped")
	return os.RemoveAll(old)
}

// tidy cleans up after killed builds of parent/base; the caller holds the
// lock. If the output folder is missing and a previous output was moved
// aside, that is put back, and tidy reports it. Every staging folder and
// every other old output is removed.
func tidy(parent, base string) (restored bool, err error) {
	entries, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var stale, olds []string
	for _, e := range entries {
		n := e.Name()
		switch {
		// .OUT.building-XXXX.old is where coachsite before the marker
		// moved the old output aside.
		case strings.HasPrefix(n, "."+base+oldInfix),
			strings.HasPrefix(n, "."+base+stagingInfix) && strings.HasSuffix(n, ".old"):
			olds = append(olds, filepath.Join(parent, n))
		case strings.HasPrefix(n, "."+base+stagingInfix):
			stale = append(stale, filepath.Join(parent, n))
		}
	}
	target := filepath.Join(parent, base)
	if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) && len(olds) > 0 {
		// There is one at most, unless builds of two coachsite versions
		// were killed; a marked one, then the newest, is the one to keep.
		sort.Slice(olds, func(i, j int) bool {
			if mi, mj := marked(olds[i]), marked(olds[j]); mi != mj {
				return mi
			}
			return modTime(olds[i]) > modTime(olds[j])
		})
		if err := os.Rename(olds[0], target); err != nil {
			return false, err
		}
		restored = true
		olds = olds[1:]
	}
	for _, p := range append(stale, olds...) {
		if err := os.RemoveAll(p); err != nil {
			return restored, err
		}
	}
	return restored, nil
}

func modTime(p string) int64 {
	fi, err := os.Lstat(p)
	if err != nil {
		return 0
	}
	return fi.ModTime().UnixNano()
}
