package seal

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestParseSecrets(t *testing.T) {
	src := `# the coach's secrets
coach: "violin-harbor-maple-frost-candle-tiger"
clients:
  anna-berg: quiet-river-bread-lamp-north-owl   # Anna
  bob: 123456789012345678
sponsors:
  acme: "amber-whale-pepper-canyon-ivory-tulip"
`
	s, err := ParseSecrets([]byte(src), "secrets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Coach != coachPass || s.Clients["anna-berg"] != annaPass || s.Clients["bob"] != "123456789012345678" ||
		s.Sponsors["acme"] != "amber-whale-pepper-canyon-ivory-tulip" {
		t.Errorf("parsed %+v", s)
	}
	// Bob's digits are a sequence-free number but too weak; Carol is missing.
	err = s.Validate([]string{"anna-berg", "bob", "carol"})
	if err == nil {
		t.Fatal("weak and missing passphrases passed")
	}
	msg := err.Error()
	for _, want := range []string{`secrets.yaml:5: client "bob": passphrase too guessable`, `secrets.yaml: client "carol": no passphrase`, "coachsite passphrase carol"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "123456789012345678") {
		t.Error("error message shows a passphrase")
	}
	if strings.Contains(msg, "anna") {
		t.Errorf("error names a client with a good passphrase: %q", msg)
	}

	for _, bad := range []struct{ src, want string }{
		{"coach: x\nclient: {}\n", `secrets.yaml:2: unknown key "client"`},
		{"coach: [a]\n", "secrets.yaml:1: coach: want a passphrase string"},
		{"clients:\n  a: x\n  a: y\n", `client "a": given twice`},
		{"clients: [a]\n", "want a mapping of SLUG: PASSPHRASE"},
	} {
		_, err := ParseSecrets([]byte(bad.src), "secrets.yaml")
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ParseSecrets(%q) = %v, want %q", bad.src, err, bad.want)
		}
	}
	s, _ = ParseSecrets([]byte("clients:\n  anna: \""+annaPass+"\"\n"), "s.yaml")
	if err := s.Validate([]string{"anna"}); err == nil || !strings.Contains(err.Error(), "coach: no passphrase") {
		t.Errorf("missing coach: %v", err)
	}
}

func TestLoadSecretsEnv(t *testing.T) {
	yamlEnv := []string{"PATH=/bin", EnvSecrets + "=coach: " + coachPass + "\nclients: {bob: \"" + bobPass + "\"}\n", EnvKeyCache + "=/tmp/k"}
	s, err := LoadSecrets("", yamlEnv, []string{"bob"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Coach != coachPass || s.Clients["bob"] != bobPass || s.CacheFile != "/tmp/k" || s.Source != "$COACHSITE_SECRETS" {
		t.Errorf("from %s: %+v", EnvSecrets, s)
	}

	vars := []string{
		EnvCoach + "=" + coachPass,
		EnvClientPrefix + "ANNA_BERG=" + annaPass,
		EnvSiteSecret + "=k3xq7m2vd5pl9wz4hbn6tfcy8rjs",
	}
	s, err = LoadSecrets("", vars, []string{"anna-berg", "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Clients["anna-berg"] != annaPass || s.SiteSecret == "" || s.CacheFile != "" {
		t.Errorf("from variables: %+v", s)
	}
	if err := s.Validate([]string{"anna-berg", "bob"}); err == nil || !strings.Contains(err.Error(), `environment: client "bob": no passphrase`) {
		t.Errorf("missing bob: %v", err)
	}
	if _, err := LoadSecrets("", vars, []string{"anna-berg", "anna_berg"}); err == nil {
		t.Error("two slugs sharing one variable were accepted")
	}
	if _, err := LoadSecrets("", []string{"HOME=/"}, nil); err == nil || !strings.Contains(err.Error(), "--secrets") {
		t.Errorf("no secrets: %v", err)
	}
	if EnvName("anna-berg.2") != "ANNA_BERG_2" {
		t.Errorf("EnvName = %q", EnvName("anna-berg.2"))
	}
}

func TestSetPassphrase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	if err := SetPassphrase(path, RoleCoach, "", coachPass); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("new secrets file mode %v", fi.Mode().Perm())
	}
	if err := SetPassphrase(path, RoleClient, "bob", bobPass); err != nil {
		t.Fatal(err)
	}
	if err := SetPassphrase(path, RoleClient, "anna-berg", annaPass); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSecretsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Coach != coachPass || s.Clients["bob"] != bobPass || s.Clients["anna-berg"] != annaPass || len(s.SiteSecret) != 32 {
		t.Errorf("recorded %+v", s)
	}
	if err := s.Validate([]string{"anna-berg", "bob"}); err != nil {
		t.Error(err)
	}
	if s.CacheFile != path+".keys" {
		t.Errorf("cache file %q", s.CacheFile)
	}
	if err := SetPassphrase(path, RoleClient, "bob", "short"); err == nil {
		t.Error("a weak passphrase was recorded")
	}

	// A hand-written file keeps its comments and other entries.
	hand := "# my secrets\ncoach: " + coachPass + " # keep me\nclients:\n  zed: \"" + annaPass + "\" # Zed\n"
	path2 := filepath.Join(dir, "hand.yaml")
	os.WriteFile(path2, []byte(hand), 0o600)
	if err := SetPassphrase(path2, RoleClient, "amy", bobPass); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path2)
	for _, want := range []string{"# my secrets", "# keep me", "# Zed", "amy:", "zed:"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("rewritten file lacks %q:\n%s", want, data)
		}
	}
	// The file had no site_secret: the one its coach passphrase implied is
	// pinned, so changing the coach's passphrase keeps every address.
	if err := SetPassphrase(path2, RoleCoach, "", "amber-whale-pepper-canyon-ivory-tulip"); err != nil {
		t.Fatal(err)
	}
	after := testKeyring(t, mustLoad(t, path2), "")
	if after.DashboardToken() != impliedDashboard {
		t.Error("changing the coach passphrase moved the portals")
	}
}

