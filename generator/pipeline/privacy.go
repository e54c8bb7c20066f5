package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path"

	"github.com/coachsite/coachsite/generator/checkin"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/output"
	"github.com/coachsite/coachsite/generator/render"
	"github.com/coachsite/coachsite/generator/report"
	"github.com/coachsite/coachsite/generator/seal"
)

// DashboardDir is the folder of the coach dashboard in an encrypted site.
const DashboardDir = "coach"

// UnlockScript is the script that opens sealed pages in the browser.
const UnlockScript = "assets/js/unlock.js"

// Every sealed page has the same <title> before the site's title, the
// theme's "sealed_title" ("Private portal" in English), so that the tab
// names no client.

// privacy is the privacy stage of one run: where portals go, and for an
// encrypted site the sealers that seal their pages.
type privacy struct {
	mode    model.Privacy
	portals map[string]*seal.Sealer // encrypted: client slug -> its portal's sealer
	// encrypted: client slug -> the sealer of its engagement summary, which
	// its sponsor may open too; only for clients with a sponsor passphrase.
	summaries map[string]*seal.Sealer
	dash      *seal.Sealer      // encrypted: the coach dashboard's sealer
	siteKey   []byte            // unlisted and encrypted: makes the opaque names
	dirs      map[string]string // unlisted and encrypted: client slug -> portal folder
	secrets   *seal.Secrets     // encrypted: the passphrases, for the hand-over sheet
	checkIn   *checkin.Key      // encrypted: the coach's check-in key pair
	// PBKDF2 derivations the keyring paid (0 on a warm key cache).
	derives int
}

// public is the privacy stage of a site published in clear, and of every
// preview.
var public = &privacy{mode: model.Public}

// newPrivacy sets up the privacy stage for site, whose clients (profiles
// enough) it makes portals for, with the secrets of o. writeCache says
// whether the key cache of an encrypted site may be written.
func newPrivacy(o Options, site *model.Site, writeCache bool) (*privacy, error) {
	pv := &privacy{mode: site.Privacy}
	if pv.mode == "" {
		pv.mode = model.Encrypted
	}
	switch pv.mode {
	case model.Public:
		return public, nil
	case model.Unlisted, model.Encrypted:
	default:
		return nil, fmt.Errorf("privacy %q: want encrypted, unlisted or public", pv.mode)
	}
	slugs := make([]string, len(site.Clients))
	for i, c := range site.Clients {
		slugs[i] = c.Slug
	}
	environ := o.Environ
	if environ == nil {
		environ = os.Environ()
	}

	file := seal.LocateSecrets(o.Secrets, o.Content, environ)
	if o.SecretsFrom != nil {
		source := file
		if source == "" {
			source = "environment"
		}
		o.SecretsFrom(source)
	}
	if pv.mode == model.Unlisted {
		if err := checkSecretFiles(o, output.SecretFile{Path: file, What: "the secrets file"}); err != nil {
			return nil, err
		}
		secret, err := seal.LoadSiteSecret(file, environ)
		if err != nil {
			return nil, err
		}
		pv.siteKey = seal.NewSiteKey(secret)
	} else {
		secrets, err := seal.LoadSecrets(file, environ, slugs)
		if err != nil {
			return nil, err
		}
		if err := checkSecretFiles(o,
			output.SecretFile{Path: file, What: "the secrets file"},
			output.SecretFile{Path: secrets.CacheFile, What: "the key cache"}); err != nil {
			return nil, err
		}
		if err := secrets.Validate(slugs, siteTexts(site)...); err != nil {
			return nil, err
		}
		pv.secrets = secrets
		newKeyring := seal.ReadKeyring
		if writeCache {
			newKeyring = seal.NewKeyring
		}
		keys, err := newKeyring(secrets, secrets.CacheFile)
		if err != nil {
			return nil, err
		}
		pv.derives = keys.PBKDF2Runs()
		pv.siteKey = keys.SiteKey()
		if pv.checkIn, err = checkin.NewKey(keys.CheckInSeed(), pv.siteKey); err != nil {
			return nil, err
		}
		pv.portals = make(map[string]*seal.Sealer, len(slugs))
		for _, slug := range slugs {
			if pv.portals[slug], err = keys.Portal(slug); err != nil {
				return nil, err
			}
			if secrets.Sponsors[slug] != "" {
				if pv.summaries == nil {
					pv.summaries = map[string]*seal.Sealer{}
				}
				if pv.summaries[slug], err = keys.Portal(slug, slug); err != nil {
					return nil, err
				}
			}
		}
		if pv.dash, err = keys.Dashboard(); err != nil {
			return nil, err
		}
	}
	pv.dirs = make(map[string]string, len(site.Clients))
	for _, c := range site.Clients {
		pv.dirs[c.Slug] = seal.Token(pv.siteKey, c.Slug)
	}
	return pv, nil
}

// siteTexts are the site's own words that a passphrase must not be made of
// (seal.SiteWords): an attacker who has the site tries them first.
func siteTexts(site *model.Site) []string {
	texts := []string{site.Title, site.Coach}
	areas := func(as []model.Area) {
		for _, a := range as {
			texts = append(texts, a.Key, a.Label)
		}
	}
	areas(site.Areas)
	for _, c := range site.Clients {
		texts = append(texts, c.Slug, c.Name, c.Role, c.Organization)
		areas(c.Areas)
	}
	return texts
}

