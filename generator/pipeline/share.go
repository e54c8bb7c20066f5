package pipeline

import (
	"errors"
	"fmt"
	"html/template"

	"github.com/coachsite/coachsite/generator/model"
	"github.com/coachsite/coachsite/generator/qr"
	"github.com/coachsite/coachsite/generator/render"
)

// ShareOptions says which site to share a portal of and how.
type ShareOptions struct {
	Options // Content, Drafts and the secrets; Out is not used

	// Passphrase puts the client's passphrase on the hand-over sheet. Off
	// by default: it should travel by another channel than the address.
	Passphrase bool
}

// Handover is one client's portal, ready to hand over.
type Handover struct {
	Client  string        // the client's slug
	Dir     string        // the portal's folder, relative to public/
	Address string        // the portal's address: see model.Site.Address
	Full    bool          // Address is a full URL (site.yaml gives base_url)
	Privacy model.Privacy // how the portal is protected
	Sheet   []byte        // the hand-over sheet, a standalone HTML document
}

// Share finds the portal of client slug as a build lays it out — the same
// opaque folder on an encrypted or unlisted site, clients/<slug> on a
// public one — and renders its hand-over sheet from the theme, with a QR
// code of the address when it is a full URL. It reads the site.yaml and the
// profiles only, and writes nothing, not even the key cache.
func Share(o ShareOptions, slug string) (Handover, error) {
	r, err := assemble(o.Options, forCheck)
	if err != nil {
		return Handover{}, err
	}
	defer r.Close()
	if len(r.problems) > 0 {
		return Handover{}, r.problems.Err()
	}
	pv, pub, th := r.pv, r.pub, r.theme
	var client *model.Client
	for _, c := range r.site.Clients {
		if c.Slug == slug {
			client = c
		}
	}
	if client == nil {
		return Handover{}, fmt.Errorf("no client %q: %s has no folder clients/%s", slug, o.Content, slug)
	}
	dir := r.ro.PortalDir(client)
	h := Handover{Client: slug, Dir: dir, Address: pub.Address(dir), Full: pub.BaseURL != "", Privacy: pv.mode}
	lang := pub.Language
	if client.Language != "" {
		lang = client.Language
	}
	d := render.HandoverData{Lang: lang, Site: pub, Client: client, Privacy: pv.mode, Address: h.Address, Full: h.Full}
	if h.Full {
		svg, err := qr.SVG(h.Address)
		if err != nil {
			return Handover{}, err
		}
		d.QR = template.HTML(svg) // drawn by package qr from the address alone
	}
	if o.Passphrase {
		if pv.secrets == nil {
			return Handover{}, errors.New("a " + string(pv.mode) + " site has no passphrases to put on the sheet")
		}
		d.Passphrase = pv.secrets.Clients[slug]
	}
	if h.Sheet, err = th.Handover(d); err != nil {
		return Handover{}, err
	}
	return h, nil
}
