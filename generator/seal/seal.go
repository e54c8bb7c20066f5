// Package seal encrypts client portals so that only their readers can open
// them: every page of a portal is sealed with AES-256-GCM under a random
// content key, and that key is wrapped once per recipient (the client, the
// coach, later a sponsor) under a key derived from the recipient's passphrase
// with PBKDF2-SHA256. The browser side, themes/default/assets/js/unlock.js,
// opens the pages with WebCrypto; docs/privacy.md is the full specification
// of the wire format, the page markup and the browser storage.
//
// Sealing is deterministic: the same plaintext, portal and secrets give the
// same bytes, because nonces are derived from the key and the plaintext
// (SIV-style) and every key is either derived or persisted in the key cache
// (see Keyring).
package seal

import (
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"sync"

	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
)

// Version is the wire format version written in every Payload. Version 2
// bound each page's path into its associated data, gave every page of a
// portal a coach version and padded both to a size bucket (see Pad);
// version 3 compresses each page (raw DEFLATE) before padding and sealing,
// so a phone downloads a fifth of the bytes.
const Version = 3

// KDF names the passphrase key derivation in a Payload.
const KDF = "PBKDF2-SHA256"

// Iterations is the PBKDF2-SHA256 iteration count used for every recipient
// (OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256).
const Iterations = 600_000

// Content labels: which of a portal's two payloads a key or ciphertext belongs
// to. They are part of the additional authenticated data.
const (
	partMain  = "main"
	partCoach = "coach"
)

// Additional authenticated data prefixes. unlock.js builds the same strings.
const (
	aadPage = "coachsite/3/page" // + "\x00" + portal id + "\x00" + page path + "\x00" + part
	aadWrap = "coachsite/1/wrap" // + "\x00" + portal id + "\x00" + recipient id + "\x00" + part
)

// Errors returned by Open.
var (
	// ErrWrongPassphrase means no recipient of the payload accepts the
	// passphrase (or the payload was tampered with: the two cannot be told
	// apart, by design).
	ErrWrongPassphrase = errors.New("seal: the passphrase does not open this page")
	// ErrFormat means the payload is not a sealed page of a known version.
	ErrFormat = errors.New("seal: not a sealed payload of a known format")
)

// Payload is one sealed page, as placed (JSON-encoded) in the page's
// <script type="application/json" id="sealed"> element. Byte fields are
// standard base64 with padding; a ciphertext is nonce (12 bytes) ||
// AES-GCM ciphertext || tag (16 bytes).
type Payload struct {
	V     int         `json:"v"`            // format version, Version
	ID    string      `json:"id"`           // portal id (its opaque token); names the browser storage entry
	KDF   string      `json:"kdf"`          // always KDF
	R     []Recipient `json:"r"`            // one entry per reader
	CT    string      `json:"ct"`           // the page's <main> HTML, sealed under the portal content key
	Coach string      `json:"cc,omitempty"` // the coach's version of it, sealed under the coach-only key
}

// Recipient is one reader's way into a Payload: the salt and iteration count
// that turn their passphrase into a key-encryption key, and the portal keys
// wrapped (AES-256-GCM) under it.
type Recipient struct {
	ID    string `json:"id"`          // "coach", "client" or "sponsor"; no name or slug
	Salt  string `json:"s"`           // 16 random bytes, base64
	Iter  int    `json:"i"`           // PBKDF2 iterations
	Key   string `json:"k"`           // portal content key, wrapped
	Coach string `json:"c,omitempty"` // coach-only content key, wrapped; only in the coach's entry
}

// Sealer seals the pages of one portal. It holds the portal's two content
// keys and their wrapped forms, so sealing a page costs no key derivation.
// A Sealer is safe for concurrent use.
type Sealer struct {
	id        string
	main      pageKey
	coach     pageKey
	hasCoach  bool
	recipient []Recipient
}

// pageKey is a content key ready for use: its AEAD and the HMAC key for
// deriving nonces.
type pageKey struct {
	aead     cipher.AEAD
	nonceKey []byte
}

func newPageKey(key []byte) (pageKey, error) {
	aead, err := newGCM(key)
	if err != nil {
		return pageKey{}, err
	}
	nk, err := hkdf.Key(sha256.New, key, nil, "coachsite/1/nonce", 32)
	if err != nil {
		return pageKey{}, err
	}
	return pageKey{aead: aead, nonceKey: nk}, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("seal: key is %d bytes, want 32", len(key))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// seal encrypts plaintext with a nonce derived from nonceKey, aad and
// plaintext, and returns nonce || ciphertext || tag.
func (k pageKey) seal(aad, plaintext []byte) []byte {
	m := hmac.New(sha256.New, k.nonceKey)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(aad)))
	m.Write(n[:])
	m.Write(aad)
	m.Write(plaintext)
	nonce := m.Sum(nil)[:12]
	out := make([]byte, 12, 12+len(plaintext)+16)
	copy(out, nonce)
	return k.aead.Seal(out, nonce, plaintext, aad)
}

