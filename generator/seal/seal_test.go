package seal

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coachsite/coachsite/internal/browsertest"
)

// Tests derive keys with a cheap iteration count; TestFullIterations and the
// benchmarks use the real one.
const testIterations = 1000

// testPage is the path the tests seal pages at (unlock_test.go serves it).
const testPage = "page.html"

var pbkdf2Calls atomic.Int64

func TestMain(m *testing.M) {
	iterations = testIterations
	real := deriveKEK
	deriveKEK = func(p string, salt []byte, iter int) []byte {
		pbkdf2Calls.Add(1)
		return real(p, salt, iter)
	}
	browsertest.Main(m)
}

const (
	coachPass = "violin-harbor-maple-frost-candle-tiger"
	annaPass  = "quiet-river-bread-lamp-north-owl"
	bobPass   = "Bob's own passphrase, 2026!"
)

func testSecrets() *Secrets {
	return &Secrets{
		Coach:      coachPass,
		Clients:    map[string]string{"anna-berg": annaPass, "bob": bobPass},
		SiteSecret: "k3xq7m2vd5pl9wz4hbn6tfcy8rjs",
		Source:     "test",
	}
}

func testKeyring(t testing.TB, s *Secrets, cache string) *Keyring {
	t.Helper()
	k, err := NewKeyring(s, cache)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func sealed(t testing.TB, k *Keyring, slug string, main, coach []byte) *Payload {
	t.Helper()
	s, err := k.Portal(slug)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Seal(testPage, main, coach)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRoundTrip(t *testing.T) {
	k := testKeyring(t, testSecrets(), "")
	main := []byte(`<h1>Anna</h1><script type="application/json" id="chart_1">{"a":1}</script>`)
	coach := []byte(`<h1>Anna</h1><aside>Sounded tired.</aside>`)
	data, err := mustSealer(t, k, "anna-berg").SealJSON(testPage, main, coach)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePayload(data)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != k.Token("anna-berg") {
		t.Errorf("payload id %q, want the portal token %q", p.ID, k.Token("anna-berg"))
	}

	o, err := Open(p, testPage, annaPass)
	if err != nil {
		t.Fatalf("client passphrase: %v", err)
	}
	if !bytes.Equal(o.HTML, main) || o.Coach || o.Recipient != "client" || o.CoachKey != nil {
		t.Errorf("client opened %q coach=%v recipient=%q", o.HTML, o.Coach, o.Recipient)
	}
	o, err = Open(p, testPage, "  "+annaPass+" ") // a phone's trailing space is forgiven
	if err != nil || !bytes.Equal(o.HTML, main) {
		t.Errorf("client passphrase with spaces: %v", err)
	}

	o, err = Open(p, testPage, coachPass)
	if err != nil {
		t.Fatalf("coach passphrase: %v", err)
	}
	if !bytes.Equal(o.HTML, coach) || !o.Coach || o.Recipient != "coach" {
		t.Errorf("coach opened %q coach=%v recipient=%q", o.HTML, o.Coach, o.Recipient)
	}
	// The coach can also read the client's version with the main key.
	if html, err := OpenWithKey(p, testPage, o.Key, false); err != nil || !bytes.Equal(html, main) {
		t.Errorf("coach main key: %q, %v", html, err)
	}

	for _, wrong := range []string{bobPass, "quiet-river-bread-lamp-north-owk", ""} {
		if _, err := Open(p, testPage, wrong); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("Open(%q) = %v, want ErrWrongPassphrase", wrong, err)
		}
	}
	// Nothing readable is left unsealed.
	for _, secret := range []string{"Anna", "anna", "tired", "chart_1"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("sealed JSON holds %q in clear", secret)
		}
	}
}

