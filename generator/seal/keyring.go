package seal

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Role is which kind of reader a passphrase belongs to.
type Role string

// The roles of readers.
const (
	RoleCoach   Role = "coach"   // opens every portal, the coach-only notes and the dashboard
	RoleClient  Role = "client"  // opens their own portal
	RoleSponsor Role = "sponsor" // opens the engagement summary of the client they sponsor
)

// wireID is the Recipient.ID of the role in a Payload: the role alone, never
// a slug, so that no unsealed byte names a client.
func (r Role) wireID() string { return string(r) }

// derived is a key-encryption key and the inputs it came from.
type derived struct {
	salt []byte
	iter int
	kek  []byte
}

// iterations is the PBKDF2 count in use: Iterations, lowered only by tests.
var iterations = Iterations

// deriveKEK is the one place PBKDF2 runs. Tests replace it to count calls.
var deriveKEK = func(passphrase string, salt []byte, iter int) []byte {
	k, err := pbkdf2.Key(sha256.New, passphrase, salt, iter, 32)
	if err != nil {
		panic(err) // only for a key length out of range, which 32 is not
	}
	return k
}

// cacheVersion is the version of the key cache file.
const cacheVersion = 1

// keyCache is the JSON key cache file: the random salt of every recipient,
// and the derived key of every (passphrase, salt, iterations) in use, keyed
// by a fingerprint of the three. encoding/json sorts map keys, so the same
// state gives the same file.
type keyCache struct {
	V     int               `json:"v"`
	Salts map[string]string `json:"salts"` // recipient key ("coach", "client/SLUG") -> base64 salt
	Keys  map[string]string `json:"keys"`  // hex fingerprint -> base64 derived key
}

// siteSecretSalt is the fixed salt with which sites before the site secret
// was required derived it from the coach's passphrase: ImpliedSiteSecret.
const siteSecretSalt = "coachsite/1/site-secret"

// ImpliedSiteSecret returns the site_secret that a site without one used
// until every encrypted site had to have one: the lowercase unpadded base32
// of PBKDF2-SHA256(coach passphrase less white space at its ends, salt
// "coachsite/1/site-secret", 600,000 iterations, 32 bytes). With a fixed
// salt one guess of a coach passphrase tested every such site at once, and
// changing the coach's passphrase moved every portal; setting this value as
// the site_secret keeps every portal address a client already has. It costs
// one PBKDF2.
func ImpliedSiteSecret(coachPassphrase string) string {
	return siteSecretString(deriveKEK(strings.TrimSpace(coachPassphrase), []byte(siteSecretSalt), iterations))
}

// Keyring holds the derived keys of a site: one key-encryption key per
// recipient and the site secret. NewKeyring derives them, paying PBKDF2 only
// for passphrases the key cache does not already hold. Once built, a Keyring
// is safe for concurrent use.
type Keyring struct {
	site     []byte // 32 bytes, from the site secret
	coach    derived
	checkIn  []byte // PBKDF2 of the coach's passphrase under a salt fixed by the site key (CheckInSeed)
	clients  map[string]derived
	sponsors map[string]derived
	derives  int // PBKDF2 runs NewKeyring paid
}

// NewKeyring validates s and derives every recipient's key-encryption key.
// cacheFile, when not empty, is the key cache: read if it exists, and
// rewritten (mode 0600, atomically) when it changed. With a warm cache and
// unchanged secrets NewKeyring runs no PBKDF2 at all. The cache holds keys
// that open every portal: keep it beside the secrets file, never in content/
// or public/.
func NewKeyring(s *Secrets, cacheFile string) (*Keyring, error) {
	return newKeyring(s, cacheFile, true)
}

// ReadKeyring is NewKeyring that reads the key cache but never writes it,
// for checking content without changing any file.
func ReadKeyring(s *Secrets, cacheFile string) (*Keyring, error) {
	return newKeyring(s, cacheFile, false)
}

