package output

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCheckSecretFilesPlaces(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, d := range []string{"content/clients", "public", "site"} {
		os.MkdirAll(d, 0o755)
	}
	os.WriteFile("content/clients/s.yaml", []byte("coach: x\n"), 0o600)
	os.WriteFile("ok.yaml", []byte("coach: x\n"), 0o600)
	linked := os.Symlink(filepath.Join("content", "clients", "s.yaml"), "link.yaml") == nil
	os.Symlink("public", "pub")
	cases := []struct {
		file, out string
		err       string
	}{
		{"ok.yaml", "public", ""},
		{"ok.yaml.keys", "public", ""}, // not made yet: its place alone is checked
		{"content/clients/s.yaml", "public", "content/clients/s.yaml: the secrets file is inside the content folder content"},
		{"./content/../content/k.keys", "public", "inside the content folder"},
		{"public/k.keys", "public", "public/k.keys: the secrets file is inside the output folder public"},
		{"public/k.keys", "site", ""},
		{"pub/k.keys", "public", "inside the output folder public"},                         // through a link to the output
		{"public/k.keys", "pub", "inside the output folder pub"},                            // --out is the link
		{"link.yaml", "public", "link.yaml: the secrets file is inside the content folder"}, // a link into content
	}
	for _, c := range cases {
		if c.file == "link.yaml" && !linked {
			continue
		}
		_, err := CheckSecretFiles([]SecretFile{{Path: c.file, What: "the secrets file"}}, "content", c.out)
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s with --out %s: %v; want %q", c.file, c.out, err, c.err)
		}
	}
	if runtime.GOOS == "windows" {
		return
	}
	// Modes: 0600 is quiet, 0640 and 0604 warn; outside a repository no git warning.
	for mode, warn := range map[os.FileMode]bool{0o600: false, 0o400: false, 0o640: true, 0o604: true} {
		os.Chmod("ok.yaml", mode)
		w, err := CheckSecretFiles([]SecretFile{{Path: "ok.yaml", What: "the secrets file"}}, "content", "public")
		if err != nil || (len(w) == 1) != warn || warn && !strings.Contains(w[0], "readable by group or others") {
			t.Errorf("mode %04o: warnings %q, %v", mode, w, err)
		}
	}
}
