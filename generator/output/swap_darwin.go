package output

import (
	"errors"

	"golang.org/x/sys/unix"
)

func exchangeFolders(a, b string) error {
	err := unix.RenamexNp(a, b, unix.RENAME_SWAP)
	// File systems other than APFS and HFS+ may lack it.
	if errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return errNoExchange
	}
	return err
}