func open(aead cipher.AEAD, aad, sealed []byte) ([]byte, error) {
	if len(sealed) < 12+16 {
		return nil, ErrWrongPassphrase
	}
	pt, err := aead.Open(nil, sealed[:12], sealed[12:], aad)
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	return pt, nil
}

func pageAAD(id, page, part string) []byte {
	return []byte(aadPage + "\x00" + id + "\x00" + page + "\x00" + part)
}

// PagePath is the form of a page's path that its associated data binds:
// slash-separated, relative to the site's root, without a final
// "index.html" or slash ("a1b2…/index.html" -> "a1b2…", "index.html" -> "").
// unlock.js computes the same from the page's address and the address of
// the script (which lives at <root>/assets/js/unlock.js), so a payload
// copied into another page of the same portal does not open.
func PagePath(p string) string {
	p = strings.TrimPrefix(p, "/")
	if p == "index.html" {
		return ""
	}
	p = strings.TrimSuffix(p, "/index.html")
	return strings.TrimRight(p, "/")
}

func wrapAAD(id, recipient, part string) []byte {
	return []byte(aadWrap + "\x00" + id + "\x00" + recipient + "\x00" + part)
}

// portalReader is one recipient of a portal, with its key-encryption key.
type portalReader struct {
	id  string // "coach", "client", "sponsor"
	kek derived
}

// newSealer wraps the content keys once for every reader. coachKey may be
// nil when the portal has no coach-only version (the coach dashboard).
func newSealer(id string, mainKey, coachKey []byte, readers []portalReader) (*Sealer, error) {
	s := &Sealer{id: id}
	var err error
	if s.main, err = newPageKey(mainKey); err != nil {
		return nil, err
	}
	if coachKey != nil {
		if s.coach, err = newPageKey(coachKey); err != nil {
			return nil, err
		}
		s.hasCoach = true
	}
	for _, r := range readers {
		wk, err := newPageKey(r.kek.kek)
		if err != nil {
			return nil, err
		}
		rec := Recipient{
			ID:   r.id,
			Salt: b64(r.kek.salt),
			Iter: r.kek.iter,
			Key:  b64(wk.seal(wrapAAD(id, r.id, partMain), mainKey)),
		}
		if r.id == RoleCoach.wireID() && coachKey != nil {
			rec.Coach = b64(wk.seal(wrapAAD(id, r.id, partCoach), coachKey))
		}
		s.recipient = append(s.recipient, rec)
	}
	return s, nil
}

// ID returns the portal id: the opaque token that is also the portal's
// folder name and the key of its entry in browser storage.
func (s *Sealer) ID() string { return s.id }

// Seal seals one page of the portal. page is the page's path relative to the
// site's root ("TOKEN/SESSION/index.html"; see PagePath), bound into the
// associated data. plaintext is the page's <main> content as every reader
// sees it; coachPlaintext is the coach's version of it (with the coach-only
// notes), which only the coach's passphrase opens. A portal page always has
// a coach version, nil meaning "the same as plaintext", so that no page
// shows whether it holds private notes; both are compressed (Deflate) and
// padded to one size bucket (Pad). For the same inputs Seal returns the same
// Payload.
func (s *Sealer) Seal(page string, plaintext, coachPlaintext []byte) (*Payload, error) {
	if coachPlaintext != nil && !s.hasCoach {
		return nil, errors.New("seal: this portal has no coach-only key")
	}
	page = PagePath(page)
	plaintext = Deflate(plaintext)
	size := len(plaintext)
	if s.hasCoach {
		if coachPlaintext == nil {
			coachPlaintext = plaintext
		} else {
			coachPlaintext = Deflate(coachPlaintext)
		}
		size = max(size, len(coachPlaintext))
	}
	size = PaddedSize(size)
	p := &Payload{
		V:   Version,
		ID:  s.id,
		KDF: KDF,
		R:   append([]Recipient(nil), s.recipient...),
		CT:  b64(s.main.seal(pageAAD(s.id, page, partMain), Pad(plaintext, size))),
	}
	if s.hasCoach {
		p.Coach = b64(s.coach.seal(pageAAD(s.id, page, partCoach), Pad(coachPlaintext, size)))
	}
	return p, nil
}

// SealJSON is Seal followed by JSON encoding: the bytes to place verbatim
// inside <script type="application/json" id="sealed">. The encoding is
// HTML-safe (base64 and fixed keys only; '<', '>' and '&' are escaped).
func (s *Sealer) SealJSON(page string, plaintext, coachPlaintext []byte) ([]byte, error) {
	p, err := s.Seal(page, plaintext, coachPlaintext)
	if err != nil {
		return nil, err
	}
	return json.Marshal(p)
}

// ParsePayload decodes a Payload from its JSON form and checks its version.
func ParsePayload(data []byte) (*Payload, error) {
	var p Payload
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, ErrFormat
	}
	if p.V != Version || p.KDF != KDF || p.ID == "" || len(p.R) == 0 {
		return nil, ErrFormat
	}
	return &p, nil
}

