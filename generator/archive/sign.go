package archive

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Prefixes of the key file formats. A private key file is
//
//	# coachsite archive signing key: keep it secret
//	coachsite-ed25519-private: <base64 of the 32-byte Ed25519 seed>
//
// and a public key file is
//
//	coachsite-ed25519-public: <base64 of the 32-byte Ed25519 public key>
//
// Base64 is standard with padding (RFC 4648 section 4). Blank lines and lines
// starting with '#' are ignored when parsing.
const (
	PrivateKeyPrefix = "coachsite-ed25519-private:"
	PublicKeyPrefix  = "coachsite-ed25519-public:"
)

// GenerateKey returns a new Ed25519 key pair drawn from random, or from
// crypto/rand when random is nil.
func GenerateKey(random io.Reader) (ed25519.PublicKey, ed25519.PrivateKey, error) {
	if random == nil {
		random = rand.Reader
	}
	return ed25519.GenerateKey(random)
}

// MarshalPrivateKey returns the private key file text of priv.
func MarshalPrivateKey(priv ed25519.PrivateKey) []byte {
	return []byte("# coachsite archive signing key: keep it secret\n" +
		PrivateKeyPrefix + " " + base64.StdEncoding.EncodeToString(priv.Seed()) + "\n")
}

// MarshalPublicKey returns the public key file text of pub.
func MarshalPublicKey(pub ed25519.PublicKey) []byte {
	return []byte(PublicKeyPrefix + " " + base64.StdEncoding.EncodeToString(pub) + "\n")
}

// ParsePrivateKey parses the text of a private key file.
func ParsePrivateKey(text []byte) (ed25519.PrivateKey, error) {
	seed, err := parseKey(text, PrivateKeyPrefix, ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// ParsePublicKey parses the text of a public key file.
func ParsePublicKey(text []byte) (ed25519.PublicKey, error) {
	b, err := parseKey(text, PublicKeyPrefix, ed25519.PublicKeySize)
	if err != nil {
		return nil, err
	}
	return ed25519.PublicKey(b), nil
}

func parseKey(text []byte, prefix string, size int) ([]byte, error) {
	var key []byte
	for line := range strings.Lines(string(text)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if key != nil {
			return nil, fmt.Errorf("archive: key file: more than one key line")
		}
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			return nil, fmt.Errorf("archive: key file: want a line starting with %q", prefix)
		}
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
		if err != nil {
			return nil, fmt.Errorf("archive: key file: %v", err)
		}
		if len(b) != size {
			return nil, fmt.Errorf("archive: key file: key has %d bytes, want %d", len(b), size)
		}
		key = b
	}
	if key == nil {
		return nil, fmt.Errorf("archive: key file: no line starting with %q", prefix)
	}
	return key, nil
}

// WriteKeyFiles generates a key pair from random (crypto/rand when nil) and
// writes the private key to privPath (mode 0600) and the public key to
// pubPath (mode 0644). It never overwrites an existing file.
func WriteKeyFiles(privPath, pubPath string, random io.Reader) (ed25519.PublicKey, error) {
	pub, priv, err := GenerateKey(random)
	if err != nil {
		return nil, err
	}
	if _, err := os.Lstat(pubPath); err == nil {
		return nil, fmt.Errorf("archive: %s already exists", pubPath)
	}
	if err := writeNew(privPath, MarshalPrivateKey(priv), 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(pubPath, MarshalPublicKey(pub), 0o644); err != nil {
		os.Remove(privPath)
		return nil, err
	}
	return pub, nil
}

func writeNew(name string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("archive: %w", err)
	}
	return nil
}

// ReadPrivateKeyFile reads and parses a private key file.
func ReadPrivateKeyFile(name string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	k, err := ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}

// ReadPublicKeyFile reads and parses a public key file.
func ReadPublicKeyFile(name string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	k, err := ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}

// Fingerprint returns a short, printable name of pub, in the style of
// OpenSSH: "SHA256:" and the unpadded base64 of the SHA-256 of the key.
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// Labels of coachsite-signature.txt, written in this order.
const (
	sigVersionLabel   = "Signature-Version"
	sigAlgorithmLabel = "Signature-Algorithm"
	sigFileLabel      = "Signed-File"
	sigKeyLabel       = "Public-Key"
	sigLabel          = "Signature"
)

// signatureFile returns coachsite-signature.txt: the signature by priv over
// the exact bytes of tagmanifest-sha256.txt, with the signer's public key for
// identification (it is never trusted on its own).
func signatureFile(priv ed25519.PrivateKey, tagManifest []byte) []byte {
	var buf bytes.Buffer
	writeField(&buf, sigVersionLabel, "1")
	writeField(&buf, sigAlgorithmLabel, "Ed25519")
	writeField(&buf, sigFileLabel, TagManifestFile)
	writeField(&buf, sigKeyLabel, base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey)))
	writeField(&buf, sigLabel, base64.StdEncoding.EncodeToString(ed25519.Sign(priv, tagManifest)))
	return buf.Bytes()
}

// parsedSignature is the content of coachsite-signature.txt.
type parsedSignature struct {
	pub ed25519.PublicKey
	sig []byte
}

// parseSignatureFile parses coachsite-signature.txt.
func parseSignatureFile(text []byte) (parsedSignature, error) {
	fields, bad := parseFields(text)
	if len(bad) > 0 {
		return parsedSignature{}, fmt.Errorf("line %d is not \"Label: value\"", bad[0])
	}
	get := func(label string) string {
		for _, f := range fields {
			if f.Label == label {
				return f.Value
			}
		}
		return ""
	}
	if v := get(sigVersionLabel); v != "1" {
		return parsedSignature{}, fmt.Errorf("unsupported %s %q", sigVersionLabel, v)
	}
	if v := get(sigAlgorithmLabel); v != "Ed25519" {
		return parsedSignature{}, fmt.Errorf("unsupported %s %q", sigAlgorithmLabel, v)
	}
	if v := get(sigFileLabel); v != TagManifestFile {
		return parsedSignature{}, fmt.Errorf("unsupported %s %q", sigFileLabel, v)
	}
	pub, err := base64.StdEncoding.DecodeString(get(sigKeyLabel))
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return parsedSignature{}, errors.New("malformed " + sigKeyLabel)
	}
	sig, err := base64.StdEncoding.DecodeString(get(sigLabel))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return parsedSignature{}, errors.New("malformed " + sigLabel)
	}
	return parsedSignature{pub: pub, sig: sig}, nil
}
