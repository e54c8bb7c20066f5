package pipeline_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/pipeline"
	"github.com/coachsite/coachsite/generator/seal"
	"github.com/coachsite/coachsite/internal/testsite"
)

// privSite copies the content folder src into a temporary folder, switches
// its site.yaml to the privacy mode (empty: remove the line, so the default
// applies) and returns the copy's content folder.
func privSite(t testing.TB, src string, mode model.Privacy) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "content")
	testsite.CopyTree(t, src, dst)
	setPrivacy(t, dst, mode)
	return dst
}

var privacyLine = regexp.MustCompile(`(?m)^privacy:.*\n?`)

func setPrivacy(t testing.TB, content string, mode model.Privacy) {
	t.Helper()
	p := filepath.Join(content, "site.yaml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b = privacyLine.ReplaceAll(b, nil)
	if mode != "" {
		b = append(bytes.TrimRight(b, "\n"), []byte("\nprivacy: "+string(mode)+"\n")...)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// testSecrets are the passphrases of a test site.
type testSecrets struct {
	File    string            // the secrets file; its key cache is File+".keys"
	Coach   string            // the coach's passphrase
	Clients map[string]string // slug -> passphrase
}

// writeSecrets writes a secrets file beside content with a fresh strong
// passphrase for the coach and for every client of the content.
func writeSecrets(t testing.TB, content string) testSecrets {
	t.Helper()
	site := loadSite(t, content)
	s := testSecrets{File: filepath.Join(filepath.Dir(content), "secrets.yaml"), Coach: seal.GeneratePassphrase(), Clients: map[string]string{}}
	if err := seal.SetPassphrase(s.File, seal.RoleCoach, "", s.Coach); err != nil {
		t.Fatal(err)
	}
	for _, c := range site.Clients {
		s.Clients[c.Slug] = seal.GeneratePassphrase()
		if err := seal.SetPassphrase(s.File, seal.RoleClient, c.Slug, s.Clients[c.Slug]); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func loadSite(t testing.TB, content string) *model.Site {
	t.Helper()
	site, err := load.Site(content, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// privBuild builds content with the secrets file into a new folder and
// returns it.
func privBuild(t testing.TB, content, secrets string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out, Secrets: secrets, Environ: []string{}}); err != nil {
		t.Fatalf("build: %v", err)
	}
	return out
}

// sealedSite is an encrypted build of a copy of the example site.
type sealedSite struct {
	content string      // the copy's content folder
	public  string      // its build
	sec     testSecrets // its passphrases
	site    *model.Site // its content, loaded
	key     []byte      // its site key (portal and session folder names)
}

// buildSealedExample copies the example site, switches it to encrypted,
// writes passphrases for everyone and builds it.
func buildSealedExample(t testing.TB) sealedSite {
	t.Helper()
	content := privSite(t, privExample(), model.Encrypted)
	sec := writeSecrets(t, content)
	return sealedSite{content: content, public: privBuild(t, content, sec.File), sec: sec, site: loadSite(t, content), key: siteKey(t, sec)}
}

// siteKey returns the site key of the secrets file of sec.
func siteKey(t testing.TB, sec testSecrets) []byte {
	t.Helper()
	s, err := seal.LoadSecretsFile(sec.File)
	if err != nil {
		t.Fatal(err)
	}
	return seal.NewSiteKey(s.SiteSecret)
}

// firstPrivate returns the first client, and its first session, holding
// coach-only notes, failing when the site has none.
func firstPrivate(t testing.TB, site *model.Site) (*model.Client, *model.Session) {
	t.Helper()
	for _, c := range site.Clients {
		for _, s := range c.Sessions {
			if s.Notes.HasPrivate {
				return c, s
			}
		}
	}
	t.Fatal("the example site has no private notes")
	return nil, nil
}

// sessionPage returns the path of a session's page in a sealed build.
func (s sealedSite) sessionPage(c *model.Client, sess *model.Session) string {
	return seal.Token(s.key, c.Slug) + "/" + seal.SessionToken(s.key, c.Slug, sess.Slug) + "/index.html"
}

// readTree reads every file under dir, keyed by slash path.
func readTree(t testing.TB, dir string) map[string][]byte { return testsite.ReadTree(t, dir) }

var sealedBlock = regexp.MustCompile(`<script type="application/json" id="sealed">([^<]*)</script>`)

// payloadOf returns the sealed payload of a built page, failing when the
// page has none.
func payloadOf(t testing.TB, page []byte, name string) *seal.Payload {
	t.Helper()
	m := sealedBlock.FindSubmatch(page)
	if m == nil {
		t.Fatalf("%s: no sealed payload", name)
	}
	p, err := seal.ParsePayload(m[1])
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

// privateLines returns the text lines of the ```private blocks of a
// Markdown file, trimmed, each at least min bytes long.
func privateLines(t testing.TB, path string, min int) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in := false
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(strings.TrimSuffix(l, "\r"))
		switch {
		case !in && l == "```private":
			in = true
		case in && strings.HasPrefix(l, "```"):
			in = false
		case in && len(l) >= min:
			out = append(out, l)
		}
	}
	return out
}

func privExample() string { return filepath.Join("..", "..", "content") }

// TestEncryptedRoundTrip opens the sealed pages of an encrypted build of the
// example site in Go: every client page opens with its client's passphrase
// without any private note, and with the coach's with them; no other
// client's passphrase opens it.
func TestEncryptedRoundTrip(t *testing.T) {
	content := privSite(t, privExample(), model.Encrypted)
	sec := writeSecrets(t, content)
	out := privBuild(t, content, sec.File)
	files := readTree(t, out)
	site := loadSite(t, content)

	// Every session page with private notes, found by its sealed payload's
	// coach version; the private lines of its source must show for the coach
	// alone. Opening with a passphrase costs a PBKDF2 per try, so the coach's
	// keys are unwrapped once per portal and one session per client is
	// opened by its client.
	coachKeys := map[string][]byte{} // portal id -> coach-only key
	openCoach := func(name string, p *seal.Payload) []byte {
		if k, ok := coachKeys[p.ID]; ok {
			html, err := seal.OpenWithKey(p, name, k, true)
			if err != nil {
				t.Fatalf("%s: the coach-only key of its portal does not open it: %v", name, err)
			}
			return html
		}
		o, err := seal.Open(p, name, sec.Coach)
		if err != nil {
			t.Fatalf("%s: coach cannot open: %v", name, err)
		}
		if !o.Coach {
			t.Errorf("%s: the coach's passphrase did not open the coach's version", name)
		}
		coachKeys[p.ID] = o.CoachKey
		return o.HTML
	}
	for _, c := range site.Clients {
		var withPrivate *model.Session
		for _, s := range c.Sessions {
			if s.Notes.HasPrivate {
				withPrivate = s
				break
			}
		}
		if withPrivate == nil {
			continue
		}
		lines := privateLines(t, withPrivate.Path, 20)
		if len(lines) == 0 {
			t.Fatalf("%s: no private line found", withPrivate.Path)
		}
		title := []byte(htmlText(withPrivate.Title))
		var page string
		var payload *seal.Payload
		for name, b := range files {
			if !strings.HasSuffix(name, "/index.html") || !sealedBlock.Match(b) {
				continue
			}
			p := payloadOf(t, b, name)
			if p.Coach == "" {
				continue
			}
			html := openCoach(name, p)
			if bytes.Contains(html, title) && strings.Contains(string(html), htmlText(lines[0])) {
				page, payload = name, p
				for _, l := range lines {
					if !strings.Contains(string(html), htmlText(l)) {
						t.Errorf("%s: coach's version lacks private line %q", name, l)
					}
				}
				break
			}
		}
		if payload == nil {
			t.Fatalf("no sealed page of %s holds its private notes for the coach", withPrivate.Path)
		}
		o, err := seal.Open(payload, page, sec.Clients[c.Slug])
		if err != nil {
			t.Fatalf("%s: the client cannot open it: %v", page, err)
		}
		if o.Coach || o.CoachKey != nil {
			t.Errorf("%s: the client's passphrase opened the coach's version", page)
		}
		if !bytes.Contains(o.HTML, title) {
			t.Errorf("%s: the client's page lacks the session title", page)
		}
		for _, l := range lines {
			if strings.Contains(string(o.HTML), htmlText(l)) {
				t.Errorf("%s: the client's page shows private line %q", page, l)
			}
		}
		// The client's key must not open the coach's ciphertext either.
		if _, err := seal.OpenWithKey(payload, page, o.Key, true); err == nil {
			t.Errorf("%s: the client's content key opens the coach's version", page)
		}
		for other, pass := range sec.Clients {
			if other == c.Slug {
				continue
			}
			if _, err := seal.Open(payload, page, pass); !errors.Is(err, seal.ErrWrongPassphrase) {
				t.Errorf("%s: client %s's passphrase: err = %v, want ErrWrongPassphrase", page, other, err)
			}
			break // one other client is enough: each try costs a PBKDF2
		}
	}

	// The dashboard opens for the coach, lists every client and links into
	// each portal; no client's passphrase opens it.
	dash := payloadOf(t, files["coach/index.html"], "coach/index.html")
	o, err := seal.Open(dash, "coach/index.html", sec.Coach)
	if err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	for _, c := range site.Clients {
		if !bytes.Contains(o.HTML, []byte(htmlText(c.Name))) {
			t.Errorf("dashboard lacks client %s", c.Name)
		}
		portal := payloadOf(t, files[portalOf(t, files, c.Slug, sec)+"/index.html"], c.Slug).ID
		if !bytes.Contains(o.HTML, []byte("../"+portal+"/index.html")) {
			t.Errorf("dashboard does not link to the portal of %s", c.Slug)
		}
	}
	for _, pass := range sec.Clients {
		if _, err := seal.Open(dash, "coach/index.html", pass); err == nil {
			t.Errorf("a client's passphrase opens the dashboard")
		}
		break
	}
}

// portalOf returns the portal folder of a client: the one top-level folder
// whose index.html's payload id is the client's token.
func portalOf(t testing.TB, files map[string][]byte, slug string, sec testSecrets) string {
	t.Helper()
	tok := seal.Token(siteKey(t, sec), slug)
	if _, ok := files[tok+"/index.html"]; !ok {
		t.Fatalf("no portal folder %s for %s", tok, slug)
	}
	return tok
}

// htmlText escapes s as html/template escapes text.
func htmlText(s string) string {
	return strings.NewReplacer(`"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// TestEncryptedDeterministic builds the same content with the same secrets
// twice: the second build finds every key in the cache and writes the same
// bytes.
func TestEncryptedDeterministic(t *testing.T) {
	content := privSite(t, privExample(), model.Encrypted)
	sec := writeSecrets(t, content)
	a := readTree(t, privBuild(t, content, sec.File))
	cache, err := os.ReadFile(sec.File + ".keys")
	if err != nil {
		t.Fatalf("no key cache beside the secrets: %v", err)
	}
	b := readTree(t, privBuild(t, content, sec.File))
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	var names []string
	for name := range a {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	cache2, _ := os.ReadFile(sec.File + ".keys")
	if !bytes.Equal(cache, cache2) {
		t.Errorf("the key cache changed on a rebuild with the same secrets")
	}
	if fi, err := os.Stat(sec.File + ".keys"); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("key cache mode %v, want 0600", fi.Mode().Perm())
	}
}

// TestPassphraseErrors: a missing or weak passphrase stops the build with
// an error naming the client, and leaves the output alone.
func TestPassphraseErrors(t *testing.T) {
	content := privSite(t, privExample(), "") // the default is encrypted
	site := loadSite(t, content)
	slug := site.Clients[0].Slug
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	cases := []struct {
		name, yaml, want string
	}{
		{"missing", fmt.Sprintf("coach: %s\nclients:\n", seal.GeneratePassphrase()), fmt.Sprintf("client %q: no passphrase", slug)},
		{"weak", fmt.Sprintf("coach: %s\nclients:\n  %s: Summer2024!!\n", seal.GeneratePassphrase(), slug), fmt.Sprintf("client %q: passphrase too guessable", slug)},
		{"weak coach", "coach: passwordpassword\n", "coach: passphrase"},
		// The site's own words: the client's name, the site's title, the
		// coach's name, an organization.
		{"client's name", fmt.Sprintf("coach: %s\nclients:\n  %s: %s-2026\n", seal.GeneratePassphrase(), slug, strings.ReplaceAll(site.Clients[0].Name, " ", "-")), fmt.Sprintf("client %q: passphrase too guessable (about 10^", slug)},
		{"site title", fmt.Sprintf("coach: %s\nclients:\n  %s: HarbourLight-Coaching1\n", seal.GeneratePassphrase(), slug), fmt.Sprintf("client %q: passphrase too guessable", slug)},
		{"coach's name", "coach: Martina.Solberg.1975\n", "coach: passphrase too guessable"},
		{"organization", fmt.Sprintf("coach: %s\nclients:\n  %s: %s!2026\n", seal.GeneratePassphrase(), slug, strings.ReplaceAll(site.Clients[0].Organization, " ", "")), fmt.Sprintf("client %q: passphrase too guessable", slug)},
		// What the browser cannot type back.
		{"byte order mark", fmt.Sprintf("coach: \"\\ufeff%s\"\nclients:\n", seal.GeneratePassphrase()), "coach: passphrase holds an invisible or non-printing character (U+FEFF)"},
		{"trailing space", fmt.Sprintf("coach: \"%s \"\nclients:\n", seal.GeneratePassphrase()), "coach: passphrase starts or ends with white space"},
		{"not NFC", fmt.Sprintf("coach: %s\nclients:\n  %s: \"cafe\\u0301-%s\"\n", seal.GeneratePassphrase(), slug, seal.GeneratePassphrase()), fmt.Sprintf("client %q: passphrase is not in Unicode NFC", slug)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".yaml")
			y := c.yaml
			for _, other := range site.Clients[1:] {
				if strings.HasSuffix(y, "clients:\n") || strings.Contains(y, "clients:\n  ") {
					y += fmt.Sprintf("  %s: %s\n", other.Slug, seal.GeneratePassphrase())
				}
			}
			if err := os.WriteFile(f, []byte(y), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := pipeline.Build(pipeline.Options{Content: content, Out: out, Secrets: f, Environ: []string{}})
			var list diag.List
			if !errors.As(err, &list) {
				t.Fatalf("err = %v, want a diag.List", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want it to say %q", err, c.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a failed build wrote %s", out)
			}
		})
	}
	t.Run("no secrets", func(t *testing.T) {
		_, err := pipeline.Build(pipeline.Options{Content: content, Out: out, Environ: []string{}})
		if err == nil || !strings.Contains(err.Error(), "--secrets") {
			t.Errorf("err = %v, want a hint at --secrets", err)
		}
	})
}

// TestSecretsFromEnvironment builds an encrypted site from the environment
// variables alone.
func TestSecretsFromEnvironment(t *testing.T) {
	content := privSite(t, privExample(), model.Encrypted)
	site := loadSite(t, content)
	env := []string{seal.EnvCoach + "=" + seal.GeneratePassphrase(), seal.EnvKeyCache + "=" + filepath.Join(t.TempDir(), "keys")}
	for _, c := range site.Clients {
		env = append(env, seal.EnvClientPrefix+seal.EnvName(c.Slug)+"="+seal.GeneratePassphrase())
	}
	out := filepath.Join(t.TempDir(), "public")
	// No site secret: refused, with the way to keep today's addresses.
	_, err := pipeline.Build(pipeline.Options{Content: content, Out: out, Environ: env})
	if err == nil || !strings.Contains(err.Error(), "no site secret: set $"+seal.EnvSiteSecret) || !strings.Contains(err.Error(), "coachsite passphrase --site-secret --print") {
		t.Fatalf("no site secret in the environment: err = %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused build wrote %s", out)
	}
	// The secret that the coach's passphrase implied (what builds without
	// one used) keeps every portal where it was.
	implied := seal.ImpliedSiteSecret(strings.TrimPrefix(env[0], seal.EnvCoach+"="))
	env = append(env, seal.EnvSiteSecret+"="+implied)
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out, Environ: env}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "coach", "index.html")); err != nil {
		t.Error(err)
	}
	for _, c := range site.Clients {
		if _, err := os.Stat(filepath.Join(out, seal.Token(seal.NewSiteKey(implied), c.Slug), "index.html")); err != nil {
			t.Errorf("the portal of %s moved: %v", c.Slug, err)
		}
	}
}

// TestUnlisted: portal and session folders are opaque tokens of the site
// secret, stable across builds, listed nowhere; nothing is sealed.
func TestUnlisted(t *testing.T) {
	content := privSite(t, privExample(), model.Unlisted)
	site := loadSite(t, content)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out, Environ: []string{}}); err == nil || !strings.Contains(err.Error(), "site_secret") {
		t.Fatalf("unlisted without a site secret: err = %v, want one naming site_secret", err)
	}
	secret := seal.GenerateSiteSecret()
	env := []string{seal.EnvSiteSecret + "=" + secret}
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out, Environ: env}); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	key := seal.NewSiteKey(secret)
	for _, c := range site.Clients {
		tok := seal.Token(key, c.Slug)
		page, ok := files[tok+"/index.html"]
		if !ok {
			t.Errorf("no portal at %s/ for %s", tok, c.Slug)
			continue
		}
		if sealedBlock.Match(page) {
			t.Errorf("%s: an unlisted portal is sealed", tok)
		}
		if bytes.Contains(files["index.html"], []byte(tok)) {
			t.Errorf("the home page links to the unlisted portal of %s", c.Slug)
		}
		for _, s := range c.Sessions {
			if _, ok := files[tok+"/"+seal.SessionToken(key, c.Slug, s.Slug)+"/index.html"]; !ok {
				t.Errorf("no page for session %s of %s", s.Slug, c.Slug)
			}
		}
	}
	for name := range files {
		for _, c := range site.Clients {
			if strings.Contains(name, c.Slug) {
				t.Errorf("file name %s holds the slug %s", name, c.Slug)
			}
			for _, s := range c.Sessions {
				if strings.Contains(name, s.Slug) {
					t.Errorf("file name %s holds the session slug %s", name, s.Slug)
				}
			}
		}
	}
	if _, ok := files["coach/index.html"]; ok {
		t.Errorf("an unlisted site has a dashboard in clear")
	}
	// Same secret, same addresses.
	out2 := filepath.Join(t.TempDir(), "public")
	if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out2, Environ: env}); err != nil {
		t.Fatal(err)
	}
	if b := readTree(t, out2); len(b) != len(files) {
		t.Errorf("%d files, then %d", len(files), len(b))
	} else {
		for name, data := range files {
			if !bytes.Equal(b[name], data) {
				t.Errorf("%s differs between two unlisted builds", name)
			}
		}
	}
}

// TestPublicUnchanged: a public site keeps plain clients/<slug>/ folders,
// lists them and seals nothing.
func TestPublicUnchanged(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if _, err := pipeline.Build(pipeline.Options{Content: privExample(), Out: out, Environ: []string{}}); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	for _, c := range loadSite(t, privExample()).Clients {
		page, ok := files["clients/"+c.Slug+"/index.html"]
		if !ok || sealedBlock.Match(page) {
			t.Errorf("%s: want a plain portal at clients/%s/", c.Slug, c.Slug)
		}
	}
	if _, ok := files["coach/index.html"]; ok {
		t.Errorf("a public site has a dashboard")
	}
}

// TestEveryModeHeaders: robots meta, referrer policy and CSP in every page,
// robots.txt and _headers, in every mode.
func TestEveryModeHeaders(t *testing.T) {
	for _, mode := range []model.Privacy{model.Public, model.Unlisted, model.Encrypted} {
		t.Run(string(mode), func(t *testing.T) {
			content := privSite(t, privExample(), mode)
			env := []string{seal.EnvSiteSecret + "=" + seal.GenerateSiteSecret()}
			var secrets string
			if mode == model.Encrypted {
				secrets = writeSecrets(t, content).File
			}
			out := filepath.Join(t.TempDir(), "public")
			if _, err := pipeline.Build(pipeline.Options{Content: content, Out: out, Secrets: secrets, Environ: env}); err != nil {
				t.Fatal(err)
			}
			files := readTree(t, out)
			if !bytes.Contains(files["robots.txt"], []byte("Disallow: /")) {
				t.Errorf("robots.txt = %q", files["robots.txt"])
			}
			for _, h := range []string{"Referrer-Policy: no-referrer", "Content-Security-Policy:", "X-Robots-Tag: noindex"} {
				if !bytes.Contains(files["_headers"], []byte(h)) {
					t.Errorf("_headers lacks %q", h)
				}
			}
			for name, b := range files {
				if !strings.HasSuffix(name, ".html") {
					continue
				}
				for _, want := range []string{`<meta name="robots" content="noindex, nofollow">`, `<meta name="referrer" content="no-referrer">`, `http-equiv="Content-Security-Policy"`} {
					if !bytes.Contains(b, []byte(want)) {
						t.Errorf("%s lacks %s", name, want)
					}
				}
				if bytes.Contains(b, []byte("unsafe-inline")) || bytes.Contains(b, []byte("unsafe-eval")) {
					t.Errorf("%s allows unsafe-inline or unsafe-eval", name)
				}
				if regexp.MustCompile(`<script(?:\s+[^>]*)?>[^<]`).Match(regexp.MustCompile(`<script type="application/json"[^>]*>`).ReplaceAll(b, nil)) {
					t.Errorf("%s has an inline script", name)
				}
			}
		})
	}
}