func mustLoad(t *testing.T, path string) *Secrets {
	t.Helper()
	s, err := LoadSecretsFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWordlist(t *testing.T) {
	if len(wordlist) != 1024 {
		t.Fatalf("wordlist has %d words, want 1024 (10 bits each)", len(wordlist))
	}
	seen := map[string]bool{}
	word := regexp.MustCompile(`^[a-z]{3,6}$`)
	for _, w := range wordlist {
		if seen[w] || !word.MatchString(w) {
			t.Errorf("word %q repeated or malformed", w)
		}
		seen[w] = true
	}
}

func TestGeneratePassphrase(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		p := GeneratePassphrase()
		if n := len(strings.Split(p, "-")); n != PassphraseWords {
			t.Errorf("%q has %d words", p, n)
		}
		if err := CheckPassphrase(p); err != nil {
			t.Errorf("generated %q: %v", p, err)
		}
		if seen[p] {
			t.Errorf("%q generated twice", p)
		}
		seen[p] = true
	}
	if s := GenerateSiteSecret(); len(s) != 32 || EstimateBits(s) < 128 {
		t.Errorf("site secret %q", s)
	}
}

func TestCheckPassphrase(t *testing.T) {
	weak := []string{
		"", "short", "Tr0ub4dor&3", // under 12 characters
		"aaaaaaaaaaaaaaaa", "abababababab", "123456789012",
		"passwordpassword", "P@ssw0rd12345", "qwertyuiopasdfgh",
		"Summer2024!!", "abcdefghijklmnop", "letmein-letmein-letmein",
		"coachcoach12", "zyxwvutsrqpo",
		"Liverpool2023!", "Manchester-United-1999", "iloveyou-forever-2024",
		"zebra-lamp-quartz", "January1987!!", "the-the-the-the-the-the",
	}
	for _, p := range weak {
		if err := CheckPassphrase(p); err == nil {
			t.Errorf("CheckPassphrase(%q) accepted a weak passphrase (10^%.1f guesses)", p, math.Log10(PassphraseGuesses(p, nil)))
		}
	}
	strong := []string{
		"correct horse battery staple", annaPass, bobPass, coachPass,
		"Gx7#pQ2!vL9zK4", "über-straße-fjord-kælder",
	}
	for _, p := range strong {
		if err := CheckPassphrase(p); err != nil {
			t.Errorf("CheckPassphrase(%q): %v", p, err)
		}
	}
}