func mustSealer(t testing.TB, k *Keyring, slug string) *Sealer {
	t.Helper()
	s, err := k.Portal(slug)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestClientCannotOpenCoachPayload(t *testing.T) {
	k := testKeyring(t, testSecrets(), "")
	p := sealed(t, k, "anna-berg", []byte("for the client"), []byte("for the coach only"))
	o, err := Open(p, testPage, annaPass)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenWithKey(p, testPage, o.Key, true); err == nil {
		t.Error("the client's key opens the coach-only payload")
	}
	for _, r := range p.R {
		if r.ID != "coach" && r.Coach != "" {
			t.Errorf("recipient %q holds a wrapped coach-only key", r.ID)
		}
	}

	// Editing the page: give the client's entry the coach's wrapped
	// coach-only key. The client's key-encryption key does not unwrap it.
	var coachEntry Recipient
	for _, r := range p.R {
		if r.ID == "coach" {
			coachEntry = r
		}
	}
	edited := *p
	edited.R = nil
	for _, r := range p.R {
		if r.ID == "client" {
			r.Coach = coachEntry.Coach
		}
		edited.R = append(edited.R, r)
	}
	o, err = Open(&edited, testPage, annaPass)
	if err != nil {
		t.Fatal(err)
	}
	if o.Coach || bytes.Contains(o.HTML, []byte("coach only")) {
		t.Error("an edited page showed the client the coach-only payload")
	}
	// Relabelling the client's entry as the coach's breaks its unwrap.
	relabelled := *p
	relabelled.R = nil
	for _, r := range p.R {
		if r.ID == "client" {
			r.ID, r.Coach = "coach", coachEntry.Coach
		}
		relabelled.R = append(relabelled.R, r)
	}
	if _, err := Open(&relabelled, testPage, annaPass); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("relabelled entry: %v, want ErrWrongPassphrase", err)
	}
}

// TestTamper flips every bit position class of every byte of every field
// and expects the owner's passphrase to be refused.
func TestTamper(t *testing.T) {
	k := testKeyring(t, testSecrets(), "")
	p := sealed(t, k, "anna-berg", []byte("<p>main page</p>"), []byte("<p>coach page</p>"))

	type field struct {
		name string
		get  func(*Payload) *string
		pass string
	}
	var fields []field
	fields = append(fields,
		field{"ct", func(q *Payload) *string { return &q.CT }, annaPass},
		field{"cc", func(q *Payload) *string { return &q.Coach }, coachPass},
	)
	for i, r := range p.R {
		pass := annaPass
		if r.ID == "coach" {
			pass = coachPass
			fields = append(fields, field{r.ID + ".c", func(q *Payload) *string { return &q.R[i].Coach }, pass})
		}
		fields = append(fields,
			field{r.ID + ".s", func(q *Payload) *string { return &q.R[i].Salt }, pass},
			field{r.ID + ".k", func(q *Payload) *string { return &q.R[i].Key }, pass},
		)
	}
	clone := func() *Payload {
		q := *p
		q.R = append([]Recipient(nil), p.R...)
		return &q
	}
	for _, f := range fields {
		raw, err := unb64(*f.get(p))
		if err != nil {
			t.Fatal(err)
		}
		for i := range raw {
			// Padded ciphertexts are kilobytes long: their head, tail and
			// a spread of the middle are enough (each try is a PBKDF2).
			if len(raw) > 256 && i >= 64 && i < len(raw)-64 && i%97 != 0 {
				continue
			}
			for _, bit := range []byte{0x01, 0x80} {
				q := clone()
				b := append([]byte(nil), raw...)
				b[i] ^= bit
				*f.get(q) = b64(b)
				o, err := Open(q, testPage, f.pass)
				if f.name == "cc" || f.name == "coach.c" {
					// The coach-only part fails; the coach must not get a
					// coach view from it.
					if err == nil && o.Coach {
						t.Errorf("%s byte %d bit %#x: tampered coach payload opened", f.name, i, bit)
					}
					continue
				}
				if err == nil {
					t.Errorf("%s byte %d bit %#x: tampered payload opened", f.name, i, bit)
				}
			}
		}
	}
	// Truncation, iteration count, portal id and recipient id.
	q := clone()
	q.CT = q.CT[:len(q.CT)-8]
	if _, err := Open(q, testPage, annaPass); err == nil {
		t.Error("truncated ciphertext opened")
	}
	q = clone()
	for i := range q.R {
		q.R[i].Iter++
	}
	if _, err := Open(q, testPage, annaPass); err == nil {
		t.Error("changed iteration count opened")
	}
	q = clone()
	q.ID = k.Token("bob")
	if _, err := Open(q, testPage, annaPass); err == nil {
		t.Error("payload moved to another portal id opened")
	}
	q = clone()
	for i := range q.R {
		if q.R[i].ID == "client" {
			q.R[i].ID = "sponsor"
		}
	}
	if _, err := Open(q, testPage, annaPass); err == nil {
		t.Error("changed recipient id opened")
	}
	// A ciphertext from another page of another portal does not open here.
	other := sealed(t, k, "bob", []byte("<p>bob</p>"), nil)
	q = clone()
	q.CT = other.CT
	if _, err := Open(q, testPage, annaPass); err == nil {
		t.Error("another portal's ciphertext opened")
	}
}

