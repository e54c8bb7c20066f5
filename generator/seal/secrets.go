package seal

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/coachsite/coachsite/generator/diag"
)

// Environment variables that can hold the secrets instead of a file (for CI
// deploys). EnvSecrets holds the whole secrets YAML; otherwise EnvCoach,
// EnvSiteSecret and one EnvClientPrefix+EnvName(slug) per client are read.
const (
	EnvSecrets      = "COACHSITE_SECRETS"
	EnvCoach        = "COACHSITE_COACH_PASSPHRASE"
	EnvSiteSecret   = "COACHSITE_SITE_SECRET"
	EnvClientPrefix = "COACHSITE_PASSPHRASE_"
	EnvKeyCache     = "COACHSITE_KEY_CACHE" // path of the key cache when the secrets come from the environment
)

// Secrets are the passphrases of a site, from a YAML file given with
// `coachsite build --secrets FILE` or from the environment:
//
//	site_secret: 7vq3...          # optional; pins the portal addresses
//	coach: "coach passphrase"
//	clients:
//	  anna-berg: "anna's passphrase"
//	sponsors:                     # optional: opens that client's engagement summary only
//	  anna-berg: "sponsor passphrase"
//
// They never live in content/ or public/.
type Secrets struct {
	Coach      string
	Clients    map[string]string // client slug -> passphrase
	Sponsors   map[string]string // client slug -> their sponsor's passphrase
	SiteSecret string            // random, 26+ characters; required in every encrypted mode (see Validate)

	// Source names where the secrets came from in error messages: the file
	// path, "$COACHSITE_SECRETS" or "environment".
	Source string
	// CacheFile is where NewKeyring should keep derived keys: FILE.keys
	// beside a secrets file, $COACHSITE_KEY_CACHE for the environment, or ""
	// for no cache.
	CacheFile string

	lines map[string]int // "coach", "site_secret", "client/SLUG", "sponsor/SLUG" -> line in Source
}

// SecretsFile is the name of the secrets file that `coachsite passphrase`
// writes and that a build looks for beside the content folder.
const SecretsFile = "secrets.yaml"

// SecretsBeside returns the path of the secrets file that belongs with the
// content folder content: SecretsFile in the folder that holds content
// ("content" gives "secrets.yaml", "site/content" gives "site/secrets.yaml").
// It is beside content/, never inside it, so it is never published.
func SecretsBeside(content string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(content)), SecretsFile)
}

// LocateSecrets says where the secrets of a build come from, in this order:
// file when it is not empty (a --secrets flag); the environment when it
// sets any of $COACHSITE_SECRETS, $COACHSITE_COACH_PASSPHRASE or
// $COACHSITE_SITE_SECRET; SecretsBeside(content) when that file exists; else
// the environment, which then says what is missing. It returns the file to
// read, or "" for the environment.
func LocateSecrets(file, content string, environ []string) string {
	if file != "" {
		return file
	}
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if k == EnvSecrets || k == EnvCoach || k == EnvSiteSecret {
			return ""
		}
	}
	if p := SecretsBeside(content); content != "" {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// LoadSecrets loads the secrets for a build: from file when it is not empty,
// else from the environment (environ as from os.Environ): the whole YAML in
// $COACHSITE_SECRETS, or else $COACHSITE_COACH_PASSPHRASE,
// $COACHSITE_SITE_SECRET and $COACHSITE_PASSPHRASE_<EnvName(slug)> for each
// slug in clients. It does not check that they are complete and strong: see
// Validate.
func LoadSecrets(file string, environ []string, clients []string) (*Secrets, error) {
	if file != "" {
		return LoadSecretsFile(file)
	}
	env := envMap(environ)
	cache := env[EnvKeyCache]
	if y, ok := env[EnvSecrets]; ok {
		s, err := ParseSecrets([]byte(y), "$"+EnvSecrets)
		if err != nil {
			return nil, err
		}
		s.CacheFile = cache
		return s, nil
	}
	if _, ok := env[EnvCoach]; !ok {
		return nil, errors.New("seal: no secrets: run `coachsite passphrase --coach` (it writes " + SecretsFile + " beside the content folder), give --secrets FILE, or set " + EnvSecrets + " (or " + EnvCoach + " and " + EnvClientPrefix + "<SLUG>)")
	}
	s := &Secrets{
		Coach:      env[EnvCoach],
		SiteSecret: strings.TrimSpace(env[EnvSiteSecret]),
		Clients:    map[string]string{},
		Sponsors:   map[string]string{},
		Source:     "environment",
		CacheFile:  cache,
	}
	seen := map[string]string{}
	for _, slug := range clients {
		name := EnvClientPrefix + EnvName(slug)
		if other, dup := seen[name]; dup && other != slug {
			return nil, fmt.Errorf("seal: clients %q and %q both read %s; rename one or use %s", other, slug, name, EnvSecrets)
		}
		seen[name] = slug
		if v, ok := env[name]; ok {
			s.Clients[slug] = v
		}
	}
	return s, nil
}

// LoadSiteSecret finds the site secret of an unlisted site, which needs no
// passphrase: in file when it is not empty, else in the YAML of
// $COACHSITE_SECRETS, else in $COACHSITE_SITE_SECRET (environ as from
// os.Environ). It checks that the secret is present and strong enough.
func LoadSiteSecret(file string, environ []string) (string, error) {
	var s *Secrets
	var err error
	source := "environment"
	env := envMap(environ)
	if file != "" {
		s, err = LoadSecretsFile(file)
		source = file
	} else if y, ok := env[EnvSecrets]; ok {
		s, err = ParseSecrets([]byte(y), "$"+EnvSecrets)
	} else {
		s = &Secrets{SiteSecret: strings.TrimSpace(env[EnvSiteSecret])}
	}
	if err != nil {
		return "", err
	}
	if s.SiteSecret == "" {
		return "", diag.List{{Path: source, Msg: "privacy: unlisted needs a site_secret (26+ random characters) in the secrets (secrets.yaml beside the content folder, --secrets FILE) or in $" + EnvSiteSecret + "; `coachsite passphrase --coach` writes one"}}
	}
	if err := CheckSiteSecret(s.SiteSecret); err != nil {
		return "", diag.List{{Path: source, Msg: err.Error()}}
	}
	return s.SiteSecret, nil
}

// envMap turns an environment as from os.Environ into a map.
func envMap(environ []string) map[string]string {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

// EnvName is the suffix of a client's environment variable: the slug in
// upper case, every character other than A-Z and 0-9 replaced by '_'
// ("anna-berg" -> "ANNA_BERG").
func EnvName(slug string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, slug)
}

// LoadSecretsFile reads a secrets YAML file. Its key cache is FILE.keys.
func LoadSecretsFile(path string) (*Secrets, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seal: secrets: %w", err)
	}
	s, err := ParseSecrets(data, path)
	if err != nil {
		return nil, err
	}
	s.CacheFile = path + ".keys"
	return s, nil
}

