//go:build !linux

package serve

import "errors"

// notifier would report changed paths as the system tells of them; off
// Linux there is none, and Watch polls.
type notifier struct {
	paths chan string
}

// newNotifier fails off Linux, so that Watch polls.
func newNotifier(roots []string) (*notifier, error) {
	return nil, errors.New("no change notification on this system")
}

// Close does nothing.
func (n *notifier) Close() error { return nil }