// checkSecretFiles is where every command that reads secrets (build,
// check, serve --sealed, archive) refuses secret files inside the content or
// output folder, and warns of ones open to others or tracked by git. The
// commands without an output folder check against the default one, public.
func checkSecretFiles(o Options, files ...output.SecretFile) error {
	out := o.Out
	if out == "" {
		out = "public"
	}
	warnings, err := output.CheckSecretFiles(files, o.Content, out)
	for _, w := range warnings {
		if o.Warn != nil {
			o.Warn(w)
		} else {
			fmt.Fprintln(os.Stderr, "coachsite: warning: "+w)
		}
	}
	return err
}

// site returns site as it is published: on unlisted and encrypted sites a
// copy without the home page text, which is in clear on every host and
// often names clients; the site itself is never changed.
func (pv *privacy) site(site *model.Site) *model.Site {
	if pv.mode == model.Public {
		return site
	}
	pub := *site
	pub.Home = model.Notes{}
	return &pub
}

// client returns client c as it is published: on unlisted and encrypted
// sites a copy whose session slugs are opaque tokens (a session's file
// name carries its date and topic); c itself is never changed.
func (pv *privacy) client(c *model.Client) *model.Client {
	if pv.mode == model.Public {
		return c
	}
	cc := *c
	cc.Sessions = make([]*model.Session, len(c.Sessions))
	for j, s := range c.Sessions {
		ss := *s
		ss.Slug = seal.SessionToken(pv.siteKey, c.Slug, s.Slug)
		cc.Sessions[j] = &ss
	}
	return &cc
}

// options lays the portals out for the privacy mode: plain clients/<slug>
// folders listed on the home page when public, opaque top-level folders
// listed nowhere otherwise.
func (pv *privacy) options(ro render.Options) render.Options {
	if pv.mode == model.Public {
		return ro
	}
	dirs := pv.dirs
	ro.PortalDir = func(c *model.Client) string { return dirs[c.Slug] }
	ro.ListClients = false
	if pv.portals != nil {
		ro.DataFiles = []string{"index.html"} // the sealed data page
		ro.CoachViews = true
	}
	if pv.checkIn != nil {
		ro.CheckIn = &render.CheckInKey{Public: pv.checkIn.PublicBase64(), SiteID: pv.checkIn.SiteIDBase64()}
	}
	return ro
}

// page returns the bytes to publish for a rendered client page: the page
// itself, or in an encrypted site a sealed shell of it.
func (pv *privacy) page(th *render.Theme, p *render.Page) ([]byte, error) {
	if pv.portals == nil || p.Client == nil {
		return p.Data, nil
	}
	s := pv.portals[p.Client.Slug]
	if sp := pv.summaries[p.Client.Slug]; sp != nil && p.Kind == render.KindSummary {
		s = sp
	}
	if s == nil {
		return nil, fmt.Errorf("%s: no sealer for its portal", p.Path)
	}
	return sealPage(th, s, p)
}

// extra renders the pages only the privacy mode adds: the sealed coach
// dashboard of an encrypted site. (Each portal's data export travels inside
// one sealed page, <portal>/data/index.html, as data blocks that unlock.js
// turns into downloads, never as files in clear: see writeClientExport.)
func (pv *privacy) extra(th *render.Theme, rs *report.Site, ro render.Options) ([]render.File, error) {
	if pv.dash == nil {
		return nil, nil
	}
	p, err := th.Dashboard(rs, DashboardDir, ro)
	if err != nil {
		return nil, err
	}
	data, err := sealPage(th, pv.dash, &p)
	if err != nil {
		return nil, err
	}
	return []render.File{{Path: p.Path, Data: data}}, nil
}

// exportMain is the content of a portal's sealed data page in language
// lang, as the theme's partial "data-export" lays it out: one download link
// per export file, its text in a JSON-string data block (docs/privacy.md,
// "Data files").
func exportMain(th *render.Theme, lang string, files []render.File) ([]byte, error) {
	xs := make([]render.ExportFile, len(files))
	for i, f := range files {
		name := path.Base(f.Path)
		typ := "text/plain"
		switch path.Ext(name) {
		case ".csv":
			typ = "text/csv"
		case ".json":
			typ = "application/json"
		}
		text, _ := json.Marshal(string(f.Data)) // escapes <, > and &: safe in a data block
		xs[i] = render.ExportFile{ID: fmt.Sprintf("export-%d", i), Name: name, Type: typ, JSON: template.JS(text)}
	}
	return th.Partial(lang, "data-export", xs)
}

// sealPage seals p's Main (and CoachMain) and lays the payload out in the
// theme's frame with a neutral title and the unlock form. Nothing of the
// page but its kind and its scripts is left in clear.
func sealPage(th *render.Theme, s *seal.Sealer, p *render.Page) ([]byte, error) {
	payload, err := s.SealJSON(p.Path, p.Main, p.CoachMain)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	shell := *p
	if shell.Title, err = th.T(p.Lang, "sealed_title"); err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	shell.Scripts = append([]string{UnlockScript}, p.Scripts...)
	form, err := th.Partial(p.Lang, "unlock", nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	var b bytes.Buffer
	b.Grow(len(form) + len(payload) + 64)
	b.Write(form)
	b.WriteString(`<script type="application/json" id="sealed">`)
	b.Write(payload)
	b.WriteString("</script>")
	return th.Wrap(&shell, template.HTML(b.String()))
}
