package pipeline

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/coachsite/coachsite/generator/archive"
	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/export"
	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/render"
	"github.com/coachsite/coachsite/generator/report"
)

// ArchiveOptions says how to archive engagements.
type ArchiveOptions struct {
	Options // Content, Drafts and the secrets; Out is not used

	// Unsealed archives the pages of an encrypted site in clear, with the
	// source Markdown and the data export. Without it an encrypted site's
	// pages stay sealed and neither source nor export is packed.
	Unsealed bool

	// WithPrivateNotes keeps the coach-only (```private) blocks in the
	// source Markdown of a bag that packs it. Without it they are removed
	// (markdown.StripPrivate); either way Archived.PrivateBlocks counts
	// them and bag-info.txt says which was done.
	WithPrivateNotes bool

	// Time is the bagging time. Zero means $SOURCE_DATE_EPOCH when set, else
	// midnight UTC of the client's newest session (its Started date when it
	// has none): never the clock, so the same content gives the same zip.
	Time time.Time

	// Signer, when set, signs each bag (archive.Write).
	Signer ed25519.PrivateKey
}

// Archived is one engagement packed as a zipped BagIt bag.
type Archived struct {
	Client string // the client's slug
	Name   string // the bag's folder inside the zip
	// File is the suggested file name on the coach's side,
	// "<slug>-<date of the newest session>.zip": it says whose archive it
	// is even when the bag inside, sealed, names no one (docs/archive.md).
	File   string
	Zip    []byte
	Files  int   // payload files
	Octets int64 // payload bytes
	Sealed bool  // the pages are sealed
	// Source says whether the source Markdown is packed; PrivateBlocks is
	// the number of coach-only blocks in it, removed unless
	// ArchiveOptions.WithPrivateNotes.
	Source        bool
	PrivateBlocks int
}

// Archive packs the engagements of the clients named by slugs (every client
// when slugs is empty) as zipped BagIt bags (docs/archive.md). A bag's
// payload is the client's part of the site laid out as in public/ — a
// landing data/index.html linking to the portal, the portal with its
// summary, session and trends pages and data export, the shared assets — so
// that its pages open from the unzipped folder with no server; then
// data/source/ (site.yaml and the client's Markdown) and data/export/.
func Archive(o ArchiveOptions, slugs ...string) ([]Archived, error) {
	p := forArchive
	if o.Unsealed {
		p = forPreview
	}
	r, err := assemble(o.Options, p)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	want := map[string]bool{}
	for _, s := range slugs {
		want[s] = true
	}
	var (
		out      []Archived
		problems = r.problems
	)
	for i, mc := range r.site.Clients {
		c, errs := r.client(i)
		problems = append(problems, errs...)
		if len(problems) > 0 || len(slugs) > 0 && !want[mc.Slug] {
			continue
		}
		delete(want, mc.Slug)
		a, err := r.archiveClient(o, c)
		if err != nil {
			return nil, fmt.Errorf("archiving %s: %w", mc.Slug, err)
		}
		out = append(out, a)
	}
	if len(problems) > 0 {
		return nil, problems.Err()
	}
	if len(want) > 0 {
		var missing []string
		for s := range want {
			missing = append(missing, s)
		}
		sort.Strings(missing)
		return nil, fmt.Errorf("no client %s in %s", strings.Join(missing, ", "), o.Content)
	}
	return out, nil
}

// archiveClient packs one client.
func (r *run) archiveClient(o ArchiveOptions, lc loaded) (Archived, error) {
	src, c := lc.src, lc.report
	sealed := r.pv.portals != nil
	files := map[string][]byte{}
	write := writeFunc(func(p string, data []byte) error {
		if _, dup := files[p]; dup {
			return fmt.Errorf("%s written twice", p)
		}
		files[p] = bytes.Clone(data)
		return nil
	})
	// The landing page is the theme's home page listing this client alone,
	// without the site's home text, which may name other clients.
	landing := *r.pub
	landing.Home = model.Notes{}
	listed := c
	if sealed {
		// The landing page is in clear: on a sealed bag it names no one.
		lc, mc := *c, *c.Client
		title, err := r.theme.T(render.ClientLanguage(r.pub, c.Client), "sealed_title")
		if err != nil {
			return Archived{}, err
		}
		mc.Name, mc.Role, mc.Organization = title, "", ""
		lc.Client = &mc
		listed = &lc
	}
	one := &report.Site{Site: &landing, Clients: []*report.Client{listed}}
	pages, assets, err := r.theme.Site(one, r.ro)
	if err != nil {
		return Archived{}, err
	}
	for _, p := range pages {
		if p.Path == "index.html" {
			files[p.Path] = p.Data
		}
	}
	for _, f := range assets {
		if strings.HasPrefix(f.Path, "assets/") {
			files[f.Path] = f.Data
		}
	}
	var ex []export.File
	if err := r.renderClient(c, write, func(f []export.File) { ex = f }); err != nil {
		return Archived{}, err
	}
	private := 0
	if !sealed {
		if private, err = addSource(o.Content, src, o.WithPrivateNotes, write); err != nil {
			return Archived{}, err
		}
		for _, f := range ex {
			if err := write("export/"+f.Name, f.Data); err != nil {
				return Archived{}, err
			}
		}
	}

	t, err := bagTime(o.Time, src)
	if err != nil {
		return Archived{}, err
	}
	name := bagName(src)
	if sealed {
		// The bag's folder, its manifests and the suggested file name are
		// in clear: named by the portal's opaque token, not the slug.
		name = bagName(&model.Client{Slug: portalDirOf(r.ro, src), Sessions: src.Sessions})
	}
	bag := archive.Bag{Name: name, Info: bagInfo(r.pub, src, name, sealed), Time: t}
	if !sealed {
		bag.Info = append(bag.Info, archive.Field{Label: "Coach-Only-Notes", Value: coachOnlyNotes(private, o.WithPrivateNotes)})
	}
	var octets int64
	for p, data := range files {
		bag.Files = append(bag.Files, archive.File{Path: p, Data: data})
		octets += int64(len(data))
	}
	var zip bytes.Buffer
	if err := archive.Write(&zip, bag, o.Signer); err != nil {
		return Archived{}, err
	}
	return Archived{Client: src.Slug, Name: name, File: bagName(src) + ".zip", Zip: zip.Bytes(), Files: len(files), Octets: octets, Sealed: sealed,
		Source: !sealed, PrivateBlocks: private}, nil
}

