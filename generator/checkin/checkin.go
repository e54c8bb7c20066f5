// Package checkin is the client check-in's sealing scheme: the coach's
// check-in key pair, and the block a client's browser seals to it and
// `coachsite import` opens. docs/checkin.md specifies it; the browser half is
// themes/default/assets/js/checkin.js.
//
// A block is ECIES over P-256: the browser makes an ephemeral ECDH P-256 key
// pair, agrees a secret with the coach's public key, derives an AES-256-GCM
// key from it with HKDF-SHA256 and encrypts the check-in. Its header, in
// clear but authenticated as the AES-GCM additional data, holds the format
// version, a site id (an HMAC under the site key: it names no one and
// binds the site), the portal's token (already the portal's folder name),
// the times it was made and expires, and the ephemeral public key. The
// block names no one in clear.
package checkin

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Version is the block format version, the first byte of every block.
const Version = 1

// Armor lines around a block's base64url text.
const (
	Begin = "-----BEGIN COACHSITE CHECK-IN-----"
	End   = "-----END COACHSITE CHECK-IN-----"
)

// MaxLife is the longest a block may be valid: a block whose expiry lies
// further than this after its making is refused as forged.
const MaxLife = 60 * 24 * time.Hour

// SiteIDLen and PortalLen are the sizes of a header's site id and portal
// token; pubLen is an uncompressed P-256 point; nonceLen the AES-GCM nonce.
const (
	SiteIDLen = 16
	PortalLen = 26
	pubLen    = 65
	nonceLen  = 12
	headerLen = 1 + SiteIDLen + PortalLen + 8 + 8 + pubLen
	// MaxBlock bounds the decoded block: a check-in is a few kilobytes.
	MaxBlock = 256 << 10
)

// Errors Open returns, so the command line can say what was refused.
var (
	ErrArmor   = errors.New("not a check-in block: it must start with " + Begin + " and end with " + End)
	ErrVersion = errors.New("a check-in block of an unknown version: update coachsite")
	ErrSite    = errors.New("this check-in block is for another site, or your secrets are not this site's")
	ErrChanged = errors.New("this check-in block was changed or damaged on its way (or the coach's passphrase changed since the portal was built): ask the client to send it again")
	ErrExpired = errors.New("this check-in block has expired: ask the client for a new check-in")
)

// Key is the coach's check-in key pair of one site.
type Key struct {
	priv   *ecdh.PrivateKey
	siteID []byte
}

// NewKey makes the coach's check-in key pair from a 32-byte secret seed (see
// seal.Keyring.CheckInSeed) and the site key. The private scalar is
// HKDF-SHA256-Expand(seed, "coachsite/1/check-in-key/p256" + counter), the
// first of counter 0, 1, ... that is a valid P-256 scalar (1..n-1): rejection
// sampling, so the scalar is uniform; a retry happens with probability about
// 2^-32.
func NewKey(seed, siteKey []byte) (*Key, error) {
	for i := byte(0); i < 255; i++ {
		b, err := hkdf.Expand(sha256.New, seed, "coachsite/1/check-in-key/p256\x00"+string([]byte{i}), 32)
		if err != nil {
			return nil, err
		}
		if priv, err := ecdh.P256().NewPrivateKey(b); err == nil {
			return &Key{priv: priv, siteID: SiteID(siteKey)}, nil
		}
	}
	return nil, errors.New("checkin: no valid P-256 scalar from the seed") // probability 2^-8000
}

// SiteID is the site id a block carries: the first 16 bytes of
// HMAC-SHA256(site key, "coachsite/1/check-in-site"). Without the site
// secret it says nothing about the site; with it, it tells a foreign block
// from a damaged one.
func SiteID(siteKey []byte) []byte {
	m := hmac.New(sha256.New, siteKey)
	m.Write([]byte("coachsite/1/check-in-site"))
	return m.Sum(nil)[:SiteIDLen]
}

// Public returns the uncompressed public key (65 bytes) that a portal
// embeds.
func (k *Key) Public() []byte { return k.priv.PublicKey().Bytes() }

// PublicBase64 is Public in base64url without padding, as the page reads it.
func (k *Key) PublicBase64() string { return b64(k.Public()) }

// SiteIDBase64 is the site id in base64url without padding, as the page
// reads it.
func (k *Key) SiteIDBase64() string { return b64(k.siteID) }

// Header is the clear, authenticated part of a block.
type Header struct {
	Version byte
	SiteID  []byte
	Portal  string    // the portal token of the client who sent it
	Made    time.Time // when the browser sealed it (whole seconds)
	Expires time.Time
	Eph     []byte // the ephemeral public key
}

func (h *Header) bytes() []byte {
	b := make([]byte, 0, headerLen)
	b = append(b, h.Version)
	b = append(b, h.SiteID...)
	b = append(b, h.Portal...)
	b = binary.BigEndian.AppendUint64(b, uint64(h.Made.Unix()))
	b = binary.BigEndian.AppendUint64(b, uint64(h.Expires.Unix()))
	return append(b, h.Eph...)
}