func newKeyring(s *Secrets, cacheFile string, writeCache bool) (*Keyring, error) {
	iter := iterations
	if err := s.Validate(nil); err != nil {
		return nil, err
	}
	cache := keyCache{V: cacheVersion, Salts: map[string]string{}, Keys: map[string]string{}}
	var old []byte
	if cacheFile != "" {
		data, err := os.ReadFile(cacheFile)
		switch {
		case err == nil:
			old = data
			if err := json.Unmarshal(data, &cache); err != nil || cache.V != cacheVersion {
				return nil, fmt.Errorf("seal: key cache %s is damaged (delete it to start a new one; portals get new keys): %v", cacheFile, err)
			}
			if cache.Salts == nil {
				cache.Salts = map[string]string{}
			}
			if cache.Keys == nil {
				cache.Keys = map[string]string{}
			}
		case errors.Is(err, os.ErrNotExist):
		default:
			return nil, fmt.Errorf("seal: key cache: %w", err)
		}
	}

	// Every derivation the keyring needs, keyed by recipient key.
	type job struct {
		name, pass string
		salt       []byte
		out        *derived
	}
	k := &Keyring{clients: map[string]derived{}, sponsors: map[string]derived{}}
	var jobs []*job
	add := func(name, pass string, salt []byte) *job {
		j := &job{name: name, pass: pass, salt: salt, out: &derived{}}
		jobs = append(jobs, j)
		return j
	}
	saltFor := func(name string) ([]byte, error) {
		if b, err := unb64(cache.Salts[name]); err == nil && len(b) == 16 {
			return b, nil
		}
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		return b, nil
	}
	coachSalt, err := saltFor("coach")
	if err != nil {
		return nil, err
	}
	coach := add("coach", s.Coach, coachSalt)
	siteK, err := siteKey(s.SiteSecret)
	if err != nil {
		return nil, err
	}
	checkIn := add(checkInJob, s.Coach, checkInSalt(siteK))
	for _, group := range []struct {
		prefix string
		m      map[string]string
	}{{"client/", s.Clients}, {"sponsor/", s.Sponsors}} {
		for _, slug := range sortedKeys(group.m) {
			salt, err := saltFor(group.prefix + slug)
			if err != nil {
				return nil, err
			}
			add(group.prefix+slug, group.m[slug], salt)
		}
	}

	// Look every job up in the cache; derive the misses in parallel.
	newCache := keyCache{V: cacheVersion, Salts: map[string]string{}, Keys: map[string]string{}}
	var misses []*job
	for _, j := range jobs {
		fp := fingerprint(j.pass, j.salt, iter)
		*j.out = derived{salt: j.salt, iter: iter}
		if b, err := unb64(cache.Keys[fp]); err == nil && len(b) == 32 {
			j.out.kek = b
		} else {
			misses = append(misses, j)
		}
		if j.name != checkInJob { // its salt follows from the site key
			newCache.Salts[j.name] = b64(j.salt)
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, j := range misses {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			j.out.kek = deriveKEK(j.pass, j.salt, iter)
			<-sem
		}()
	}
	wg.Wait()
	k.derives = len(misses)
	for _, j := range jobs {
		newCache.Keys[fingerprint(j.pass, j.salt, iter)] = b64(j.out.kek)
	}

	k.coach = *coach.out
	k.checkIn = checkIn.out.kek
	for _, j := range jobs {
		switch {
		case strings.HasPrefix(j.name, "client/"):
			k.clients[strings.TrimPrefix(j.name, "client/")] = *j.out
		case strings.HasPrefix(j.name, "sponsor/"):
			k.sponsors[strings.TrimPrefix(j.name, "sponsor/")] = *j.out
		}
	}
	k.site = siteK

	if cacheFile != "" && writeCache {
		data, err := json.MarshalIndent(newCache, "", "  ")
		if err != nil {
			return nil, err
		}
		data = append(data, '\n')
		if string(data) != string(old) {
			if err := writeFileAtomic(cacheFile, data); err != nil {
				return nil, fmt.Errorf("seal: key cache: %w", err)
			}
		}
	}
	return k, nil
}

// fingerprint names a derivation in the key cache. It is a fast hash of the
// passphrase, so the cache file is as secret as the secrets file (it holds
// the derived keys anyway).
func fingerprint(passphrase string, salt []byte, iter int) string {
	h := sha256.New()
	var n [8]byte
	h.Write([]byte("coachsite/1/kek-cache\x00"))
	binary.BigEndian.PutUint64(n[:], uint64(iter))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(len(salt)))
	h.Write(n[:])
	h.Write(salt)
	h.Write([]byte(passphrase))
	return hex.EncodeToString(h.Sum(nil))
}

// siteSecretString turns the PBKDF2 output of the coach's passphrase into a
// site_secret value (ImpliedSiteSecret).
func siteSecretString(derivedKey []byte) string {
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(derivedKey))
}

// NewSiteKey returns the 32-byte site key of a site_secret, for Token where
// no Keyring is needed (privacy: unlisted, which has opaque addresses but no
// passphrases). It is the key a Keyring built with that site_secret uses.
func NewSiteKey(siteSecret string) []byte {
	k, err := siteKey(siteSecret)
	if err != nil {
		panic(err) // HKDF-Extract does not fail for SHA-256
	}
	return k
}

// siteKey turns a site_secret string into the 32-byte site key.
func siteKey(secret string) ([]byte, error) {
	return hkdf.Extract(sha256.New, []byte(secret), []byte("coachsite/1/site-key"))
}

// PBKDF2Runs reports how many PBKDF2 derivations building k cost: zero when
// the key cache already held every key.
func (k *Keyring) PBKDF2Runs() int { return k.derives }

// Token returns the opaque folder name of a client's portal: see Token.
func (k *Keyring) Token(slug string) string { return Token(k.site, slug) }

// DashboardToken returns the opaque folder name of the coach dashboard.
func (k *Keyring) DashboardToken() string { return token(k.site, "coachsite/1/dashboard") }

// Token returns the opaque, stable folder name of the portal of the client
// with this slug: the first 26 characters (130 bits) of the lowercase
// base32 HMAC-SHA256 of the slug under the site key. It reveals nothing of
// the slug to anyone without the site secret.
func Token(siteKey []byte, slug string) string {
	return token(siteKey, "coachsite/1/portal\x00"+slug)
}