func TestDeterministicAndCached(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "secrets.yaml.keys")
	s := testSecrets()
	main, coach := bytes.Repeat([]byte("<p>note</p>"), 100), []byte("<p>coach</p>")

	pbkdf2Calls.Store(0)
	k1 := testKeyring(t, s, cache)
	if got := pbkdf2Calls.Load(); got != 4 || k1.PBKDF2Runs() != 4 {
		t.Errorf("cold keyring: %d PBKDF2 calls (reported %d), want 4 (coach, its check-in key and 2 clients)", got, k1.PBKDF2Runs())
	}
	fi, err := os.Stat(cache)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key cache mode %v, want 0600", fi.Mode().Perm())
	}
	before, _ := os.ReadFile(cache)

	pbkdf2Calls.Store(0)
	k2 := testKeyring(t, s, cache)
	if got := pbkdf2Calls.Load(); got != 0 || k2.PBKDF2Runs() != 0 {
		t.Errorf("warm keyring: %d PBKDF2 calls, want 0", got)
	}
	after, _ := os.ReadFile(cache)
	if !bytes.Equal(before, after) {
		t.Error("a warm build rewrote the key cache differently")
	}
	a1, _ := mustSealer(t, k1, "anna-berg").SealJSON(testPage, main, coach)
	a2, _ := mustSealer(t, k2, "anna-berg").SealJSON(testPage, main, coach)
	if !bytes.Equal(a1, a2) {
		t.Error("same content and secrets gave different bytes")
	}
	// Distinct pages of one portal get distinct nonces.
	p1 := sealed(t, k1, "anna-berg", []byte("page one"), nil)
	p2 := sealed(t, k1, "anna-berg", []byte("page two"), nil)
	n1, _ := unb64(p1.CT)
	n2, _ := unb64(p2.CT)
	if bytes.Equal(n1[:12], n2[:12]) {
		t.Error("two pages share a nonce")
	}

	// Changing Anna's passphrase: one derivation, Bob's portal unchanged,
	// Anna's old passphrase and her remembered key stop working.
	oldAnna := sealed(t, k1, "anna-berg", main, coach)
	oldOpen, err := Open(oldAnna, testPage, annaPass)
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := mustSealer(t, k1, "bob").SealJSON(testPage, main, coach)
	s2 := testSecrets()
	newAnna := "amber-whale-pepper-canyon-ivory-tulip"
	s2.Clients["anna-berg"] = newAnna
	pbkdf2Calls.Store(0)
	k3 := testKeyring(t, s2, cache)
	if got := pbkdf2Calls.Load(); got != 1 {
		t.Errorf("after one passphrase change: %d PBKDF2 calls, want 1", got)
	}
	b3, _ := mustSealer(t, k3, "bob").SealJSON(testPage, main, coach)
	if !bytes.Equal(b1, b3) {
		t.Error("changing Anna's passphrase changed Bob's portal")
	}
	if k3.Token("anna-berg") != k1.Token("anna-berg") {
		t.Error("changing a passphrase moved the portal")
	}
	p3 := sealed(t, k3, "anna-berg", main, coach)
	if _, err := Open(p3, testPage, annaPass); err == nil {
		t.Error("Anna's old passphrase opens the new build")
	}
	if _, err := OpenWithKey(p3, testPage, oldOpen.Key, false); err == nil {
		t.Error("Anna's remembered old key opens the new build")
	}
	if o, err := Open(p3, testPage, newAnna); err != nil || !bytes.Equal(o.HTML, main) {
		t.Errorf("Anna's new passphrase: %v", err)
	}
	if o, err := Open(p3, testPage, coachPass); err != nil || !o.Coach {
		t.Errorf("coach after Anna's change: %v", err)
	}
	var cf keyCache
	data, _ := os.ReadFile(cache)
	if err := json.Unmarshal(data, &cf); err != nil {
		t.Fatal(err)
	}
	if len(cf.Keys) != 4 {
		t.Errorf("key cache holds %d keys, want 4 (stale ones dropped)", len(cf.Keys))
	}
	if bytes.Contains(data, []byte(newAnna)) || bytes.Contains(data, []byte(coachPass)) {
		t.Error("key cache holds a passphrase")
	}
}

