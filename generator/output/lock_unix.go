//go:build unix

package output

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// lock is an exclusive flock on the output's lock file, held while a build
// tidies, stages and swaps, so that two builds into one folder never remove
// each other's staging folder. The kernel releases it when the process dies.
type lock struct{ f *os.File }

func acquire(name, target string) (*lock, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: another coachsite build is writing it (it holds %s); try again when it is done", target, name)
		}
		return nil, fmt.Errorf("locking %s: %w", name, err)
	}
	return &lock{f}, nil
}

func (l *lock) release() {
	if l != nil && l.f != nil {
		l.f.Close() // closing the last descriptor drops the flock
		l.f = nil
	}
}