// SessionToken returns the opaque, stable folder name of a session page
// inside its portal: the first 16 characters (80 bits) of the lowercase
// base32 HMAC-SHA256 of the client's and the session's slugs under the site
// key. Session slugs carry dates and topics ("2026-02-11-vision-work"), so a
// sealed or unlisted portal uses these names instead.
func SessionToken(siteKey []byte, clientSlug, sessionSlug string) string {
	return token(siteKey, "coachsite/1/session\x00"+clientSlug+"\x00"+sessionSlug)[:16]
}

func token(siteKey []byte, msg string) string {
	m := hmac.New(sha256.New, siteKey)
	m.Write([]byte(msg))
	s := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(m.Sum(nil))
	return strings.ToLower(s[:26])
}

// checkInJob names the coach's check-in derivation among a keyring's jobs.
const checkInJob = "coach-check-in"

// checkInSalt is the PBKDF2 salt of the coach's check-in key material: fixed
// by the site key, unlike the random salts of the key-encryption keys, so
// that the check-in key survives a lost key cache. A check-in a client
// sealed weeks ago must still open.
func checkInSalt(siteKey []byte) []byte {
	m := hmac.New(sha256.New, siteKey)
	m.Write([]byte("coachsite/1/check-in-salt"))
	return m.Sum(nil)[:16]
}

// CheckInSeed returns 32 secret bytes from which the coach's check-in key
// pair is made (see generator/checkin): HKDF-SHA256 of the site key and the
// PBKDF2 of the coach's passphrase under a salt fixed by the site key. It
// depends on the site secret and the coach's passphrase alone, so it is the
// same on every build and after a lost key cache, and it changes when
// either does. Neither half alone gives it: a site secret handed to a
// deploy job does not open check-ins.
func (k *Keyring) CheckInSeed() []byte {
	seed, err := hkdf.Key(sha256.New, append(append([]byte(nil), k.checkIn...), k.site...), nil, "coachsite/1/check-in-seed", 32)
	if err != nil {
		panic(err) // only for a key length out of range, which 32 is not
	}
	return seed
}

// SiteKey returns the 32-byte site key that Token takes.
func (k *Keyring) SiteKey() []byte { return append([]byte(nil), k.site...) }

// Portal returns the Sealer of a client's portal, readable by the client,
// the coach, and the named sponsors (slugs of Secrets.Sponsors); its
// coach-only key is wrapped for the coach alone. With sponsors it is a
// separate sealer, with its own content key and payload id, for the pages
// they may read (the engagement summary): the build seals every other page
// with Portal(slug) alone. The portal's keys are derived (HKDF-SHA256) from the site key
// and the key-encryption keys of its readers: stable while the secrets are,
// new as soon as any of its readers' passphrases changes, so a revoked
// passphrase or a key remembered by a device stops opening new builds.
func (k *Keyring) Portal(slug string, sponsors ...string) (*Sealer, error) {
	client, ok := k.clients[slug]
	if !ok {
		return nil, fmt.Errorf("seal: client %q has no passphrase in the secrets", slug)
	}
	readers := []portalReader{{RoleClient.wireID(), client}}
	for _, sp := range sponsors {
		d, ok := k.sponsors[sp]
		if !ok {
			return nil, fmt.Errorf("seal: sponsor %q has no passphrase in the secrets", sp)
		}
		readers = append(readers, portalReader{RoleSponsor.wireID(), d})
	}
	readers = append(readers, portalReader{RoleCoach.wireID(), k.coach})
	id := k.Token(slug)
	if len(sponsors) > 0 {
		// The content key differs from the portal's (it derives from the
		// sponsors' keys too), so the payload id differs as well: browsers
		// keep unwrapped keys by payload id, and a key remembered on one
		// must not be tried on the other.
		id = token(k.site, "coachsite/1/sponsored\x00"+slug+"\x00"+strings.Join(sponsors, "\x00"))
	}
	return newSealer(id, k.contentKey("content", id, readers), k.contentKey("coach-content", id, readers), readers)
}

// Dashboard returns the Sealer of the coach dashboard: the coach is its only
// reader, and it has no separate coach-only version.
func (k *Keyring) Dashboard() (*Sealer, error) {
	readers := []portalReader{{RoleCoach.wireID(), k.coach}}
	id := k.DashboardToken()
	return newSealer(id, k.contentKey("content", id, readers), nil, readers)
}

// contentKey derives a portal key from the site key and the readers' keys.
func (k *Keyring) contentKey(label, id string, readers []portalReader) []byte {
	secret := append([]byte(nil), k.site...)
	info := "coachsite/1/" + label + "\x00" + id
	for _, r := range readers {
		secret = append(secret, r.kek.kek...)
		info += "\x00" + r.id + "\x00" + b64(r.kek.salt)
	}
	key, err := hkdf.Key(sha256.New, secret, nil, info, 32)
	if err != nil {
		panic(err) // only for a key length out of range, which 32 is not
	}
	return key
}

// writeFileAtomic writes data to a temporary file with mode 0600 beside path
// and renames it over path.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op after a successful rename
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
