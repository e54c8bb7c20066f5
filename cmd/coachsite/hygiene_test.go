package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// gitIn runs git in dir, skipping the test when git is not installed.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestNewSiteGitignoresSecrets: in a site made by `new site`, `git add -A`
// stages the content and nothing secret or built: not the secrets file, not
// its key cache nor any other *.keys file, not public/ or what a build keeps
// beside it.
func TestNewSiteGitignoresSecrets(t *testing.T) {
	t.Chdir(t.TempDir())
	if code, _, errOut := runCLI(t, "new", "site", "coaching"); code != 0 {
		t.Fatalf("new site exited %d: %s", code, errOut)
	}
	t.Chdir("coaching")
	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	write(t, map[string]string{
		"secrets.yaml":                   "coach: x\n",
		"secrets.yaml.keys":              "{}",
		"prod-secrets.yaml.keys":         "{}",
		"ci/cache.keys":                  "{}",
		".secrets.yaml":                  "coach: x\n",
		"acme.key":                       "k",
		".public.building-123/page.html": "half",
		".public.old-9/index.html":       "old",
	})
	gitIn(t, ".", "init", "-q")
	gitIn(t, ".", "add", "-A")
	staged := strings.Fields(gitIn(t, ".", "diff", "--cached", "--name-only"))
	for _, p := range staged {
		if !strings.HasPrefix(p, "content/") && p != ".gitignore" {
			t.Errorf("git add -A staged %s", p)
		}
	}
	if !slices.Contains(staged, "content/site.yaml") {
		t.Errorf("content not staged: %v", staged)
	}
}

// TestSecretsInsideContentOrOutputAreRefused: the secrets file or the key
// cache inside content/ or inside the output folder stops build, check and
// archive with PATH: what is wrong, exit 1, and nothing written.
func TestSecretsInsideContentOrOutputAreRefused(t *testing.T) {
	site(t)
	sealed(t)
	if code, _, errOut := runCLI(t, "build", "--secrets", "secrets.yaml"); code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	before := snapshot(t, "public")
	secrets, _ := os.ReadFile("secrets.yaml")
	write(t, map[string]string{"content/secrets.yaml": string(secrets), "public/s.yaml": string(secrets)})
	cases := []struct {
		args []string
		env  map[string]string
		err  string
	}{
		{[]string{"build", "--secrets", "content/secrets.yaml"}, nil,
			"content/secrets.yaml: the secrets file is inside the content folder content"},
		{[]string{"check", "--secrets", "content/secrets.yaml"}, nil,
			"content/secrets.yaml: the secrets file is inside the content folder content"},
		{[]string{"archive", "--all", "-o", "arch", "--secrets", "content/secrets.yaml"}, nil,
			"content/secrets.yaml: the secrets file is inside the content folder"},
		{[]string{"build", "--secrets", "public/s.yaml"}, nil,
			"public/s.yaml: the secrets file is inside the output folder public"},
		{[]string{"build", "--out", "site", "--secrets", "secrets.yaml"}, map[string]string{}, ""},
		{[]string{"build"}, map[string]string{"COACHSITE_SECRETS": string(secrets), "COACHSITE_KEY_CACHE": "public/cache"},
			"public/cache: the key cache is inside the output folder public"},
		{[]string{"build"}, map[string]string{"COACHSITE_SECRETS": string(secrets), "COACHSITE_KEY_CACHE": "content/k"},
			"content/k: the key cache is inside the content folder content"},
	}
	for _, c := range cases {
		for k, v := range c.env {
			t.Setenv(k, v)
		}
		code, _, errOut := runCLI(t, c.args...)
		for k := range c.env {
			os.Unsetenv(k)
		}
		if c.err == "" {
			if code != 0 {
				t.Errorf("%v exited %d: %s", c.args, code, errOut)
			}
			continue
		}
		if code != 1 || !strings.Contains(errOut, c.err) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and %q", c.args, code, errOut, c.err)
		}
	}
	after := snapshot(t, "public")
	delete(after, "s.yaml")
	if len(after) != len(before) {
		t.Errorf("public/ changed: %d files, was %d", len(after), len(before))
	}
	for _, p := range []string{"content/secrets.yaml.keys", "public/s.yaml.keys", "public/cache", "content/k", "arch"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
}

// TestSecretsWarnings: a secrets file or key cache readable by others, or
// tracked by git, is a warning on stderr, not an error.
func TestSecretsWarnings(t *testing.T) {
	site(t)
	sealed(t)
	if err := os.Chmod("secrets.yaml", 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "build", "--secrets", "secrets.yaml")
	if code != 0 {
		t.Fatalf("build exited %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "warning: secrets.yaml is readable by group or others (mode 0644); chmod 600 secrets.yaml") {
		t.Errorf("no warning about the mode: %q", errOut)
	}
	os.Chmod("secrets.yaml", 0o600)
	os.Chmod("secrets.yaml.keys", 0o600)
	if code, _, errOut := runCLI(t, "build", "--secrets", "secrets.yaml"); code != 0 || strings.Contains(errOut, "warning") {
		t.Errorf("build with private secrets: exit %d, stderr %q", code, errOut)
	}
	gitIn(t, ".", "init", "-q")
	gitIn(t, ".", "add", "secrets.yaml.keys")
	code, _, errOut = runCLI(t, "build", "--secrets", "secrets.yaml")
	if code != 0 || !strings.Contains(errOut, "warning: secrets.yaml.keys is tracked by git") || strings.Contains(errOut, "warning: secrets.yaml is tracked") {
		t.Errorf("build with a tracked key cache: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "check", "--secrets", "secrets.yaml")
	if code != 0 || !strings.Contains(errOut, "warning: secrets.yaml.keys is tracked by git") {
		t.Errorf("check with a tracked key cache: exit %d, stderr %q", code, errOut)
	}
}

// sealed makes the site in the current folder encrypted, with every
// passphrase in ./secrets.yaml.
func sealed(t *testing.T) {
	t.Helper()
	b, err := os.ReadFile("content/site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile("content/site.yaml", []byte(strings.Replace(string(b), "privacy: public", "privacy: encrypted", 1)), 0o644)
	entries, _ := os.ReadDir("content/clients")
	args := [][]string{{"passphrase", "--coach"}}
	for _, e := range entries {
		args = append(args, []string{"passphrase", e.Name()})
	}
	for _, a := range args {
		if code, _, errOut := runCLI(t, a...); code != 0 {
			t.Fatalf("%v exited %d: %s", a, code, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join("secrets.yaml")); err != nil {
		t.Fatal(err)
	}
}
