package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/internal/testsite"
)

// privateOpeners counts the lines opening a private block in the client's
// Markdown files that are not drafts.
func privateOpeners(t *testing.T, client string) int {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("content", "clients", client, "*.md"))
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "\ndraft: true\n") {
			continue
		}
		n += len(regexp.MustCompile("(?mi)^(```|~~~)private\\s*$").FindAll(b, -1))
	}
	return n
}

// unzipAll returns every file of the zip at name.
func unzipAll(t *testing.T, name string) map[string][]byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := testsite.ReadZip(t, b)
	return m
}

// TestArchivePrivateNotes archives an engagement whose source is packed —
// a public site, and an encrypted one with --unsealed — through the command
// line: the coach-only blocks are removed from the source copy unless
// --with-private-notes is given, and the command and bag-info.txt say which
// and how many.
func TestArchivePrivateNotes(t *testing.T) {
	const client = "ruth-halloway-senna"
	const marker = "COACHONLY-2b7e"
	for _, mode := range []string{"public", "encrypted"} {
		t.Run(mode, func(t *testing.T) {
			clearSecretsEnv(t)
			site(t)
			appendToSession(t, "```private\n"+marker+" one\n```\n\nShared text.\n\n~~~PRIVATE\n"+marker+" two\n~~~\n")
			args := []string{"archive", client}
			if mode == "encrypted" {
				setPrivacy(t, "content/site.yaml", "encrypted")
				mustRun(t, "passphrase", "--coach")
				mustRun(t, "passphrase", client)
				args = append(args, "--unsealed")
			}
			n := privateOpeners(t, client)
			if n < 3 {
				t.Fatalf("only %d private blocks to archive", n)
			}
			blocks := strconv.Itoa(n) + " coach-only blocks"

			out, _ := mustRun(t, append(args, "-o", "stripped.zip")...)
			if !strings.Contains(out, "; "+blocks+" removed from the source)") {
				t.Errorf("archive printed %q", out)
			}
			sources := 0
			for name, b := range unzipAll(t, "stripped.zip") {
				data := string(b)
				if strings.Contains(data, marker) || strings.Contains(data, "```private") || strings.Contains(data, "~~~PRIVATE") {
					t.Errorf("%s holds a coach-only block", name)
				}
				if strings.Contains(name, "/data/source/clients/") {
					sources++
				}
				if strings.HasSuffix(name, "/bag-info.txt") && !strings.Contains(data, "Coach-Only-Notes: removed from the source ("+strconv.Itoa(n)+" private blocks)\n") {
					t.Errorf("bag-info.txt:\n%s", data)
				}
			}
			if sources == 0 {
				t.Fatal("no source Markdown in the archive")
			}
			if out, _ := mustRun(t, "verify", "stripped.zip"); !strings.HasSuffix(out, "OK\n") {
				t.Errorf("verify: %q", out)
			}

			out, _ = mustRun(t, append(args, "--with-private-notes", "-o", "kept.zip")...)
			if !strings.Contains(out, "; "+blocks+" KEPT in the source (--with-private-notes))") {
				t.Errorf("archive --with-private-notes printed %q", out)
			}
			found := 0
			for name, b := range unzipAll(t, "kept.zip") {
				data := string(b)
				if strings.Contains(data, marker) {
					if !strings.Contains(name, "/data/source/clients/"+client+"/") {
						t.Errorf("%s holds the coach-only note outside the source", name)
					}
					found++
				}
				if strings.HasSuffix(name, "/bag-info.txt") && !strings.Contains(data, "Coach-Only-Notes: kept in the source ("+strconv.Itoa(n)+" private blocks)\n") {
					t.Errorf("bag-info.txt:\n%s", data)
				}
			}
			if found != 1 {
				t.Errorf("the coach-only note is in %d files of kept.zip, want the source only", found)
			}
		})
	}
}
