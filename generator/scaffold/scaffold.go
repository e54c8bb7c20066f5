// Package scaffold writes the starting files of a coachsite site, client or
// session, each of which loads without errors as written.
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/report"
)

// DefaultAreas are the four areas of a new site, in drawing order.
var DefaultAreas = []string{"vision", "service", "accountability", "community"}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Site writes a new site into dir (created if needed): content/site.yaml
// with the four default areas, content/_index.md, one example client with
// one session, and a .gitignore leaving out public/ and secrets. It refuses
// to write into a dir that already has a content folder or a .gitignore.
// It returns the files written.
func Site(dir string, o SiteOptions) ([]string, error) {
	lang := o.Language
	if lang == "" {
		lang = "en"
	}
	if !load.ValidLanguage(lang) {
		return nil, fmt.Errorf("%q is not a language tag like en, de or de-CH", o.Language)
	}
	for _, p := range []string{"content", ".gitignore"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
			return nil, fmt.Errorf("%s already exists; not overwriting", filepath.Join(dir, p))
		}
	}
	files := []struct{ path, text string }{
		{".gitignore", gitignore},
		{"content/site.yaml", strings.Replace(siteYAML, "language: en\n", "language: "+lang+"\n", 1)},
		{"content/_index.md", homeMD},
		{"content/clients/example-client/_index.md", exampleClient},
		{"content/clients/example-client/2026-01-14-first-session.md", exampleSession},
	}
	var written []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := writeNew(p, f.text); err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

const gitignore = `# coachsite: the built site and anything secret stay out of version control.
/public
public/
# What a build keeps beside its output: its lock, staging folders, old output.
.public.*
# The secrets and the key cache: the cache opens every portal, coach notes
# included, exactly as the passphrases do.
secrets.yaml
secrets.yaml.keys
*.keys
.secrets*
# Private keys, such as the archive signing key of coachsite keygen.
*.key
`

const siteYAML = `# Settings of the site. See docs/content-format.md.
title: My coaching practice
coach: Your Name
language: en
# Areas, in drawing order (clockwise from the top). Each is a key, or
# {key, label, description, color}. A client may list its own.
areas:
  - vision
  - service
  - accountability
  - community
scale: {min: 1, max: 9}
# How portals are protected (docs/privacy.md):
#   encrypted: every page of a portal sealed, opened with a passphrase in the
#     browser. Use it before you write real client notes: run
#     coachsite passphrase --coach and coachsite passphrase CLIENT (they write
#     secrets.yaml beside content/, where the build finds it), then build.
#   unlisted: unguessable addresses, pages in clear.
#   public: plain addresses, for demos and consented material only.
privacy: public
`

const homeMD = `Welcome. Each client has a private portal with their sessions and trends.
`

const exampleClient = `---
name: Example Client
role: Team Lead
organization: Example Ltd
started: 2026-01-14
goals:
  - Spend more time on where the team is going
---

An invented client, to show how a portal looks. Delete this folder when you
add your first real client: ` + "`coachsite new client SLUG --name \"Full Name\"`" + `.
`

const exampleSession = `---
title: First session
date: 2026-01-14
duration: 60
format: video
ratings: {vision: 4, service: 7, accountability: 6, community: 5}
time:
  vision: {actual: 10, wished: 30}
  service: {actual: 50, wished: 35}
  accountability: {actual: 25, wished: 20}
  community: {actual: 15, wished: 15}
commitments:
  - {text: Block two hours a week for planning, due: 2026-01-28, status: open}
energizers: [planning with the team]
drainers: [status reports]
tags: [start]
---

## What we talked about

Most of the week goes to answering requests; little is left for direction.

` + "```private" + `
Coach-only notes go in a fenced block marked private: never on a client page.
` + "```" + `
`

// SiteOptions describes a new site.
type SiteOptions struct {
	// Language is the site's language tag (its pages' words, dates and
	// numbers); "" means en. The files' comments stay English.
	Language string
}

// ClientOptions describes a new client.
type ClientOptions struct {
	Name     string   // the client's name; "" writes a placeholder from the slug
	Areas    []string // the client's own area keys; nil inherits the site's
	Language string   // the client's own language tag; "" inherits the site's
}

// Client writes content/clients/<slug>/_index.md of the content folder and
// returns its path. It refuses a bad slug and an existing folder.
func Client(content, slug string, o ClientOptions) (string, error) {
	if !slugRE.MatchString(slug) {
		return "", fmt.Errorf("%q is not a client slug: use lower-case letters a-z, digits and -", slug)
	}
	if !isDir(content) {
		return "", fmt.Errorf("no content folder at %s", content)
	}
	dir := filepath.Join(content, "clients", slug)
	if _, err := os.Lstat(dir); err == nil {
		return "", fmt.Errorf("%s already exists", dir)
	}
	name := o.Name
	if name == "" {
		name = titleOf(slug)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "---\nname: %s\n# role: \n# organization: \n# started: YYYY-MM-DD\ngoals: []\n", quote(name))
	if o.Language != "" {
		if !load.ValidLanguage(o.Language) {
			return "", fmt.Errorf("%q is not a language tag like en, de or de-CH", o.Language)
		}
		fmt.Fprintf(&b, "language: %s # this client's pages; the site's language otherwise\n", o.Language)
	}
	if len(o.Areas) > 0 {
		b.WriteString("areas:\n")
		for _, a := range o.Areas {
			a = strings.TrimSpace(a)
			if !slugRE.MatchString(a) {
				return "", fmt.Errorf("%q is not an area key: use lower-case letters a-z, digits and -", a)
			}
			fmt.Fprintf(&b, "  - %s\n", a)
		}
	}
	b.WriteString("---\n\nWhat the engagement is about.\n")
	p := filepath.Join(dir, "_index.md")
	return p, writeNew(p, b.String())
}

