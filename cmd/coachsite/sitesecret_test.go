package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/seal"
)

// TestSiteSecretMigration: an encrypted site whose secrets have no
// site_secret (files and CI variables made before one was required) is
// refused with the way out, and that way out keeps every portal address.
func TestSiteSecretMigration(t *testing.T) {
	site(t)
	yaml, err := os.ReadFile("content/site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yaml = regexp.MustCompile(`(?m)^privacy:.*$`).ReplaceAll(yaml, nil)
	os.WriteFile("content/site.yaml", append(yaml, "\nprivacy: encrypted\n"...), 0o644)
	coach := seal.GeneratePassphrase()
	old := "coach: " + coach + "\nclients:\n"
	clients := []string{"adaeze-lindqvist-moor", "ruth-halloway-senna", "tobias-ferrante-okoro"}
	for _, c := range clients {
		old += "  " + c + ": " + seal.GeneratePassphrase() + "\n"
	}
	os.WriteFile("secrets.yaml", []byte(old), 0o600)

	code, _, errOut := runCLI(t, "build")
	if code == 0 || !strings.Contains(errOut, "no site_secret: run `coachsite passphrase --site-secret --secrets secrets.yaml`") {
		t.Fatalf("build without a site secret: exit %d, %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "passphrase", "--site-secret")
	if code != 0 || out != "" || !strings.Contains(errOut, "every portal keeps its address") {
		t.Fatalf("passphrase --site-secret: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	implied := seal.ImpliedSiteSecret(coach)
	s, err := seal.LoadSecretsFile("secrets.yaml")
	if err != nil || s.SiteSecret != implied || s.Coach != coach {
		t.Fatalf("secrets after pinning: %v", err)
	}
	if code, _, errOut := runCLI(t, "build"); code != 0 {
		t.Fatalf("build after pinning: exit %d, %s", code, errOut)
	}
	for _, c := range clients {
		if _, err := os.Stat(filepath.Join("public", seal.Token(seal.NewSiteKey(implied), c), "index.html")); err != nil {
			t.Errorf("the portal of %s is not where a build without a site secret put it: %v", c, err)
		}
	}
	if code, _, errOut := runCLI(t, "passphrase", "--site-secret"); code != 0 || !strings.Contains(errOut, "nothing changed") {
		t.Errorf("pinning twice: exit %d, %s", code, errOut)
	}

	// CI: the same value, printed from the coach's variable.
	t.Setenv(seal.EnvCoach, coach)
	code, out, errOut = runCLI(t, "passphrase", "--site-secret", "--print")
	if code != 0 || out != implied+"\n" || strings.Contains(errOut, coach) {
		t.Errorf("--print with $%s: exit %d, stdout %q, stderr %s", seal.EnvCoach, code, out, errOut)
	}
	t.Setenv(seal.EnvSecrets, old)
	if code, out, _ := runCLI(t, "passphrase", "--site-secret", "--print"); code != 0 || out != implied+"\n" {
		t.Errorf("--print with $%s: exit %d, stdout %q", seal.EnvSecrets, code, out)
	}
	os.Unsetenv(seal.EnvSecrets)
	os.Unsetenv(seal.EnvCoach)
	code, out, _ = runCLI(t, "passphrase", "--site-secret", "--print")
	if code != 0 || seal.CheckSiteSecret(strings.TrimSpace(out)) != nil || strings.TrimSpace(out) == implied {
		t.Errorf("--print without a coach passphrase: exit %d, %q", code, out)
	}
	for _, args := range [][]string{{"passphrase", "--print"}, {"passphrase", "--site-secret", "--coach"}, {"passphrase", "--site-secret", clients[0]}} {
		if code, _, _ := runCLI(t, args...); code != 2 {
			t.Errorf("coachsite %v: exit %d, want 2", args, code)
		}
	}
}
