package archive

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyFiles(t *testing.T) {
	pub, priv, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	gotPriv, err := ParsePrivateKey(MarshalPrivateKey(priv))
	if err != nil || !gotPriv.Equal(priv) {
		t.Fatalf("private key round trip: %v", err)
	}
	gotPub, err := ParsePublicKey(MarshalPublicKey(pub))
	if err != nil || !gotPub.Equal(pub) {
		t.Fatalf("public key round trip: %v", err)
	}
	if text := string(MarshalPublicKey(pub)); !strings.HasPrefix(text, "coachsite-ed25519-public: ") || strings.Count(text, "\n") != 1 {
		t.Errorf("public key file %q", text)
	}
	for _, bad := range []string{
		"",
		"# only a comment\n",
		"coachsite-ed25519-public: " + strings.Repeat("A", 44) + "\n", // wrong prefix for a private key
		"coachsite-ed25519-private: !!!\n",
		"coachsite-ed25519-private: AAAA\n",
		string(MarshalPrivateKey(priv)) + string(MarshalPrivateKey(priv)),
	} {
		if _, err := ParsePrivateKey([]byte(bad)); err == nil {
			t.Errorf("ParsePrivateKey(%q) succeeded", bad)
		}
	}
	if _, err := ParsePublicKey(MarshalPrivateKey(priv)); err == nil {
		t.Error("a private key file parsed as a public key")
	}
}

func TestWriteKeyFiles(t *testing.T) {
	dir := t.TempDir()
	privPath, pubPath := filepath.Join(dir, "k.key"), filepath.Join(dir, "k.pub")
	pub, err := WriteKeyFiles(privPath, pubPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(privPath)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("private key file mode %v (%v)", st.Mode(), err)
	}
	priv, err := ReadPrivateKeyFile(privPath)
	if err != nil {
		t.Fatal(err)
	}
	gotPub, err := ReadPublicKeyFile(pubPath)
	if err != nil || !gotPub.Equal(pub) || !priv.Public().(ed25519.PublicKey).Equal(pub) {
		t.Fatalf("key files disagree: %v", err)
	}
	before, _ := os.ReadFile(privPath)
	if _, err := WriteKeyFiles(privPath, filepath.Join(dir, "new.pub"), nil); err == nil {
		t.Error("WriteKeyFiles overwrote a private key")
	}
	if after, _ := os.ReadFile(privPath); !bytes.Equal(before, after) {
		t.Error("private key file changed")
	}
	if _, err := WriteKeyFiles(filepath.Join(dir, "new.key"), pubPath, nil); err == nil {
		t.Error("WriteKeyFiles overwrote a public key")
	}
	if _, err := os.Stat(filepath.Join(dir, "new.key")); err == nil {
		t.Error("a private key was left behind after failing")
	}
}

func TestFingerprint(t *testing.T) {
	a, _, _ := GenerateKey(nil)
	b, _, _ := GenerateKey(nil)
	fa, fb := Fingerprint(a), Fingerprint(b)
	if fa == fb || !strings.HasPrefix(fa, "SHA256:") || len(fa) != len("SHA256:")+43 {
		t.Errorf("fingerprints %q %q", fa, fb)
	}
}