// Opened is what a passphrase opens in a Payload.
type Opened struct {
	HTML      []byte // the coach's version when Coach, else the page for every reader
	Coach     bool   // the passphrase is the coach's and the payload has a coach version
	Recipient string // the Recipient.ID the passphrase matched
	Key       []byte // the unwrapped portal content key (what the browser may remember)
	CoachKey  []byte // the unwrapped coach-only key, or nil
}

// Open opens a Payload found at page (its path relative to the site's root,
// see PagePath) with a passphrase, as the browser does: it tries the
// passphrase against every recipient and returns the coach's version when
// the coach-only key unwraps. It is for tests and tools; it costs one PBKDF2
// per recipient tried. A wrong passphrase or any tampered byte gives
// ErrWrongPassphrase.
func Open(p *Payload, page, passphrase string) (*Opened, error) {
	if p.V != Version || p.KDF != KDF {
		return nil, ErrFormat
	}
	passphrase = NormalizePassphrase(passphrase)
	for _, r := range p.R {
		salt, err1 := unb64(r.Salt)
		wrapped, err2 := unb64(r.Key)
		if err1 != nil || err2 != nil || r.Iter < 1 || r.Iter > 10_000_000 {
			continue
		}
		kek := deriveKEK(passphrase, salt, r.Iter)
		aead, err := newGCM(kek)
		if err != nil {
			return nil, err
		}
		key, err := open(aead, wrapAAD(p.ID, r.ID, partMain), wrapped)
		if err != nil {
			continue
		}
		o := &Opened{Recipient: r.ID, Key: key}
		if r.Coach != "" && p.Coach != "" {
			if wc, err := unb64(r.Coach); err == nil {
				if ck, err := open(aead, wrapAAD(p.ID, r.ID, partCoach), wc); err == nil {
					o.CoachKey = ck
				}
			}
		}
		if o.CoachKey != nil {
			html, err := OpenWithKey(p, page, o.CoachKey, true)
			if err != nil {
				return nil, err
			}
			o.HTML, o.Coach = html, true
			return o, nil
		}
		html, err := OpenWithKey(p, page, key, false)
		if err != nil {
			return nil, err
		}
		o.HTML = html
		return o, nil
	}
	return nil, ErrWrongPassphrase
}

// OpenWithKey opens a Payload found at page with an already unwrapped
// content key, as the browser does with a remembered key: the main
// ciphertext, or the coach version when coach is true. It returns the page
// as it was sealed, without its padding and decompressed.
func OpenWithKey(p *Payload, page string, key []byte, coach bool) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	ct, part := p.CT, partMain
	if coach {
		ct, part = p.Coach, partCoach
	}
	sealed, err := unb64(ct)
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	padded, err := open(aead, pageAAD(p.ID, PagePath(page), part), sealed)
	if err != nil {
		return nil, err
	}
	compressed, err := Unpad(padded)
	if err != nil {
		return nil, err
	}
	return Inflate(compressed)
}

// maxPage bounds what Inflate returns: no page of a site comes near it, and
// a payload that inflates beyond it is refused rather than read into memory.
const maxPage = 256 << 20

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.DefaultCompression)
	return w
}}

// Deflate compresses b as raw DEFLATE (RFC 1951, no header), the form the
// browser's DecompressionStream("deflate-raw") reads. The output depends
// only on b (and the Go release's compressor), so sealing stays
// deterministic.
func Deflate(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b)/4 + 64)
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&out)
	w.Write(b) // a bytes.Buffer does not fail
	w.Close()
	deflaters.Put(w)
	return out.Bytes()
}

// Inflate undoes Deflate. Anything that is not one complete raw DEFLATE
// stream, or that inflates beyond 256 MiB, gives ErrFormat.
func Inflate(b []byte) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(b))
	out, err := io.ReadAll(io.LimitReader(r, maxPage+1))
	if err != nil || len(out) > maxPage {
		return nil, ErrFormat
	}
	return out, nil
}

// MinPaddedSize is the smallest size bucket of a sealed page's plaintext.
const MinPaddedSize = 4096

// PaddedSize returns the size bucket a plaintext of n bytes is padded to:
// the smallest of MinPaddedSize, 2×, 4×, … (powers of two) that holds n
// bytes and the one-byte end marker. So a sealed page shows only its
// power-of-two size class, not its exact size.
func PaddedSize(n int) int {
	size := MinPaddedSize
	for size < n+1 {
		size *= 2
	}
	return size
}

// Pad returns b followed by the end marker 0x80 and zero bytes up to size
// (ISO/IEC 7816-4 padding); size must exceed len(b).
func Pad(b []byte, size int) []byte {
	out := make([]byte, size)
	copy(out, b)
	out[len(b)] = 0x80
	return out
}

// Unpad undoes Pad: it drops the trailing zero bytes and the end marker.
func Unpad(b []byte) ([]byte, error) {
	i := len(b) - 1
	for i >= 0 && b[i] == 0 {
		i--
	}
	if i < 0 || b[i] != 0x80 {
		return nil, ErrFormat
	}
	return b[:i], nil
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func unb64(s string) ([]byte, error) { return base64.StdEncoding.Strict().DecodeString(s) }
