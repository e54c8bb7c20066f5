// Package testsite holds the file-tree helpers the tests of several packages
// share: copying a content folder to change it, writing a small one, and
// reading a built site or an archive back.
package testsite

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// CopyTree copies the folder src, with everything in it, to dst.
func CopyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// WriteFiles writes files (slash path relative to dir -> text) under dir,
// making the folders they need.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// ReadZip returns every entry of the zip data as name -> content, and the
// names in the zip's order.
func ReadZip(t testing.TB, data []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	var order []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		m[f.Name] = b
		order = append(order, f.Name)
	}
	return m, order
}

// ReadTree reads every file under dir, keyed by its slash path relative to dir.
func ReadTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Corpus generates a synthetic corpus of clients × sessions with the shared
// benchmark generator (../shared/bench/gen_corpus.py beside the checkout, or
// $COACHSITE_GEN_CORPUS) and returns its content folder. It skips the
// benchmark when the script or python3 is missing. 500 × 20 is the
// 10,000-session corpus the performance targets are set on.
func Corpus(b testing.TB, clients, sessions int) string {
	b.Helper()
	script := os.Getenv("COACHSITE_GEN_CORPUS")
	if script == "" {
		_, file, _, _ := runtime.Caller(0)
		script = filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "bench", "gen_corpus.py")
	}
	if _, err := os.Stat(script); err != nil {
		b.Skipf("no corpus generator at %s", script)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		b.Skip("python3 not found")
	}
	dir := b.TempDir()
	cmd := exec.Command(py, script, "--clients", strconv.Itoa(clients), "--sessions", strconv.Itoa(sessions), "--out", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("gen_corpus.py: %v\n%s", err, out)
	}
	return filepath.Join(dir, "content")
}
