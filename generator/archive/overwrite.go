package archive

import (
	"archive/zip"
	"strings"

	"github.com/coachsite/coachsite/generator/output"
)

// IsArchiveFile reports whether the file name is a zip laid out as a
// coachsite bag: one top-level folder holding bagit.txt, bag-info.txt,
// manifest-sha256.txt and tagmanifest-sha256.txt, and nothing beside them
// but data/ and coachsite-signature.txt. The checksums are not checked: a
// damaged archive is still one coachsite may replace.
func IsArchiveFile(name string) bool {
	r, err := zip.OpenReader(name)
	if err != nil {
		return false
	}
	defer r.Close()
	top := ""
	found := map[string]bool{}
	for _, f := range r.File {
		t, rel, ok := strings.Cut(f.Name, "/")
		if !ok || t == "" || (top != "" && t != top) {
			return false
		}
		top = t
		switch {
		case rel == BagItFile, rel == BagInfoFile, rel == ManifestFile, rel == TagManifestFile:
			found[rel] = true
		case rel == SignatureFile, rel == "", rel == PayloadDir+"/", strings.HasPrefix(rel, PayloadDir+"/"):
		default:
			return false
		}
	}
	return len(found) == 4
}

// CheckReplace returns the error WriteFile(name, _, force) would refuse
// with, without writing anything.
func CheckReplace(name string, force bool) error {
	return output.CheckReplace(name, force, IsArchiveFile, "a coachsite archive")
}

// WriteFile writes the zip data to name. A file already there is replaced
// only when it is a coachsite archive (IsArchiveFile) or force is set; a
// folder or anything but a regular file never is. The new file is written
// beside name and renamed into place, so name is never half written. When
// name is a symbolic link, the file it points to is replaced.
func WriteFile(name string, data []byte, force bool) error {
	return output.ReplaceFile(name, data, 0o644, force, IsArchiveFile, "a coachsite archive")
}