// TestPassphraseSiteWords: a passphrase made of the site's own words (a
// client's name, the site's title, an organization) is refused when the
// build knows them, though the same string passes on a site without them.
func TestPassphraseSiteWords(t *testing.T) {
	words := SiteWords("Harbour Light", "Martina Solberg", "anna-berg", "Anna Berg", "Head of Operations",
		"Kestrelmoor Freight Ltd", "Vision", "service")
	for _, w := range []string{"harbourlight", "harbour", "annaberg", "anna", "kestrelmoor", "vision", "headofoperations"} {
		if !slices.Contains(words, w) {
			t.Errorf("SiteWords lacks %q: %v", w, words)
		}
	}
	for _, p := range []string{"Anna-Berg-2026", "harbourlight1", "Kestrelmoor-Freight-2026", "MartinaSolberg!2026", "annaberg-harbourlight"} {
		err := CheckPassphrase(p, words...)
		if err == nil || !strings.Contains(err.Error(), "too guessable") {
			t.Errorf("CheckPassphrase(%q) with the site's words: %v, want too guessable", p, err)
		}
		if strings.Contains(fmt.Sprint(err), p) {
			t.Errorf("the error quotes the passphrase: %v", err)
		}
	}
	// The bar in the message is in guesses.
	err := CheckPassphrase("Anna-Berg-2026", words...)
	if err == nil || !strings.Contains(err.Error(), "want 10^14") {
		t.Errorf("error %v does not state the bar", err)
	}
	// Generated passphrases pass with any site's words.
	for range 200 {
		if p := GeneratePassphrase(); CheckPassphrase(p, words...) != nil {
			t.Errorf("generated %q refused: %v", p, CheckPassphrase(p, words...))
		}
	}
}

