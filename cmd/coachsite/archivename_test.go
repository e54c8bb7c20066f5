package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestArchiveFileNames archives a sealed engagement through the command
// line: the zip is named on the coach's side after the client and the
// newest session (CLIENT-DATE.zip), the command prints which bag it holds,
// and inside the zip — the bag folder, every entry name, every byte — no one
// is named. --all names each zip the same way.
func TestArchiveFileNames(t *testing.T) {
	clearSecretsEnv(t)
	site(t)
	setPrivacy(t, "content/site.yaml", "encrypted")
	clients := []string{"adaeze-lindqvist-moor", "ruth-halloway-senna", "tobias-ferrante-okoro"}
	mustRun(t, "passphrase", "--coach")
	for _, c := range clients {
		mustRun(t, "passphrase", c)
	}
	out, _ := mustRun(t, "archive", clients[0])
	file := clients[0] + "-2026-10-27.zip" // the newest session that is not a draft
	m := regexp.MustCompile(`^archived ` + clients[0] + ` → ` + regexp.QuoteMeta(file) + ` \(bag ([a-z2-7]{26}-2026-10-27); \d+ files, \d+ bytes, pages sealed\)\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("archive printed %q", out)
	}
	bag := m[1]
	sensitive := []string{clients[0], "Adaeze", "Lindqvist", "Kestrelmoor"}
	for name, data := range unzipAll(t, file) {
		if !strings.HasPrefix(name, bag+"/") {
			t.Errorf("zip entry %s is outside the bag folder %s", name, bag)
		}
		for _, s := range sensitive {
			if strings.Contains(name, s) || strings.Contains(string(data), s) {
				t.Errorf("%s names %q inside a sealed archive", name, s)
			}
		}
	}
	if out, _ := mustRun(t, "verify", file); !strings.HasSuffix(out, "OK\n") {
		t.Errorf("verify %s: %q", file, out)
	}

	out, _ = mustRun(t, "archive", "--all", "-o", "bags")
	entries, _ := os.ReadDir("bags")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{clients[0] + "-2026-10-27.zip", clients[1] + "-2025-12-09.zip", clients[2] + "-2026-11-11.zip"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("archive --all wrote %v, want %v", names, want)
	}
	for _, w := range want {
		if !strings.Contains(out, "→ "+filepath.Join("bags", w)+" (bag ") {
			t.Errorf("archive --all did not print the mapping for %s:\n%s", w, out)
		}
	}
}
