package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// appendToSession appends text to a session of the example site and
// returns its path and the line the text starts on.
func appendToSession(t *testing.T, text string) (string, int) {
	t.Helper()
	path := filepath.Join("content", "clients", "ruth-halloway-senna", "2025-06-30.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("\n")) {
		b = append(b, '\n')
	}
	b = append(b, '\n')
	line := bytes.Count(b, []byte("\n")) + 1
	if err := os.WriteFile(path, append(b, text...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, line
}

// TestNearMissPrivateBlockFailsBuild types coach-only blocks the way a
// hurried coach might into a session of a built site: build and check exit
// 1 naming the file and line, and public/ keeps the last good build.
func TestNearMissPrivateBlockFailsBuild(t *testing.T) {
	const note = "NEARMISS-7f3c board worries"
	for _, opener := range []string{
		"```private:", "```private-notes", "~~~privat", "```coach-only", "``` {private}",
		"```\u00a0privte", "~~~vertraulich", "```notes du coach", "```خاص", "```privé",
	} {
		t.Run(opener, func(t *testing.T) {
			site(t)
			if code, _, errOut := runCLI(t, "build"); code != 0 {
				t.Fatalf("first build exited %d: %s", code, errOut)
			}
			before := snapshot(t, "public")
			path, line := appendToSession(t, opener+"\n"+note+"\n"+opener[:3]+"\n")
			for _, cmd := range []string{"build", "check"} {
				code, _, errOut := runCLI(t, cmd)
				if code != 1 {
					t.Errorf("%s exited %d, want 1", cmd, code)
				}
				want := path + ":" + strconv.Itoa(line) + ": fenced block "
				if !strings.Contains(errOut, want) || !strings.Contains(errOut, "did you mean ```private?") {
					t.Errorf("%s: stderr lacks %q…did you mean:\n%s", cmd, want, errOut)
				}
			}
			if after := snapshot(t, "public"); !maps.EqualFunc(before, after, bytes.Equal) {
				t.Error("public/ changed after a failed build")
			}
		})
	}
}

// TestStrayPrivateLineFailsBuild puts a real ```private line where Markdown
// does not make it a top-level fence.
func TestStrayPrivateLineFailsBuild(t *testing.T) {
	for name, text := range map[string]string{
		"indented":    "    ```private\n    STRAY-91 note\n    ```\n",
		"list item":   "- a point\n\n  ```private\n  STRAY-91 note\n  ```\n",
		"block quote": "> ```private\n> STRAY-91 note\n> ```\n",
		"table cell":  "| a | b |\n|---|---|\n| ```private | STRAY-91 note |\n",
	} {
		t.Run(name, func(t *testing.T) {
			site(t)
			path, _ := appendToSession(t, text)
			code, _, errOut := runCLI(t, "build")
			if code != 1 || !strings.Contains(errOut, path+":") {
				t.Errorf("build exited %d:\n%s", code, errOut)
			}
			if _, err := os.Stat("public"); err == nil {
				t.Error("a failed first build wrote public/")
			}
		})
	}
}

// TestNormalizedPrivateBlockHidden checks that a block whose info string is
// the word private once normalized (full-width letters, a no-break space,
// a zero-width space) is coach-only: its text is nowhere in public/.
func TestNormalizedPrivateBlockHidden(t *testing.T) {
	site(t)
	const note = "HIDDEN-5e1a board worries"
	appendToSession(t, "```ｐｒｉｖａｔｅ\n"+note+" 1\n```\n\n~~~\u00a0\u200bPrivate\n"+note+" 2\n~~~\n")
	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	for p, b := range snapshot(t, "public") {
		if bytes.Contains(b, []byte("HIDDEN-5e1a")) && !strings.HasPrefix(p, "coach/") {
			t.Errorf("%s holds the coach-only note", p)
		}
	}
}
