package main

import (
	"os"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/seal"
)

// TestPassphraseThenEncryptedBuild goes the way a coach does: passphrases for
// the coach, each client and one sponsor, then an encrypted build with them.
func TestPassphraseThenEncryptedBuild(t *testing.T) {
	site(t)
	clients := []string{"adaeze-lindqvist-moor", "ruth-halloway-senna", "tobias-ferrante-okoro"}
	got := map[string]string{}
	for _, args := range [][]string{
		{"passphrase", "--coach"},
		{"passphrase", clients[0]},
		{"passphrase", clients[1], "--secrets", "secrets.yaml"},
		{"passphrase", "--secrets", "secrets.yaml", clients[2]},
		{"passphrase", clients[0], "--sponsor"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("coachsite %v: exit %d: %s", args, code, errOut)
		}
		p := strings.TrimSpace(out)
		if err := seal.CheckPassphrase(p); err != nil {
			t.Errorf("coachsite %v printed a weak passphrase %q: %v", args, p, err)
		}
		got[strings.Join(args, " ")] = p
	}
	fi, err := os.Stat("secrets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("secrets.yaml has mode %v, want 0600", fi.Mode().Perm())
	}
	s, err := seal.LoadSecretsFile("secrets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Coach != got["passphrase --coach"] || s.Clients[clients[0]] != got["passphrase "+clients[0]] ||
		s.Sponsors[clients[0]] != got["passphrase "+clients[0]+" --sponsor"] || len(s.Clients) != 3 {
		t.Errorf("secrets file does not hold what was printed: %+v", s)
	}

	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"passphrase", "nobody"}, 1, `no client "nobody"`},
		{[]string{"passphrase", "--coach", clients[0]}, 2, "not both"},
		{[]string{"passphrase", "--coach", "--sponsor"}, 2, "not both"},
		{[]string{"passphrase", clients[0], "--secrets", "content/secrets.yaml"}, 2, "inside the content folder"},
		{[]string{"passphrase"}, 2, "Usage"},
	} {
		code, _, errOut := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("coachsite %v: exit %d, stderr %q; want %d and %q", c.args, code, errOut, c.code, c.msg)
		}
	}

	// Switch the example to encrypted and build with the secrets.
	b, _ := os.ReadFile("content/site.yaml")
	os.WriteFile("content/site.yaml", []byte(strings.Replace(string(b), "privacy: public", "privacy: encrypted", 1)), 0o644)
	code, out, errOut := runCLI(t, "build")
	if code != 0 {
		t.Fatalf("encrypted build: exit %d: %s", code, errOut)
	}
	if errOut != "secrets: secrets.yaml\n" {
		t.Errorf("encrypted build: stderr %q, want it to name the secrets file it found", errOut)
	}
	if !strings.Contains(out, "built 3 clients") {
		t.Errorf("summary = %q", out)
	}
	files := snapshot(t, "public")
	if _, ok := files["coach/index.html"]; !ok {
		t.Error("no coach dashboard in an encrypted build")
	}
	for p, data := range files {
		for _, secret := range []string{"Adaeze", "Lindqvist", "Kestrelmoor", clients[1]} {
			if strings.Contains(p, secret) || strings.Contains(string(data), secret) {
				t.Errorf("%s holds %q in clear", p, secret)
			}
		}
	}
}