// addSource adds site.yaml and the client's Markdown files (profile and
// the sessions built, so drafts only with --drafts) under source/, read
// through load.Source: without keepPrivate, with their private blocks
// removed. It returns how many private blocks the files hold.
func addSource(content string, c *model.Client, keepPrivate bool, write func(string, []byte) error) (int, error) {
	paths := []string{filepath.Join(content, "site.yaml")}
	if c.Path != "" {
		paths = append(paths, c.Path)
	}
	for _, s := range c.Sessions {
		paths = append(paths, s.Path)
	}
	blocks := 0
	for i, p := range paths {
		rel, err := filepath.Rel(content, p)
		if err != nil {
			return 0, err
		}
		data, n, err := load.Source(content, rel, keepPrivate)
		if err != nil {
			return 0, err
		}
		blocks += n
		dst := "source/site.yaml"
		if i > 0 {
			dst = path.Join("source", "clients", c.Slug, filepath.Base(p))
		}
		if err := write(dst, data); err != nil {
			return 0, err
		}
	}
	return blocks, nil
}

// coachOnlyNotes is the Coach-Only-Notes value of bag-info.txt.
func coachOnlyNotes(blocks int, kept bool) string {
	switch {
	case blocks == 0:
		return "none in the source"
	case kept:
		return fmt.Sprintf("kept in the source (%d private blocks)", blocks)
	}
	return fmt.Sprintf("removed from the source (%d private blocks)", blocks)
}

// bagTime is the bagging time of client c's archive; see ArchiveOptions.Time.
func bagTime(t time.Time, c *model.Client) (time.Time, error) {
	if !t.IsZero() {
		return t.UTC(), nil
	}
	if t, ok, err := archive.SourceDateEpoch(); err != nil || ok {
		return t, err
	}
	if n := len(c.Sessions); n > 0 {
		return c.Sessions[n-1].Date.Time, nil
	}
	if !c.Started.IsZero() {
		return c.Started.Time, nil
	}
	return time.Time{}, errors.New("no session date to date the archive with; set SOURCE_DATE_EPOCH")
}

// bagName is "<slug>-<date of the newest session>", or the slug alone for a
// client without sessions. Slugs are folder names of content/clients/; any
// byte a bag name may not hold becomes '-'.
func bagName(c *model.Client) string {
	name := c.Slug
	if n := len(c.Sessions); n > 0 {
		name += "-" + c.Sessions[n-1].Date.String()
	}
	b := []byte(name)
	for i, ch := range b {
		ok := ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' || ch == '.'
		if !ok || (i == 0 && ch == '.') {
			b[i] = '-'
		}
	}
	return string(b)
}

// bagInfo is the engagement's metadata for bag-info.txt.
func bagInfo(site *model.Site, c *model.Client, name string, sealed bool) []archive.Field {
	var f []archive.Field
	add := func(label, value string) {
		value = strings.Join(strings.Fields(value), " ") // one line, as bag-info.txt needs
		if value != "" {
			f = append(f, archive.Field{Label: label, Value: value})
		}
	}
	add("Source-Organization", site.Title)
	add("Contact-Name", site.Coach)
	if sealed {
		// bag-info.txt is in clear: a sealed bag says nothing of the client.
		add("External-Description", "Coaching engagement, sealed: open data/index.html and enter a passphrase")
		add("External-Identifier", name)
		add("Engagement-Sessions", strconv.Itoa(len(c.Sessions)))
		add("Coachsite-Pages", "sealed (open data/index.html and enter a passphrase)")
		return f
	}
	who := c.Name
	if c.Organization != "" {
		who += ", " + c.Organization
	}
	desc := "Coaching engagement of " + who
	if n := len(c.Sessions); n > 0 {
		desc += fmt.Sprintf(", %s to %s, %s", c.Sessions[0].Date, c.Sessions[n-1].Date, diag.Count(n, "session"))
	}
	add("External-Description", desc)
	add("External-Identifier", name)
	add("Coaching-Client", c.Name)
	add("Coaching-Client-Role", c.Role)
	add("Coaching-Client-Organization", c.Organization)
	add("Engagement-Started", c.Started.String())
	add("Engagement-Ended", c.Ended.String())
	add("Engagement-Sessions", strconv.Itoa(len(c.Sessions)))
	add("Coachsite-Pages", "unsealed")
	add("Coachsite-Export", fmt.Sprintf("%s version %d in data/export/", export.Schema, export.Version))
	return f
}