// Addresses of a site whose secrets had no site_secret (coachPass as the
// coach's passphrase), computed by the build before a site secret was
// required, with the tests' 1000 iterations and with the real 600,000.
const (
	impliedAnna      = "2evodcjzrphaijqlipibziak7e"
	impliedDashboard = "olq2ag6kjxz3z7zloiijm2w337"
	impliedAnnaFull  = "jpwgn3eif76ckssyfd56r2l757"
)

// TestSiteSecretRequired: every encrypted mode needs a site secret, and the
// error says how to get one; the one ImpliedSiteSecret gives keeps every
// address that a site without one published.
func TestSiteSecretRequired(t *testing.T) {
	for source, want := range map[string]string{
		"secrets.yaml":   "run `coachsite passphrase --site-secret --secrets secrets.yaml`",
		"environment":    "set $" + EnvSiteSecret + ". To keep the portal addresses your clients already have, set it to what `coachsite passphrase --site-secret --print` prints",
		"$" + EnvSecrets: "add `site_secret: VALUE` to $" + EnvSecrets,
	} {
		s := testSecrets()
		s.SiteSecret, s.Source = "", source
		err := s.Validate([]string{"anna-berg", "bob"})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s without a site secret: %v, want %q", source, err, want)
		}
		if _, err := NewKeyring(s, ""); err == nil {
			t.Errorf("%s: a keyring without a site secret was made", source)
		}
	}
	s := testSecrets()
	s.SiteSecret = ImpliedSiteSecret(coachPass)
	k := testKeyring(t, s, "")
	if k.Token("anna-berg") != impliedAnna || k.DashboardToken() != impliedDashboard {
		t.Errorf("the implied site secret gives %s and %s, want the addresses published before: %s and %s",
			k.Token("anna-berg"), k.DashboardToken(), impliedAnna, impliedDashboard)
	}
	// Builds then trimmed the coach's passphrase.
	if ImpliedSiteSecret(" "+coachPass+"\n") != s.SiteSecret {
		t.Error("the implied site secret depends on white space around the passphrase")
	}
	if err := CheckSiteSecret(s.SiteSecret); err != nil {
		t.Errorf("the implied site secret is refused: %v", err)
	}
	if err := CheckSiteSecret("k3xq7m2vd5pl9wz4"); err == nil {
		t.Error("a short site secret was accepted")
	}
	if !testing.Short() {
		iterations = Iterations
		full := ImpliedSiteSecret(coachPass)
		iterations = testIterations
		if got := Token(NewSiteKey(full), "anna-berg"); got != impliedAnnaFull {
			t.Errorf("at %d iterations the implied site secret gives %s, want %s", Iterations, got, impliedAnnaFull)
		}
	}
}

