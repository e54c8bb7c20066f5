package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/seal"
)

// clearSecretsEnv unsets every variable the build reads secrets from, for
// the length of the test, so that a developer's shell does not decide it.
func clearSecretsEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "COACHSITE_") {
			t.Setenv(k, "") // restores the value when the test ends
			os.Unsetenv(k)
		}
	}
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errOut := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("coachsite %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out, errOut
}

// setPrivacy rewrites the privacy line of a scaffolded site.yaml.
func setPrivacy(t *testing.T, siteYAML, mode string) {
	t.Helper()
	b, err := os.ReadFile(siteYAML)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	found := false
	for i, l := range lines {
		if strings.HasPrefix(l, "privacy:") {
			lines[i], found = "privacy: "+mode, true
		}
	}
	if !found {
		t.Fatalf("%s has no privacy line:\n%s", siteYAML, b)
	}
	if err := os.WriteFile(siteYAML, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readmeQuickStart returns the command lines of the README's quick start
// for a new encrypted site: the lines of the first ```sh block under that
// heading.
func readmeQuickStart(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "\n## Quick start: a new encrypted site\n")
	if !ok {
		t.Fatal("README.md has no section \"Quick start: a new encrypted site\"")
	}
	_, block, ok := strings.Cut(after, "```sh\n")
	if ok {
		block, _, ok = strings.Cut(block, "```")
	}
	if !ok {
		t.Fatal("the README's quick start has no ```sh block")
	}
	return strings.Split(strings.TrimSpace(block), "\n")
}

// shellWords splits one command of a shell line into words, honouring
// double quotes and ending at an unquoted "#".
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case quoted:
			w.WriteRune(r)
		case r == '#':
			if inWord {
				words = append(words, w.String())
			}
			return words
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// TestQuickStartEncrypted runs the README's quick start for a new encrypted
// site, line by line, through the command line: new site, new client, new
// session, the passphrases, and a build with no --secrets. The build must
// succeed, say it found secrets.yaml, and leave nothing of the client
// readable in public/; the client's passphrase opens their portal and the
// coach's the dashboard.
func TestQuickStartEncrypted(t *testing.T) {
	clearSecretsEnv(t)
	lines := readmeQuickStart(t)
	t.Chdir(t.TempDir())
	printed := map[string]string{} // "coachsite passphrase ARGS" -> stdout
	var buildOut, buildErr string
	for _, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			// A step done in an editor; the one the quick start has.
			if !strings.Contains(line, "privacy: encrypted") {
				t.Fatalf("the quick start has a step this test cannot do: %q", line)
			}
			setPrivacy(t, filepath.Join("content", "site.yaml"), "encrypted")
			continue
		}
		for _, cmd := range strings.Split(line, "&&") {
			words := shellWords(cmd)
			switch {
			case len(words) == 0:
			case words[0] == "cd" && len(words) == 2:
				t.Chdir(words[1])
			case words[0] == "rm" && len(words) == 3 && words[1] == "-r":
				if err := os.RemoveAll(words[2]); err != nil {
					t.Fatal(err)
				}
			case words[0] == "coachsite":
				code, out, errOut := runCLI(t, words[1:]...)
				if code != 0 {
					t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", strings.Join(words, " "), code, out, errOut)
				}
				if words[1] == "passphrase" {
					printed[strings.Join(words[2:], " ")] = strings.TrimSpace(out)
				}
				if words[1] == "build" {
					buildOut, buildErr = out, errOut
				}
			default:
				t.Fatalf("the quick start runs %q, which this test does not know", cmd)
			}
		}
	}
	if buildOut == "" {
		t.Fatal("the quick start never builds")
	}
	if buildErr != "secrets: secrets.yaml\n" {
		t.Errorf("build stderr %q, want it to say it found secrets.yaml", buildErr)
	}
	if !regexp.MustCompile(`^built 1 client, 1 session, \d+ files in \S+ → public\n$`).MatchString(buildOut) {
		t.Errorf("build summary %q", buildOut)
	}
	coach, client := printed["--coach"], printed["kim-lee"]
	if coach == "" || client == "" {
		t.Fatalf("the quick start made no coach or no kim-lee passphrase: %q", printed)
	}

	// The first session's template has a time split to fill in, and no
	// heading of its own for the notes (the theme gives them one).
	sessions, _ := filepath.Glob(filepath.Join("content", "clients", "kim-lee", "*.md"))
	var session string
	for _, p := range sessions {
		if filepath.Base(p) != "_index.md" {
			b, _ := os.ReadFile(p)
			session = string(b)
		}
	}
	for _, want := range []string{"# time:\n", "#   vision: {actual: , wished: }\n"} {
		if !strings.Contains(session, want) {
			t.Errorf("the first session's template lacks %q:\n%s", want, session)
		}
	}
	if strings.Contains(session, "## Notes") {
		t.Errorf("the session template has its own Notes heading:\n%s", session)
	}

	// Sealed: nothing of the client in clear, in any path or byte.
	files := snapshot(t, "public")
	if _, ok := files["coach/index.html"]; !ok {
		t.Fatal("no coach dashboard: the build is not encrypted")
	}
	for p, data := range files {
		for _, secret := range []string{"Kim Lee", "kim-lee", "Example Client", "example-client", coach, client} {
			if strings.Contains(p, secret) || strings.Contains(string(data), secret) {
				t.Errorf("public/%s holds %q in clear", p, secret)
			}
		}
	}
	for _, k := range [][2]string{{"kim-lee", "secrets.yaml"}, {"", "content/secrets.yaml"}, {"", "public/secrets.yaml"}} {
		if _, err := os.Stat(k[1]); (err == nil) != (k[0] != "") {
			t.Errorf("%s: exists %v", k[1], err == nil)
		}
	}

	// The client's passphrase opens their portal; the coach's the dashboard.
	var portal string
	for p := range files {
		if strings.Count(p, "/") == 1 && strings.HasSuffix(p, "/index.html") && p != "coach/index.html" {
			portal = p
		}
	}
	if html := openSealed(t, files[portal], portal, client); !strings.Contains(html, "Kim Lee") {
		t.Errorf("Kim's passphrase opens %s, but it does not name Kim", portal)
	}
	if html := openSealed(t, files["coach/index.html"], "coach/index.html", coach); !strings.Contains(html, "Kim Lee") {
		t.Error("the coach's dashboard does not list Kim")
	}
}

