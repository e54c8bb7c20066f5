package render

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/coachsite/coachsite/generator/model"
)

// KindHandover is the hand-over sheet of a portal (coachsite share): a
// document of its own for the coach to print or send, never part of
// public/. Its template, layouts/handover.html, defines "main" (the sheet)
// and "handover" (the whole document, style inline).
const KindHandover = "handover"

// HandoverData is what layouts/handover.html receives as dot.
type HandoverData struct {
	Lang    string
	Site    *model.Site
	Client  *model.Client
	Privacy model.Privacy
	// Address is the portal's address: a full URL when Full (the site
	// gives a base_url), else its folder relative to the site's root.
	Address string
	Full    bool
	// QR is an inline SVG of the QR code of Address; empty unless Full.
	QR template.HTML
	// Passphrase is the client's passphrase, only when the coach asked for
	// it on the sheet; "" otherwise.
	Passphrase string
}

// Handover renders the hand-over sheet of d.
func (t *Theme) Handover(d HandoverData) ([]byte, error) {
	set, err := t.set(d.Lang)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := set.kinds[KindHandover].ExecuteTemplate(&b, "handover", d); err != nil {
		return nil, fmt.Errorf("hand-over sheet: %w", err)
	}
	return b.Bytes(), nil
}
