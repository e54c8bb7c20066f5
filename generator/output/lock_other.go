//go:build !unix

package output

// lock is a no-op on systems without flock: there, two builds into one
// output folder at once are not supported (docs/authoring.md).
type lock struct{}

func acquire(name, target string) (*lock, error) { return &lock{}, nil }

func (l *lock) release() {}
