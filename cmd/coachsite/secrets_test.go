//go:build unix

package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coachsite/coachsite/generator/seal"
)

// TestSecretsBesideContent runs build, check, archive and serve --sealed
// with no --secrets flag on a site whose content folder is not the current
// folder's: each finds secrets.yaml beside the content folder, where
// `coachsite passphrase` wrote it, and says so on standard error; the
// environment, then a --secrets flag, take precedence; without any secrets
// the build names the way out and writes nothing.
func TestSecretsBesideContent(t *testing.T) {
	clearSecretsEnv(t)
	t.Chdir(t.TempDir())
	mustRun(t, "new", "site", "practice")
	content := filepath.Join("practice", "content")
	setPrivacy(t, filepath.Join(content, "site.yaml"), "encrypted")
	coach, _ := mustRun(t, "passphrase", "--coach", "--content", content)
	client, _ := mustRun(t, "passphrase", "example-client", "--content", content)
	secrets := filepath.Join("practice", "secrets.yaml")
	if _, err := os.Stat(secrets); err != nil {
		t.Fatalf("passphrase did not write the secrets beside the content folder: %v", err)
	}
	if _, err := os.Stat("secrets.yaml"); err == nil {
		t.Fatal("passphrase wrote secrets.yaml in the current folder, not beside the content folder")
	}
	noSecret := func(args []string, errOut string) {
		t.Helper()
		for _, p := range []string{coach, client} {
			if p = strings.TrimSpace(p); strings.Contains(errOut, p) {
				t.Errorf("coachsite %v printed a passphrase on stderr", args)
			}
		}
	}
	want := "secrets: " + secrets + "\n"
	out := filepath.Join("practice", "public")
	for _, args := range [][]string{
		{"build", "--content", content, "--out", out},
		{"check", "--content", content},
		{"archive", "example-client", "--content", content, "-o", "example.zip"},
	} {
		_, errOut := mustRun(t, args...)
		if errOut != want {
			t.Errorf("coachsite %v: stderr %q, want %q", args, errOut, want)
		}
		noSecret(args, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "coach", "index.html")); err != nil {
		t.Errorf("the build is not sealed (no coach dashboard): %v", err)
	}

	// The environment comes before the file beside the content folder.
	data, err := os.ReadFile(secrets)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(seal.EnvSecrets, string(data))
	if _, errOut := mustRun(t, "check", "--content", content); errOut != "secrets: environment\n" {
		t.Errorf("with $%s set: stderr %q", seal.EnvSecrets, errOut)
	}
	os.Unsetenv(seal.EnvSecrets)

	// A flag comes before both.
	if err := os.WriteFile("other.yaml", data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut := mustRun(t, "check", "--content", content, "--secrets", "other.yaml"); errOut != "secrets: other.yaml\n" {
		t.Errorf("with --secrets: stderr %q", errOut)
	}

	// serve --sealed, through the command, until interrupted.
	serveOut := serveUntilReady(t, "serve", "--sealed", "--port", "0", "--content", content)
	if !strings.Contains(serveOut, want) {
		t.Errorf("serve --sealed: stderr %q, want %q", serveOut, want)
	}
	noSecret([]string{"serve"}, serveOut)

	// No secrets anywhere: the build fails, says how to make them, and
	// leaves the last good public/ as it was.
	before := snapshot(t, out)
	if err := os.Rename(secrets, "elsewhere.yaml"); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "build", "--content", content, "--out", out)
	if code != 1 || !strings.Contains(errOut, "secrets: environment\n") || !strings.Contains(errOut, "coachsite passphrase --coach") {
		t.Errorf("build without secrets: exit %d, stderr %q", code, errOut)
	}
	if after := snapshot(t, out); len(after) != len(before) {
		t.Errorf("a failed build changed public/: %d files, %d before", len(after), len(before))
	}

	// A public site needs no secrets and says nothing of them.
	setPrivacy(t, filepath.Join(content, "site.yaml"), "public")
	if _, errOut := mustRun(t, "build", "--content", content, "--out", out); errOut != "" {
		t.Errorf("public build: stderr %q, want nothing", errOut)
	}
}

// serveUntilReady runs `coachsite serve` until it says it is serving, then
// interrupts it as Ctrl+C does, and returns what it wrote on standard error.
func serveUntilReady(t *testing.T, args ...string) string {
	t.Helper()
	outR, outW := io.Pipe()
	var errOut strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- run(args, outW, &errOut)
		outW.Close()
	}()
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(outR)
		ok := false
		for sc.Scan() {
			if !ok && strings.HasPrefix(sc.Text(), "serving ") {
				ok = true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("coachsite %v stopped before serving: %s", args, errOut.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("coachsite %v: not serving after 2 minutes", args)
	}
	// The command listens for SIGINT from the moment it says it serves.
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := <-done; code != 0 {
		t.Errorf("coachsite %v exited %d: %s", args, code, errOut.String())
	}
	return errOut.String()
}
