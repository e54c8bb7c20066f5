package pipeline

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/coachsite/coachsite/generator/load"
	"github.com/coachsite/coachsite/generator/scaffold"
)

// CheckInPath is the name errors give the text of an opened check-in:
// "check-in:LINE: ...".
const CheckInPath = "check-in"

// ImportOptions says which site a check-in is imported into.
type ImportOptions struct {
	Options // Content and the secrets; Out is not used
	// Client, when set, is the client the coach expects the check-in from:
	// a check-in from any other client's portal is refused.
	Client string
	// Now is the time expiry is judged at; zero means time.Now().
	Now time.Time
}

// Imported is a check-in written as a draft session.
type Imported struct {
	Client string    // the client's slug
	Path   string    // the draft session file written
	Made   time.Time // when the client's browser sealed it
	Text   []byte    // the opened check-in, as the errors count its lines
}

// Import opens an armored check-in block with the coach's key of an
// encrypted site, finds the client whose portal sealed it, checks it as a
// session file (errors "check-in:LINE: ...") against that client and their
// commitments, and writes it as a new draft session file (see
// scaffold.CheckIn). It then loads the client again, drafts included, and
// removes the file and fails if it does not load. It reads the key cache
// but never writes it.
func Import(o ImportOptions, block string) (Imported, error) {
	o.Drafts = true
	r, err := assemble(o.Options, forCheck)
	if err != nil {
		return Imported{}, err
	}
	defer r.Close()
	if len(r.problems) > 0 {
		return Imported{}, r.problems.Err()
	}
	if r.pv.checkIn == nil {
		return Imported{}, fmt.Errorf("a %s site has no check-ins: they are sealed to the coach's key, which only an encrypted site has", r.pv.mode)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	opened, err := r.pv.checkIn.Open(block, now)
	if err != nil {
		return Imported{}, err
	}
	idx := -1
	for i, c := range r.site.Clients {
		if r.pv.dirs[c.Slug] == opened.Portal {
			idx = i
		}
	}
	if idx < 0 {
		return Imported{}, errors.New("this check-in came from a portal that is no client's of this site now (was the client renamed or removed?)")
	}
	slug := r.site.Clients[idx].Slug
	if o.Client != "" && o.Client != slug {
		return Imported{}, fmt.Errorf("this check-in came from another client's portal, not %s's: refused", o.Client)
	}
	lc, errs := r.client(idx)
	if len(errs) > 0 {
		return Imported{}, errs.Err()
	}
	ci, errs := load.CheckIn(r.site, lc.src, opened.Plaintext, CheckInPath)
	if len(errs) > 0 {
		return Imported{Client: slug, Text: opened.Plaintext}, errs.Err()
	}
	p, err := scaffold.CheckIn(o.Content, lc.src, ci)
	if err != nil {
		return Imported{}, err
	}
	if _, errs := load.Client(r.site, o.Content, slug, load.Options{Drafts: true}); len(errs) > 0 {
		os.Remove(p)
		return Imported{Client: slug, Text: opened.Plaintext}, fmt.Errorf("the draft would not load, so it was not kept:\n%w", errs.Err())
	}
	return Imported{Client: slug, Path: p, Made: opened.Made, Text: opened.Plaintext}, nil
}