// TestPassphraseTypable: a passphrase the browser would change (white space
// at an end, not NFC) or that holds invisible characters is refused; what
// is accepted is exactly what NormalizePassphrase leaves alone.
func TestPassphraseTypable(t *testing.T) {
	base := "quiet-river-bread-lamp-north-owl"
	bad := map[string]string{
		" " + base:                                "white space",
		base + " ":                                "white space",
		base + "\n":                               "invisible",
		"\t" + base:                               "invisible",
		"\ufeff" + base:                           "invisible",
		base + "\u00a0":                           "invisible",
		"quiet\u200briver-bread-lamp-north-owl":   "invisible",
		"quiet-river\u00a0bread-lamp-north-owl":   "invisible",
		"quiet-river-bread\u200d-lamp-north-owl":  "invisible",
		"quiet-river-bread-lamp\u2028north-owl":   "invisible",
		"quiet-river-bread-lamp-north-owl\u200e":  "invisible",
		"quiet-river-bread-lamp-north-owl\u3000x": "invisible",
		"quiet-river-bread-lamp-north-owl\u00ad":  "invisible",
		"quiet-river-bread-lamp-north-owl\ufe0f":  "invisible",
		"quiet-river-bread-lamp-north-owl\u3164":  "invisible",
		"quiet-river-bread-lamp-north-owl\ue000":  "invisible",
		"quiet-river-bread-lamp-north-owl\x00":    "invisible",
		"cafe\u0301-au-lait-please-now":           "NFC",
		"quiet-river-bread-lamp-\u212b-north":     "NFC", // Angstrom sign: NFC turns it into Å
		"quiet-river-bread-lamp-north\xff":        "UTF-8",
	}
	for p, want := range bad {
		err := CheckPassphrase(p)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckPassphrase(%q) = %v, want an error about %s", p, err, want)
		}
	}
	// Accepted: exactly what the browser leaves alone.
	for _, p := range []string{base, "café-au-lait-please-now-x", "Ærøskøbing havn om natten 42"} {
		if err := CheckPassphrase(p); err != nil {
			t.Errorf("CheckPassphrase(%q): %v", p, err)
		}
		if NormalizePassphrase(p) != p {
			t.Errorf("NormalizePassphrase changes the accepted %q", p)
		}
	}
	// NormalizePassphrase is NFC then JavaScript's trim.
	for in, want := range map[string]string{
		"\ufeff  cafe\u0301 \u2029": "café",
		"\u00a0x\u3000":             "x",
		"\u0085x":                   "\u0085x", // not JavaScript white space
	} {
		if got := NormalizePassphrase(in); got != want {
			t.Errorf("NormalizePassphrase(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSecretsNotTrimmed: a secrets file or environment variable whose
// passphrase has white space at an end is refused, naming the client,
// rather than silently trimmed.
func TestSecretsNotTrimmed(t *testing.T) {
	s, err := ParseSecrets([]byte("coach: \""+coachPass+" \"\nclients:\n  anna-berg: \"\ufeff"+annaPass+"\"\n"), "secrets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Validate([]string{"anna-berg"})
	for _, want := range []string{"secrets.yaml:1: coach: passphrase starts or ends with white space", `secrets.yaml:3: client "anna-berg": passphrase holds an invisible`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v, want %q", err, want)
		}
	}
	s, err = LoadSecrets("", []string{EnvCoach + "=" + coachPass + "\n", EnvSiteSecret + "=" + GenerateSiteSecret(), EnvClientPrefix + "ANNA_BERG=" + annaPass}, []string{"anna-berg"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate([]string{"anna-berg"}); err == nil || !strings.Contains(err.Error(), "coach: passphrase holds an invisible") {
		t.Errorf("environment with a trailing newline: %v", err)
	}
}

// TestValidateSponsors checks the sponsor entries: listed under a client's
// slug, and as strong as any passphrase; errors name the client.
func TestValidateSponsors(t *testing.T) {
	src := "site_secret: k3xq7m2vd5pl9wz4hbn6tfcy8rjs\ncoach: " + coachPass + "\nclients:\n  anna-berg: " + annaPass + "\nsponsors:\n  anna-berg: short\n  nobody: amber-whale-pepper-canyon-ivory-tulip\n"
	s, err := ParseSecrets([]byte(src), "secrets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Validate([]string{"anna-berg"})
	if err == nil {
		t.Fatal("a weak sponsor passphrase and a sponsor of no client passed")
	}
	for _, want := range []string{`secrets.yaml:6: sponsor of client "anna-berg": passphrase too`, `secrets.yaml:7: sponsors: "nobody" is no client`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	s.Sponsors = map[string]string{"anna-berg": "amber-whale-pepper-canyon-ivory-tulip"}
	if err := s.Validate([]string{"anna-berg"}); err != nil {
		t.Errorf("a strong sponsor passphrase of a client failed: %v", err)
	}
}

// TestValidateSharedPassphrase: two readers may not share a passphrase
// (the coach's, given to a client, would open every portal), also when
// they differ only in a form the browser normalizes away.
func TestValidateSharedPassphrase(t *testing.T) {
	const accented = "café-river-bread-lamp-north-owl"
	src := "site_secret: k3xq7m2vd5pl9wz4hbn6tfcy8rjs\ncoach: " + coachPass + "\nclients:\n  anna-berg: " + accented + "\n  bo-lund: " + coachPass + "\nsponsors:\n  anna-berg: \"" + norm.NFD.String(accented) + "\"\n"
	s, err := ParseSecrets([]byte(src), "secrets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Validate([]string{"anna-berg", "bo-lund"})
	for _, want := range []string{
		`secrets.yaml:5: client "bo-lund": the same passphrase as the coach`,
		`secrets.yaml:7: sponsor of client "anna-berg": the same passphrase as the client "anna-berg"`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v, want %q", err, want)
		}
	}
	s.Clients["bo-lund"] = "amber-whale-pepper-canyon-ivory-tulip"
	s.Sponsors["anna-berg"] = "quartz-meadow-lantern-violet-harbor-cedar"
	if err := s.Validate([]string{"anna-berg", "bo-lund"}); err != nil {
		t.Errorf("four different passphrases: %v", err)
	}
}

// FuzzCheckPassphrase: no input panics, and whatever is accepted is exactly
// what the browser's normalization leaves alone, with no invisible
// character.
func FuzzCheckPassphrase(f *testing.F) {
	for _, s := range []string{annaPass, bobPass, "Anna-Berg-2026", "\ufeffx", "cafe\u0301-au-lait-please", "\xff\xfe", "a\u200bb", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if err := CheckPassphrase(p, "anna berg", "harbour light"); err == nil {
			if NormalizePassphrase(p) != p {
				t.Errorf("accepted %q, which the browser turns into %q", p, NormalizePassphrase(p))
			}
			for _, r := range p {
				if invisible(r) {
					t.Errorf("accepted %q with invisible U+%04X", p, r)
				}
			}
		}
		if b, err := Unpad([]byte(p)); err == nil && !bytes.Equal(Pad(b, len(p)), []byte(p)) {
			t.Errorf("Unpad(%q) = %q, which does not pad back", p, b)
		}
	})
}
