package load

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/coachsite/coachsite/generator/diag"
	"github.com/coachsite/coachsite/generator/model"
)

// checkInMeta is the text a client's check-in carries: front matter like a
// session's (between --- lines), with the fields a client fills in.
type checkInMeta struct {
	Date        yamlDate        `yaml:"date"`
	Ratings     yamlRatings     `yaml:"ratings"`
	Time        yamlTime        `yaml:"time"`
	Commitments yamlCommitments `yaml:"commitments"`
	Notes       yamlTexts       `yaml:"notes"`
	Energizers  yamlStrings     `yaml:"energizers"`
	Drainers    yamlStrings     `yaml:"drainers"`
	Reflection  yamlString      `yaml:"reflection"`
}

// yamlTexts is a mapping of keys (commitment ids) to texts.
type yamlTexts struct {
	at
	Items []text
}

// text is one key: text pair of a yamlTexts.
type text struct {
	Key, Value string
	Line       int
}

func (t *yamlTexts) UnmarshalYAML(n *yaml.Node) error {
	var buf [8]entry
	n, ok := t.expect(n, yaml.MappingNode, "a mapping like {k3fq: a note}")
	if !ok {
		return nil
	}
	for _, e := range entries(&t.at, n, "", buf[:]) {
		if v := resolve(e.value); v.Kind != yaml.ScalarNode {
			t.fail(e.valueLine, "."+e.key, "must be text, not %s", describe(v))
		} else {
			t.Items = append(t.Items, text{Key: e.key, Value: strings.TrimSpace(v.Value), Line: e.keyLine})
		}
	}
	return nil
}

// CheckIn reads the text of a client's opened check-in, src, for client of
// site, and checks it as it checks a session file: its errors are
// "path:LINE: ...", LINE counting the lines of src. Every commitment it
// names must be one of the client's, by id, and take a status only; a note
// must belong to one of them. The session has no slug, title or path; its
// commitments keep their ids.
func CheckIn(site *model.Site, client *model.Client, src []byte, path string) (*model.CheckIn, diag.List) {
	fm, _, _, ok, closed := splitFrontMatter(normalize(src))
	if !ok || !closed {
		return nil, diag.List{diag.Errorf(path, 1, "a check-in starts with a line reading --- and its fields end at another")}
	}
	var m checkInMeta
	errs, metaOK := decodeYAML(fm, &m, path, fmFirst)
	if !metaOK {
		return nil, errs
	}
	ps := &parsedSession{path: path, noDate: true, metaOK: true, errs: errs, meta: sessionMeta{
		Date: m.Date, Ratings: m.Ratings, Time: m.Time, Commitments: m.Commitments,
		Energizers: m.Energizers, Drainers: m.Drainers,
	}}
	s, errs := ps.finish(client.Areas, site.Scale)
	line := func(yamlLine int) int { return yamlLine + fmFirst - 1 }
	known := map[string]bool{}
	for _, old := range client.Sessions {
		for _, c := range old.Commitments {
			known[c.ID] = true
		}
	}
	named := map[string]bool{}
	for i, c := range m.Commitments.Items {
		switch {
		case c.ID == "":
			errs = append(errs, diag.Errorf(path, line(c.Line), "commitments[%d]: a check-in reviews the client's commitments by id; it cannot make new ones", i+1))
		case c.TextSet || c.DueSet:
			errs = append(errs, diag.Errorf(path, line(c.Line), "commitments[%d]: a check-in gives a commitment's id and status only", i+1))
		case !known[c.ID]:
			errs = append(errs, diag.Errorf(path, line(c.IDLine), "commitments[%d].id: %s is not one of this client's commitments", i+1, c.ID))
		}
		named[c.ID] = true
	}
	notes := map[string]string{}
	for _, n := range m.Notes.Items {
		if !named[n.Key] {
			errs = append(errs, diag.Errorf(path, line(n.Line), "notes.%s: a note for a commitment the check-in does not list", n.Key))
			continue
		}
		notes[n.Key] = n.Value
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	if len(s.Commitments) > 0 {
		for i := range s.Commitments {
			s.Commitments[i].Text = "" // the id alone names it, as a review does
		}
	}
	return &model.CheckIn{Session: s, Notes: notes, Reflection: m.Reflection.Value}, nil
}