// aesKey derives the AES-256-GCM key of a block: HKDF-SHA256 with the ECDH
// shared secret as input, the ephemeral public key followed by the coach's
// as salt, and info "coachsite/1/check-in\0" + site id + portal token.
func aesKey(shared, eph, coach, siteID []byte, portal string) ([]byte, error) {
	salt := append(append([]byte(nil), eph...), coach...)
	return hkdf.Key(sha256.New, shared, salt, "coachsite/1/check-in\x00"+string(siteID)+portal, 32)
}

// Seal seals plaintext to the coach's public key as the browser does, for
// tests and tools. portal is the client's portal token.
func Seal(coachPub, siteID []byte, portal string, made, expires time.Time, plaintext []byte) (string, error) {
	if len(portal) != PortalLen || len(siteID) != SiteIDLen {
		return "", errors.New("checkin: bad portal token or site id")
	}
	pub, err := ecdh.P256().NewPublicKey(coachPub)
	if err != nil {
		return "", err
	}
	eph, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return "", err
	}
	shared, err := eph.ECDH(pub)
	if err != nil {
		return "", err
	}
	h := Header{Version: Version, SiteID: siteID, Portal: portal, Made: made, Expires: expires, Eph: eph.PublicKey().Bytes()}
	key, err := aesKey(shared, h.Eph, coachPub, siteID, portal)
	if err != nil {
		return "", err
	}
	aead, err := gcm(key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, nonceLen)
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	hb := h.bytes()
	out := append(append(hb, nonce...), aead.Seal(nil, nonce, plaintext, hb)...)
	return Armor(out), nil
}

// Armor wraps a block's bytes in the armor lines, base64url (no padding) in
// lines of 64 characters.
func Armor(b []byte) string {
	s := b64(b)
	var w strings.Builder
	w.WriteString(Begin + "\n")
	for len(s) > 64 {
		w.WriteString(s[:64] + "\n")
		s = s[64:]
	}
	w.WriteString(s + "\n" + End + "\n")
	return w.String()
}

// Dearmor finds the armored block in text (a pasted e-mail may wrap it in
// other lines, indent it or quote it with "> ") and returns its bytes.
func Dearmor(text string) ([]byte, error) {
	i := strings.Index(text, Begin)
	if i < 0 {
		return nil, ErrArmor
	}
	rest := text[i+len(Begin):]
	j := strings.Index(rest, End)
	if j < 0 {
		return nil, ErrArmor
	}
	var body strings.Builder
	for _, line := range strings.Split(rest[:j], "\n") {
		line = strings.TrimSpace(line)
		for strings.HasPrefix(line, ">") {
			line = strings.TrimSpace(line[1:])
		}
		body.WriteString(line)
	}
	if body.Len() > MaxBlock*4/3+4 {
		return nil, errors.New("this check-in block is too long to be one")
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(body.String())
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrChanged, err)
	}
	return b, nil
}

// Opened is an opened block.
type Opened struct {
	Header
	Plaintext []byte
}

// Open opens an armored block with the coach's key at time now. It refuses
// a block of another version, of another site, changed in any byte, or
// expired, with ErrVersion, ErrSite, ErrChanged or ErrExpired.
func (k *Key) Open(text string, now time.Time) (*Opened, error) {
	b, err := Dearmor(text)
	if err != nil {
		return nil, err
	}
	if len(b) < headerLen+nonceLen+16 {
		return nil, fmt.Errorf("%w (it is too short)", ErrChanged)
	}
	if b[0] != Version {
		return nil, ErrVersion
	}
	h := Header{Version: b[0], SiteID: b[1 : 1+SiteIDLen]}
	p := 1 + SiteIDLen
	h.Portal = string(b[p : p+PortalLen])
	p += PortalLen
	h.Made = time.Unix(int64(binary.BigEndian.Uint64(b[p:])), 0).UTC()
	h.Expires = time.Unix(int64(binary.BigEndian.Uint64(b[p+8:])), 0).UTC()
	p += 16
	h.Eph = b[p : p+pubLen]
	p += pubLen
	if !hmac.Equal(h.SiteID, k.siteID) {
		return nil, ErrSite
	}
	eph, err := ecdh.P256().NewPublicKey(h.Eph)
	if err != nil {
		return nil, fmt.Errorf("%w (its key is not a P-256 point)", ErrChanged)
	}
	shared, err := k.priv.ECDH(eph)
	if err != nil {
		return nil, ErrChanged
	}
	key, err := aesKey(shared, h.Eph, k.Public(), h.SiteID, h.Portal)
	if err != nil {
		return nil, err
	}
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, b[p:p+nonceLen], b[p+nonceLen:], b[:headerLen])
	if err != nil {
		return nil, ErrChanged
	}
	// The times are authenticated, so only the client's own browser set them.
	if h.Expires.Sub(h.Made) > MaxLife || h.Expires.Before(h.Made) {
		return nil, fmt.Errorf("%w (it claims to be valid from %s to %s)", ErrChanged, h.Made.Format(time.DateOnly), h.Expires.Format(time.DateOnly))
	}
	if now.After(h.Expires) {
		return nil, fmt.Errorf("%w (it was made on %s and expired on %s)", ErrExpired, h.Made.Format(time.DateOnly), h.Expires.Format(time.DateOnly))
	}
	return &Opened{Header: h, Plaintext: plain}, nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	c, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(c)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