// openSealed opens the sealed page data found at path (relative to
// public/) with a passphrase as the browser does and returns its HTML,
// failing the test if it does not open.
func openSealed(t *testing.T, data []byte, path, passphrase string) string {
	t.Helper()
	o, err := seal.Open(payloadOf(t, data), seal.PagePath(path), passphrase)
	if err != nil {
		t.Fatalf("the passphrase does not open the page: %v", err)
	}
	return string(o.HTML)
}

// TestHelpPrintedOnce checks that every command's -h prints its usage once,
// on standard output, and that a bad flag prints it once on standard error.
func TestHelpPrintedOnce(t *testing.T) {
	site(t)
	for name := range commands {
		if name == "help" || name == "version" {
			continue
		}
		code, out, errOut := runCLI(t, name, "-h")
		if code != 0 || strings.Count(out, "Usage: coachsite "+name) != 1 || errOut != "" {
			t.Errorf("coachsite %s -h: exit %d, %d usages on stdout, stderr %q", name, code, strings.Count(out, "Usage:"), errOut)
		}
		code, out, errOut = runCLI(t, name, "--no-such-flag")
		if name == "new" {
			code, out, errOut = runCLI(t, name, "site", "x", "--no-such-flag")
		}
		if code != 2 || strings.Count(errOut, "Usage: coachsite "+name) != 1 || out != "" {
			t.Errorf("coachsite %s --no-such-flag: exit %d, %d usages on stderr, stdout %q", name, code, strings.Count(errOut, "Usage:"), out)
		}
	}
}

// TestReadmeSummaryLine builds the example site and checks that the README
// shows the summary line the build prints, up to the time it took.
func TestReadmeSummaryLine(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	site(t)
	out, _ := mustRun(t, "build")
	dur := regexp.MustCompile(` in [0-9.]+(µs|ms|s) → `)
	want := dur.ReplaceAllString(strings.TrimSpace(out), " in D → ")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "built ") {
			if got := dur.ReplaceAllString(l, " in D → "); got != want {
				t.Errorf("README.md shows %q; the example builds to %q", l, strings.TrimSpace(out))
			}
			return
		}
	}
	t.Error("README.md shows no summary line")
}