// SessionOptions describes a new session.
type SessionOptions struct {
	Date  model.Date // required
	Title string     // optional; also names the file, e.g. 2026-02-11-vision-work.md
}

// Session writes a new session file for client slug of the content folder
// and returns its path. The file starts from the client's latest session
// before o.Date: its ratings and time split, and every commitment still open
// carried forward with a note to review it. It refuses to overwrite a file.
func Session(content, slug string, o SessionOptions) (string, error) {
	if o.Date.IsZero() {
		return "", errors.New("a session needs a date")
	}
	site, err := siteOnly(content)
	if err != nil {
		return "", err
	}
	c, errs := load.Client(site, content, slug, load.Options{Drafts: true})
	if len(errs) > 0 {
		return "", errs
	}
	name := o.Date.String()
	if s := slugify(o.Title); s != "" {
		name += "-" + s
	}
	p := filepath.Join(content, "clients", slug, name+".md")
	if _, err := os.Lstat(p); err == nil {
		return "", fmt.Errorf("%s already exists; not overwriting", p)
	}

	var prev *model.Session
	before := *c // the client as it stood on o.Date: its ledger then
	before.Sessions = nil
	for _, s := range c.Sessions {
		if s.Date.Before(o.Date.Time) {
			prev = s
			before.Sessions = append(before.Sessions, s)
		}
	}
	site.Clients = []*model.Client{&before}
	var open []*report.Commitment // in the order made
	for _, lc := range report.DeriveClient(site, &before).Ledger {
		if lc.Status == model.StatusOpen {
			open = append(open, lc)
		}
	}

	var b strings.Builder
	b.WriteString("---\n")
	if o.Title != "" {
		fmt.Fprintf(&b, "title: %s\n", quote(o.Title))
	}
	fmt.Fprintf(&b, "date: %s\nduration: 60\nformat: video            # in-person | video | phone\n", o.Date)
	if prev != nil {
		fmt.Fprintf(&b, "# Ratings and time split start from %s: update them with the client.\n", prev.Date)
	}
	b.WriteString("ratings:\n")
	for _, a := range c.Areas {
		if v, ok := ratingOf(prev, a.Key); ok {
			fmt.Fprintf(&b, "  %s: %d\n", a.Key, v)
		} else {
			fmt.Fprintf(&b, "  # %s: %d..%d\n", a.Key, site.Scale.Min, site.Scale.Max)
		}
	}
	if prev != nil && len(prev.Time) > 0 {
		b.WriteString("time:                     # percent; actual and wished each sum to 100\n")
		for _, a := range c.Areas {
			if t, ok := prev.Time[a.Key]; ok {
				fmt.Fprintf(&b, "  %s: {actual: %d, wished: %d}\n", a.Key, t.Actual, t.Wished)
			}
		}
	} else {
		// Commented out, as the ratings are: a split nobody filled in must
		// not reach a chart.
		b.WriteString("# Time split: uncomment and fill in; percent, actual and wished each sum to 100.\n# time:\n")
		for _, a := range c.Areas {
			fmt.Fprintf(&b, "#   %s: {actual: , wished: }\n", a.Key)
		}
	}
	if len(open) > 0 {
		b.WriteString("commitments:\n")
		b.WriteString("  # Still open, carried forward with their ids: to close one, change its\n")
		b.WriteString("  # status from open to done (or dropped); to move its due date, change due.\n")
		b.WriteString("  # This session's word is the last: the earlier files stay as they are.\n")
		b.WriteString("  # Add new commitments without an id; coachsite gives them one.\n")
		for _, oc := range open {
			fmt.Fprintf(&b, "  - id: %s   # made %s\n    text: %s\n", oc.ID, oc.Made.Date, quote(oc.Text))
			if !oc.Due.IsZero() {
				fmt.Fprintf(&b, "    due: %s\n", oc.Due)
			}
			b.WriteString("    status: open\n")
		}
	} else {
		b.WriteString("commitments: []            # new ones: - {text: ..., due: YYYY-MM-DD}\n")
	}
	// The body is the notes: the theme gives them their heading.
	b.WriteString("energizers: []\ndrainers: []\ntags: []\n---\n\n")
	return p, writeNew(p, b.String())
}

func ratingOf(s *model.Session, key string) (int, bool) {
	if s == nil {
		return 0, false
	}
	return s.RatingOf(key)
}

// siteOnly loads the settings of content/site.yaml, without its clients.
func siteOnly(content string) (*model.Site, error) {
	if !isDir(content) {
		return nil, fmt.Errorf("no content folder at %s", content)
	}
	// Read as loading reads it: no link out of content, no FIFO.
	b, _, err := load.Source(content, "site.yaml", true)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "coachsite-site-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, "site.yaml"), b, 0o644); err != nil {
		return nil, err
	}
	site, err := load.Site(tmp, load.Options{})
	var list diag.List
	if errors.As(err, &list) {
		for i := range list {
			if rel, rerr := filepath.Rel(tmp, list[i].Path); rerr == nil {
				list[i].Path = filepath.Join(content, rel)
			}
		}
		return nil, list
	}
	return site, err
}

func writeNew(p, text string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; not overwriting", p)
		}
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// quote writes s as a double-quoted YAML string. Go's escapes (\n, \t,
// \x01, \u2028, ...) are all escapes of YAML's double-quoted style too.
func quote(s string) string { return strconv.Quote(s) }

// slugify turns a title into the slug part of a file name.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	return b.String()
}

func titleOf(slug string) string {
	parts := strings.Split(slug, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, " ")
}
