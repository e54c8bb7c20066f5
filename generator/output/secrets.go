package output

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/coachsite/coachsite/generator/diag"
)

// SecretFile is a file that holds secrets, for CheckSecretFiles.
type SecretFile struct {
	Path string // as the user gave it
	What string // "the secrets file", "the key cache"
}

// CheckSecretFiles refuses secret files that lie inside the content folder
// or the output folder, where they would be committed or published: each is
// an error "PATH: WHAT is inside the … folder …" in a diag.List. It returns
// warnings, not errors, for those that exist and are readable by group or
// others, or are tracked by git (when git is installed). A file that does not
// exist yet (a key cache before the first build) is checked for its place
// only. Files with an empty Path are skipped.
func CheckSecretFiles(files []SecretFile, content, out string) (warnings []string, err error) {
	var errs diag.List
	for _, f := range files {
		if f.Path == "" {
			continue
		}
		p := realPath(f.Path)
		for _, folder := range []struct{ path, what string }{{content, "content"}, {out, "output"}} {
			if folder.path != "" && Within(realPath(folder.path), p) {
				errs = append(errs, diag.Error{Path: f.Path, Msg: fmt.Sprintf("%s is inside the %s folder %s; keep it beside the content folder, never in content/ or the output", f.What, folder.what, folder.path)})
			}
		}
		fi, err := os.Stat(f.Path)
		if err != nil {
			continue
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
			warnings = append(warnings, fmt.Sprintf("%s is readable by group or others (mode %04o); chmod 600 %s", f.Path, fi.Mode().Perm(), f.Path))
		}
		if tracked(f.Path) {
			warnings = append(warnings, fmt.Sprintf("%s is tracked by git: it opens every portal it has keys for; git rm --cached %s, add it to .gitignore, and change the passphrases if it was ever pushed", f.Path, f.Path))
		}
	}
	if len(errs) > 0 {
		return warnings, errs
	}
	return warnings, nil
}

// tracked reports whether git tracks the file name. Without git, or outside
// a repository, it reports false.
func tracked(name string) bool {
	git, err := exec.LookPath("git")
	if err != nil {
		return false
	}
	cmd := exec.Command(git, "ls-files", "--error-unmatch", "--", filepath.Base(name))
	cmd.Dir = filepath.Dir(name)
	return cmd.Run() == nil
}

// realPath returns p absolute, with the symbolic links of its folder (and of p
// itself, when it exists) resolved, so that a link cannot hide where a file
// really lies.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	if r, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(r, filepath.Base(abs))
	}
	return abs
}