// ParseSecrets parses secrets YAML; source names it in error messages, which
// are a diag.List with line numbers. Unknown keys are errors; passphrases
// are taken exactly as written (a passphrase of digits stays a string; one
// with white space at an end is refused by Validate, as the browser would
// drop it), the site_secret less white space at its ends.
func ParseSecrets(data []byte, source string) (*Secrets, error) {
	s := &Secrets{Clients: map[string]string{}, Sponsors: map[string]string{}, Source: source, lines: map[string]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, diag.List{diag.Errorf(source, 0, "%v", err)}
	}
	if len(doc.Content) == 0 {
		return s, nil
	}
	root := doc.Content[0]
	var errs diag.List
	if root.Kind != yaml.MappingNode {
		return nil, diag.List{diag.Errorf(source, root.Line, "want a mapping with coach: and clients:")}
	}
	scalar := func(n *yaml.Node, what string) (string, bool) {
		if n.Kind != yaml.ScalarNode {
			errs = append(errs, diag.Errorf(source, n.Line, "%s: want a passphrase string", what))
			return "", false
		}
		if n.Tag == "!!null" {
			return "", true
		}
		return n.Value, true
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		if seen[key.Value] {
			errs = append(errs, diag.Errorf(source, key.Line, "%s: given twice", key.Value))
			continue
		}
		seen[key.Value] = true
		switch key.Value {
		case "coach":
			if v, ok := scalar(val, "coach"); ok {
				s.Coach, s.lines["coach"] = v, key.Line
			}
		case "site_secret":
			if v, ok := scalar(val, "site_secret"); ok {
				s.SiteSecret, s.lines["site_secret"] = strings.TrimSpace(v), key.Line
			}
		case "clients", "sponsors":
			m, role := s.Clients, "client"
			if key.Value == "sponsors" {
				m, role = s.Sponsors, "sponsor"
			}
			if val.Tag == "!!null" {
				continue
			}
			if val.Kind != yaml.MappingNode {
				errs = append(errs, diag.Errorf(source, val.Line, "%s: want a mapping of SLUG: PASSPHRASE", key.Value))
				continue
			}
			for j := 0; j+1 < len(val.Content); j += 2 {
				slug := val.Content[j].Value
				if _, dup := m[slug]; dup {
					errs = append(errs, diag.Errorf(source, val.Content[j].Line, "%s %q: given twice", role, slug))
					continue
				}
				if v, ok := scalar(val.Content[j+1], fmt.Sprintf("%s %q", role, slug)); ok {
					m[slug], s.lines[role+"/"+slug] = v, val.Content[j].Line
				}
			}
		default:
			errs = append(errs, diag.Errorf(source, key.Line, "unknown key %q (want coach, clients, sponsors, site_secret)", key.Value))
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// Validate checks the secrets for a build of the given clients: the coach
// and every listed client must have a passphrase, and every passphrase
// present (listed or not) must pass CheckPassphrase, with SiteWords of
// siteWords (the site's names, title, slugs, area labels) as the words an
// attacker tries first; no two readers may share one. A sponsor passphrase is
// listed under the slug of the client sponsored, which must be one of
// clients when clients is not nil. Each error names the client (never the
// passphrase) and, for a file, the line.
func (s *Secrets) Validate(clients []string, siteWords ...string) error {
	var errs diag.List
	words := SiteWords(siteWords...)
	owner := map[string]string{} // normalized passphrase -> who has it
	check := func(who, key, pass, hint string) {
		line := s.lines[key]
		if pass == "" {
			errs = append(errs, diag.Errorf(s.Source, line, "%s: no passphrase (create one with `%s`)", who, hint))
			return
		}
		if err := CheckPassphrase(pass, words...); err != nil {
			errs = append(errs, diag.Errorf(s.Source, line, "%s: %v", who, err))
		}
		// A passphrase shared by two readers opens what either may read:
		// the coach's, given to a client, opens every portal.
		norm := NormalizePassphrase(pass)
		if first, ok := owner[norm]; ok {
			errs = append(errs, diag.Errorf(s.Source, line, "%s: the same passphrase as the %s; every reader needs their own (create one with `%s`)", who, first, hint))
			return
		}
		owner[norm] = who
	}
	check("coach", "coach", s.Coach, "coachsite passphrase --coach")
	for _, c := range clients {
		if _, ok := s.Clients[c]; !ok {
			check(fmt.Sprintf("client %q", c), "client/"+c, "", "coachsite passphrase "+c)
		}
	}
	for _, c := range sortedKeys(s.Clients) {
		check(fmt.Sprintf("client %q", c), "client/"+c, s.Clients[c], "coachsite passphrase "+c)
	}
	known := make(map[string]bool, len(clients))
	for _, c := range clients {
		known[c] = true
	}
	for _, sp := range sortedKeys(s.Sponsors) {
		if clients != nil && !known[sp] {
			errs = append(errs, diag.Errorf(s.Source, s.lines["sponsor/"+sp], "sponsors: %q is no client of the site (a sponsor passphrase is listed under the client's slug)", sp))
			continue
		}
		check(fmt.Sprintf("sponsor of client %q", sp), "sponsor/"+sp, s.Sponsors[sp], "coachsite passphrase "+sp+" --sponsor")
	}
	if s.SiteSecret == "" {
		errs = append(errs, diag.Errorf(s.Source, 0, "%s", s.missingSiteSecret()))
	} else if err := CheckSiteSecret(s.SiteSecret); err != nil {
		errs = append(errs, diag.Errorf(s.Source, s.lines["site_secret"], "%v", err))
	}
	return errs.Err()
}

// missingSiteSecret says how to give the secrets a site secret without
// moving any portal address.
func (s *Secrets) missingSiteSecret() string {
	if s.Source == "environment" {
		return "no site secret: set $" + EnvSiteSecret + ". To keep the portal addresses your clients already have, set it to what `coachsite passphrase --site-secret --print` prints with $" + EnvCoach + " set (a new site: any 26+ random characters, which the same command prints when no coach passphrase is set)"
	}
	if strings.HasPrefix(s.Source, "$") {
		return "no site_secret: add `site_secret: VALUE` to $" + EnvSecrets + ", VALUE from `coachsite passphrase --site-secret --print` run with the same $" + EnvSecrets + " (it keeps the portal addresses your clients already have)"
	}
	return "no site_secret: run `coachsite passphrase --site-secret --secrets " + s.Source + "`; it records the one your portal addresses already use (a new random one when the file has no coach passphrase)"
}

// CheckSiteSecret reports why a site_secret is too weak, or nil: it must
// be 26 or more characters and estimate at 128 bits or more (EstimateBits),
// as GenerateSiteSecret's and ImpliedSiteSecret's are.
func CheckSiteSecret(secret string) error {
	if len(secret) < 26 || EstimateBits(secret) < 128 {
		return errors.New("site_secret: too weak (want 26+ random characters, about 128 bits)")
	}
	return nil
}

// PinSiteSecret makes sure the secrets file at path has a site_secret,
// creating the file (mode 0600) if needed and keeping every other entry and
// comment: the one the file's coach passphrase implies (ImpliedSiteSecret),
// so that no portal address moves, or else a new random one. It reports
// which, or that the file already had one (and changes nothing).
func PinSiteSecret(path string) (how string, err error) {
	return editSecrets(path, nil)
}

// Passphrase returns the passphrase of a reader — role RoleCoach (slug
// ignored), RoleClient or RoleSponsor — or "" when s has none.
func (s *Secrets) Passphrase(role Role, slug string) string {
	switch role {
	case RoleCoach:
		return s.Coach
	case RoleClient:
		return s.Clients[slug]
	case RoleSponsor:
		return s.Sponsors[slug]
	}
	return ""
}

// SetPassphrase records a passphrase in the secrets file at path, creating
// the file (mode 0600) if needed and keeping every other entry and comment.
// role is RoleCoach (slug ignored), RoleClient or RoleSponsor. The
// passphrase must pass CheckPassphrase.
//
// It also pins the site secret, so that portal addresses never move: a new
// file gets a random site_secret; a file with a coach passphrase but no
// site_secret, whose addresses come from that passphrase, gets the
// site_secret that passphrase implies before the coach's passphrase changes.
func SetPassphrase(path string, role Role, slug, passphrase string) error {
	if err := CheckPassphrase(passphrase); err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	if role != RoleCoach && slug == "" {
		return fmt.Errorf("seal: %s passphrase needs a slug", role)
	}
	_, err := editSecrets(path, func(root *yaml.Node) error {
		switch role {
		case RoleCoach:
			mapSet(root, "coach", passphrase)
		case RoleClient, RoleSponsor:
			section := "clients"
			if role == RoleSponsor {
				section = "sponsors"
			}
			m := mapGet(root, section)
			if m == nil || m.Kind != yaml.MappingNode {
				if m != nil { // "clients:" with no value
					mapDelete(root, section)
				}
				m = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				root.Content = append(root.Content, strNode(section), m)
			}
			mapSet(m, slug, passphrase)
		default:
			return fmt.Errorf("seal: unknown role %q", role)
		}
		return nil
	})
	return err
}

// What PinSiteSecret (and so every edit of a secrets file) did.
const (
	SiteSecretKept    = "kept"    // the file had a site_secret
	SiteSecretImplied = "implied" // recorded the one the coach's passphrase implied: no address moves
	SiteSecretNew     = "new"     // recorded a new random one (the file had no coach passphrase)
)

// editSecrets reads the secrets file at path (an empty document when it
// does not exist), pins its site secret, applies edit (nil: none) and
// writes the file back atomically with mode 0600 if anything changed. It returns one of the SiteSecret*
// constants.
func editSecrets(path string, edit func(root *yaml.Node) error) (string, error) {
	var doc yaml.Node
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return "", fmt.Errorf("seal: %s: %v", path, err)
		}
		if _, err := ParseSecrets(data, path); err != nil {
			return "", err
		}
	case errors.Is(err, os.ErrNotExist):
	default:
		return "", fmt.Errorf("seal: %w", err)
	}
	if len(doc.Content) == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	root := doc.Content[0]

	how := SiteSecretKept
	if n := mapGet(root, "site_secret"); n == nil || strings.TrimSpace(n.Value) == "" {
		secret, h := GenerateSiteSecret(), SiteSecretNew
		if c := mapGet(root, "coach"); c != nil && strings.TrimSpace(c.Value) != "" {
			secret, h = ImpliedSiteSecret(c.Value), SiteSecretImplied
		}
		how = h
		mapDelete(root, "site_secret")
		// site_secret goes first, so a hand-written file reads top-down.
		root.Content = append([]*yaml.Node{strNode("site_secret"), strNode(secret)}, root.Content...)
	}
	if edit == nil && how == SiteSecretKept {
		return how, nil // nothing to change: the file stays as it is
	}
	if edit != nil {
		if err := edit(root); err != nil {
			return "", err
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	if bytes.Equal(buf.Bytes(), data) {
		return how, nil
	}
	return how, writeFileAtomic(path, buf.Bytes())
}

func strNode(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	if v != "" && strings.IndexFunc(v, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) >= 0 {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func mapDelete(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// mapSet sets key to a string value, in place when the key exists (keeping
// its comments), else appended with the mapping's keys kept sorted when they
// already are.
func mapSet(m *yaml.Node, key, value string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			old := m.Content[i+1]
			n := strNode(value)
			n.LineComment, n.HeadComment, n.FootComment = old.LineComment, old.HeadComment, old.FootComment
			m.Content[i+1] = n
			return
		}
	}
	keys := make([]string, 0, len(m.Content)/2)
	for i := 0; i < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value)
	}
	at := len(m.Content)
	if sort.StringsAreSorted(keys) {
		at = 2 * sort.SearchStrings(keys, key)
	}
	m.Content = append(m.Content[:at], append([]*yaml.Node{strNode(key), strNode(value)}, m.Content[at:]...)...)
}