// TestPinSiteSecret: pinning records the implied secret in a file with a
// coach passphrase, a random one in a file without, and changes nothing in
// a file that has one.
func TestPinSiteSecret(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.yaml")
	os.WriteFile(old, []byte("# mine\ncoach: "+coachPass+"\nclients:\n  anna-berg: "+annaPass+"\n"), 0o600)
	how, err := PinSiteSecret(old)
	if err != nil || how != SiteSecretImplied {
		t.Fatalf("PinSiteSecret(old) = %q, %v", how, err)
	}
	s := mustLoad(t, old)
	if s.SiteSecret != ImpliedSiteSecret(coachPass) || testKeyring(t, s, "").Token("anna-berg") != impliedAnna {
		t.Error("the pinned site secret moves the portal")
	}
	before, _ := os.ReadFile(old)
	if how, err := PinSiteSecret(old); err != nil || how != SiteSecretKept {
		t.Errorf("PinSiteSecret again = %q, %v", how, err)
	}
	if after, _ := os.ReadFile(old); string(after) != string(before) || !strings.Contains(string(after), "# mine") {
		t.Errorf("pinning again changed the file:\n%s", after)
	}
	fresh := filepath.Join(dir, "new.yaml")
	if how, err := PinSiteSecret(fresh); err != nil || how != SiteSecretNew {
		t.Fatalf("PinSiteSecret(new) = %q, %v", how, err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("new file: %v", err)
	}
	if s := mustLoad(t, fresh); CheckSiteSecret(s.SiteSecret) != nil {
		t.Errorf("new site secret %q", s.SiteSecret)
	}
}

func TestTokens(t *testing.T) {
	k := testKeyring(t, testSecrets(), "")
	valid := regexp.MustCompile(`^[a-z2-7]{26}$`)
	seen := map[string]bool{}
	for _, slug := range []string{"anna-berg", "bob", "", "Anna-Berg"} {
		tok := k.Token(slug)
		if !valid.MatchString(tok) {
			t.Errorf("Token(%q) = %q, want 26 lowercase base32 characters", slug, tok)
		}
		if slug != "" && strings.Contains(tok, strings.ToLower(slug)) {
			t.Errorf("Token(%q) = %q holds the slug", slug, tok)
		}
		if seen[tok] {
			t.Errorf("Token(%q) repeats another token", slug)
		}
		seen[tok] = true
		if Token(k.SiteKey(), slug) != tok || Token(NewSiteKey(testSecrets().SiteSecret), slug) != tok {
			t.Error("Token and Keyring.Token disagree")
		}
	}
	if d := k.DashboardToken(); !valid.MatchString(d) || seen[d] {
		t.Errorf("DashboardToken = %q", d)
	}
}

func TestDashboard(t *testing.T) {
	k := testKeyring(t, testSecrets(), "")
	d, err := k.Dashboard()
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Seal(testPage, []byte("all clients"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.R) != 1 || p.R[0].ID != "coach" || p.ID != k.DashboardToken() {
		t.Errorf("dashboard recipients %+v id %q", p.R, p.ID)
	}
	if o, err := Open(p, testPage, coachPass); err != nil || string(o.HTML) != "all clients" {
		t.Errorf("coach opens dashboard: %v", err)
	}
	for _, pass := range []string{annaPass, bobPass} {
		if _, err := Open(p, testPage, pass); err == nil {
			t.Error("a client opens the coach dashboard")
		}
	}
	if _, err := d.Seal(testPage, []byte("x"), []byte("y")); err == nil {
		t.Error("dashboard sealed a coach-only payload without a coach-only key")
	}
	if _, err := k.Portal("carol"); err == nil || !strings.Contains(err.Error(), `"carol"`) {
		t.Errorf("Portal(unknown) = %v", err)
	}
}

// TestFullIterations checks the real cost parameters reach the payload and
// still open (one real PBKDF2 per recipient).
func TestFullIterations(t *testing.T) {
	if testing.Short() {
		t.Skip("600,000-iteration PBKDF2")
	}
	iterations = Iterations
	defer func() { iterations = testIterations }()
	s := testSecrets()
	s.Clients = map[string]string{"anna-berg": annaPass}
	k := testKeyring(t, s, "")
	p := sealed(t, k, "anna-berg", []byte("x"), nil)
	for _, r := range p.R {
		salt, _ := unb64(r.Salt)
		if r.Iter != 600_000 || len(salt) != 16 {
			t.Errorf("recipient %s: %d iterations, %d-byte salt", r.ID, r.Iter, len(salt))
		}
	}
	if _, err := Open(p, testPage, annaPass); err != nil {
		t.Error(err)
	}
}

func BenchmarkPBKDF2(b *testing.B) {
	salt := make([]byte, 16)
	for b.Loop() {
		deriveKEK(coachPass, salt, Iterations)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/derive")
}

func BenchmarkSeal30KB(b *testing.B) {
	k := testKeyring(b, testSecrets(), "")
	s := mustSealer(b, k, "anna-berg")
	page := bytes.Repeat([]byte("<p>A session note with ratings.</p>\n"), 30*1024/37)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := s.SealJSON(testPage, page, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/page")
}

func BenchmarkKeyringWarm(b *testing.B) {
	cache := filepath.Join(b.TempDir(), "keys")
	s := testSecrets()
	testKeyring(b, s, cache)
	for b.Loop() {
		testKeyring(b, s, cache)
	}
}

// TestPageBoundAndPadded: a payload opens only at the page it was sealed
// for (a page of the same portal swapped for another does not open), every
// portal page has a coach version, and both versions are padded to one
// power-of-two bucket, so neither private notes nor exact sizes show.
func TestPageBoundAndPadded(t *testing.T) {
	k := testKeyring(t, testSecrets(), "")
	s := mustSealer(t, k, "anna-berg")
	a, err := s.Seal("TOKEN/aaaa/index.html", []byte("<p>session a</p>"), []byte("<p>session a</p><aside>private, quite long "+strings.Repeat("x", 900)+"</aside>"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Seal("TOKEN/bbbb/index.html", []byte("<p>session b, no notes</p>"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Swapped: b's payload put at a's place (same portal, same keys).
	for _, pass := range []string{annaPass, coachPass} {
		if _, err := Open(b, "TOKEN/aaaa/index.html", pass); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("page b opened at page a's path: %v", err)
		}
		if o, err := Open(b, "TOKEN/bbbb/", pass); err != nil || !bytes.Equal(o.HTML, []byte("<p>session b, no notes</p>")) {
			t.Errorf("page b at its own path (as a folder URL): %v", err)
		}
	}
	ob, err := Open(b, "TOKEN/bbbb", coachPass)
	if err != nil || !ob.Coach {
		t.Fatalf("a page without private notes has no coach version: %v", err)
	}
	// Same bucket, same lengths: with or without private notes.
	for _, p := range []*Payload{a, b} {
		if p.Coach == "" || len(p.CT) != len(p.Coach) {
			t.Errorf("ct %d bytes, cc %d bytes: want a coach version of the same length", len(p.CT), len(p.Coach))
		}
	}
	if len(a.CT) != len(b.CT) {
		t.Errorf("pages of 16 and 900 bytes seal to %d and %d bytes: want one bucket", len(a.CT), len(b.CT))
	}
	// Pages are compressed before padding: a page that does not compress
	// (random bytes) and fills the first bucket goes to the next one.
	noise := make([]byte, MinPaddedSize)
	rand.NewChaCha8([32]byte{1}).Read(noise)
	big, err := s.Seal("TOKEN/cccc/index.html", noise, nil)
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := unb64(big.CT); len(raw) != 2*MinPaddedSize+12+16 {
		t.Errorf("a page of %d random bytes seals to %d bytes, want the next bucket %d", MinPaddedSize, len(raw), 2*MinPaddedSize+28)
	}
	if o, err := Open(big, "TOKEN/cccc", annaPass); err != nil || !bytes.Equal(o.HTML, noise) {
		t.Errorf("the random page does not open as it was: %v", err)
	}
	for _, p := range []struct{ in, want string }{
		{"index.html", ""}, {"/coach/index.html", "coach"}, {"a/b/", "a/b"}, {"a/page.html", "a/page.html"},
	} {
		if got := PagePath(p.in); got != p.want {
			t.Errorf("PagePath(%q) = %q, want %q", p.in, got, p.want)
		}
	}
}

func TestPad(t *testing.T) {
	for _, in := range [][]byte{nil, {0}, {0x80}, []byte("abc\x00\x00"), bytes.Repeat([]byte{0x80}, 4095)} {
		size := PaddedSize(len(in))
		if size < len(in)+1 || size&(size-1) != 0 || size < MinPaddedSize {
			t.Errorf("PaddedSize(%d) = %d", len(in), size)
		}
		out, err := Unpad(Pad(in, size))
		if err != nil || !bytes.Equal(out, in) {
			t.Errorf("Unpad(Pad(%q)) = %q, %v", in, out, err)
		}
	}
	for _, bad := range [][]byte{nil, {0, 0}, {'a', 0}, {0x81}} {
		if _, err := Unpad(bad); err == nil {
			t.Errorf("Unpad(%q) accepted", bad)
		}
	}
}

// TestCheckInSeed: the coach's check-in seed is the same after a lost key
// cache (its salt follows from the site key), and changes with the coach's
// passphrase or the site secret.
func TestCheckInSeed(t *testing.T) {
	dir := t.TempDir()
	s := testSecrets()
	k1 := testKeyring(t, s, filepath.Join(dir, "a.keys"))
	k2 := testKeyring(t, s, filepath.Join(dir, "b.keys")) // a new cache: new random salts
	if !bytes.Equal(k1.CheckInSeed(), k2.CheckInSeed()) {
		t.Error("a new key cache changed the check-in seed")
	}
	if bytes.Equal(k1.coach.kek, k2.coach.kek) {
		t.Error("two caches gave the coach the same salt: the test proves nothing")
	}
	s2 := testSecrets()
	s2.Coach = "another-coach-pass-phrase-entirely-new"
	if bytes.Equal(testKeyring(t, s2, "").CheckInSeed(), k1.CheckInSeed()) {
		t.Error("another coach passphrase gave the same check-in seed")
	}
	s3 := testSecrets()
	s3.SiteSecret = GenerateSiteSecret()
	if bytes.Equal(testKeyring(t, s3, "").CheckInSeed(), k1.CheckInSeed()) {
		t.Error("another site secret gave the same check-in seed")
	}
}

// TestCompressed: a page is sealed compressed, so a repetitive page of
// 200 KB (as HTML with its charts is) fits the smallest bucket and opens as
// it was, and Inflate refuses what is not one raw DEFLATE stream.
func TestCompressed(t *testing.T) {
	k := testKeyring(t, testSecrets(), "")
	s := mustSealer(t, k, "anna-berg")
	page := []byte(strings.Repeat(`<tr><th scope="row">Strategy</th><td>7</td><td>+1</td></tr>`+"\n", 3500))
	p, err := s.Seal("TOKEN/dddd/index.html", page, nil)
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := unb64(p.CT); len(raw) != MinPaddedSize+28 {
		t.Errorf("a page of %d repetitive bytes seals to %d bytes, want the smallest bucket", len(page), len(raw))
	}
	for _, pass := range []string{annaPass, coachPass} {
		if o, err := Open(p, "TOKEN/dddd", pass); err != nil || !bytes.Equal(o.HTML, page) {
			t.Errorf("the compressed page does not open as it was: %v", err)
		}
	}
	if back, err := Inflate(Deflate(page)); err != nil || !bytes.Equal(back, page) {
		t.Errorf("Inflate(Deflate(page)): %v", err)
	}
	for _, bad := range [][]byte{{0xff, 0xff}, []byte("not deflate at all"), Deflate(page)[:100]} {
		if _, err := Inflate(bad); !errors.Is(err, ErrFormat) {
			t.Errorf("Inflate(%q…) = %v, want ErrFormat", bad[:2], err)
		}
	}
}

// FuzzInflate: Inflate never panics, and whatever it accepts deflates and
// inflates back to itself.
func FuzzInflate(f *testing.F) {
	f.Add(Deflate([]byte("<p>a page</p>")))
	f.Add([]byte{0x01, 0x00, 0x00, 0xff, 0xff})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := Inflate(b)
		if err != nil {
			return
		}
		if back, err := Inflate(Deflate(out)); err != nil || !bytes.Equal(back, out) {
			t.Fatalf("round trip of %d inflated bytes: %v", len(out), err)
		}
	})
}
