package render

import (
	"html/template"

	"github.com/coachsite/coachsite/generator/model"
)

// KindCheckIn is the client's check-in page: one per portal on a site with
// a coach's check-in key, where the client rates the areas, splits their
// time, reviews their open commitments and seals it all to the coach. Its
// template is layouts/checkin.html; its script assets/js/checkin.js.
const KindCheckIn = "checkin"

// CheckInDir is the folder of the check-in page below a portal's folder.
const CheckInDir = "check-in"

// CheckInScript is the script of the check-in page.
const CheckInScript = "assets/js/checkin.js"

// SlotCheckInArc is the check-in page's arc to tap and drag on; Options.Charts
// receives the latest session (nil for none) for it.
const SlotCheckInArc = "check-in-arc"

// CheckInDays is how long a sealed check-in stays valid: the page seals
// with an expiry this many days after the client finishes.
const CheckInDays = 30

// CheckInKey is what a portal needs to seal a check-in to the coach (see
// generator/checkin): the coach's public key and the site id, base64url.
type CheckInKey struct {
	Public, SiteID string
}

// CheckInView is the check-in page's data, PageData.CheckIn.
type CheckInView struct {
	CheckInKey
	Portal string // the portal's token, which the block names
	Email  string // the coach's address for the mailto: link; "" for none
	Days   int    // CheckInDays
	Areas  []CheckInArea
	Scale  model.Scale
}

// CheckInArea is one area of the check-in form, with the latest session's
// values as its starting point.
type CheckInArea struct {
	Key, Color     string
	Label          template.HTML // the area's label as the theme marks areas up
	Name           string        // the area's label as text
	Rating         int           // the latest rating; 0 when not rated
	Actual, Wished int           // the latest time split; 0 without one
}

// checkIn renders the check-in page of d's client and hands it to emit.
func (t *Theme) checkIn(d *PageData, o Options, v *clientView, areas []model.Area, emit func(*Page) error) error {
	c := d.Client
	title, err := d.L.T("title_check_in", map[string]any{"Name": c.Client.Name})
	if err != nil {
		return err
	}
	cv := &CheckInView{CheckInKey: *o.CheckIn, Portal: d.PortalDir, Email: d.Site.Site.CoachEmail, Days: CheckInDays, Scale: d.Site.Site.Scale}
	for i, a := range areas {
		ca := CheckInArea{Key: a.Key, Color: a.Color, Label: v.area(a), Name: a.Name()}
		if s := c.Latest; s != nil {
			if i < len(s.Ratings) && s.Ratings[i].Rated && s.Ratings[i].Area.Key == a.Key {
				ca.Rating = s.Ratings[i].Value
			}
			for _, tr := range s.Time {
				if tr.Area.Key == a.Key {
					ca.Actual, ca.Wished = tr.Actual, tr.Wished
				}
			}
		}
		cv.Areas = append(cv.Areas, ca)
	}
	d.CheckIn = cv
	d.Open = make([]CommitmentRow, len(c.Open))
	for i, op := range c.Open {
		d.Open[i] = v.commitment(op)
	}
	if d.Charts, err = o.charts(c, c.Latest, KindCheckIn, SlotCheckInArc); err != nil {
		return err
	}
	p := Page{File: File{Path: d.Dir + "/index.html"}, Kind: KindCheckIn, Title: title, Client: c.Client, site: d.Site.Site,
		Scripts: []string{CheckInScript}}
	return t.render(d, p, false, emit)
}
