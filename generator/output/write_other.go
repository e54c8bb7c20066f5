//go:build !unix

package output

import "os"

// writeFile writes data to the file name, as os.WriteFile does.
func writeFile(name string, data []byte, perm uint32) error {
	return os.WriteFile(name, data, os.FileMode(perm))
}
